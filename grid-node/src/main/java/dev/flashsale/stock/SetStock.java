package dev.flashsale.stock;

import java.util.Map;

import com.hazelcast.map.EntryProcessor;

/**
 * Sets the units this bucket puts on sale, by stock plan {@code plan}: to {@code target}, but
 * never below the units it holds for orders (reserved or paid): a withdrawal takes only what is
 * available, and the rest as units come back (the bucket keeps {@code target} as what it is
 * wanted to hold, and puts no returned unit on sale until it is down to it). Absolute, not a
 * difference, and applied only by a plan newer than the bucket's: a plan sent again, or late,
 * changes nothing, so a top-up is counted once however often its change arrives. Answers the
 * bucket's stock level after (null without the bucket).
 */
public record SetStock(long plan, int target) implements EntryProcessor<StockKey, StockBucket, StockLevel> {

    @Override
    public StockLevel process(Map.Entry<StockKey, StockBucket> entry) {
        StockBucket bucket = entry.getValue();
        if (bucket == null) {
            return null;
        }
        if (plan > bucket.stockPlan()) {
            bucket = bucket.puttingOnSale(target, plan);
            entry.setValue(bucket);
        }
        return new StockLevel(bucket.stock(), bucket.available());
    }
}
