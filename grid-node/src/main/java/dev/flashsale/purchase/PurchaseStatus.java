package dev.flashsale.purchase;

public enum PurchaseStatus {
    /** Quota claimed for the order; its unit is being taken from a bucket. */
    PENDING,
    /** A unit is taken for the order; it awaits payment until {@code expiresAt}. */
    RESERVED
}
