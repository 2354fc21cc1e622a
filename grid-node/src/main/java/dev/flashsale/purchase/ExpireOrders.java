package dev.flashsale.purchase;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.hazelcast.map.EntryProcessor;

/**
 * Expires every reserved order of the shopper whose payment window ended at or before
 * {@code dueBy}, as of {@code now}: the sweep's times, part of the call, so the backup decides
 * the same. The sweep passes a {@code dueBy} a little before its clock, so that a node whose
 * clock runs ahead does not cut windows short. Answers the orders it expired, whose events
 * their buckets must now journal; none if it ran before, or a payment or cancel came first.
 */
public record ExpireOrders(long dueBy, long now) implements EntryProcessor<ShopperKey, Purchases, ExpireOrders.Expired> {

    /** Expires what is due at {@code now}. */
    public ExpireOrders(long now) {
        this(now, now);
    }

    private static final Purchase[] NONE = new Purchase[0];

    /** The orders one call expired. */
    public record Expired(Purchase[] orders) {
    }

    @Override
    public Expired process(Map.Entry<ShopperKey, Purchases> entry) {
        Purchases purchases = entry.getValue();
        if (purchases == null) {
            return new Expired(NONE);
        }
        List<Purchase> expired = new ArrayList<>();
        Purchases after = purchases;
        for (Purchase order : purchases.orders()) {
            if (order.isReserved() && order.expiresAtMillis() <= dueBy) {
                Purchase ended = order.ended(PurchaseStatus.EXPIRED, now, null);
                after = after.with(ended);
                expired.add(ended);
            }
        }
        if (!expired.isEmpty()) {
            entry.setValue(after);
        }
        return new Expired(expired.toArray(NONE));
    }
}
