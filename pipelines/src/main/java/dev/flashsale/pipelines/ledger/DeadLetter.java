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

    static final int KEY_LENGTH = 512;
    static final int VALUE_LENGTH = 16_000;
    static final int REASON_LENGTH = 1_000;
    private static final int ORDER_ID_LENGTH = 36;

    /** A dead letter for {@code record}; {@code saleId} and {@code orderId} are kept where the table can hold them. */
    public static DeadLetter of(SourceRecord record, String reason, String saleId, String orderId) {
        SourceRecord kept = new SourceRecord(record.topic(), record.partition(), record.offset(),
                cut(record.key(), KEY_LENGTH), cut(record.value(), VALUE_LENGTH));
        return new DeadLetter(kept, cut(reason, REASON_LENGTH),
                Limits.isStorableText(saleId, Limits.SALE_ID_LENGTH) ? saleId : null,
                Limits.isStorableText(orderId, ORDER_ID_LENGTH) ? orderId : null);
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

    // Cuts at a character boundary: half of a surrogate pair would be stored as '?'.
    private static String cut(String text, int length) {
        if (text == null || text.length() <= length) {
            return text;
        }
        int end = Character.isHighSurrogate(text.charAt(length - 1)) ? length - 1 : length;
        return text.substring(0, end);
    }
}
