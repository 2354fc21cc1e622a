package dev.flashsale.grid.merge;

import dev.flashsale.sale.Sale;

/** Merges a sale from the two sides of a network split: the version ops scheduled last wins. */
public final class SalesMergePolicy extends ValueMergePolicy<Sale> {

    @Override
    Sale merge(Sale ours, Sale theirs) {
        return ours.scheduledAtMillis() >= theirs.scheduledAtMillis() ? ours : theirs;
    }
}
