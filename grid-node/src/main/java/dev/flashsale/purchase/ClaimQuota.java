package dev.flashsale.purchase;

import java.util.Map;

import com.hazelcast.map.EntryProcessor;

/**
 * Claims {@code quantity} units of the shopper's per-sale limit for an order, before any stock
 * is taken. This is where the limit holds across API nodes and buckets: one entry per shopper
 * and sale, changed only on its partition thread.
 *
 * <p>Idempotent per order: running it again for an order already here changes nothing and
 * answers {@code CLAIMED} to the attempt that holds the claim (its own call, sent again),
 * {@code IN_PROGRESS} to any other, {@code COMPLETED} once the order was reserved (whatever
 * became of it since: a retry of a cancelled order finds it cancelled, and buys nothing new).
 */
public record ClaimQuota(String orderId, String attemptId, int quantity, int limit, long now, boolean onlyIfKnown)
        implements EntryProcessor<ShopperKey, Purchases, QuotaClaim> {

    /** Claims quota for a new order, for the attempt {@code attemptId}. */
    public ClaimQuota(String orderId, String attemptId, int quantity, int limit, long now) {
        this(orderId, attemptId, quantity, limit, now, false);
    }

    /**
     * Answers for an order this shopper already has, or for the limit, but claims nothing new:
     * what a sold-out sale asks, so that a retry of a won purchase still finds its order.
     */
    public static ClaimQuota ifKnown(String orderId, String attemptId, int quantity, int limit, long now) {
        return new ClaimQuota(orderId, attemptId, quantity, limit, now, true);
    }

    @Override
    public QuotaClaim process(Map.Entry<ShopperKey, Purchases> entry) {
        Purchases purchases = entry.getValue() == null ? Purchases.NONE : entry.getValue();
        Purchase existing = purchases.find(orderId);
        if (existing != null) {
            if (existing.quantity() != quantity) {
                return new QuotaClaim(QuotaClaim.Outcome.KEY_REUSED, existing);
            }
            if (!existing.isPending()) {
                return new QuotaClaim(QuotaClaim.Outcome.COMPLETED, existing);
            }
            // Only the attempt that made the claim may take units for it: a second attempt
            // (a shopper's retry, the same key on another node) could take a second unit.
            return new QuotaClaim(existing.attemptId().equals(attemptId) && now < existing.leaseUntilMillis()
                    ? QuotaClaim.Outcome.CLAIMED : QuotaClaim.Outcome.IN_PROGRESS, existing);
        }
        if (purchases.unitsHeld() + quantity > limit) {
            return new QuotaClaim(QuotaClaim.Outcome.LIMIT_REACHED, purchases.firstHolding());
        }
        if (purchases.givenBack() >= Purchases.MAX_GIVEN_BACK) {
            return new QuotaClaim(QuotaClaim.Outcome.TOO_MANY_GIVEN_BACK, null);
        }
        if (onlyIfKnown) {
            return new QuotaClaim(QuotaClaim.Outcome.NOT_CLAIMED, null);
        }
        Purchase claimed = Purchase.pending(orderId, quantity, now, attemptId);
        entry.setValue(purchases.with(claimed));
        return new QuotaClaim(QuotaClaim.Outcome.CLAIMED, claimed);
    }
}
