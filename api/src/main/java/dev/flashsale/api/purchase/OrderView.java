package dev.flashsale.api.purchase;

import java.time.Instant;

import dev.flashsale.purchase.Purchase;

/** An order as the shopper sees it. {@code expiresAt} is when an unpaid reservation lapses. */
public record OrderView(String orderId, String saleId, int quantity, String status, Instant expiresAt) {

    static OrderView of(String saleId, Purchase order) {
        return new OrderView(order.orderId(), saleId, order.quantity(), order.status().name(),
                order.isPending() ? null : order.expiresAt());
    }
}
