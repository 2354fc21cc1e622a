package dev.flashsale.pipelines;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.hazelcast.client.HazelcastClient;
import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.client.config.RoutingMode;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.query.Predicates;

import dev.flashsale.api.ApiNode;
import dev.flashsale.api.ShopClient;
import dev.flashsale.api.ShopClient.Answer;
import dev.flashsale.api.purchase.OrderIds;
import dev.flashsale.embedded.FreePorts;
import dev.flashsale.grid.GridConfig;
import dev.flashsale.grid.JvmDefaults;
import dev.flashsale.grid.Maps;
import dev.flashsale.purchase.Purchase;
import dev.flashsale.purchase.PurchaseStatus;
import dev.flashsale.purchase.Purchases;

/**
 * A real network split of member processes: three members, each a JVM on a loopback address
 * of its own (127.0.0.2, .3 and .4), cut 2|1 with iptables rules that drop every packet
 * between the sides, and an API node on each side (a client of its side's member only). As in
 * the review that found the split oversold: a sale of 200 units, 150 shoppers buying on each
 * side, 50 of them on both. Then the rules go, the sides merge, and the grid and MySQL are
 * checked. Needs root for iptables; skipped without it.
 */
class NetworkSplitTest {

    static {
        JvmDefaults.apply();
    }

    private static final String CHAIN = "flashsale-split";
    private static final List<String> HOSTS = List.of("127.0.0.2", "127.0.0.3", "127.0.0.4");
    private static final int STOCK = 200;
    private static final int PER_SIDE = 150;
    private static final int ON_BOTH_SIDES = 50;
    private static final Duration DRAIN = Duration.ofMinutes(2);

    private final Parts parts = new Parts();
    private final List<Process> members = new ArrayList<>();

    @AfterEach
    void stop() {
        heal();
        iptables("-D", "OUTPUT", "-j", CHAIN);
        iptables("-X", CHAIN);
        members.forEach(Process::destroyForcibly);
        parts.close();
    }

