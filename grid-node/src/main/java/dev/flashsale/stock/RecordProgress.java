package dev.flashsale.stock;

import java.util.Map;

import com.hazelcast.map.EntryProcessor;

/**
 * Tells a bucket what MySQL has of it: {@code readUpTo}, the newest of its journal events that
 * reached MySQL, and {@code returned}, the units of its duplicate reservations, which the
 * bucket gives back. Both are registers that only grow, so a repeat or a stale report changes
 * nothing, and the backup, running the same, makes the same change.
 */
public record RecordProgress(long readUpTo, int returned) implements EntryProcessor<StockKey, StockBucket, Boolean> {

    @Override
    public Boolean process(Map.Entry<StockKey, StockBucket> entry) {
        StockBucket bucket = entry.getValue();
        if (bucket == null) {
            return false;
        }
        boolean newlyRead = readUpTo > bucket.readUpTo() && bucket.readUpTo() < bucket.lastReservationWrite();
        if (!newlyRead && returned <= bucket.returned()) {
            return false;
        }
        entry.setValue(bucket.progress(Math.max(readUpTo, bucket.readUpTo()), Math.max(returned, bucket.returned())));
        return true;
    }
}
