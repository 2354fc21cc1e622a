package dev.flashsale.bench;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;

import dev.flashsale.grid.GridConfig;
import dev.flashsale.grid.JvmDefaults;
import dev.flashsale.grid.Maps;
import dev.flashsale.stock.RecordProgress;
import dev.flashsale.stock.ReserveStock;
import dev.flashsale.stock.StockBucket;
import dev.flashsale.stock.StockKey;

/**
 * The grid step alone: one client sends {@link ReserveStock} to the buckets of one hot sale,
 * {@value #IN_FLIGHT} calls in flight, against clusters of 1, 2 and 3 members in this JVM, and
 * prints reservations per second for each. No HTTP, no jobs.
 * {@code java -cp ... dev.flashsale.bench.GridStepScaling [seconds]}.
 */
public final class GridStepScaling {

    private static final int IN_FLIGHT = 64;
    private static final int BUCKETS = 16;
    private static final int PROGRESS_EVERY = 1_000;

    private GridStepScaling() {
    }

    public static void main(String[] args) throws Exception {
        JvmDefaults.apply();
        Duration run = Duration.ofSeconds(args.length > 0 ? Integer.parseInt(args[0]) : 10);
        List<String> lines = new ArrayList<>();
        for (int members = 1; members <= 3; members++) {
            lines.add(String.format(Locale.ROOT, "%d member(s): %,.0f reservations/s", members, measure(members, run)));
            System.out.println(lines.get(lines.size() - 1));
        }
        System.out.println(String.join("\n", lines));
        System.exit(0);
    }

    private static double measure(int memberCount, Duration run) throws InterruptedException {
        String cluster = "scaling-" + UUID.randomUUID();
        int basePort = 6_701;
        List<String> addresses = new ArrayList<>();
        for (int i = 0; i < memberCount; i++) {
            addresses.add("127.0.0.1:" + (basePort + i));
        }
        List<HazelcastInstance> members = new ArrayList<>();
        for (int i = 0; i < memberCount; i++) {
            Config config = GridConfig.member(Map.of()).setClusterName(cluster);
            config.getNetworkConfig().setPort(basePort + i).setPortAutoIncrement(false);
            config.getNetworkConfig().getJoin().getTcpIpConfig().setMembers(addresses);
            config.getJetConfig().setEnabled(false);
            members.add(Hazelcast.newHazelcastInstance(config));
        }
        ClientConfig clientConfig = GridConfig.client(Map.of()).setClusterName(cluster);
        clientConfig.getNetworkConfig().setAddresses(addresses);
        HazelcastInstance client = HazelcastClient.newHazelcastClient(clientConfig);
        try {
            IMap<StockKey, StockBucket> stock = Maps.stock(client);
            List<StockKey> buckets = new ArrayList<>();
            for (int i = 0; i < BUCKETS; i++) {
                StockKey key = new StockKey("hot", i, i);
                stock.set(key, StockBucket.withStock(Integer.MAX_VALUE / 2));
                buckets.add(key);
            }
            Semaphore inFlight = new Semaphore(IN_FLIGHT);
            AtomicLong done = new AtomicLong();
            long warmUpEnd = System.nanoTime() + Duration.ofSeconds(2).toNanos();
            long start = 0;
            long end = warmUpEnd + run.toNanos();
            long counted = 0;
            for (long n = 0; System.nanoTime() < end; n++) {
                if (start == 0 && System.nanoTime() >= warmUpEnd) {
                    start = System.nanoTime();
                    counted = done.get();
                }
                inFlight.acquire();
                if (n % PROGRESS_EVERY == 0) {
                    // No event path here: tell the buckets MySQL has everything, as settlement
                    // would, so that they never refuse for their journal share.
                    buckets.forEach(key -> stock.submitToKey(key, new RecordProgress(Long.MAX_VALUE, 0, System.currentTimeMillis())));
                }
                long now = System.currentTimeMillis();
                ReserveStock reserve = new ReserveStock("order-" + n, "shopper-" + n, 1, BigDecimal.TEN, now,
                        now + 900_000, now + 10_000);
                stock.submitToKey(buckets.get((int) (n % BUCKETS)), reserve).whenComplete((reservation, e) -> {
                    if (reservation != null && reservation.won()) {
                        done.incrementAndGet();
                    }
                    inFlight.release();
                });
            }
            inFlight.acquire(IN_FLIGHT);
            return (done.get() - counted) / ((System.nanoTime() - start) / 1e9);
        } finally {
            client.shutdown();
            members.forEach(HazelcastInstance::shutdown);
        }
    }
}
