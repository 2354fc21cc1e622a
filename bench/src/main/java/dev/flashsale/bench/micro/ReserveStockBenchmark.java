package dev.flashsale.bench.micro;

import java.util.AbstractMap.SimpleEntry;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import dev.flashsale.stock.Reservation;
import dev.flashsale.stock.ReserveStock;
import dev.flashsale.stock.StockBucket;
import dev.flashsale.stock.StockKey;

/**
 * {@link ReserveStock#process} as the partition thread runs it, minus the grid: a plain
 * function on an entry whose bucket is in the middle of a rush.
 *
 * <p>Each call starts from the same bucket (the entry is reset first, in both, so the reset
 * costs the same everywhere): every call is the same decision, never a drifting one.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ReserveStockBenchmark {

    private StockBucket withUnits;
    private StockBucket soldOut;
    private ReserveStock newOrder;
    private final Map.Entry<StockKey, StockBucket> entry = new SimpleEntry<>(HotSale.BUCKET, null);

    @Setup
    public void rush() {
        withUnits = HotSale.bucketAfterRush(1_000_000);
        soldOut = HotSale.bucketAfterRush(0);
        newOrder = HotSale.newOrder();
    }

    /** A shopper's first click on a bucket with units: looked up, taken, a new value written. */
    @Benchmark
    public Reservation newOrderWins() {
        entry.setValue(withUnits);
        return HotSale.run(newOrder, entry);
    }

    /** A new order on an empty bucket: a shopper walking the buckets of a sale that is selling out. */
    @Benchmark
    public Reservation soldOutBucketRefuses() {
        entry.setValue(soldOut);
        return HotSale.run(newOrder, entry);
    }
}
