package dev.flashsale.api.sales;

import static dev.flashsale.api.grid.GridRetries.withRetries;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.hazelcast.core.EntryView;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.partition.PartitionService;

import dev.flashsale.grid.Maps;
import dev.flashsale.sale.CatalogRow;
import dev.flashsale.sale.NextStockPlan;
import dev.flashsale.sale.Sale;
import dev.flashsale.stock.JournalShare;
import dev.flashsale.stock.ReadStock;
import dev.flashsale.stock.SetStock;
import dev.flashsale.stock.StockBucket;
import dev.flashsale.stock.StockKey;
import dev.flashsale.stock.StockLevel;

/** The sales on the grid and their stock: lookups for shoppers, creation for ops. */
public final class SaleCatalog {

    private static final Logger LOG = LoggerFactory.getLogger(SaleCatalog.class);

    private final IMap<String, Sale> sales;
    private final IMap<StockKey, StockBucket> stock;
    /** The key of the lock that creations run under, in {@link Maps#SALE_CREATION}. */
    static final String CREATION = "creation";
    private static final Duration CREATION_LEASE = Duration.ofSeconds(30);
    private static final int SALT_TRIES_PER_PARTITION = 20;

    private final HazelcastInstance hazelcast;
    private final PartitionService partitions;
    private final SaleRecords records;

    public SaleCatalog(HazelcastInstance hazelcast) {
        this(hazelcast, SaleRecords.NONE);
    }

    public SaleCatalog(HazelcastInstance hazelcast, SaleRecords records) {
        this.hazelcast = hazelcast;
        this.records = records;
        this.sales = Maps.sales(hazelcast);
        this.stock = Maps.stock(hazelcast);
        this.partitions = hazelcast.getPartitionService();
    }

    /** The sale, or a stage failed with {@link UnknownSaleException}. Served from the near cache. */
    public CompletionStage<Sale> find(String saleId) {
        return withRetries(() -> sales.getAsync(saleId)).thenApply(sale -> {
            if (sale == null) {
                throw new UnknownSaleException(saleId);
            }
            return sale;
        });
    }

    /** The sale's stock summed over its buckets, read on the members in one call. */
    public CompletionStage<StockLevel> level(Sale sale) {
        return levels(sale).thenApply(levels -> StockLevel.sum(levels.values()));
    }

    /** Each bucket's stock, by bucket index, read on the members in one call. */
    public CompletionStage<Map<Integer, StockLevel>> levels(Sale sale) {
        Set<StockKey> keys = new HashSet<>();
        for (int i = 0; i < sale.buckets(); i++) {
            keys.add(sale.bucket(i));
        }
        return withRetries(() -> stock.submitToKeys(keys, new ReadStock())).thenApply(levels -> {
            Map<Integer, StockLevel> byBucket = new TreeMap<>();
            levels.forEach((key, level) -> byBucket.put(key.bucket(), level));
            return byBucket;
        });
    }

    /**
     * The sale's buckets whose partition lost stock journal events before the outbox read them
     * (see {@link Maps#JOURNAL_LOSSES}), each with the alarm. Blocking.
     */
    public Map<Integer, String> journalLosses(Sale sale) {
        Map<Integer, String> alarms = Maps.journalLosses(hazelcast);
        Map<Integer, String> byBucket = new TreeMap<>();
        if (alarms.isEmpty()) {
            return byBucket;
        }
        for (int i = 0; i < sale.buckets(); i++) {
            String alarm = alarms.get(partitions.getPartition(sale.bucket(i)).getPartitionId());
            if (alarm != null) {
                byBucket.put(i, alarm);
            }
        }
        return byBucket;
    }

    /**
     * The sale as its member holds it now, or null: not from this node's near cache, which keeps
     * a miss until the members' batched invalidation arrives (up to 10 s). For the catalog's own
     * decisions, and for every lookup that may come before the sale exists: a near cache that
     * kept such a miss would answer this node's shoppers 404 for seconds after the sale opened.
     * Blocking.
     */
    public Sale current(String saleId) {
        EntryView<String, Sale> view = sales.getEntryView(saleId);
        return view == null ? null : view.getValue();
    }

    /** Every sale. Blocking: call it off the request threads that must not wait. */
    public List<Sale> all() {
        return new ArrayList<>(sales.values());
    }

