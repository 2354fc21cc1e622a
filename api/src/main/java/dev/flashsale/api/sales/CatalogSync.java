package dev.flashsale.api.sales;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;

import dev.flashsale.api.settlement.SettlementLedger;
import dev.flashsale.grid.Maps;
import dev.flashsale.sale.CatalogRow;
import dev.flashsale.sale.KeepNewerRow;
import dev.flashsale.sale.ReviseSale;
import dev.flashsale.sale.Sale;

/**
 * Applies ops' source of truth, MySQL's {@code sales} rows, to the live sales and their
 * buckets. The rows reach the grid's catalog mirror by change data capture (the sale-catalog
 * job); this node applies each as it arrives, and every {@value #PERIOD_SECONDS} s all of them,
 * after reading the table itself (every {@value #TABLE_READ_SECONDS} s), so that a change the
 * capture missed still arrives. Every step is idempotent and keyed by the row's version, so any
 * number of API nodes apply the same rows at once:
 *
 * <ul>
 *   <li>a row the grid has no sale for creates it ({@link SaleCatalog#create}), unless MySQL
 *       holds orders of it: then the grid lost it (the whole cluster stopped), and it is rebuilt
 *       from MySQL ({@link SaleRebuild}) once the event path has carried into MySQL a heartbeat
 *       beaten after this node found it missing, that is, everything the old cluster had
 *       published;</li>
 *   <li>a newer version revises it ({@link ReviseSale}): name, price, window, limits, pause;</li>
 *   <li>when the units on sale differ from the stock ops want (a top-up, a withdrawal), a new
 *       stock plan sets each bucket's stock, absolutely, never below what its orders hold
 *       ({@link SaleCatalog#planStock}).</li>
 * </ul>
 */
