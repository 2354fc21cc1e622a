package dev.flashsale.grid;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;

import dev.flashsale.purchase.Purchases;
import dev.flashsale.purchase.ShopperKey;
import dev.flashsale.sale.CatalogRow;
import dev.flashsale.sale.Sale;
import dev.flashsale.stock.StockBucket;
import dev.flashsale.stock.StockKey;

/** The grid's maps, by name and type. Their settings are in config/hazelcast-member.yaml. */
public final class Maps {

    public static final String SALES = "sales";
    /**
     * MySQL's {@code sales} rows as change data capture delivers them: ops' source of truth,
     * which API nodes apply to {@link #SALES} and the buckets ({@code CatalogSync}).
     */
    public static final String CATALOG = "sale-catalog";
    public static final String STOCK = "stock";
    public static final String PURCHASES = "purchases";
    /** Holds the lock that makes sale creations run one at a time. */
    public static final String SALE_CREATION = "sale-creation";
    /** The event path's own clock: API nodes write {@link #HEARTBEAT} here every second; see the outbox. */
    public static final String EVENT_PATH = "event-path";
    public static final String HEARTBEAT = "heartbeat";
    /**
     * Partitions whose stock journal was overwritten before the outbox read it: partition id to
     * what the outbox saw (see {@code JournalLoss} in the pipelines). Written only on that
     * alarm, never cleared by the platform.
     */
    public static final String JOURNAL_LOSSES = "journal-losses";

    private Maps() {
    }

    public static IMap<String, Sale> sales(HazelcastInstance hazelcast) {
        return hazelcast.getMap(SALES);
    }

    public static IMap<String, CatalogRow> catalog(HazelcastInstance hazelcast) {
        return hazelcast.getMap(CATALOG);
    }

    public static IMap<StockKey, StockBucket> stock(HazelcastInstance hazelcast) {
        return hazelcast.getMap(STOCK);
    }

    public static IMap<ShopperKey, Purchases> purchases(HazelcastInstance hazelcast) {
        return hazelcast.getMap(PURCHASES);
    }

    public static IMap<String, String> saleCreation(HazelcastInstance hazelcast) {
        return hazelcast.getMap(SALE_CREATION);
    }

    public static IMap<Integer, String> journalLosses(HazelcastInstance hazelcast) {
        return hazelcast.getMap(JOURNAL_LOSSES);
    }

    /** {@link #HEARTBEAT} to the epoch millisecond of the latest beat. */
    public static IMap<String, Long> eventPath(HazelcastInstance hazelcast) {
        return hazelcast.getMap(EVENT_PATH);
    }
}
