package dev.flashsale.grid.merge;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.spi.merge.MergingValue;
import com.hazelcast.spi.merge.SplitBrainMergePolicy;

import dev.flashsale.sale.Sale;

/** Merges a sale from the two sides of a network split: the version ops scheduled last wins. */
public final class SalesMergePolicy implements SplitBrainMergePolicy<Sale, MergingValue<Sale>, Object> {

    @Override
    public Object merge(MergingValue<Sale> merging, MergingValue<Sale> existing) {
        Sale theirs = merging.getDeserializedValue();
        Sale ours = existing == null ? null : existing.getDeserializedValue();
        if (ours == null) {
            return theirs;
        }
        return theirs == null || ours.scheduledAtMillis() >= theirs.scheduledAtMillis() ? ours : theirs;
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
