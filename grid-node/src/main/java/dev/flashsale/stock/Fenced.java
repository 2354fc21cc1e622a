package dev.flashsale.stock;

import java.util.UUID;

/**
 * What a {@link FenceBucket} answered: whether the fence holds, and what the bucket had written
 * by then: {@code writes}, its write count, and per member (slot, two longs each in
 * {@code slotIds}) the reservations it had made. Every reservation made before the fence
 * carries a write count of at most {@code writes}; every one made after it, more.
 */
public record Fenced(boolean fenced, long writes, long[] slotIds, int[] slotReservations) {

    private static final long[] NO_IDS = new long[0];
    private static final int[] NO_COUNTS = new int[0];

    static Fenced of(boolean fenced, StockBucket bucket) {
        return bucket == null
                ? new Fenced(fenced, 0, NO_IDS, NO_COUNTS)
                : new Fenced(fenced, bucket.writes(), bucket.slotIds(), bucket.slotReservations());
    }

    /** The reservations the bucket had made, over every member. */
    public long reservations() {
        long count = 0;
        for (int slotReservation : slotReservations) {
            count += slotReservation;
        }
        return count;
    }

    /** Member {@code index}'s id. */
    public UUID slot(int index) {
        return new UUID(slotIds[2 * index], slotIds[2 * index + 1]);
    }
}
