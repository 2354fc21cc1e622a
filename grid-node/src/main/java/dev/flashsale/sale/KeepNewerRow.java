package dev.flashsale.sale;

import java.util.Map;

import com.hazelcast.map.EntryProcessor;

/**
 * Puts a sale's row in the catalog mirror unless the mirror has a newer version already: a
 * replayed or late copy of an older row changes nothing, and running this twice (a sink
 * re-applying after a member's death) is harmless.
 */
public record KeepNewerRow(CatalogRow row) implements EntryProcessor<String, CatalogRow, Boolean> {

    @Override
    public Boolean process(Map.Entry<String, CatalogRow> entry) {
        CatalogRow mirrored = entry.getValue();
        if (mirrored != null && mirrored.version() >= row.version()) {
            return false;
        }
        entry.setValue(row);
        return true;
    }
}
