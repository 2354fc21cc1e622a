package dev.flashsale.stock;

import java.util.Map;

import com.hazelcast.map.EntryProcessor;

/**
 * Raises a bucket's per-member counts of reservations and units to what MySQL holds of it.
 *
 * <p>MySQL can only hold reservations the bucket's journal recorded, so it holds more of a
 * slot than the bucket counts in one case only: the owner answered a reservation whose backup
 * never arrived (past the backup's acknowledgement timeout) and then died, and the promoted
 * backup came without it. The unit was sold and its order is in MySQL, yet the bucket would
 * offer it again. Settlement sends this when it sees MySQL ahead of the bucket; the counts are
 * registers that only grow, so a repeat or a stale one changes nothing, and the backup, running
 * the same, makes the same change. {@code slotIds} holds each slot as two longs. The bucket's
 * write count is raised to {@code newestWrite}, the newest MySQL holds, too: a fence then
 * answers a write count that covers the reservations it counts.
 */
public record RaiseSlotCounts(long[] slotIds, int[] reservations, int[] units, long newestWrite)
        implements EntryProcessor<StockKey, StockBucket, Boolean> {

    @Override
    public Boolean process(Map.Entry<StockKey, StockBucket> entry) {
        StockBucket bucket = entry.getValue();
        if (bucket == null) {
            return false;
        }
        StockBucket raised = bucket.withCountsAtLeast(slotIds, reservations, units, newestWrite);
        if (raised == bucket) {
            return false;
        }
        entry.setValue(raised);
        return true;
    }
}
