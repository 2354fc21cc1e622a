package dev.flashsale.grid.merge;

import dev.flashsale.stock.StockBucket;

/**
 * Merges the two values of a bucket that a network split let both sides write: no unit taken
 * on either side is forgotten ({@link StockBucket#merge}). If both sides sold the same units,
 * the merged bucket shows fewer than zero available: the oversell the split caused, which
 * reconciliation reports with the orders concerned, never silently drops.
 */
public final class StockMergePolicy extends ValueMergePolicy<StockBucket> {

    @Override
    StockBucket merge(StockBucket ours, StockBucket theirs) {
        return ours.merge(theirs);
    }
}
