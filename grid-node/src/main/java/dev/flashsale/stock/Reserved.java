package dev.flashsale.stock;

import java.math.BigDecimal;

/**
 * A reservation a bucket made: what the outbox turns into an {@code order.reserved} event.
 * {@code slot} (the member that made it) and {@code journalSeq} (the bucket's write count it
 * was made with) name it uniquely, also across the two sides of a network split: a
 * re-executed processor that took a second unit for the same order makes a second, distinct
 * reservation, which MySQL sees and gives back.
 */
public record Reserved(
        String orderId,
        String shopperId,
        int quantity,
        BigDecimal unitPrice,
        long reservedAtMillis,
        long expiresAtMillis,
        String slot,
        long journalSeq) {
}
