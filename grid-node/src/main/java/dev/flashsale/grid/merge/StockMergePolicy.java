package dev.flashsale.grid.merge;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.spi.merge.MergingValue;
import com.hazelcast.spi.merge.SplitBrainMergePolicy;

import dev.flashsale.stock.StockBucket;

/**
 * Merges the two values of a bucket that a network split let both sides write: no unit taken
 * on either side is forgotten ({@link StockBucket#merge}). If both sides sold the same units,
 * the merged bucket shows fewer than zero available: the oversell the split caused, which
 * reconciliation reports with the orders concerned, never silently drops.
 */
public final class StockMergePolicy implements SplitBrainMergePolicy<StockBucket, MergingValue<StockBucket>, Object> {

    @Override
    public Object merge(MergingValue<StockBucket> merging, MergingValue<StockBucket> existing) {
        StockBucket theirs = merging.getDeserializedValue();
        StockBucket ours = existing == null ? null : existing.getDeserializedValue();
        if (ours == null) {
            return theirs;
        }
        return theirs == null ? ours : ours.merge(theirs);
    }

    @Override
    public void writeData(ObjectDataOutput out) {
        // no state
    }

    @Override
    public void readData(ObjectDataInput in) {
        // no state
    }
}
