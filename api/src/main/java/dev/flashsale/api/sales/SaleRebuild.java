package dev.flashsale.api.sales;

import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;

import dev.flashsale.api.settlement.SettlementLedger;
import dev.flashsale.api.settlement.SettlementLedger.BucketProgress;
import dev.flashsale.api.settlement.SettlementLedger.OrderRow;
import dev.flashsale.api.settlement.SlotCounts;
import dev.flashsale.grid.Maps;
import dev.flashsale.purchase.Purchase;
import dev.flashsale.purchase.PurchaseStatus;
import dev.flashsale.purchase.Purchases;
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
 * lock, and only if the grid has no such sale: a second run finds it and does nothing.
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

    /** Rebuilds the sale of {@code row} from MySQL; null if the grid has it already. Blocking. */
    Sale rebuild(CatalogRow row, Instant now) throws SQLException {
        return catalog.underCreationLock(row.saleId(), () -> {
            if (sales.containsKey(row.saleId())) {
                return null;
            }
            Sale sale = new Sale(row.saleId(), row.name(), row.price(), row.stock(), row.startsAtMillis(), row.endsAtMillis(),
                    row.perShopperLimit(), row.paymentWindowSeconds() * 1_000, catalog.place(row.saleId(), row.buckets(), now),
                    now.toEpochMilli(), row.paused(), row.version(), 0);
            int units = writeBuckets(sale);
            int orders = writeOrders(sale);
            sales.set(sale.id(), sale);
            LOG.warn("sale {} rebuilt from MySQL after the grid lost it: {} orders, {} units still on sale", sale.id(), orders, units);
            return sale;
        });
    }

    /** Writes each bucket as MySQL's records make it; answers the units available in all. */
    private int writeBuckets(Sale sale) throws SQLException {
        Map<Integer, BucketProgress> progress = ledger.progressOf(sale.id());
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

    /** Writes every shopper's orders as MySQL holds them; answers how many. */
    private int writeOrders(Sale sale) throws SQLException {
        Map<ShopperKey, List<Purchase>> byShopper = new HashMap<>();
        List<OrderRow> rows = ledger.ordersOf(sale.id());
        for (OrderRow row : rows) {
            PurchaseStatus status = PurchaseStatus.valueOf(row.status());
            byShopper.computeIfAbsent(new ShopperKey(sale.id(), row.shopperId()), shopper -> new ArrayList<>())
                    .add(Purchase.rebuilt(row.orderId(), row.quantity(), status, row.reservedAt().toEpochMilli(), row.bucket(),
                            row.expiresAt().toEpochMilli(), row.endedAt() == null ? 0 : row.endedAt().toEpochMilli(),
                            row.paymentId(), row.unitPrice()));
        }
        Map<ShopperKey, Purchases> batch = new HashMap<>();
        for (Map.Entry<ShopperKey, List<Purchase>> shopper : byShopper.entrySet()) {
            batch.put(shopper.getKey(), Purchases.rebuilt(shopper.getValue().toArray(new Purchase[0])));
            if (batch.size() == ENTRIES_PER_WRITE) {
                purchases.setAll(batch);
                batch.clear();
            }
        }
        purchases.setAll(batch);
        return rows.size();
    }
}
