package dev.flashsale.stock;

import java.util.Map;

import com.hazelcast.map.EntryProcessor;

/**
 * The backup half of a {@link ReserveStock}: the backup replica takes the owner's new value
 * as it is, so the two can never differ, whatever the owner read from its own member.
 */
public record ReplaceBucket(StockBucket value) implements EntryProcessor<StockKey, StockBucket, Reservation> {

    @Override
    public Reservation process(Map.Entry<StockKey, StockBucket> entry) {
        entry.setValue(value);
        return null;
    }
}
