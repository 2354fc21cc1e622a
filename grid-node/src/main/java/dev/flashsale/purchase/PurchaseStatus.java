package dev.flashsale.purchase;

public enum PurchaseStatus {
    /**
     * Quota claimed for the order; its attempt is taking units from a bucket. If the attempt's
     * answer is lost, settlement decides the order from the reservation events once its lease
     * ended: RESERVED if a bucket took units for it, released if none did.
     */
    PENDING,
    /** A unit is taken for the order; it awaits payment until {@code expiresAt}. */
    RESERVED
}
