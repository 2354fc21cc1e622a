package dev.flashsale.pipelines;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.core.HazelcastInstance;

import dev.flashsale.api.ApiNode;
import dev.flashsale.api.ShopClient;
import dev.flashsale.api.ShopClient.Answer;
import dev.flashsale.embedded.FreePorts;
import dev.flashsale.grid.GridConfig;
import dev.flashsale.grid.JvmDefaults;
import dev.flashsale.grid.Maps;
import dev.flashsale.purchase.Purchase;
import dev.flashsale.purchase.PurchaseStatus;
import dev.flashsale.purchase.Purchases;
import dev.flashsale.purchase.ShopperKey;
import dev.flashsale.sale.Sale;
import dev.flashsale.stock.ReadStock;
import dev.flashsale.stock.StockLevel;

/**
 * A randomized fault test: three grid members, each a JVM of its own, are killed with SIGKILL
 * and restarted while a crowd buys a sale, every shopper retrying with the same key until they
 * get a definite answer. Then a checker holds the grid, the answers and MySQL to every
 * invariant. Seeded (it prints the seed; {@code -Dnemesis.seed=} replays one); runs
 * {@code -Dnemesis.seconds=} of sale (60 in the suite; {@code ./nemesis.sh} soaks for longer).
 */
class NemesisTest {

    static {
        JvmDefaults.apply();
    }

    private static final int MEMBERS = 3;
    private static final int CONCURRENCY = 24;
    /** Shoppers arriving per second: the crowd outlasts the sale's stock, so it sells out under faults. */
    private static final int ARRIVALS_PER_SECOND = 60;
    private static final int BUCKETS = 2;
    private static final Duration ANSWER_DEADLINE = Duration.ofMinutes(3);
    private static final Duration DRAIN = Duration.ofMinutes(3);

    private final Parts parts = new Parts();
    private final Process[] members = new Process[MEMBERS];

    @AfterEach
    void stop() {
        for (Process member : members) {
            if (member != null) {
                member.destroyForcibly();
            }
        }
        parts.close();
    }