public final class CatalogSync implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CatalogSync.class);

    static final long PERIOD_SECONDS = 5;
    static final long TABLE_READ_SECONDS = 30;

    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread sync = new Thread(task, "catalog-sync");
        sync.setDaemon(true);
        return sync;
    });

    private final IMap<String, CatalogRow> mirror;
    private final IMap<String, Sale> sales;
    private final SaleCatalog catalog;
    private final SaleTable table;
    private final Clock clock;
    /** Since when this node has seen each sale MySQL holds orders of missing from the grid. */
    private final Map<String, Instant> missingSince = new ConcurrentHashMap<>();
    /** Rows this node refused (sale id and version), so that each is logged once. */
    private final Set<String> refused = ConcurrentHashMap.newKeySet();
    /** Per sale, why this node could not apply its newest row: what the admin API, waiting for it, answers. */
    private final Map<String, Refusal> refusals = new ConcurrentHashMap<>();

    private record Refusal(long version, RuntimeException why) {
    }
    private volatile long nextTableRead;

    private final SaleRebuild rebuild;

    /**
     * @param table  MySQL's sales table, read now and then; null on a node without MySQL (the mirror only)
     * @param ledger what MySQL holds of the orders, to rebuild a sale the grid lost; null on a node without MySQL
     */
    public CatalogSync(HazelcastInstance hazelcast, SaleCatalog catalog, SaleTable table, SettlementLedger ledger, Clock clock) {
        this.rebuild = ledger == null ? null : new SaleRebuild(hazelcast, catalog, ledger);
        this.mirror = Maps.catalog(hazelcast);
        this.sales = Maps.sales(hazelcast);
        this.catalog = catalog;
        this.table = table;
        this.clock = clock;
    }

    public void start() {
        mirror.addEntryListener(new Arrivals(), true);
        thread.scheduleWithFixedDelay(this::syncLoggingFailures, 0, PERIOD_SECONDS, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }

    /**
     * Waits until the grid's sale has at least {@code version} of its row applied; false if not
     * within {@code timeout}. Throws why, if this node could not apply that version (the row is
     * no valid sale, the grid has no room for its buckets).
     */
    public boolean awaitVersion(String saleId, long version, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Refusal refusal = refusals.get(saleId);
            if (refusal != null && refusal.version() >= version) {
                throw refusal.why();
            }
            Sale sale = catalog.current(saleId);
            if (sale != null && sale.version() >= version) {
                return true;
            }
            Thread.sleep(50);
        }
        return false;
    }

    private final class Arrivals implements EntryAddedListener<String, CatalogRow>, EntryUpdatedListener<String, CatalogRow> {

        @Override
        public void entryAdded(EntryEvent<String, CatalogRow> event) {
            thread.execute(() -> applyLoggingFailures(event.getValue()));
        }

        @Override
        public void entryUpdated(EntryEvent<String, CatalogRow> event) {
            thread.execute(() -> applyLoggingFailures(event.getValue()));
        }
    }

    private void syncLoggingFailures() {
        try {
            sync();
        } catch (Exception e) {
            LOG.warn("catalog sync failed, retrying in {} s: {}", PERIOD_SECONDS, e.toString());
        }
    }

    /** Reads MySQL's table if due, into the mirror; then applies every row of the mirror. Blocking. */
    void sync() throws SQLException {
        if (table != null && System.nanoTime() - nextTableRead >= 0) {
            for (CatalogRow row : table.rows()) {
                if (mirror.executeOnKey(row.saleId(), new KeepNewerRow(row))) {
                    LOG.warn("sale {} version {} was in MySQL but not in the catalog mirror: change data capture missed it",
                            row.saleId(), row.version());
                }
            }
            nextTableRead = System.nanoTime() + TimeUnit.SECONDS.toNanos(TABLE_READ_SECONDS);
        }
        for (CatalogRow row : new ArrayList<>(mirror.values())) {
            applyLoggingFailures(row);
        }
    }

    private boolean valid(CatalogRow row, boolean creating) {
        List<String> problems = SaleRules.problemsOf(row, creating);
        if (!problems.isEmpty()) {
            refusals.put(row.saleId(), new Refusal(row.version(), new InvalidSaleException(problems)));
            if (refused.add(row.saleId() + "@" + row.version())) {
                LOG.error("sale {} version {} in MySQL is not a valid sale, so the grid keeps what it has: {}", row.saleId(),
                        row.version(), String.join("; ", problems));
            }
        }
        return problems.isEmpty();
    }

    /**
     * The sale rebuilt from MySQL, if the event path has carried everything since this node
     * found it missing; else null. The time it was found missing is MySQL's, the clock the
     * heartbeats it waits for are capped by, so that a node whose clock runs behind cannot take a
     * heartbeat of the old cluster for one of the new.
     */
    private Sale rebuildOnceCarried(CatalogRow row, Instant now) throws SQLException {
        if (rebuild == null || catalog.current(row.saleId()) != null) {
            return null;
        }
        Instant since = missingSince.get(row.saleId());
        if (since == null) {
            since = rebuild.mysqlNow();
            missingSince.put(row.saleId(), since);
            LOG.warn("sale {} is in MySQL but no longer on the grid (the whole cluster stopped): it is rebuilt from MySQL "
                    + "once the event path has carried everything the old cluster published", row.saleId());
        }
        Instant carried = rebuild.pathCarried();
        if (carried == null || !carried.isAfter(since)) {
            return null;
        }
        missingSince.remove(row.saleId());
        return rebuild.rebuild(row, now);
    }

    private void applyLoggingFailures(CatalogRow row) {
        try {
            apply(row);
            refusals.remove(row.saleId());
        } catch (NoRoomForSaleException e) {
            refusals.put(row.saleId(), new Refusal(row.version(), e));
            if (refused.add(row.saleId() + "@" + row.version())) {
                LOG.error("sale {} version {} cannot be placed, retrying: {}", row.saleId(), row.version(), e.getMessage());
            }
        } catch (Exception e) {
            LOG.warn("sale {} version {} not applied yet, retrying in {} s: {}", row.saleId(), row.version(), PERIOD_SECONDS,
                    e.toString());
        }
    }

    /** Brings the grid's sale to the row. Blocking. */
    void apply(CatalogRow row) throws SQLException {
        Instant now = clock.instant();
        Sale sale = catalog.current(row.saleId());
        if (sale != null) {
            missingSince.remove(row.saleId());
        }
        // A sale the grid was ever about to create is never created again with fresh stock: the
        // grid lost it, and it comes back from its orders (a rebuild, which takes a sale's
        // stock below its buckets, or buckets changed by hand, as they are).
        boolean lost = sale == null && table != null && table.wasPlaced(row.saleId());
        if (!lost && (sale == null || row.version() > sale.version()) && !valid(row, sale == null)) {
            return;
        }
        if (lost) {
            sale = rebuildOnceCarried(row, now);
            if (sale == null) {
                return;
            }
        } else if (sale == null) {
            if (table != null) {
                table.markPlaced(row.saleId());
            }
            sale = catalog.createFromCatalog(row, now);
            if (sale == null) {
                return;
            }
            LOG.info("sale {} created from MySQL (version {})", row.saleId(), row.version());
        } else if (row.version() > sale.version()) {
            sale = sales.executeOnKey(row.saleId(), new ReviseSale(row, now.toEpochMilli()));
            LOG.info("sale {} revised to version {} from MySQL", row.saleId(), row.version());
        }
        catalog.planStock(sale);
    }
}
