package dev.flashsale.grid.merge;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.spi.merge.MergingValue;
import com.hazelcast.spi.merge.SplitBrainMergePolicy;

import dev.flashsale.purchase.Purchases;

/**
 * Merges a shopper's orders from the two sides of a network split: every order either side
 * has is kept, and an order both have keeps its furthest state ({@link Purchases#merge}). A
 * shopper who bought on both sides may end above the sale's limit: reconciliation reports it.
 */
public final class PurchasesMergePolicy implements SplitBrainMergePolicy<Purchases, MergingValue<Purchases>, Object> {

    @Override
    public Object merge(MergingValue<Purchases> merging, MergingValue<Purchases> existing) {
        Purchases theirs = merging.getDeserializedValue();
        Purchases ours = existing == null ? null : existing.getDeserializedValue();
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
