package dev.flashsale.purchase;

import java.util.Map;

import com.hazelcast.map.EntryProcessor;

/**
 * Claims {@code quantity} units of the shopper's per-sale limit for an order, before any stock
 * is taken. This is where the limit holds across API nodes and buckets: one entry per shopper
 * and sale, changed only on its partition thread.
 *
 * <p>Idempotent per order: running it again for an order already here answers
 * {@code RESUMED} or {@code COMPLETED} and changes nothing.
 */
public record ClaimQuota(String orderId, int quantity, int limit, long now, boolean onlyIfKnown)
        implements EntryProcessor<ShopperKey, Purchases, QuotaClaim> {

    /** Claims quota for a new order. */
    public ClaimQuota(String orderId, int quantity, int limit, long now) {
        this(orderId, quantity, limit, now, false);
    }

    /**
     * Answers for an order this shopper already has, or for the limit, but claims nothing new:
     * what a sold-out sale asks, so that a retry of a won purchase still finds its order.
     */
    public static ClaimQuota ifKnown(String orderId, int quantity, int limit, long now) {
        return new ClaimQuota(orderId, quantity, limit, now, true);
    }

    @Override
    public QuotaClaim process(Map.Entry<ShopperKey, Purchases> entry) {
        Purchases purchases = entry.getValue() == null ? Purchases.NONE : entry.getValue();
        Purchase existing = purchases.find(orderId);
        if (existing != null) {
            if (existing.quantity() != quantity) {
                return new QuotaClaim(QuotaClaim.Outcome.KEY_REUSED, existing);
            }
            return new QuotaClaim(existing.isPending() ? QuotaClaim.Outcome.RESUMED : QuotaClaim.Outcome.COMPLETED, existing);
        }
        if (purchases.unitsHeld() + quantity > limit) {
            return new QuotaClaim(QuotaClaim.Outcome.LIMIT_REACHED, purchases.orders()[0]);
        }
        if (onlyIfKnown) {
            return new QuotaClaim(QuotaClaim.Outcome.NOT_CLAIMED, null);
        }
        Purchase claimed = Purchase.pending(orderId, quantity, now);
        entry.setValue(purchases.with(claimed));
        return new QuotaClaim(QuotaClaim.Outcome.CLAIMED, claimed);
    }
}
