package dev.flashsale.api.sales;

import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.query.Predicates;

import dev.flashsale.api.settlement.SettlementLedger;
import dev.flashsale.api.settlement.SettlementLedger.BucketProgress;
import dev.flashsale.api.settlement.SettlementLedger.OrderRow;
import dev.flashsale.api.settlement.SlotCounts;
import dev.flashsale.grid.Maps;
import dev.flashsale.purchase.Purchase;
import dev.flashsale.purchase.PurchaseStatus;
import dev.flashsale.purchase.Purchases;
import dev.flashsale.purchase.RestoreOrders;
import dev.flashsale.purchase.ShopperKey;
import dev.flashsale.sale.CatalogRow;
import dev.flashsale.sale.Sale;
import dev.flashsale.stock.StockBucket;
import dev.flashsale.stock.StockKey;
import dev.flashsale.stock.StockLevel;

/**
 * Brings back a sale the grid lost when the whole cluster stopped (the open-source edition
 * keeps nothing on disk), from what MySQL holds: every order with its state, window and price;
 * each bucket's reservations per member, the units it owes back, and how far MySQL has read
 * its events. {@link CatalogSync} runs it, once the event path has carried into MySQL a
 * heartbeat beaten after it found the sale missing: the orders job reads each Kafka partition in
 * order, so MySQL then holds every event the old cluster published.
 *
 * <p>Nothing is sold twice: each bucket takes the reservations MySQL holds as taken, less the
 * units it owes back, and puts on sale only the rest of the stock ops want. No paid order is
 * lost, and a reserved one keeps its payment window: the order sweep expires it when due. The
 * buckets are placed anew (new salts: the partitions are empty), and their journals start past
 * every event MySQL has. The buckets and the shoppers' orders are written first, the sale last,
 * so that no purchase can reach the sale before all of it is back. It runs under the creation
 * lock, and only if the grid has no such sale: a second run finds it and does nothing; one that
 * outlasted the lock's lease does not publish over the first, and no shopper's entry is ever
 * overwritten.
 */
final class SaleRebuild {

    private static final Logger LOG = LoggerFactory.getLogger(SaleRebuild.class);
    private static final int ENTRIES_PER_WRITE = 1_000;

    private final IMap<String, Sale> sales;
    private final IMap<StockKey, StockBucket> stock;
    private final IMap<ShopperKey, Purchases> purchases;
    private final SaleCatalog catalog;
    private final SettlementLedger ledger;

    SaleRebuild(HazelcastInstance hazelcast, SaleCatalog catalog, SettlementLedger ledger) {
        this.sales = Maps.sales(hazelcast);
        this.stock = Maps.stock(hazelcast);
        this.purchases = Maps.purchases(hazelcast);
        this.catalog = catalog;
        this.ledger = ledger;
    }

    /** The newest heartbeat MySQL has from every Kafka partition (null if none): see the class comment. */
    Instant pathCarried() throws SQLException {
        return ledger.pathCarried();
    }

    /** MySQL's clock, which caps the heartbeats. */
    Instant mysqlNow() throws SQLException {
        return ledger.now();
    }

