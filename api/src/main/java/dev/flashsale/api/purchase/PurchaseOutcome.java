package dev.flashsale.api.purchase;

import dev.flashsale.purchase.Purchase;

/** The one definite answer to a purchase. Losing is an answer, not a failure. */
public sealed interface PurchaseOutcome {

    /** The shopper holds the units of {@code order} (now, or from an earlier try with the same key). */
    record Won(String saleId, Purchase order) implements PurchaseOutcome {
    }

    /** The shopper's earlier orders use the sale's per-shopper limit; {@code orderId} is the first. */
    record AlreadyPurchased(String orderId) implements PurchaseOutcome {
    }

    /** The shopper cancelled or let expire as many orders of this sale as one may: no new one. */
    record TooManyGivenBack() implements PurchaseOutcome {
    }

    /** Every bucket of the sale is empty. */
    record SoldOut() implements PurchaseOutcome {
    }

    /** Units remain, but no bucket holds as many as were asked for. */
    record NotEnoughStock(int mostInOneBucket) implements PurchaseOutcome {
    }

    /**
     * Whether this order holds units is not known yet: an earlier try with this key is still
     * running, or was cut off and awaits settlement, which decides it within seconds.
     */
    record Pending(String orderId) implements PurchaseOutcome {
    }

    /** The sale's event path is behind, and the buckets take no more until it catches up. */
    record Busy() implements PurchaseOutcome {
    }

    /** The idempotency key was used before for a different quantity. */
    record KeyReused(String orderId) implements PurchaseOutcome {
    }
}
