package dev.flashsale.pipelines.ledger;

import dev.flashsale.sale.Limits;

/**
 * A record of the topic that the orders job could not turn into rows: not a sale event, a
 * tombstone, a value beyond what the tables hold, or a row MySQL refused. It goes to the
 * dead-letter topic and the {@code dead_letters} table, with its reason, instead of stopping
 * every record behind it. Its fields are cut to what the table holds by construction, so a
 * dead letter itself can always be stored.
 */
public record DeadLetter(SourceRecord source, String reason, String saleId, String orderId) implements LedgerEntry {

    static final int REASON_LENGTH = 1_000;

    /** A dead letter for {@code record}; {@code saleId} and {@code orderId} are kept where the table can hold them. */
    public static DeadLetter of(SourceRecord record, String reason, String saleId, String orderId) {
        return new DeadLetter(record.cut(), SourceRecord.cut(reason, REASON_LENGTH),
                Limits.isStorableText(saleId, Limits.SALE_ID_LENGTH) ? saleId : null,
                Limits.isStorableText(orderId, Limits.ORDER_ID_LENGTH) ? orderId : null);
    }

    /** The dead letter of a row that MySQL refused. */
    static DeadLetter refused(LedgerEntry entry, String why) {
        String reason = "MySQL refused the row: " + why;
        if (entry instanceof OrderRow order) {
            return of(order.source(), reason, order.saleId(), order.orderId());
        }
        if (entry instanceof SaleRow sale) {
            return of(sale.source(), reason, sale.saleId(), null);
        }
        return of(entry.source(), reason, null, null);
    }
}
