package dev.flashsale.purchase;

import java.time.Instant;

/**
 * One order of a shopper in a sale.
 *
 * <p>{@code PENDING}: an attempt ({@code attemptId}) holds the claim and may take units from
 * the buckets until {@code leaseUntilMillis}. Only that attempt ever calls the buckets for the
 * order; once the lease ends, only settlement decides the order (see {@link PurchaseStatus}).
 * {@code bucket} and {@code expiresAtMillis} are set once a bucket reserved the units
 * ({@code RESERVED}); they are -1 and 0 before.
 */
public record Purchase(
        String orderId,
        int quantity,
        PurchaseStatus status,
        long claimedAtMillis,
        String attemptId,
        long leaseUntilMillis,
        int bucket,
        long expiresAtMillis) {

    /**
     * How long an attempt may take units for its order. Long enough for a purchase's calls
     * under load (they take milliseconds), short enough that settlement decides an attempt cut
     * off by a crash within seconds. It is a property of the grid, not of any API node, so two
     * nodes can never disagree about it.
     */
    public static final long ATTEMPT_LEASE_MILLIS = 10_000;

    static Purchase pending(String orderId, int quantity, long now, String attemptId) {
        return new Purchase(orderId, quantity, PurchaseStatus.PENDING, now, attemptId, now + ATTEMPT_LEASE_MILLIS, -1, 0);
    }

    Purchase reserved(int bucket, long expiresAtMillis) {
        return new Purchase(orderId, quantity, PurchaseStatus.RESERVED, claimedAtMillis, attemptId, leaseUntilMillis,
                bucket, expiresAtMillis);
    }

    public boolean isPending() {
        return status == PurchaseStatus.PENDING;
    }

    public Instant expiresAt() {
        return Instant.ofEpochMilli(expiresAtMillis);
    }
}
