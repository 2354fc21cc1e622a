package dev.flashsale.sale;

import java.util.Map;

import com.hazelcast.map.EntryProcessor;

/**
 * Applies a newer version of a sale's MySQL row to the live sale: name, price, window, limits,
 * pause and the stock ops want on sale (the buckets follow by a stock plan). An older or equal
 * version changes nothing. The number of buckets is the sale's for good. {@code now} is the
 * caller's, so owner and backup write the same value. Answers the sale as it now stands (null
 * if there is none).
 */
public record ReviseSale(CatalogRow row, long now) implements EntryProcessor<String, Sale, Sale> {

    @Override
    public Sale process(Map.Entry<String, Sale> entry) {
        Sale sale = entry.getValue();
        if (sale == null || row.version() <= sale.version()) {
            return sale;
        }
        Sale revised = sale.revisedBy(row, now);
        entry.setValue(revised);
        return revised;
    }
}
