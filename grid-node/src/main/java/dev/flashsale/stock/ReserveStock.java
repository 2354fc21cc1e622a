package dev.flashsale.stock;

import java.math.BigDecimal;
import java.util.Map;
import java.util.UUID;

import com.hazelcast.map.EntryProcessor;

/**
 * Takes {@code quantity} units from one stock bucket for an order, in one atomic step on the
 * partition thread that owns the bucket. The new value carries the reservation
 * ({@link StockBucket#last()}), so the event journal records "unit taken" in the same step
 * that takes it: no crash can separate the two.
 *
 * <p>Idempotent per order: a second run for an order the bucket remembers answers "won" again
 * and takes nothing. A {@code retry} of an order claimed no later than the newest order the
 * bucket has forgotten answers {@code UNKNOWN} and takes nothing. The backup runs the same
 * processor on the same state and so makes the same change; every time is an argument, never
 * read from a clock here, for exactly that reason.
 */
public record ReserveStock(
        String orderId,
        String shopperId,
        int quantity,
        BigDecimal unitPrice,
        long claimedAtMillis,
        long now,
        long expiresAtMillis,
        long replayWindowMillis,
        boolean retry) implements EntryProcessor<StockKey, StockBucket, Reservation> {

    @Override
    public Reservation process(Map.Entry<StockKey, StockBucket> entry) {
        StockBucket bucket = entry.getValue();
        if (bucket == null) {
            return Reservation.insufficient(0);
        }
        UUID id = StockBucket.idOf(orderId);
        if (bucket.hasReserved(id)) {
            return Reservation.won(bucket.available());
        }
        if (retry && claimedAtMillis <= bucket.forgottenUpTo()) {
            return Reservation.unknown(bucket.available());
        }
        if (bucket.available() < quantity) {
            return Reservation.insufficient(bucket.available());
        }
        Reserved reserved = new Reserved(orderId, shopperId, quantity, unitPrice, now, expiresAtMillis);
        StockBucket after = bucket.reserve(reserved, id, claimedAtMillis, now - replayWindowMillis);
        entry.setValue(after);
        return Reservation.won(after.available());
    }

    /** The same reservation, sent again after an attempt whose outcome is unknown. */
    public ReserveStock asRetry() {
        return new ReserveStock(orderId, shopperId, quantity, unitPrice, claimedAtMillis, now,
                expiresAtMillis, replayWindowMillis, true);
    }
}