    /**
     * Rebuilds the sale of {@code row} from MySQL; null if the grid has it already, or still has
     * buckets of it that took units (the grid lost only part of it, and its journals may hold
     * reservations MySQL does not have: ops must look). Blocking.
     */
    Sale rebuild(CatalogRow row, Instant now) throws SQLException {
        return catalog.underCreationLock(row.saleId(), () -> {
            if (catalog.current(row.saleId()) != null) {
                return null;
            }
            if (stock.values(Predicates.equal("__key.saleId", row.saleId())).stream().anyMatch(bucket -> bucket.unitsTaken() > 0)) {
                LOG.error("sale {} is not on the grid, but buckets of it that took units are: the grid lost only part of it, "
                        + "and it is not rebuilt over them; see reconciliation and the members' logs", row.saleId());
                return null;
            }
            Map<Integer, BucketProgress> progress = ledger.progressOf(row.saleId());
            List<OrderRow> rows = ledger.ordersOf(row.saleId());
            // (every bucket MySQL knows of, even if ops changed the row's count by hand)
            int buckets = Math.max(row.buckets(), 1 + Math.max(
                    progress.keySet().stream().mapToInt(Integer::intValue).max().orElse(-1),
                    rows.stream().mapToInt(OrderRow::bucket).max().orElse(-1)));
            Sale sale = new Sale(row.saleId(), row.name(), row.price(), row.stock(), row.startsAtMillis(), row.endsAtMillis(),
                    row.perShopperLimit(), row.paymentWindowSeconds() * 1_000, catalog.place(row.saleId(), buckets, now),
                    now.toEpochMilli(), row.paused(), row.version(), 0);
            int units = writeBuckets(sale, progress);
            writeOrders(sale, rows);
            // (a rebuild that outlasted its lock's lease loses here to the one that did not)
            if (sales.putIfAbsent(sale.id(), sale) != null) {
                return null;
            }
            LOG.warn("sale {} rebuilt from MySQL after the grid lost it: {} orders, {} units on sale", sale.id(), rows.size(), units);
            return sale;
        });
    }

    /** Writes each bucket as MySQL's records make it; answers the units available in all. */
    private int writeBuckets(Sale sale, Map<Integer, BucketProgress> progress) throws SQLException {
        Map<Integer, SlotCounts> slots = new HashMap<>();
        Map<Integer, StockLevel> held = new TreeMap<>();
        for (int i = 0; i < sale.buckets(); i++) {
            slots.put(i, SlotCounts.of(ledger.slotsOf(sale.id(), i)));
            held.put(i, new StockLevel((int) (slots.get(i).unitsTaken() - owedBack(progress.get(i))), 0));
        }
        int[] targets = StockPlans.targets(sale.stock(), held);
        int available = 0;
        for (int i = 0; i < sale.buckets(); i++) {
            SlotCounts counts = slots.get(i);
            BucketProgress read = progress.get(i);
            StockBucket bucket = StockBucket.rebuilt(targets[i], (int) owedBack(read),
                    Math.max(counts.newestWrite(), read == null ? 0 : read.readUpTo()), counts.ids(), counts.reservations(),
                    counts.units());
            stock.set(sale.bucket(i), bucket);
            available += bucket.available();
        }
        return available;
    }

    private static long owedBack(BucketProgress progress) {
        return progress == null ? 0 : progress.unitsToGiveBack();
    }

    /**
     * Writes every shopper's orders as MySQL holds them, each shopper's entry only where there
     * is none: an entry the grid still has is newer than MySQL's view of it.
     */
    private void writeOrders(Sale sale, List<OrderRow> rows) {
        Map<ShopperKey, List<Purchase>> byShopper = new HashMap<>();
        for (OrderRow row : rows) {
            PurchaseStatus status = PurchaseStatus.valueOf(row.status());
            byShopper.computeIfAbsent(new ShopperKey(sale.id(), row.shopperId()), shopper -> new ArrayList<>())
                    .add(Purchase.rebuilt(row.orderId(), row.quantity(), status, row.reservedAt().toEpochMilli(), row.bucket(),
                            row.expiresAt().toEpochMilli(), row.endedAt() == null ? 0 : row.endedAt().toEpochMilli(),
                            row.paymentId(), row.unitPrice()));
        }
        List<CompletableFuture<Boolean>> writes = new ArrayList<>();
        for (Map.Entry<ShopperKey, List<Purchase>> shopper : byShopper.entrySet()) {
            writes.add(purchases.submitToKey(shopper.getKey(),
                    new RestoreOrders(Purchases.rebuilt(shopper.getValue().toArray(new Purchase[0])))).toCompletableFuture());
            if (writes.size() == ENTRIES_PER_WRITE) {
                CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).join();
                writes.clear();
            }
        }
        CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).join();
    }
}
