package dev.flashsale.purchase;

import java.util.Arrays;

/**
 * A shopper's orders in one sale. Orders that hold units (pending, reserved, paid) count
 * against the sale's per-shopper limit; a cancelled or expired order stays here, so that its
 * shopper can still read it and a retry of its purchase finds it, but frees its share. An order
 * whose claim is released leaves the array.
 *
 * <p>Bounded: at most {@link #MAX_GIVEN_BACK} orders given back per shopper and sale (a new
 * order past that is refused), so the entry holds at most the limit plus that many orders.
 */
public record Purchases(Purchase[] orders, long nextDeadline) {

    public static final Purchases NONE = of(new Purchase[0]);

    /** Cancelled or expired orders a shopper may have in one sale; past it, a new order is refused. */
    public static final int MAX_GIVEN_BACK = 10;
    /** How long after an order ended the sweep first asks MySQL whether it shows the final state. */
    public static final long RECORDING_CHECK_MILLIS = 2_000;

    /**
     * These orders, with {@code nextDeadline}: the earliest time something must happen to one
     * of them, rounded up to the whole second, or {@link Long#MAX_VALUE} if nothing will. A
     * pending claim's lease ends (settlement decides it), a reservation's payment window ends
     * (the order sweep expires it), a final state not yet shown by MySQL is checked (the sweep
     * sends its event again). It is a field, not a method, because queries on Compact values see
     * fields only: settlement and the sweep look entries up by it (a sorted index of the
     * purchases map), then read each order's exact times. Rounded, the orders of one second
     * share one key of that index, so a claim and its confirmation add and remove an entry under
     * a key that is there already, instead of a key of their own in the index's skip list each.
     */
    static Purchases of(Purchase[] orders) {
        long next = Long.MAX_VALUE;
        for (Purchase order : orders) {
            next = Math.min(next, deadlineOf(order));
        }
        return new Purchases(orders, next == Long.MAX_VALUE ? next : Math.floorDiv(next + 999, 1_000) * 1_000);
    }

    private static long deadlineOf(Purchase order) {
        return switch (order.status()) {
            case PENDING -> order.leaseUntilMillis();
            case RESERVED -> order.expiresAtMillis();
            case PAID, CANCELLED, EXPIRED -> order.recorded() ? Long.MAX_VALUE : order.endedAtMillis() + RECORDING_CHECK_MILLIS;
        };
    }

    /** A shopper's orders as MySQL holds them, for the grid rebuilt after a full restart. */
    public static Purchases rebuilt(Purchase[] orders) {
        return of(orders.clone());
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
     * (a reservation is never undone by a merge, nor a final state; between two final states,
     * which only a split could make, ours stands).
     */
    public Purchases merge(Purchases other) {
        Purchases merged = this;
        for (Purchase theirs : other.orders) {
            Purchase ours = merged.find(theirs.orderId());
            if (ours == null || ours.progress() < theirs.progress() && !(ours.status().isFinal() && ours.status() != theirs.status())) {
                merged = merged.with(theirs);
            }
        }
        return merged;
    }

    /** Units of the orders that count against the limit: pending, reserved and paid. */
    public int unitsHeld() {
        int units = 0;
        for (Purchase order : orders) {
            if (order.status().holdsUnits()) {
                units += order.quantity();
            }
        }
        return units;
    }

    /** The first order that counts against the limit, or null. */
    public Purchase firstHolding() {
        for (Purchase order : orders) {
            if (order.status().holdsUnits()) {
                return order;
            }
        }
        return null;
    }

    int givenBack() {
        int count = 0;
        for (Purchase order : orders) {
            if (order.status().givesUnitsBack()) {
                count++;
            }
        }
        return count;
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
