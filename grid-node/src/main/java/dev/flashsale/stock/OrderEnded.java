package dev.flashsale.stock;

import dev.flashsale.purchase.PurchaseStatus;

/**
 * An order of this bucket that reached a final state, journaled by the bucket
 * ({@link RecordEnding}) so that it travels the same path as the order's reservation, and after
 * it: the outbox turns it into {@code order.paid}, {@code order.cancelled} or
 * {@code order.expired}. {@code journalSeq} is the bucket's write count it was journaled with.
 */
public record OrderEnded(
        String orderId,
        String shopperId,
        PurchaseStatus status,
        int quantity,
        long endedAtMillis,
        String paymentId,
        long journalSeq) {
}
