package dev.flashsale.purchase;

/**
 * What {@link EndOrder} answered, with the order as it now stands. {@code journal} is true
 * when this call set the order's final state, whose event its bucket must now journal
 * ({@code RecordEnding}); a repeat of the call answers the same state with {@code journal} false.
 */
public record Ending(Outcome outcome, Purchase order, boolean journal) {

    public enum Outcome {
        /** The order is in the asked state: set by this call, or by an earlier one (the same payment, a repeated cancel). */
        DONE,
        /** The order is in another final state (paid, cancelled or expired, or paid by another payment). */
        REFUSED,
        /** A payment of another amount than the order's due: nothing was changed. */
        WRONG_AMOUNT,
        /** The order's claim is still pending: nothing was changed; ask again once it is settled. */
        PENDING,
        /** The shopper has no such order in this sale. */
        UNKNOWN
    }

    static Ending unknown() {
        return new Ending(Outcome.UNKNOWN, null, false);
    }
}
