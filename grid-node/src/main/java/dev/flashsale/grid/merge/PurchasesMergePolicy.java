package dev.flashsale.grid.merge;

import dev.flashsale.purchase.Purchases;

/**
 * Merges a shopper's orders from the two sides of a network split: every order either side
 * has is kept, and an order both have keeps its furthest state ({@link Purchases#merge}). A
 * shopper who bought on both sides may end above the sale's limit: reconciliation counts such
 * shoppers ({@code shoppersAboveLimit}).
 */
public final class PurchasesMergePolicy extends ValueMergePolicy<Purchases> {

    @Override
    Purchases merge(Purchases ours, Purchases theirs) {
        return ours.merge(theirs);
    }
}
