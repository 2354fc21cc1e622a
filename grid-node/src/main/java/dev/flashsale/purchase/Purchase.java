package dev.flashsale.purchase;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * One order of a shopper in a sale.
 *
 * <p>{@code PENDING}: an attempt ({@code attemptId}) holds the claim and may take units from
 * the buckets until {@code leaseUntilMillis}. Only that attempt ever calls the buckets for the
 * order; once the lease ends, only settlement decides the order (see {@link PurchaseStatus}).
 * {@code bucket} and {@code expiresAtMillis} are set once a bucket reserved the units
 * ({@code RESERVED}); they are -1 and 0 before.
 *
 * <p>{@code unitPrice} is the price the order was reserved at (null before, and on orders
 * from before it was kept): a payment must pay it for every unit.
 *
 * <p>A final state ({@code PAID}, {@code CANCELLED}, {@code EXPIRED}) is set once, at
 * {@code endedAtMillis}, with the payment that paid it ({@code paymentId}, null otherwise).
 * Its event is journaled by the order's bucket ({@code RecordEnding}), which is a second
 * step on another key: {@code recorded} turns true once MySQL shows the final state, and
 * until then the order sweep sends the event again. Every decision depends only on the
 * serialized fields and the call, so owner and backup decide alike.
 */
public record Purchase(
        String orderId,
        int quantity,
        PurchaseStatus status,
        long claimedAtMillis,
        String attemptId,
        long leaseUntilMillis,
        int bucket,
        long expiresAtMillis,
        long endedAtMillis,
        String paymentId,
        boolean recorded,
        BigDecimal unitPrice) {

    /**
     * How long an attempt may take units for its order. Long enough for a purchase's calls
     * under load (they take milliseconds), short enough that settlement decides an attempt cut
     * off by a crash within seconds. It is a property of the grid, not of any API node, so two
     * nodes can never disagree about it.
     */
    public static final long ATTEMPT_LEASE_MILLIS = 10_000;

    static Purchase pending(String orderId, int quantity, long now, String attemptId) {
        return new Purchase(orderId, quantity, PurchaseStatus.PENDING, now, attemptId, now + ATTEMPT_LEASE_MILLIS, -1, 0,
                0, null, false, null);
    }

    /**
     * An order as MySQL holds it, for the grid rebuilt after a full restart: reserved (or in its
     * final state, which MySQL shows, so recorded), with its bucket, window and price kept.
     */
    public static Purchase rebuilt(String orderId, int quantity, PurchaseStatus status, long reservedAtMillis, int bucket,
                                   long expiresAtMillis, long endedAtMillis, String paymentId, BigDecimal unitPrice) {
        if (status == PurchaseStatus.PENDING) {
            throw new IllegalArgumentException("MySQL holds no pending order: " + orderId);
        }
        return new Purchase(orderId, quantity, status, reservedAtMillis, "rebuilt", reservedAtMillis, bucket, expiresAtMillis,
                status.isFinal() ? endedAtMillis : 0, paymentId, status.isFinal(), unitPrice);
    }

    Purchase reserved(int bucket, long expiresAtMillis, BigDecimal price) {
        return new Purchase(orderId, quantity, PurchaseStatus.RESERVED, claimedAtMillis, attemptId, leaseUntilMillis,
                bucket, expiresAtMillis, 0, null, false, price);
    }

    /** What a payment of this order must come to: the unit price for every unit; null if the price is not known. */
    public BigDecimal amountDue() {
        return unitPrice == null ? null : unitPrice.multiply(BigDecimal.valueOf(quantity));
    }

    /** This reserved order in the final state {@code to}, as of {@code at}. */
    Purchase ended(PurchaseStatus to, long at, String payment) {
        return new Purchase(orderId, quantity, to, claimedAtMillis, attemptId, leaseUntilMillis, bucket, expiresAtMillis,
                at, payment, false, unitPrice);
    }

    Purchase asRecorded() {
        return new Purchase(orderId, quantity, status, claimedAtMillis, attemptId, leaseUntilMillis, bucket, expiresAtMillis,
                endedAtMillis, paymentId, true, unitPrice);
    }

    public boolean isPending() {
        return status == PurchaseStatus.PENDING;
    }

    public boolean isReserved() {
        return status == PurchaseStatus.RESERVED;
    }

    /** A final state that MySQL does not show yet: its event must (still) reach the bucket's journal. */
    public boolean awaitsRecording() {
        return status.isFinal() && !recorded;
    }

    public Instant expiresAt() {
        return Instant.ofEpochMilli(expiresAtMillis);
    }

    /** How far along the order is: a merge keeps the furthest of two copies. */
    int progress() {
        return status.isFinal() ? (recorded ? 3 : 2) : status.ordinal();
    }
}
