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
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
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
import dev.flashsale.purchase.Purchases;
import dev.flashsale.purchase.ShopperKey;
import dev.flashsale.sale.Sale;
import dev.flashsale.stock.ReadStock;
import dev.flashsale.stock.StockLevel;

/**
 * A randomized fault test: three grid members, each a JVM of its own, are killed with SIGKILL
 * and restarted while a crowd buys a sale, every shopper retrying with the same key until they
 * get a definite answer. Each winner then pays, cancels or walks away (the order expires), at a
 * random moment that may be after the payment window, so payments, cancels and expiries race
 * each other and the kills, and the units given back are sold again. Then a checker holds the
 * grid, the answers and MySQL to every invariant: final states, conservation, refunds due. Seeded (it prints the seed; {@code -Dnemesis.seed=} replays one); runs
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
    private static final long PAYMENT_WINDOW_SECONDS = 8;

    /** What a winner does with their order. */
    private enum Action { PAY, CANCEL, WALK_AWAY }

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
        Answer created = shop.createSale(api.adminToken(), "nemesis", stock, BUCKETS, 1, Instant.now().minusSeconds(1),
                PAYMENT_WINDOW_SECONDS);
        assertThat(created.status()).as(created.body().toString()).isEqualTo(201);

        // when the crowd buys while members are killed with SIGKILL, at least twice, and restarted
        Map<String, Answer> answers = new ConcurrentHashMap<>();
        Map<String, String> undecided = new ConcurrentHashMap<>();
        Map<String, String> expectedStates = new ConcurrentHashMap<>();
        Map<String, String> refundsDue = new ConcurrentHashMap<>();
        ScheduledExecutorService winners = Executors.newScheduledThreadPool(8);
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
            Random choices = new Random(seed ^ i);
            crowd.submit(() -> {
                try {
                    Answer answer = buyUntilAnswered(shop, token, key);
                    if (answer == null) {
                        undecided.put(shopperId, key);
                    } else {
                        answers.put(shopperId, answer);
                        if (answer.status() == 201) {
                            String orderId = answer.text("orderId");
                            Action action = Action.values()[choices.nextInt(Action.values().length)];
                            long after = choices.nextLong((PAYMENT_WINDOW_SECONDS + 2) * 1_000);
                            winners.schedule(() -> act(shop, token, orderId, action, expectedStates, refundsDue, undecided),
                                    after, TimeUnit.MILLISECONDS);
                        }
                    }
                } finally {
                    inFlight.release();
                }
            });
        }
        nemesis.get();
        crowd.shutdown();
        assertThat(crowd.awaitTermination(ANSWER_DEADLINE.toSeconds() + 60, TimeUnit.SECONDS)).isTrue();
        winners.shutdown();
        assertThat(winners.awaitTermination(ANSWER_DEADLINE.toSeconds() + 60, TimeUnit.SECONDS)).isTrue();

        // then every request got a definite answer: a unit, or sold out; every payment and cancel one too
        assertThat(undecided).as("shoppers without a definite answer").isEmpty();
        Map<Integer, Long> statuses = answers.values().stream().collect(Collectors.groupingBy(Answer::status, Collectors.counting()));
        Map<String, Long> ends = expectedStates.values().stream().collect(Collectors.groupingBy(state -> state, Collectors.counting()));
        System.out.printf("nemesis: %d shoppers, %d units; answers %s; orders %s; %d refunds due%n", shoppers, stock, statuses,
                ends, refundsDue.size());
        assertThat(statuses.keySet()).as("answers").isSubsetOf(201, 410);
        Set<String> won = answers.values().stream().filter(a -> a.status() == 201).map(a -> a.text("orderId"))
                .collect(Collectors.toSet());
        assertThat(expectedStates).as("an end for every order").hasSameSizeAs(won);
        assertThat(ends.getOrDefault("PAID", 0L)).as("units paid").isLessThanOrEqualTo(stock);

        // and, after the drain, every 201 is exactly one row in MySQL, and MySQL holds no other
        await().atMost(DRAIN).pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> assertThat(orderRows(settings)).containsExactlyInAnyOrderElementsOf(won));
        assertThat(rowsPerShopper(settings).values()).as("orders per shopper").allSatisfy(rows -> assertThat(rows).isEqualTo(1));
        // and every order is in the final state its answers said, in the grid and in MySQL
        await().atMost(DRAIN).pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> assertThat(statesIn(client)).isEqualTo(expectedStates));
        await().atMost(DRAIN).pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> assertThat(statesIn(settings)).isEqualTo(expectedStates));
        assertThat(refundsDueIn(settings)).as("refunds due").isEqualTo(refundsDue);
        // and every unit not paid is back on sale, once: stock = available + paid, in the grid and in MySQL
        long paid = ends.getOrDefault("PAID", 0L);
        await().atMost(DRAIN).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            StockLevel level = level(client);
            assertThat(level.stock()).isEqualTo(stock);
            assertThat(level.taken()).as("units taken in the grid").isEqualTo(paid);
            JsonNode report = shop.get("/admin/sales/nemesis/reconciliation", api.adminToken()).body();
            assertThat(report.get("consistent").asBoolean()).as(report.toString()).isTrue();
            assertThat(report.at("/conservation/mysql/available").asLong()).isEqualTo(stock - paid);
        });
        System.out.printf("nemesis: %d units paid, %d back on sale after the drain%n", paid, level(client).available());
    }

    /**
     * Does what the winner chose, retrying until the answer is definite, and records the state
     * the order must end in: PAID if the payment was taken, CANCELLED if the cancel was, else
     * EXPIRED (the winner walked away, or came back after the window).
     */
    private static void act(ShopClient shop, String token, String orderId, Action action, Map<String, String> expectedStates,
                            Map<String, String> refundsDue, Map<String, String> undecided) {
        if (action == Action.WALK_AWAY) {
            expectedStates.put(orderId, "EXPIRED");
            return;
        }
        long deadline = System.nanoTime() + ANSWER_DEADLINE.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                Answer answer = action == Action.PAY ? shop.payInDemo(token, orderId) : shop.cancel(token, orderId);
                if (action == Action.PAY && answer.status() == 200) {
                    boolean paid = "paid".equals(answer.text("result"));
                    if (!paid) {
                        refundsDue.put("demo-" + orderId, answer.text("reason"));
                    }
                    expectedStates.put(orderId, paid ? "PAID" : "EXPIRED");
                    return;
                }
                if (action == Action.CANCEL && (answer.status() == 200 || "order_not_cancellable".equals(answer.text("error")))) {
                    expectedStates.put(orderId, answer.status() == 200 ? "CANCELLED" : "EXPIRED");
                    return;
                }
                if (answer.status() != 503 && answer.status() != 409) {
                    throw new AssertionError(action + " of " + orderId + " answered " + answer.status() + " " + answer.body());
                }
            } catch (UncheckedIOException noAnswer) {
                // the node did not answer in time: ask again
            }
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        undecided.put(orderId, action.name());
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

    /** Every order of the sale in the grid, with its state. */
    private static Map<String, String> statesIn(HazelcastInstance client) {
        Map<String, String> orders = new HashMap<>();
        for (Map.Entry<ShopperKey, Purchases> shopper : Maps.purchases(client).entrySet()) {
            for (Purchase order : shopper.getValue().orders()) {
                orders.put(order.orderId(), order.status().name());
            }
        }
        return orders;
    }

    /** Every order of the sale in MySQL, with its state; "?" where the state's time is not set. */
    private static Map<String, String> statesIn(PipelineSettings settings) throws Exception {
        Map<String, String> orders = new HashMap<>();
        try (Connection connection = DriverManager.getConnection(settings.mysqlUrl(), settings.mysqlUser(), settings.mysqlPassword());
             PreparedStatement statement = connection.prepareStatement("""
                     SELECT order_id, status, COALESCE(paid_at, cancelled_at, expired_at) FROM orders WHERE sale_id = 'nemesis'""");
             ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                orders.put(rows.getString(1), rows.getString(2) + (rows.getTimestamp(3) == null ? "?" : ""));
            }
        }
        return orders;
    }

    private static Map<String, String> refundsDueIn(PipelineSettings settings) throws Exception {
        Map<String, String> refunds = new HashMap<>();
        try (Connection connection = DriverManager.getConnection(settings.mysqlUrl(), settings.mysqlUser(), settings.mysqlPassword());
             PreparedStatement statement = connection.prepareStatement("SELECT payment_id, reason FROM refunds_due WHERE sale_id = 'nemesis'");
             ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                refunds.put(rows.getString(1), rows.getString(2));
            }
        }
        return refunds;
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