    /**
     * Puts a new sale on the grid: its buckets first, then the sale, so that a sale that can
     * be seen always has all its stock. Blocking.
     *
     * <p>Creations run one at a time across the cluster, under a lock with a lease (so a node
     * that dies holding it does not block the next), which keeps the placement's count of
     * buckets per partition true. What makes a creation atomic is that neither step overwrites
     * anything: each bucket is put only where no bucket is ({@code putIfAbsent}), and the sale
     * only if no sale of that id is. Of two creations of one id, even one that stalled past
     * its lease while the other ran, at most one publishes its sale, and every bucket that
     * sale names is one it wrote itself, so the buckets add up to the sale's stock. A creation
     * that loses takes back the buckets it wrote; one cut off by a crash leaves buckets no sale
     * names and no shopper reaches, which the next creation's placement steps around. It also
     * places the buckets: each on a partition of its own within the sale, and at most
     * {@link JournalShare#BUCKETS_PER_PARTITION} buckets of live sales on any one partition,
     * which is what makes a bucket's journal share hold (see {@link JournalShare}). An id that
     * MySQL holds orders of is taken too, even if the grid lost its sale.
     */
    public Sale create(NewSale request, Instant now) throws SQLException {
        return create(request, false, 0, now);
    }

    /**
     * Creates the sale a MySQL row describes (see {@link CatalogSync}); null, and nothing
     * created, if the grid has it already or MySQL holds orders of it (a sale the grid lost,
     * which only the rebuild may bring back). Blocking.
     */
    public Sale createFromCatalog(CatalogRow row, Instant now) throws SQLException {
        NewSale request = new NewSale(row.saleId(), row.name(), row.price(), row.stock(), Instant.ofEpochMilli(row.startsAtMillis()),
                Instant.ofEpochMilli(row.endsAtMillis()), row.perShopperLimit(), Duration.ofSeconds(row.paymentWindowSeconds()),
                row.buckets());
        try {
            return create(request, row.paused(), row.version(), now);
        } catch (SaleExistsException exists) {
            // (the grid has it, or MySQL holds orders of it: a sale the grid lost, see SaleRebuild)
            return null;
        }
    }

    private Sale create(NewSale request, boolean paused, long version, Instant now) throws SQLException {
        return underCreationLock(request.id(), () -> {
            Sale sale = plan(request, paused, version, now);
            publish(sale);
            return sale;
        });
    }

    /**
     * Makes the sale's buckets put on sale the units ops want ({@link Sale#stock()}), if they
     * do not: a new stock plan, numbered on the sale ({@link NextStockPlan}), sets each bucket's
     * stock ({@link SetStock}), keeping the units its orders hold ({@link StockPlans}). Plans run
     * one at a time, under the creation lock; a plan that another numbered first is dropped, and
     * a bucket a failure left on an older plan gets the next. Answers the units on sale after.
     * Blocking.
     */
    public int planStock(Sale known) throws SQLException {
        if (level(known).toCompletableFuture().join().stock() == known.stock() && stockWanted(known) == known.stock()) {
            return known.stock();
        }
        return underCreationLock(known.id(), () -> {
            // (read again under the lock: a plan from an older version of the sale, or from
            // levels another plan changed since, must not be applied)
            Sale sale = current(known.id());
            Map<Integer, StockLevel> levels = levels(sale).toCompletableFuture().join();
            int onSale = StockLevel.sum(levels.values()).stock();
            int[] targets = StockPlans.targets(sale.stock(), levels);
            if (onSale == sale.stock() && stockWanted(sale) == sale.stock()) {
                return onSale;
            }
            long plan = sales.executeOnKey(sale.id(), new NextStockPlan(sale.version(), sale.stockPlan()));
            if (plan < 0) {
                return onSale;
            }
            int planned = 0;
            for (int i = 0; i < targets.length; i++) {
                planned += stock.executeOnKey(sale.bucket(i), new SetStock(plan, targets[i])).stock();
            }
            LOG.info("sale {}: stock plan {} puts {} units on sale (ops want {}; was {})", sale.id(), plan, planned, sale.stock(),
                    onSale);
            return planned;
        });
    }

    /** The units the sale's buckets are wanted to hold in all, by their latest plan. */
    private int stockWanted(Sale sale) {
        int wanted = 0;
        for (int i = 0; i < sale.buckets(); i++) {
            StockBucket bucket = stock.get(sale.bucket(i));
            wanted += bucket == null ? 0 : bucket.wanted();
        }
        return wanted;
    }

