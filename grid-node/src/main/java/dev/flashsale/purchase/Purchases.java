package dev.flashsale.purchase;

import java.util.Arrays;

/**
 * A shopper's orders in one sale. Every order in here holds its units against the sale's
 * per-shopper limit; an order whose claim is released leaves the array.
 */
public record Purchases(Purchase[] orders, long pendingLeaseEnd) {

    public static final Purchases NONE = of(new Purchase[0]);

    /**
     * These orders, with {@code pendingLeaseEnd}: when the lease of the oldest pending claim
     * among them ends, rounded up to the whole second, or {@link Long#MAX_VALUE} if none is
     * pending. It is a field, not a method, because queries on Compact values see fields only:
     * settlement looks entries up by it (a sorted index of the purchases map), then reads each
     * order's exact lease. Rounded, the claims of one second share one key of that index, so a
     * claim and its confirmation add and remove an entry under a key that is there already,
     * instead of a key of their own in the index's skip list each.
     */
    static Purchases of(Purchase[] orders) {
        long end = Long.MAX_VALUE;
        for (Purchase order : orders) {
            if (order.isPending()) {
                end = Math.min(end, order.leaseUntilMillis());
            }
        }
        return new Purchases(orders, end == Long.MAX_VALUE ? end : Math.floorDiv(end + 999, 1_000) * 1_000);
    }

    public Purchase find(String orderId) {
        for (Purchase order : orders) {
            if (order.orderId().equals(orderId)) {
                return order;
            }
        }
        return null;
    }

    /**
     * These orders merged with the same shopper's orders from the other side of a network
     * split: every order of either side is kept, and one both have keeps its furthest state
     * (a reservation is never undone by a merge).
     */
    public Purchases merge(Purchases other) {
        Purchases merged = this;
        for (Purchase theirs : other.orders) {
            Purchase ours = merged.find(theirs.orderId());
            if (ours == null || (ours.isPending() && !theirs.isPending())) {
                merged = merged.with(theirs);
            }
        }
        return merged;
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
                return of(replaced);
            }
        }
        Purchase[] added = Arrays.copyOf(orders, orders.length + 1);
        added[orders.length] = order;
        return of(added);
    }

    Purchases without(String orderId) {
        return of(Arrays.stream(orders)
                .filter(order -> !order.orderId().equals(orderId))
                .toArray(Purchase[]::new));
    }
}
