package dev.flashsale.purchase;

/** What {@link ClaimQuota} answered, with the order it is about. */
public record QuotaClaim(Outcome outcome, Purchase order) {

    public enum Outcome {
        /** A new order claimed its units against the limit; take them from the stock next. */
        CLAIMED,
        /** This order was claimed before and its units may or may not be taken yet: take them (idempotently). */
        RESUMED,
        /** This order already holds its units: answer it again. */
        COMPLETED,
        /** The shopper's other orders already use the limit; {@code order} is the first of them. */
        LIMIT_REACHED,
        /** The same idempotency key was used before for a different quantity. */
        KEY_REUSED,
        /** A new order, not claimed because the caller asked only about known ones; {@code order} is null. */
        NOT_CLAIMED
    }
}
