package dev.flashsale.grid.merge;

import dev.flashsale.stock.StockBucket;

/**
 * Merges the two values of a bucket after a network split: the larger side's value stands, and
 * the smaller side's is dropped (or kept, if the larger side has none).
 *
 * <p>Exact because the smaller side never acknowledged a reservation (see
 * {@code GridConfig.protectAgainstSplitBrain}): it refuses writes once it notices the split, and
 * before that each of its writes waits for a backup on the other side and fails as
 * indeterminate. What it took anyway was answered "pending" to the shopper, and settlement
 * decides it from the events: one that reached MySQL raises the bucket's counts to MySQL's
 * ({@code RaiseSlotCounts}), and one that did not was never sold. Keeping the smaller side's
 * counts instead would count units whose events went with its journal, and settlement would
 * wait for them forever.
 */
public final class StockMergePolicy extends ValueMergePolicy<StockBucket> {

    @Override
    StockBucket merge(StockBucket ours, StockBucket theirs) {
        return ours;
    }
}
