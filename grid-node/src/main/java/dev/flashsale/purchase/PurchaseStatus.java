package dev.flashsale.purchase;

/**
 * Where an order stands. It moves only forward: PENDING to RESERVED (or released), then
 * RESERVED to exactly one of PAID, CANCELLED or EXPIRED, which are final.
 */
public enum PurchaseStatus {
    /**
     * Quota claimed for the order; its attempt is taking units from a bucket. If the attempt's
     * answer is lost, settlement decides the order from the reservation events once its lease
     * ended: RESERVED if a bucket took units for it, released if none did.
     */
    PENDING,
    /** A unit is taken for the order; it awaits payment until {@code expiresAt}. */
    RESERVED,
    /** Paid within the payment window: sold. */
    PAID,
    /** Cancelled by the shopper before paying: its units go back to the sale. */
    CANCELLED,
    /** Not paid within the payment window: its units go back to the sale. */
    EXPIRED;

    /** Whether an order in this state counts against the shopper's limit and holds its units. */
    public boolean holdsUnits() {
        return this == PENDING || this == RESERVED || this == PAID;
    }

    public boolean isFinal() {
        return this == PAID || this == CANCELLED || this == EXPIRED;
    }

    /** Whether the order's units go back to the sale: it left RESERVED without payment. */
    public boolean givesUnitsBack() {
        return this == CANCELLED || this == EXPIRED;
    }
}
