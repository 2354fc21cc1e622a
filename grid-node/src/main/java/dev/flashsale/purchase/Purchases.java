package dev.flashsale.purchase;

import java.util.Arrays;

/**
 * A shopper's orders in one sale. Every order in here holds its units against the sale's
 * per-shopper limit; an order whose claim is released leaves the array.
 */
public record Purchases(Purchase[] orders) {

    public static final Purchases NONE = new Purchases(new Purchase[0]);

    public Purchase find(String orderId) {
        for (Purchase order : orders) {
            if (order.orderId().equals(orderId)) {
                return order;
            }
        }
        return null;
    }

    /**
     * When the lease of the oldest pending claim here ends, or {@link Long#MAX_VALUE} if no
     * claim is pending: what settlement looks entries up by (an index of the purchases map).
     */
    public long getPendingLeaseEnd() {
        long end = Long.MAX_VALUE;
        for (Purchase order : orders) {
            if (order.isPending()) {
                end = Math.min(end, order.leaseUntilMillis());
            }
        }
        return end;
    }

    public int unitsHeld() {
        int units = 0;
        for (Purchase order : orders) {
            units += order.quantity();
        }
        return units;
    }

    /** This shopper's orders with {@code order} added, or replacing the order with the same id. */
    Purchases with(Purchase order) {
        for (int i = 0; i < orders.length; i++) {
            if (orders[i].orderId().equals(order.orderId())) {
                Purchase[] replaced = orders.clone();
                replaced[i] = order;
                return new Purchases(replaced);
            }
        }
        Purchase[] added = Arrays.copyOf(orders, orders.length + 1);
        added[orders.length] = order;
        return new Purchases(added);
    }

    Purchases without(String orderId) {
        return new Purchases(Arrays.stream(orders)
                .filter(order -> !order.orderId().equals(orderId))
                .toArray(Purchase[]::new));
    }
}
