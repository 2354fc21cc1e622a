package dev.flashsale.api.sales;

import java.util.Map;

import dev.flashsale.stock.StockLevel;

/** How a sale's stock is split over its buckets when ops change it. Pure. */
final class StockPlans {

    private StockPlans() {
    }

    /**
     * Each bucket's new wanted stock so that the sale puts {@code wanted} units on sale in all.
     * A top-up adds the new units, spread evenly; a withdrawal takes units that are available,
     * spread evenly, and what it cannot take (orders hold it) from the buckets' wanted stock, so
     * that they take it as units come back. No plan moves available units from one bucket to
     * another: purchases that land between two buckets' steps can then never sell more than
     * either the old or the new plan puts on sale.
     */
    static int[] targets(int wanted, Map<Integer, StockLevel> buckets) {
        int count = buckets.size();
        int[] targets = new int[count];
        long onSale = 0;
        for (int i = 0; i < count; i++) {
            targets[i] = buckets.get(i).stock();
            onSale += targets[i];
        }
        if (wanted >= onSale) {
            long added = wanted - onSale;
            for (int i = 0; i < count; i++) {
                targets[i] += (int) (added / count + (i < added % count ? 1 : 0));
            }
            return targets;
        }
        long cut = onSale - wanted;
        // units that are available first, an even share each, then whatever is left where it is
        long share = cut / count;
        for (int i = 0; i < count && cut > 0; i++) {
            long take = Math.min(Math.min(share, cut), Math.max(0, buckets.get(i).available()));
            targets[i] -= (int) take;
            cut -= take;
        }
        for (int i = 0; i < count && cut > 0; i++) {
            long left = Math.max(0, buckets.get(i).available()) - (buckets.get(i).stock() - targets[i]);
            long take = Math.min(cut, Math.max(0, left));
            targets[i] -= (int) take;
            cut -= take;
        }
        // the rest (a shortfall) from the wanted stock of the buckets whose orders hold it
        for (int i = 0; i < count && cut > 0; i++) {
            long take = Math.min(cut, targets[i]);
            targets[i] -= (int) take;
            cut -= take;
        }
        return targets;
    }
}
