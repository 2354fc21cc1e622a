package dev.flashsale.purchase;

import java.util.Map;

import com.hazelcast.map.EntryProcessor;

/**
 * Gives back the quota of an order that got no units: the attempt saw every bucket refuse
 * (the sale sold out), or settlement found no reservation for it. Only a {@code PENDING} claim
 * whose lease ends at or before {@code leaseUpTo} is released; an order that holds units
 * stays. Answers whether a claim was released; running it again is a no-op.
 */
public record ReleaseClaim(String orderId, String attemptId, long leaseUpTo)
        implements EntryProcessor<ShopperKey, Purchases, Boolean> {

    /** Settlement's release: any attempt's claim whose lease it fenced. */
    public ReleaseClaim(String orderId, long leaseUpTo) {
        this(orderId, null, leaseUpTo);
    }

    /**
     * The attempt's own release, whatever its lease, but only of its own claim: an attempt that
     * stalled past its lease must not release the claim of the next attempt at the order.
     */
    public static ReleaseClaim byItsAttempt(String orderId, String attemptId) {
        return new ReleaseClaim(orderId, attemptId, Long.MAX_VALUE);
    }

    @Override
    public Boolean process(Map.Entry<ShopperKey, Purchases> entry) {
        Purchases purchases = entry.getValue();
        Purchase existing = purchases == null ? null : purchases.find(orderId);
        if (existing == null || !existing.isPending() || existing.leaseUntilMillis() > leaseUpTo
                || (attemptId != null && !attemptId.equals(existing.attemptId()))) {
            return false;
        }
        Purchases rest = purchases.without(orderId);
        entry.setValue(rest.orders().length == 0 ? null : rest);
        return true;
    }
}
