package dev.flashsale.api.sales;

import java.util.Map;

import dev.flashsale.stock.StockLevel;

/** How a sale's stock is split over its buckets when ops change it. Pure. */
final class StockPlans {

    private StockPlans() {
    }

    /**
     * Each bucket's new stock so that the sale puts {@code wanted} units on sale in all: every
     * bucket keeps the units it holds for orders, and the units available are spread evenly
     * (the remainder to the first buckets). If the orders hold more than {@code wanted}, every
     * bucket keeps only those: the rest of a withdrawal waits until units come back.
     */
    static int[] targets(int wanted, Map<Integer, StockLevel> buckets) {
        int count = buckets.size();
        int[] targets = new int[count];
        long held = 0;
        for (int i = 0; i < count; i++) {
            targets[i] = buckets.get(i).taken();
            held += targets[i];
        }
        long available = Math.max(0, wanted - held);
        for (int i = 0; i < count; i++) {
            targets[i] += (int) (available / count + (i < available % count ? 1 : 0));
        }
        return targets;
    }
}
