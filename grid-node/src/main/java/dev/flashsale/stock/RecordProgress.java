package dev.flashsale.stock;

import java.util.Map;

import com.hazelcast.map.EntryProcessor;

/**
 * Tells a bucket what MySQL has of it: {@code readUpTo}, the newest of its journal events that
 * reached MySQL, and {@code returned}, the units of its duplicate reservations, which the
 * bucket gives back (an event: {@code stock.returned}, as of {@code at}, the caller's time).
 * Both are registers that only grow, so a repeat or a stale report changes nothing, and the
 * backup, running the same, makes the same change. Answers how many
 * reservations the bucket counts (null without the bucket), so that settlement can tell a
 * bucket that counts fewer than MySQL holds ({@link RaiseSlotCounts}).
 */
public record RecordProgress(long readUpTo, int returned, long at) implements EntryProcessor<StockKey, StockBucket, Long> {

    @Override
    public Long process(Map.Entry<StockKey, StockBucket> entry) {
        StockBucket bucket = entry.getValue();
        if (bucket == null) {
            return null;
        }
        boolean newlyRead = readUpTo > bucket.readUpTo() && bucket.readUpTo() < bucket.lastEventWrite();
        if (newlyRead || returned > bucket.returned()) {
            entry.setValue(bucket.progress(Math.max(readUpTo, bucket.readUpTo()), Math.max(returned, bucket.returned()), at));
        }
        return bucket.reservations();
    }
}
