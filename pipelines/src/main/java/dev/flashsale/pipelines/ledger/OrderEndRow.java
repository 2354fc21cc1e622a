package dev.flashsale.pipelines.ledger;

import java.time.Instant;

/**
 * An order's final state as it lands in MySQL: its row in {@code orders} moves out of
 * {@code RESERVED} once, with when it ended (and the payment, if paid), and, if the state
 * gives the units back, the bucket's {@code released_units} grow by its quantity in the same
 * transaction. {@code journalSeq} raises the bucket's {@code read_up_to}.
 */
public record OrderEndRow(
        String orderId,
        String saleId,
        int bucket,
        String status,
        int quantity,
        Instant endedAt,
        String paymentId,
        long journalSeq,
        SourceRecord source) implements LedgerEntry {

    public boolean givesUnitsBack() {
        return !"PAID".equals(status);
    }
}
