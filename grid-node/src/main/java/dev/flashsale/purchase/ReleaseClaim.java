package dev.flashsale.purchase;

import java.util.Map;

import com.hazelcast.map.EntryProcessor;

/**
 * Gives back the quota of an order that got no units (the sale sold out). Only a
 * {@code PENDING} claim is released; an order that holds units stays. Answers whether a
 * claim was released; running it again is a no-op.
 */
public record ReleaseClaim(String orderId) implements EntryProcessor<ShopperKey, Purchases, Boolean> {

    @Override
    public Boolean process(Map.Entry<ShopperKey, Purchases> entry) {
        Purchases purchases = entry.getValue();
        Purchase existing = purchases == null ? null : purchases.find(orderId);
        if (existing == null || !existing.isPending()) {
            return false;
        }
        Purchases rest = purchases.without(orderId);
        entry.setValue(rest.orders().length == 0 ? null : rest);
        return true;
    }
}
