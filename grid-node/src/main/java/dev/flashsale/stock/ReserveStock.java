package dev.flashsale.stock;

import java.util.Map;

import com.hazelcast.map.EntryProcessor;

/**
 * Takes {@code quantity} units from one stock bucket for an order, in one atomic step on the
 * partition thread that owns the bucket.
 *
 * <p>Idempotent per order: Hazelcast runs an entry processor at least once (a member that dies
 * mid-call makes the caller retry on the new owner), so a second run for the same order within
 * the replay window answers "won" again without taking another unit. The backup runs the same
 * processor on the same state and so makes the same change; {@code now} is an argument, never
 * read from a clock here, for exactly that reason.
 */
public record ReserveStock(String orderId, int quantity, long now, long replayWindowMillis)
        implements EntryProcessor<StockKey, StockBucket, Reservation> {

    @Override
    public Reservation process(Map.Entry<StockKey, StockBucket> entry) {
        StockBucket bucket = entry.getValue();
        if (bucket == null) {
            return Reservation.insufficient(0);
        }
        if (bucket.hasReserved(orderId)) {
            return Reservation.won(bucket.available());
        }
        if (bucket.available() < quantity) {
            return Reservation.insufficient(bucket.available());
        }
        StockBucket after = bucket.reserve(orderId, quantity, now, now - replayWindowMillis);
        entry.setValue(after);
        return Reservation.won(after.available());
    }
}