    @Test
    void theSmallerSideStopsSellingWithinSecondsAndTheMergeKeepsEveryAcknowledgedOrder() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "cutting the network with iptables needs root");
        stop();
        assertThat(iptables("-N", CHAIN)).as("iptables -N " + CHAIN + " (./setup.sh installs iptables)").isZero();
        assertThat(iptables("-I", "OUTPUT", "-j", CHAIN)).isZero();

        // given Kafka, MariaDB, three member processes on their own addresses, both jobs, and an API node on each side
        Path dir = Files.createTempDirectory("flashsale-split");
        EventPathServers servers = parts.add(EventPathServers.start(dir));
        PipelineSettings settings = servers.settings();
        String cluster = "split-" + System.nanoTime();
        int[] ports = FreePorts.pick(HOSTS.size());
        List<String> addresses = IntStream.range(0, HOSTS.size()).mapToObj(i -> HOSTS.get(i) + ":" + ports[i]).toList();
        for (int i = 0; i < HOSTS.size(); i++) {
            members.add(MemberProcess.start(cluster, HOSTS.get(i), ports[i], addresses, dir.resolve("member-" + i + ".log")));
        }
        HazelcastInstance larger = client(cluster, addresses.get(0));
        parts.add(larger::shutdown);
        HazelcastInstance smaller = client(cluster, addresses.get(2));
        parts.add(smaller::shutdown);
        awaitMembers(larger, 3);
        awaitMembers(smaller, 3);
        ApiNode largerApi = parts.add(ApiNode.on(larger, servers.apiEnv()));
        ApiNode smallerApi = parts.add(ApiNode.on(smaller, servers.apiEnv()));
        SaleJobs.submit(larger, settings);
        for (String sale : List.of("warm-up", "in-window", "after-notice")) {
            Answer created = largerApi.shop().createSale(largerApi.adminToken(), sale, STOCK, 4, 1, Instant.now().minusSeconds(1));
            assertThat(created.status()).as(created.body().toString()).isEqualTo(201);
        }
        // (each node has sold before and shown the sales to its shoppers, as nodes in a sale have: a
        // node's first call of a kind registers its serialization schema with every member, which
        // waits out a split)
        for (ApiNode api : List.of(largerApi, smallerApi)) {
            Answer warm = api.shop().purchase(api.shopperToken("warm-up-" + api.shop().baseUrl()), "warm-up", 1, "key");
            assertThat(warm.status()).as(warm.body().toString()).isEqualTo(201);
            for (String sale : List.of("in-window", "after-notice")) {
                assertThat(api.shop().get("/api/sales/" + sale).status()).isEqualTo(200);
            }
        }
        Side largerSide = new Side("larger", largerApi, 0);
        Side smallerSide = new Side("smaller", smallerApi, PER_SIDE - ON_BOTH_SIDES);

        // when the network is cut 2|1, and both sides sell at once, inside the window before the split is noticed
        long cutAt = System.nanoTime();
        cut(HOSTS.get(2), HOSTS.subList(0, 2));
        CompletableFuture<Map<String, Answer>> largerInWindow = largerSide.buy("in-window", cutAt);
        CompletableFuture<Map<String, Answer>> smallerInWindow = smallerSide.buy("in-window", cutAt);
        Map<String, Answer> largerWindowAnswers = largerInWindow.get(3, TimeUnit.MINUTES);
        Map<String, Answer> smallerWindowAnswers = smallerInWindow.get(3, TimeUnit.MINUTES);
        double noticedAfter = smallerSide.firstRefusalSeconds;
        System.out.printf("split: the smaller side refused its first write %.1f s after the cut; in the window %s (larger) and %s (smaller)%n",
                noticedAfter, statuses(largerWindowAnswers), statuses(smallerWindowAnswers));

        // and both sides sell again once the split is noticed: the larger side has taken over the smaller one's partitions
        awaitMembers(larger, 2);
        Map<String, Answer> largerAfterNotice = largerSide.buy("after-notice", System.nanoTime()).get(3, TimeUnit.MINUTES);
        Map<String, Answer> smallerAfterNotice = smallerSide.buy("after-notice", System.nanoTime()).get(3, TimeUnit.MINUTES);
        System.out.printf("split: once noticed, %s (larger) and %s (smaller)%n", statuses(largerAfterNotice), statuses(smallerAfterNotice));

        // then the smaller side refused within seconds, and sold nothing once the split was noticed
        assertThat(noticedAfter).as("seconds from the cut to the smaller side's first refusal").isBetween(0.0, 5.0);
        assertThat(smallerAfterNotice.values()).allSatisfy(answer -> assertThat(answer.status()).as(answer.body().toString()).isEqualTo(503));
        assertThat(won(largerAfterNotice)).hasSizeLessThanOrEqualTo(STOCK);

        // when the network heals and the sides merge
        heal();
        awaitMembers(larger, 3);
        awaitMembers(smaller, 3);

        // then every order acknowledged on either side, inside the window too, is in the merged grid
        Set<String> acknowledged = new HashSet<>(won(largerWindowAnswers));
        acknowledged.addAll(won(smallerWindowAnswers));
        await().atMost(DRAIN).pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> assertThat(ordersIn(larger, "in-window", PurchaseStatus.RESERVED)).containsAll(acknowledged));
        // and units sold twice inside the window, if any, are an alarm naming the bucket
        JsonNode window = reconciliation(largerApi, "in-window");
        int oversold = 0;
        for (JsonNode bucket : window.path("oversold")) {
            oversold += bucket.path("units").asInt();
        }
        assertThat(window.path("grid").path("taken").asInt()).as(window.toString()).isGreaterThanOrEqualTo(acknowledged.size());
        assertThat(oversold).as(window.toString()).isGreaterThanOrEqualTo(acknowledged.size() - STOCK);
        System.out.printf("split: in the window %d acknowledged of %d units; after the merge %s%n", acknowledged.size(), STOCK, window);

        // and in both sales, once settled: every 201 is a MySQL row, and no shopper told "sold out" has one
        // (a shopper answered 503 or 409 may have one: their retry with the same key gets it), no claim is
        // pending, the grid's reserved orders are MySQL's rows, and the grid took the units MySQL holds
        Map<String, List<Map<String, Answer>>> answersBySale = Map.of(
                "in-window", List.of(largerWindowAnswers, smallerWindowAnswers),
                "after-notice", List.of(largerAfterNotice, smallerAfterNotice));
        for (String sale : answersBySale.keySet()) {
            Set<String> won = new HashSet<>();
            Set<String> toldSoldOut = new HashSet<>();
            List<Map<String, Answer>> sides = answersBySale.get(sale);
            for (int side = 0; side < sides.size(); side++) {
                String key = (side == 0 ? largerSide : smallerSide).name + "-key";
                sides.get(side).forEach((shopperId, answer) -> {
                    if (answer.status() == 201) {
                        won.add(answer.text("orderId"));
                    } else if (answer.status() == 410) {
                        toldSoldOut.add(OrderIds.of(sale, shopperId, key));
                    }
                });
            }
            await().atMost(DRAIN).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                JsonNode report = reconciliation(largerApi, sale);
                assertThat(report.path("pendingClaims").asInt()).as(report.toString()).isZero();
                Set<String> rows = orderRows(settings, sale);
                assertThat(rows).as(sale + ": rows").containsAll(won).noneMatch(toldSoldOut::contains);
                assertThat(ordersIn(larger, sale, PurchaseStatus.RESERVED)).as(sale + ": reserved in the grid")
                        .containsExactlyInAnyOrderElementsOf(rows);
                assertThat(report.path("grid").path("taken").asInt()).as(report.toString())
                        .isEqualTo(report.path("mysql").path("units").asInt()).isEqualTo(rows.size());
            });
        }
    }

    /** The shoppers of one side: 150, the first {@code ON_BOTH_SIDES} of the smaller side's shared with the larger side. */
    private static final class Side {
        final String name;
        final ApiNode api;
        final int firstShopper;
        volatile double firstRefusalSeconds = Double.NaN;

        Side(String name, ApiNode api, int firstShopper) {
            this.name = name;
            this.api = api;
            this.firstShopper = firstShopper;
        }

        /** Every shopper buys once, one every 35 ms from {@code from}, with a key of this side's: shopper id to answer. */
        CompletableFuture<Map<String, Answer>> buy(String saleId, long from) {
            return CompletableFuture.supplyAsync(() -> {
                // a thread per shopper: a request that waits on the split must not hold back the next one
                ExecutorService crowd = Executors.newFixedThreadPool(PER_SIDE);
                try {
                    Map<String, CompletableFuture<Answer>> answers = new HashMap<>();
                    for (int i = 0; i < PER_SIDE; i++) {
                        String shopperId = "shopper-" + (firstShopper + i);
                        String token = api.shopperToken(shopperId);
                        long due = from + TimeUnit.MILLISECONDS.toNanos(35L * i);
                        answers.put(shopperId, CompletableFuture.supplyAsync(() -> {
                            sleepUntil(due);
                            Answer answer = buyOnce(api.shop(), token, saleId, name + "-key");
                            if (answer.status() == 503 && Double.isNaN(firstRefusalSeconds)) {
                                firstRefusalSeconds = (System.nanoTime() - from) / 1e9;
                            }
                            return answer;
                        }, crowd));
                    }
                    return answers.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().join()));
                } finally {
                    crowd.shutdown();
                }
            });
        }
    }

    /** One purchase; a node that does not answer within its 30 s counts as 504, which never counts as a unit. */
    private static Answer buyOnce(ShopClient shop, String token, String saleId, String key) {
        try {
            return shop.purchase(token, saleId, 1, key);
        } catch (UncheckedIOException noAnswer) {
            return new Answer(504, com.fasterxml.jackson.databind.node.NullNode.getInstance());
        }
    }

    private static Set<String> won(Map<String, Answer> answers) {
        return answers.values().stream().filter(a -> a.status() == 201).map(a -> a.text("orderId")).collect(Collectors.toSet());
    }

    private static Map<Integer, Long> statuses(Map<String, Answer> answers) {
        return answers.values().stream().collect(Collectors.groupingBy(Answer::status, Collectors.counting()));
    }

    private static HazelcastInstance client(String cluster, String member) {
        ClientConfig config = GridConfig.client(Map.of()).setClusterName(cluster).setInstanceName("api-of-" + member);
        config.getNetworkConfig().setAddresses(List.of(member));
        config.getNetworkConfig().getClusterRoutingConfig().setRoutingMode(RoutingMode.SINGLE_MEMBER);
        return HazelcastClient.newHazelcastClient(config);
    }

    private void cut(String alone, List<String> others) {
        for (String other : others) {
            assertThat(iptables("-A", CHAIN, "-s", alone, "-d", other, "-j", "DROP")).isZero();
            assertThat(iptables("-A", CHAIN, "-s", other, "-d", alone, "-j", "DROP")).isZero();
        }
    }

    private static void heal() {
        iptables("-F", CHAIN);
    }

    /** Runs iptables; answers its exit code (non-zero also when it is missing). */
    private static int iptables(String... arguments) {
        List<String> command = new ArrayList<>(List.of("iptables", "-w"));
        command.addAll(List.of(arguments));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return process.waitFor(30, TimeUnit.SECONDS) ? process.exitValue() : -1;
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static void awaitMembers(HazelcastInstance client, int count) {
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200))
                .until(() -> client.getCluster().getMembers().size() == count);
    }

    private static JsonNode reconciliation(ApiNode api, String saleId) {
        return api.shop().get("/admin/sales/" + saleId + "/reconciliation", api.adminToken()).body();
    }

    private static Set<String> ordersIn(HazelcastInstance client, String saleId, PurchaseStatus status) {
        Set<String> orders = new HashSet<>();
        for (Purchases shopper : Maps.purchases(client).values(Predicates.equal("__key.saleId", saleId))) {
            for (Purchase order : shopper.orders()) {
                if (order.status() == status) {
                    orders.add(order.orderId());
                }
            }
        }
        return orders;
    }

    private static Set<String> orderRows(PipelineSettings settings, String saleId) throws Exception {
        Set<String> rows = new HashSet<>();
        try (Connection connection = DriverManager.getConnection(settings.mysqlUrl(), settings.mysqlUser(), settings.mysqlPassword());
             PreparedStatement statement = connection.prepareStatement("SELECT order_id FROM orders WHERE sale_id = ?")) {
            statement.setString(1, saleId);
            try (ResultSet found = statement.executeQuery()) {
                while (found.next()) {
                    rows.add(found.getString(1));
                }
            }
        }
        return rows;
    }

    private static void sleepUntil(long nanos) {
        long wait = nanos - System.nanoTime();
        if (wait > 0) {
            try {
                Thread.sleep(TimeUnit.NANOSECONDS.toMillis(wait));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