    interface Locked<T> {
        T run() throws SQLException;
    }

    /** Runs {@code work} while no creation, stock plan or rebuild runs anywhere in the cluster. */
    <T> T underCreationLock(String saleId, Locked<T> work) throws SQLException {
        IMap<String, String> locks = Maps.saleCreation(hazelcast);
        locks.lock(CREATION, CREATION_LEASE.toMillis(), TimeUnit.MILLISECONDS);
        try {
            return work.run();
        } finally {
            try {
                locks.unlock(CREATION);
            } catch (IllegalMonitorStateException leaseRanOut) {
                // The work took longer than its lease and another may have run meanwhile:
                // harmless, since neither overwrote the other (see above).
                LOG.warn("the creation or stock plan of sale {} outlasted its lease of {}", saleId, CREATION_LEASE);
            }
        }
    }

    /** The sale a creation would publish, with its buckets placed; refused if the id is taken. */
    Sale plan(NewSale request, Instant now) throws SQLException {
        return plan(request, false, 0, now);
    }

    private Sale plan(NewSale request, boolean paused, long version, Instant now) throws SQLException {
        if (current(request.id()) != null || records.hasRecordOf(request.id())) {
            throw SaleExistsException.of(request.id());
        }
        return new Sale(request.id(), request.name(), request.price(), request.stock(),
                request.startsAt().toEpochMilli(), request.endsAt().toEpochMilli(),
                request.perShopperLimit(), request.paymentWindow().toMillis(),
                place(request.id(), request.buckets(), now), now.toEpochMilli(), paused, version, 0);
    }

    /**
     * Writes the sale's buckets and then the sale, each only where nothing is yet. If either
     * finds something there (another creation of the id won), it takes back its own buckets and
     * refuses. A write that fails instead (its outcome unknown: it may have been applied) takes
     * nothing back: if the sale was published, its buckets must stay, and if it was not, they
     * are buckets no sale names.
     */
    void publish(Sale sale) {
        List<StockKey> written = new ArrayList<>();
        for (int i = 0; i < sale.buckets(); i++) {
            StockKey key = sale.bucket(i);
            if (stock.putIfAbsent(key, StockBucket.withStock(sale.initialStockOf(i))) != null) {
                takeBack(sale, written);
                throw SaleExistsException.underWay(sale.id());
            }
            written.add(key);
        }
        if (sales.putIfAbsent(sale.id(), sale) != null) {
            takeBack(sale, written);
            throw SaleExistsException.of(sale.id());
        }
    }

    /** Removes the buckets a losing creation wrote, each only if it is still as written. */
    private void takeBack(Sale sale, List<StockKey> written) {
        for (StockKey key : written) {
            stock.remove(key, StockBucket.withStock(sale.initialStockOf(key.bucket())));
        }
    }

    /**
     * Picks, for each bucket, the first salt whose key hashes to a partition that no earlier
     * bucket of this sale uses and that fewer than the allowed buckets of live sales share, so
     * that a hot sale is served by as many partition threads as it has buckets.
     */
    int[] place(String saleId, int buckets, Instant now) {
        int partitionCount = partitions.getPartitions().size();
        Map<Integer, Integer> tenants = new HashMap<>();
        for (Sale live : sales.values()) {
            if (live.mayStillWriteAt(now)) {
                for (int i = 0; i < live.buckets(); i++) {
                    tenants.merge(partitionOf(live.bucket(i)), 1, Integer::sum);
                }
            }
        }
        int[] salts = new int[buckets];
        Set<Integer> used = new HashSet<>();
        for (int bucket = 0; bucket < buckets; bucket++) {
            int salt = 0;
            while (true) {
                int partition = partitionOf(new StockKey(saleId, bucket, salt));
                if (!used.contains(partition) && tenants.getOrDefault(partition, 0) < JournalShare.BUCKETS_PER_PARTITION
                        && !stock.containsKey(new StockKey(saleId, bucket, salt))) {
                    used.add(partition);
                    tenants.merge(partition, 1, Integer::sum);
                    break;
                }
                if (++salt > SALT_TRIES_PER_PARTITION * partitionCount) {
                    throw new NoRoomForSaleException(buckets);
                }
            }
            salts[bucket] = salt;
        }
        return salts;
    }

    private int partitionOf(StockKey key) {
        return partitions.getPartition(key).getPartitionId();
    }
}
