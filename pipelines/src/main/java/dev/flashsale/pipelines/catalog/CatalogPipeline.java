package dev.flashsale.pipelines.catalog;

import com.hazelcast.jet.cdc.ChangeRecord;
import com.hazelcast.jet.pipeline.Pipeline;
import com.hazelcast.jet.pipeline.Sink;
import com.hazelcast.jet.pipeline.Sinks;
import com.hazelcast.jet.pipeline.StreamSource;

import dev.flashsale.grid.Maps;
import dev.flashsale.sale.CatalogRow;
import dev.flashsale.sale.KeepNewerRow;

/**
 * MySQL {@code sales} → the grid's catalog mirror ({@link Maps#CATALOG}), by change data
 * capture: a snapshot of the table, then every change from the binlog. The sink keeps the
 * newest version of each row ({@link KeepNewerRow}), so a replay after a restart, or a copy
 * re-applied after a member's death, changes nothing. API nodes apply the mirror to the live
 * sales ({@code CatalogSync}), and also read the table themselves now and then, so that a change
 * the capture missed still arrives.
 */
public final class CatalogPipeline {

    private CatalogPipeline() {
    }

    public static Pipeline create(StreamSource<ChangeRecord> sales, Sink<CatalogRow> catalog) {
        Pipeline pipeline = Pipeline.create();
        pipeline.readFrom(sales)
                .withoutTimestamps()
                .setName("sales rows from MySQL's binlog")
                .map(CatalogRows::of)
                .setName("as catalog rows")
                .writeTo(catalog);
        return pipeline;
    }

    /** The catalog mirror, newest version of each row kept. */
    public static Sink<CatalogRow> mirror() {
        return Sinks.mapWithEntryProcessor(Maps.CATALOG, CatalogRow::saleId, KeepNewerRow::new);
    }
}
