package dev.flashsale.pipelines;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import com.fasterxml.jackson.databind.JsonNode;
import com.hazelcast.jet.Job;

import dev.flashsale.api.ShopClient;
import dev.flashsale.api.ShopClient.Answer;
import dev.flashsale.api.purchase.Crowd;
import dev.flashsale.api.purchase.Crowd.Click;
import dev.flashsale.api.purchase.Crowd.Result;

/**
 * Every acknowledged purchase ends in MySQL exactly once, whatever fails on the way: real
 * purchases through the API of a 3-member grid, a real Kafka broker and a real MariaDB
 * server, with a job, the broker, MySQL or a member knocked over mid-stream.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SaleEventsToMysqlTest {

    private static final int PURCHASES = 1_000;
    private static final int CONCURRENCY = 32;
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(60);
    private static final int RATE_PER_SECOND = 200;

    private static SalePlatform platform;
    private static ShopClient shop;

    @BeforeAll
    static void start() {
        platform = SalePlatform.start(3);
        shop = platform.api.shop();
    }

    @AfterAll
    static void stop() {
        platform.close();
    }

    /**
     * Measures, does not assert: the delay from a 201 reaching the shopper to its row in
     * MySQL, at a steady {@value #RATE_PER_SECOND} purchases per second, once the jobs are
     * warm (their first events wait for Kafka producers and consumers to start). Printed and
     * written to target/pipeline-latency.txt.
     */
    @Test
    @Order(0)
    void reportsTheDelayFromAnswerToRow() throws Exception {
        assertEveryPurchaseLandsOnce("warm-up", () -> { });
        String saleId = "latency";
        int purchases = RATE_PER_SECOND * 10;
        shop.createSale(platform.api.adminToken(), saleId, purchases, 8, 1, Instant.now().minusSeconds(1));
        Map<String, Long> answeredAt = new ConcurrentHashMap<>();
        List<CompletableFuture<?>> calls = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < purchases; i++) {
            long due = start + i * 1_000_000_000L / RATE_PER_SECOND;
            while (System.nanoTime() < due) {
                Thread.onSpinWait();
            }
            String shopperId = "steady-" + i;
            calls.add(shop.purchaseAsync(platform.api.shopperToken(shopperId), saleId, 1, "k").thenAccept(answer -> {
                if (answer.status() == 201) {
                    answeredAt.put(answer.text("orderId"), System.currentTimeMillis());
                }
            }));
        }
        CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).join();
        await().atMost(DRAIN_TIMEOUT).until(() -> platform.orderRows(saleId).size() == answeredAt.size());

        Map<String, Instant> recorded = platform.recordedAt(saleId);
        long[] delays = answeredAt.entrySet().stream()
                .mapToLong(answer -> recorded.get(answer.getKey()).toEpochMilli() - answer.getValue())
                .sorted().toArray();
        String report = String.format("answer-to-row delay at %d purchases/s over %d purchases: p50 %d ms, p99 %d ms, max %d ms%n",
                RATE_PER_SECOND, delays.length, percentile(delays, 50), percentile(delays, 99), delays[delays.length - 1]);
        System.out.print(report);
        Files.writeString(Path.of("target", "pipeline-latency.txt"), report);
        assertThat(delays).hasSize(purchases);
    }

    @Test
    @Order(1)
    void everyPurchaseBecomesOneRow() throws Exception {
        assertEveryPurchaseLandsOnce("happy", () -> { });
    }

    @Test
    @Order(2)
    void ordersJobRestartedMidStream() throws Exception {
        assertEveryPurchaseLandsOnce("orders-job-restart", () -> platform.job(SaleJobs.ORDERS).restart());
    }

    @Test
    @Order(3)
    void outboxJobRestartedMidStream() throws Exception {
        assertEveryPurchaseLandsOnce("outbox-job-restart", () -> platform.job(SaleJobs.OUTBOX).restart());
    }

    @Test
    @Order(4)
    void kafkaBrokerStoppedAndRestartedMidStream() throws Exception {
        assertEveryPurchaseLandsOnce("kafka-restart", () -> {
            platform.kafka.stop();
            pause(Duration.ofSeconds(3));
            platform.kafka.restart();
        });
    }

    @Test
    @Order(5)
    void mysqlStoppedAndRestartedMidStream() throws Exception {
        assertEveryPurchaseLandsOnce("mysql-restart", () -> {
            platform.mysql.stop();
            pause(Duration.ofSeconds(3));
            platform.mysql.restart();
        });
    }

    @Test
    @Order(6)
    void submittingAgainKeepsTheRunningJobs() {
        Map<String, Long> before = jobIds();

        List<Job> again = SaleJobs.submit(platform.api.client(), platform.settings);

        assertThat(again).extracting(Job::getId).containsExactlyInAnyOrderElementsOf(before.values());
        assertThat(activeJobsNamed(SaleJobs.OUTBOX)).isEqualTo(1);
        assertThat(activeJobsNamed(SaleJobs.ORDERS)).isEqualTo(1);
    }

    @Test
    @Order(7)
    void aNewVersionReplacesTheJobsMidStream() throws Exception {
        Map<String, Long> before = jobIds();

        assertEveryPurchaseLandsOnce("new-version", () -> SaleJobs.submit(platform.api.client(), platform.settings, "next"));

        assertThat(jobIds().values()).doesNotContainAnyElementsOf(before.values());
        assertThat(activeJobsNamed(SaleJobs.OUTBOX)).isEqualTo(1);
        assertThat(activeJobsNamed(SaleJobs.ORDERS)).isEqualTo(1);
    }

    @Test
    @Order(8)
    void memberTerminatedMidStream() throws Exception {
        assertEveryPurchaseLandsOnce("member-crash", () -> platform.cluster.terminate(platform.cluster.member(1)));
    }

    /**
     * Sells {@value #PURCHASES} units to as many shoppers (stock to spare, so every purchase is
     * won), runs {@code midway} a third of the way in, then waits for MySQL to catch up.
     */
    private static void assertEveryPurchaseLandsOnce(String saleId, Runnable midway) throws Exception {
        // given an open sale with more stock than shoppers
        Answer created = shop.createSale(platform.api.adminToken(), saleId, PURCHASES + 200, 8, 1, Instant.now().minusSeconds(1));
        assertThat(created.status()).as(created.body().toString()).isEqualTo(201);
        List<Click> clicks = new ArrayList<>();
        for (int i = 0; i < PURCHASES; i++) {
            String shopperId = saleId + "-shopper-" + i;
            clicks.add(new Click(shopperId, platform.api.shopperToken(shopperId), "buy-" + i));
        }

        // when they all buy, and something fails a third of the way in
        List<Result> results = Crowd.rush(shop, saleId, clicks, CONCURRENCY, PURCHASES / 3, midway);

        // then every purchase was answered, and won
        Map<Integer, Long> statuses = results.stream().collect(Collectors.groupingBy(Result::status, Collectors.counting()));
        assertThat(statuses).as("answers").containsOnlyKeys(201);
        Set<String> won = results.stream().map(r -> r.answer().text("orderId")).collect(Collectors.toSet());
        assertThat(won).hasSize(PURCHASES);

        // and MySQL ends with exactly one row per 201, none without one
        await().atMost(DRAIN_TIMEOUT).pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> assertThat(platform.orderRows(saleId).keySet()).containsExactlyInAnyOrderElementsOf(won));
        assertThat(platform.orderRows(saleId).values()).allMatch(rows -> rows == 1);
        assertThat(platform.saleStockInMysql(saleId)).isEqualTo(PURCHASES + 200);

        // and the reconciliation report agrees: grid and MySQL conserve the stock
        JsonNode report = shop.get("/admin/sales/" + saleId + "/reconciliation", platform.api.adminToken()).body();
        assertThat(report.path("consistent").asBoolean()).as(report.toString()).isTrue();
        assertThat(report.path("eventsInFlight").asLong()).isZero();
        assertThat(report.path("grid").path("taken").asInt()).isEqualTo(PURCHASES);
        assertThat(report.path("mysql").path("units").asLong()).isEqualTo(PURCHASES);
    }

    private static Map<String, Long> jobIds() {
        return Map.of(SaleJobs.OUTBOX, platform.job(SaleJobs.OUTBOX).getId(), SaleJobs.ORDERS, platform.job(SaleJobs.ORDERS).getId());
    }

    private static long activeJobsNamed(String name) {
        return platform.api.client().getJet().getJobs(name).stream().filter(job -> !job.getStatus().isTerminal()).count();
    }

    private static long percentile(long[] sorted, int percent) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(percent / 100.0 * sorted.length) - 1)];
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
