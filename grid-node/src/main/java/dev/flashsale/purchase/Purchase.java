package dev.flashsale.purchase;

import java.time.Instant;

/**
 * One order of a shopper in a sale. {@code bucket} and {@code expiresAtMillis} are set once
 * a bucket reserved the units ({@link PurchaseStatus#RESERVED}); they are -1 and 0 before.
 */
public record Purchase(
        String orderId,
        int quantity,
        PurchaseStatus status,
        long claimedAtMillis,
        int bucket,
        long expiresAtMillis) {

    static Purchase pending(String orderId, int quantity, long now) {
        return new Purchase(orderId, quantity, PurchaseStatus.PENDING, now, -1, 0);
    }

    Purchase reserved(int bucket, long expiresAtMillis) {
        return new Purchase(orderId, quantity, PurchaseStatus.RESERVED, claimedAtMillis, bucket, expiresAtMillis);
    }

    public boolean isPending() {
        return status == PurchaseStatus.PENDING;
    }

    public Instant expiresAt() {
        return Instant.ofEpochMilli(expiresAtMillis);
    }
}
