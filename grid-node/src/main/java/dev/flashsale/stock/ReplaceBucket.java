package dev.flashsale.stock;

import java.util.Map;

import com.hazelcast.map.EntryProcessor;

/**
 * The backup half of {@link ReserveStock} and {@link FenceBucket}: the backup replica takes
 * the owner's new value as it is, so the two can never differ, whatever the owner read from
 * its own member (its id, its configuration).
 */
public record ReplaceBucket<R>(StockBucket value) implements EntryProcessor<StockKey, StockBucket, R> {

    @Override
    public R process(Map.Entry<StockKey, StockBucket> entry) {
        entry.setValue(value);
        return null;
    }
}
