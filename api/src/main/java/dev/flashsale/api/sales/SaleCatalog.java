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

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.partition.PartitionService;

import dev.flashsale.grid.Maps;
import dev.flashsale.sale.Sale;
import dev.flashsale.stock.JournalShare;
import dev.flashsale.stock.ReadStock;
import dev.flashsale.stock.StockBucket;
import dev.flashsale.stock.StockKey;
import dev.flashsale.stock.StockLevel;

/** The sales on the grid and their stock: lookups for shoppers, creation for ops. */
public final class SaleCatalog {

    private final IMap<String, Sale> sales;
    private final IMap<StockKey, StockBucket> stock;
    private static final String CREATION = "creation";
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

    /** Every sale. Blocking: call it off the request threads that must not wait. */
    public List<Sale> all() {
        return new ArrayList<>(sales.values());
    }

    /**
     * Puts a new sale on the grid: its buckets first, then the sale, so that a sale that can
     * be seen always has all its stock. Blocking.
     *
     * <p>Creations run one at a time across the cluster, under a lock with a lease (so a node
     * that dies holding it does not block the next). That makes a creation atomic: of two
     * concurrent creations of one id exactly one writes anything, and the buckets always add
     * up to the sale's stock. A creation cut off before its sale was written left only buckets
     * no shopper can reach; the next creation of that id overwrites them. It also places the
     * buckets: each on a partition of its own within the sale, and at most
     * {@link JournalShare#BUCKETS_PER_PARTITION} buckets of live sales on any one partition,
     * which is what makes a bucket's journal share hold (see {@link JournalShare}). An id that
     * MySQL holds anything of is taken too, even if the grid lost its sale.
     */
    public Sale create(NewSale request, Instant now) throws SQLException {
        IMap<String, String> locks = Maps.saleCreation(hazelcast);
        locks.lock(CREATION, CREATION_LEASE.toMillis(), TimeUnit.MILLISECONDS);
        try {
            if (sales.containsKey(request.id()) || records.hasRecordOf(request.id())) {
                throw new SaleExistsException(request.id());
            }
            Sale sale = new Sale(request.id(), request.name(), request.price(), request.stock(),
                    request.startsAt().toEpochMilli(), request.endsAt().toEpochMilli(),
                    request.perShopperLimit(), request.paymentWindow().toMillis(),
                    place(request.id(), request.buckets(), now), now.toEpochMilli());
            for (int i = 0; i < sale.buckets(); i++) {
                stock.set(sale.bucket(i), StockBucket.withStock(sale.initialStockOf(i)));
            }
            sales.set(sale.id(), sale);
            return sale;
        } finally {
            locks.unlock(CREATION);
        }
    }

    /**
     * Picks, for each bucket, the first salt whose key hashes to a partition that no earlier
     * bucket of this sale uses and that fewer than the allowed buckets of live sales share, so
     * that a hot sale is served by as many partition threads as it has buckets.
     */
    private int[] place(String saleId, int buckets, Instant now) {
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
                if (!used.contains(partition) && tenants.getOrDefault(partition, 0) < JournalShare.BUCKETS_PER_PARTITION) {
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
