package dev.flashsale.sale;

import java.util.Map;

import com.hazelcast.map.EntryProcessor;

/**
 * Numbers a new stock plan of the sale, if the sale is still at {@code version} and its current
 * plan still {@code current}: of two planners working from the same plan, or one working from an
 * older version of the sale, one gets the next number and the other -1 (it plans again from
 * what it finds). The buckets apply a plan only if it is newer than theirs.
 */
public record NextStockPlan(long version, long current) implements EntryProcessor<String, Sale, Long> {

    @Override
    public Long process(Map.Entry<String, Sale> entry) {
        Sale sale = entry.getValue();
        if (sale == null || sale.version() != version || sale.stockPlan() != current) {
            return -1L;
        }
        entry.setValue(sale.withStockPlan(current + 1));
        return current + 1;
    }
}
