package dev.flashsale.purchase;

import java.util.Map;

import com.hazelcast.map.EntryProcessor;

/**
 * Marks the final states of {@code orderIds}, which MySQL shows, as recorded: the sweep stops
 * sending their events. A register that only turns true: a repeat changes nothing.
 */
public record MarkRecorded(String[] orderIds) implements EntryProcessor<ShopperKey, Purchases, Boolean> {

    @Override
    public Boolean process(Map.Entry<ShopperKey, Purchases> entry) {
        Purchases purchases = entry.getValue();
        if (purchases == null) {
            return false;
        }
        Purchases after = purchases;
        for (Purchase order : purchases.orders()) {
            if (order.awaitsRecording() && contains(order.orderId())) {
                after = after.with(order.asRecorded());
            }
        }
        if (after == purchases) {
            return false;
        }
        entry.setValue(after);
        return true;
    }

    private boolean contains(String orderId) {
        for (String recorded : orderIds) {
            if (recorded.equals(orderId)) {
                return true;
            }
        }
        return false;
    }
}
