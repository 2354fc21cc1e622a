package dev.flashsale.api.purchase;

import java.time.Instant;

import dev.flashsale.purchase.Purchase;

/**
 * An order as its shopper sees it. {@code expiresAt} is when an unpaid reservation lapses;
 * {@code endedAt} when it was paid, cancelled or expired (null before).
 */
public record OrderView(String orderId, String saleId, int quantity, String status, Instant expiresAt, Instant endedAt) {

    public static OrderView of(String saleId, Purchase order) {
        return new OrderView(order.orderId(), saleId, order.quantity(), order.status().name(),
                order.isPending() ? null : order.expiresAt(),
                order.status().isFinal() ? Instant.ofEpochMilli(order.endedAtMillis()) : null);
    }
}
