package dev.flashsale.sale;

import java.math.BigDecimal;

/**
 * A sale as MySQL's {@code sales} row holds it, ops' source of truth, mirrored into the grid by
 * change data capture ({@code Maps.CATALOG}). {@code stock} is the units ops want on sale in
 * all (a top-up or a withdrawal changes it); {@code version} grows with every change of the row
 * (a trigger), so a newer row always wins, whatever order copies of it arrive in.
 */
public record CatalogRow(
        String saleId,
        String name,
        BigDecimal price,
        int stock,
        long startsAtMillis,
        long endsAtMillis,
        int perShopperLimit,
        long paymentWindowSeconds,
        int buckets,
        boolean paused,
        long version) {
}
