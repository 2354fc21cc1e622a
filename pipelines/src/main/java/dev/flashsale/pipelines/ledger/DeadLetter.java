package dev.flashsale.pipelines.ledger;

import java.time.Instant;

import dev.flashsale.pipelines.events.Heartbeat;
import dev.flashsale.pipelines.events.OrderReserved;
import dev.flashsale.pipelines.events.SaleScheduled;
import dev.flashsale.sale.Limits;

/**
 * A record of the topic that the orders job could not turn into rows: not a sale event, a
 * tombstone, a value beyond what the tables hold, or a row MySQL refused. It goes to the
 * dead-letter topic and the {@code dead_letters} table, with its reason, instead of stopping
 * every record behind it. Its fields are cut to what the table holds by construction, so a
 * dead letter itself can always be stored.
 *
 * <p>{@code eventType} and {@code eventAt} are set only when the record was a sale event of a
 * known type: a repaired version of that event resolves the letter once it lands. Letters of
 * records that were no sale event keep them null (their {@code saleId} and {@code orderId},
 * read best-effort, only say where they belong).
 */
public record DeadLetter(SourceRecord source, String reason, String saleId, String orderId, String eventType, Instant eventAt)
        implements LedgerEntry {

    static final int REASON_LENGTH = 1_000;

    /** The dead letter of a record that is no sale event; {@code saleId} and {@code orderId} are kept where the table can hold them. */
    public static DeadLetter of(SourceRecord record, String reason, String saleId, String orderId) {
        return of(record, reason, saleId, orderId, null, null);
    }

    /** The dead letter of a sale event of type {@code eventType} that happened at {@code eventAt}. */
    public static DeadLetter of(SourceRecord record, String reason, String saleId, String orderId, String eventType, Instant eventAt) {
        return new DeadLetter(record.cut(), SourceRecord.cut(reason, REASON_LENGTH),
                Limits.isStorableText(saleId, Limits.SALE_ID_LENGTH) ? saleId : null,
                Limits.isStorableText(orderId, Limits.ORDER_ID_LENGTH) ? orderId : null,
                eventType, Limits.isStorableTime(eventAt) ? eventAt : null);
    }

    /** The dead letter of a row that MySQL refused. */
    static DeadLetter refused(LedgerEntry entry, String why) {
        String reason = "MySQL refused the row: " + why;
        if (entry instanceof OrderRow order) {
            return of(order.source(), reason, order.saleId(), order.orderId(), OrderReserved.TYPE, order.reservedAt());
        }
        if (entry instanceof SaleRow sale) {
            return of(sale.source(), reason, sale.saleId(), null, SaleScheduled.TYPE, sale.scheduledAt());
        }
        return of(entry.source(), reason, null, null, Heartbeat.TYPE, ((HeartbeatRow) entry).beatAt());
    }
}
