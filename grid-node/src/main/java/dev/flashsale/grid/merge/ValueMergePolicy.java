package dev.flashsale.grid.merge;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.spi.merge.MergingValue;
import com.hazelcast.spi.merge.SplitBrainMergePolicy;

/**
 * A merge policy that combines the two values of an entry that a network split let both
 * sides write, as the value type knows how to ({@link #merge(Object, Object)}). An entry only
 * one side has is kept as it is. Stateless: nothing to serialize.
 */
abstract class ValueMergePolicy<V> implements SplitBrainMergePolicy<V, MergingValue<V>, Object> {

    @Override
    public final Object merge(MergingValue<V> merging, MergingValue<V> existing) {
        V theirs = merging.getDeserializedValue();
        V ours = existing == null ? null : existing.getDeserializedValue();
        if (ours == null) {
            return theirs;
        }
        return theirs == null ? ours : merge(ours, theirs);
    }

    /** The two sides' values as one: {@code ours} from the larger side, {@code theirs} from the smaller. */
    abstract V merge(V ours, V theirs);

    @Override
    public final void writeData(ObjectDataOutput out) {
        // no state
    }

    @Override
    public final void readData(ObjectDataInput in) {
        // no state
    }
}
