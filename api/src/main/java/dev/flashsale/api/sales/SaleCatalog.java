package dev.flashsale.api.sales;

import static dev.flashsale.api.grid.GridRetries.withRetries;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.partition.PartitionService;

import dev.flashsale.grid.Maps;
import dev.flashsale.sale.Sale;
import dev.flashsale.stock.ReadStock;
import dev.flashsale.stock.StockBucket;
import dev.flashsale.stock.StockKey;
import dev.flashsale.stock.StockLevel;

/** The sales on the grid and their stock: lookups for shoppers, creation for ops. */
public final class SaleCatalog {

    private final IMap<String, Sale> sales;
    private final IMap<StockKey, StockBucket> stock;
    private final PartitionService partitions;

    public SaleCatalog(HazelcastInstance hazelcast) {
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
        Set<StockKey> keys = new HashSet<>();
        for (int i = 0; i < sale.buckets(); i++) {
            keys.add(sale.bucket(i));
        }
        return withRetries(() -> stock.submitToKeys(keys, new ReadStock())).thenApply(levels -> StockLevel.sum(levels.values()));
    }

    /** Every sale. Blocking: call it off the request threads that must not wait. */
    public List<Sale> all() {
        return new ArrayList<>(sales.values());
    }

    /**
     * Puts a new sale on the grid: its buckets first, then the sale, so that a sale that can
     * be seen always has its stock. Blocking.
     *
     * <p>Two creations of the same id at once both write the buckets with putIfAbsent; the
     * salts depend only on the id and bucket count, so the loser cannot overwrite the winner's
     * stock, and the loser's answer is {@link SaleExistsException}.
     */
    public Sale create(NewSale request, Instant now) {
        if (sales.containsKey(request.id())) {
            throw new SaleExistsException(request.id());
        }
        Sale sale = new Sale(request.id(), request.name(), request.price(), request.stock(),
                request.startsAt().toEpochMilli(), request.endsAt().toEpochMilli(),
                request.perShopperLimit(), request.paymentWindow().toMillis(),
                saltsForDistinctPartitions(request.id(), request.buckets()), now.toEpochMilli());
        for (int i = 0; i < sale.buckets(); i++) {
            stock.putIfAbsent(sale.bucket(i), StockBucket.withStock(sale.initialStockOf(i)));
        }
        if (sales.putIfAbsent(sale.id(), sale) != null) {
            throw new SaleExistsException(sale.id());
        }
        return sale;
    }

    // Picks, for each bucket, the first salt whose key hashes to a partition no earlier bucket
    // uses, so that a hot sale is served by as many partition threads as it has buckets.
    private int[] saltsForDistinctPartitions(String saleId, int buckets) {
        int partitionCount = partitions.getPartitions().size();
        int[] salts = new int[buckets];
        Set<Integer> used = new HashSet<>();
        for (int bucket = 0; bucket < buckets; bucket++) {
            int salt = 0;
            while (!used.add(partitions.getPartition(new StockKey(saleId, bucket, salt)).getPartitionId())
                    && used.size() < partitionCount) {
                salt++;
            }
            salts[bucket] = salt;
        }
        return salts;
    }
}
