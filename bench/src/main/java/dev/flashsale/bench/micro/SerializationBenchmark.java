package dev.flashsale.bench.micro;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.internal.serialization.Data;
import com.hazelcast.internal.serialization.SerializationService;

/**
 * The hot grid types to and from their serialized form, through a real member's serialization
 * service configured from {@code hazelcast-member.yaml}: the Compact serialization members and
 * clients apply to every entry processor, answer, key and journaled value.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SerializationBenchmark {

    /** Every value the benchmark knows, by the name {@code -p type=...} takes. */
    static final Map<String, Supplier<Object>> VALUES = Map.of(
            "StockBucket", () -> HotSale.bucketAfterRush(1_000_000),
            "ReserveStock", HotSale::newOrder,
            "Reservation", HotSale::reservationWon,
            "ClaimQuota", HotSale::claimQuota,
            "QuotaClaim", HotSale::quotaClaim,
            "Purchases", HotSale::purchasesOfOneOrder,
            "ConfirmPurchase", HotSale::confirmPurchase,
            "StockKey", () -> HotSale.BUCKET);

    @Param({"StockBucket", "ReserveStock", "Reservation", "ClaimQuota", "QuotaClaim", "Purchases",
            "ConfirmPurchase", "StockKey"})
    public String type;

    private HazelcastInstance member;
    private SerializationService serialization;
    private Object value;
    private Data data;

    @Setup
    public void startMember() {
        member = LoneMember.start();
        serialization = LoneMember.serialization(member);
        Supplier<Object> sample = VALUES.get(type);
        if (sample == null) {
            throw new IllegalArgumentException("no such type: " + type + "; known: " + VALUES.keySet());
        }
        value = sample.get();
        // The first write registers the type's Compact schema; the measured ones find it.
        data = serialization.toData(value);
    }

    @TearDown
    public void stopMember() {
        member.shutdown();
    }

    @Benchmark
    public Data toData() {
        return serialization.toData(value);
    }

    @Benchmark
    public Object toObject() {
        return serialization.toObject(data);
    }
}
