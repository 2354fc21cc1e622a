package dev.flashsale.stock;

import java.util.Map;

import com.hazelcast.core.ReadOnly;
import com.hazelcast.map.EntryProcessor;

/** Reads a bucket's counters without moving its (possibly large) value over the wire. */
public record ReadStock() implements EntryProcessor<StockKey, StockBucket, StockLevel>, ReadOnly {

    @Override
    public StockLevel process(Map.Entry<StockKey, StockBucket> entry) {
        StockBucket bucket = entry.getValue();
        return bucket == null ? StockLevel.NONE : new StockLevel(bucket.stock(), bucket.available());
    }
}