    @Test
    void membersKilledMidSaleNeverOversellLoseOrDuplicateAnOrder() throws Exception {
        long seed = Long.getLong("nemesis.seed", System.nanoTime());
        Duration length = Duration.ofSeconds(Long.getLong("nemesis.seconds", 60));
        Random random = new Random(seed);
        System.out.printf("nemesis: seed %d, %d s of sale (replay with -Dnemesis.seed=%d -Dnemesis.seconds=%d)%n",
                seed, length.toSeconds(), seed, length.toSeconds());

        // given Kafka, MariaDB, three member processes, an API node and both jobs
        Path dir = Files.createTempDirectory("flashsale-nemesis");
        EventPathServers servers = parts.add(EventPathServers.start(dir));
        PipelineSettings settings = servers.settings();
        String cluster = "nemesis-" + seed;
        int[] ports = FreePorts.pick(MEMBERS);
        List<String> addresses = IntStream.of(ports).mapToObj(port -> "127.0.0.1:" + port).toList();
        for (int i = 0; i < MEMBERS; i++) {
            members[i] = MemberProcess.start(cluster, ports[i], addresses, dir.resolve("member-" + i + ".log"));
        }
        ClientConfig clientConfig = GridConfig.client(Map.of()).setClusterName(cluster);
        clientConfig.getNetworkConfig().setAddresses(addresses);
        HazelcastInstance client = HazelcastClient.newHazelcastClient(clientConfig);
        parts.add(client::shutdown);
        awaitMembers(client);
        ApiNode api = parts.add(ApiNode.on(client, servers.apiEnv()));
        SaleJobs.submit(client, settings);
        ShopClient shop = api.shop();

        // and a sale whose buckets each hold more than their journal share, for a crowd larger than the stock
        int shoppers = (int) (ARRIVALS_PER_SECOND * length.toSeconds());
        int stock = shoppers * 3 / 4;
        Answer created = shop.createSale(api.adminToken(), "nemesis", stock, BUCKETS, 1, Instant.now().minusSeconds(1));
        assertThat(created.status()).as(created.body().toString()).isEqualTo(201);

        // when the crowd buys while members are killed with SIGKILL, at least twice, and restarted
        Map<String, Answer> answers = new ConcurrentHashMap<>();
        Map<String, String> undecided = new ConcurrentHashMap<>();
        ExecutorService crowd = Executors.newFixedThreadPool(CONCURRENCY);
        Semaphore inFlight = new Semaphore(CONCURRENCY);
        Future<?> nemesis = Executors.newSingleThreadExecutor().submit(() -> {
            killAndRestart(random, length, cluster, ports, addresses, dir, client);
            return null;
        });
        long start = System.nanoTime();
        for (int i = 0; i < shoppers; i++) {
            long due = start + (long) (i * 1e9 / ARRIVALS_PER_SECOND);
            long wait = due - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
            inFlight.acquire();
            String shopperId = "nemesis-shopper-" + i;
            String token = api.shopperToken(shopperId);
            String key = "click-" + i;
            crowd.submit(() -> {
                try {
                    Answer answer = buyUntilAnswered(shop, token, key);
                    if (answer == null) {
                        undecided.put(shopperId, key);
                    } else {
                        answers.put(shopperId, answer);
                    }
                } finally {
                    inFlight.release();
                }
            });
        }
        nemesis.get();
        crowd.shutdown();
        assertThat(crowd.awaitTermination(ANSWER_DEADLINE.toSeconds() + 60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();

        // then every request got a definite answer: a unit, or sold out
        assertThat(undecided).as("shoppers without a definite answer").isEmpty();
        Map<Integer, Long> statuses = answers.values().stream().collect(Collectors.groupingBy(Answer::status, Collectors.counting()));
        System.out.printf("nemesis: %d shoppers, %d units; answers %s%n", shoppers, stock, statuses);
        assertThat(statuses.keySet()).as("answers").isSubsetOf(201, 410);
        Set<String> won = answers.values().stream().filter(a -> a.status() == 201).map(a -> a.text("orderId"))
                .collect(Collectors.toSet());
        assertThat(won).as("201s").hasSizeLessThanOrEqualTo(stock);

        // and, after the drain, every 201 is exactly one row in MySQL, and MySQL holds no other
        await().atMost(DRAIN).pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> assertThat(orderRows(settings)).containsExactlyInAnyOrderElementsOf(won));
        assertThat(rowsPerShopper(settings).values()).as("orders per shopper").allSatisfy(rows -> assertThat(rows).isEqualTo(1));
        // and no claim is pending once settled, and the reserved orders are the 201s
        await().atMost(DRAIN).pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> assertThat(ordersIn(client, PurchaseStatus.PENDING)).isEmpty());
        assertThat(ordersIn(client, PurchaseStatus.RESERVED)).containsExactlyInAnyOrderElementsOf(won);
        // and the grid took exactly the units MySQL holds, and taken + available = stock
        await().atMost(DRAIN).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            StockLevel level = level(client);
            assertThat(level.stock()).isEqualTo(stock);
            assertThat(level.taken()).as("units taken in the grid").isEqualTo(won.size());
        });
        if (statuses.getOrDefault(410, 0L) > 0) {
            System.out.printf("nemesis: sold out; %d units still on sale after the drain%n", level(client).available());
        }
    }

    /** Buys until the answer is definite (a unit, sold out): on 503, a pending purchase or no answer, the same key again. */
    private static Answer buyUntilAnswered(ShopClient shop, String token, String key) {
        long deadline = System.nanoTime() + ANSWER_DEADLINE.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                Answer answer = shop.purchase(token, "nemesis", 1, key);
                if (answer.status() == 201 || answer.status() == 410 || (answer.status() != 503 && answer.status() != 409)) {
                    return answer;
                }
                if (answer.status() == 409 && !"purchase_pending".equals(answer.text("error"))) {
                    return answer;
                }
            } catch (UncheckedIOException noAnswer) {
                // the node did not answer in time: ask again
            }
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
        return null;
    }

    /**
     * Kills a random member with SIGKILL at random moments of the sale, one every 20 s or so and
     * at least three, and starts it again each time.
     */
    private void killAndRestart(Random random, Duration length, String cluster, int[] ports, List<String> addresses, Path dir,
                                HazelcastInstance client) throws Exception {
        long start = System.nanoTime();
        int kills = (int) Math.max(3, length.toSeconds() / 20);
        for (int kill = 0; kill < kills; kill++) {
            double at = (kill + 0.25 + random.nextDouble() * 0.5) / kills;
            long due = start + (long) (at * 0.9 * length.toNanos());
            long wait = due - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000);
            }
            int victim = random.nextInt(MEMBERS);
            members[victim].destroyForcibly().waitFor();
            System.out.printf("nemesis: member %d killed with SIGKILL at %.1f s%n", victim, (System.nanoTime() - start) / 1e9);
            Thread.sleep(1_000 + random.nextInt(3_000));
            members[victim] = MemberProcess.start(cluster, ports[victim], addresses, dir.resolve("member-" + victim + ".log"));
            awaitMembers(client);
            // time for the partitions to get their backups again before the next kill
            Thread.sleep(8_000);
        }
    }

    private static void awaitMembers(HazelcastInstance client) {
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500))
                .until(() -> client.getCluster().getMembers().size() == MEMBERS);
    }

    private static StockLevel level(HazelcastInstance client) {
        Sale sale = Maps.sales(client).get("nemesis");
        List<StockLevel> levels = new ArrayList<>();
        for (int i = 0; i < sale.buckets(); i++) {
            StockLevel bucket = Maps.stock(client).executeOnKey(sale.bucket(i), new ReadStock());
            assertThat(bucket.available()).as("bucket %d available", i).isBetween(0, bucket.stock());
            levels.add(bucket);
        }
        return StockLevel.sum(levels);
    }

    private static Set<String> ordersIn(HazelcastInstance client, PurchaseStatus status) {
        Set<String> orders = new java.util.HashSet<>();
        for (Map.Entry<ShopperKey, Purchases> shopper : Maps.purchases(client).entrySet()) {
            for (Purchase order : shopper.getValue().orders()) {
                if (order.status() == status) {
                    orders.add(order.orderId());
                }
            }
        }
        return orders;
    }

    private static Set<String> orderRows(PipelineSettings settings) throws Exception {
        Set<String> rows = new java.util.HashSet<>();
        query(settings, "SELECT order_id, 1 FROM orders WHERE sale_id = 'nemesis'", (id, count) -> rows.add(id));
        return rows;
    }

    private static Map<String, Integer> rowsPerShopper(PipelineSettings settings) throws Exception {
        Map<String, Integer> rows = new HashMap<>();
        query(settings, "SELECT shopper_id, COUNT(*) FROM orders WHERE sale_id = 'nemesis' GROUP BY shopper_id", rows::put);
        return rows;
    }

    private interface Row {
        void read(String text, int number);
    }

    private static void query(PipelineSettings settings, String sql, Row row) throws Exception {
        try (Connection connection = DriverManager.getConnection(settings.mysqlUrl(), settings.mysqlUser(), settings.mysqlPassword());
             PreparedStatement statement = connection.prepareStatement(sql);
             ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                row.read(rows.getString(1), rows.getInt(2));
            }
        }
    }
}
