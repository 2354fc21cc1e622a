package dev.flashsale.stock;

import java.math.BigDecimal;

/** A reservation a bucket made: what the outbox turns into an {@code order.reserved} event. */
public record Reserved(
        String orderId,
        String shopperId,
        int quantity,
        BigDecimal unitPrice,
        long reservedAtMillis,
        long expiresAtMillis) {
}
