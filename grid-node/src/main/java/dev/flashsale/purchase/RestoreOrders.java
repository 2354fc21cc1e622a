package dev.flashsale.purchase;

import java.util.Map;

import com.hazelcast.map.EntryProcessor;

/**
 * Puts a shopper's orders as MySQL holds them, rebuilt after a full restart, where the grid has
 * no entry for the shopper: an entry the grid still has is newer than MySQL's view of it and
 * stays. Answers whether it put them.
 */
public record RestoreOrders(Purchases orders) implements EntryProcessor<ShopperKey, Purchases, Boolean> {

    @Override
    public Boolean process(Map.Entry<ShopperKey, Purchases> entry) {
        if (entry.getValue() != null) {
            return false;
        }
        entry.setValue(orders);
        return true;
    }
}
