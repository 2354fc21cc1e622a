package dev.flashsale.purchase;

/** What {@link ClaimQuota} answered, with the order it is about. */
public record QuotaClaim(Outcome outcome, Purchase order) {

    public enum Outcome {
        /** This attempt holds the claim (a new order, or its own call sent again): take the units from the stock next. */
        CLAIMED,
        /** Another attempt of this order holds the claim, or its lease ended and settlement has not decided it yet. */
        IN_PROGRESS,
        /** This order already holds its units: answer it again. */
        COMPLETED,
        /** The shopper's other orders already use the limit; {@code order} is the first of them. */
        LIMIT_REACHED,
        /** The shopper gave back {@link Purchases#MAX_GIVEN_BACK} orders of this sale already; {@code order} is null. */
        TOO_MANY_GIVEN_BACK,
        /** The same idempotency key was used before for a different quantity. */
        KEY_REUSED,
        /** A new order, not claimed because the caller asked only about known ones; {@code order} is null. */
        NOT_CLAIMED
    }
}
