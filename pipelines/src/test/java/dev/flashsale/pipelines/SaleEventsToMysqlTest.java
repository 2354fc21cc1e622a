package dev.flashsale.pipelines;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import com.fasterxml.jackson.databind.JsonNode;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.jet.Job;
import com.hazelcast.jet.core.JobStatus;
import com.hazelcast.internal.nio.Packet;
import com.hazelcast.internal.server.PacketFilter;
import com.hazelcast.map.IMap;
import com.hazelcast.partition.Partition;
import com.hazelcast.test.PacketFiltersUtil;

import dev.flashsale.api.ShopClient.Answer;
import dev.flashsale.api.ShopClient;
import dev.flashsale.api.purchase.Crowd.Click;
import dev.flashsale.api.purchase.Crowd.Result;
import dev.flashsale.api.purchase.Crowd;
import dev.flashsale.api.purchase.OrderIds;
import dev.flashsale.grid.Jobs;
import dev.flashsale.grid.Maps;
import dev.flashsale.purchase.ClaimQuota;
import dev.flashsale.purchase.ConfirmPurchase;
import dev.flashsale.purchase.PurchaseStatus;
import dev.flashsale.purchase.QuotaClaim;
import dev.flashsale.purchase.ShopperKey;
import dev.flashsale.sale.Sale;
import dev.flashsale.stock.JournalShare;
import dev.flashsale.stock.ReadStock;
import dev.flashsale.stock.Reservation;
import dev.flashsale.stock.ReserveStock;
import dev.flashsale.stock.StockBucket;
import dev.flashsale.stock.StockKey;
import dev.flashsale.pipelines.events.OrderReserved;
import dev.flashsale.pipelines.events.SaleEventJson;
import dev.flashsale.pipelines.events.SaleScheduled;

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
    private static final int BEHIND_SLOW_ROW = 3_000;

    private static SalePlatform platform;
    /** Partitions of the sale events topic; a case adds some. */
    private static int topicPartitions = SalePlatform.TOPIC_PARTITIONS;
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
        assertEveryPurchaseLandsOnce("orders-job-restart", () -> platform.job(Jobs.ORDERS).restart());
    }

    @Test
    @Order(3)
    void outboxJobRestartedMidStream() throws Exception {
        assertEveryPurchaseLandsOnce("outbox-job-restart", () -> platform.job(Jobs.OUTBOX).restart());
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
        assertThat(activeJobsNamed(Jobs.OUTBOX)).isEqualTo(1);
        assertThat(activeJobsNamed(Jobs.ORDERS)).isEqualTo(1);
    }

    @Test
    @Order(9)
    void aNewVersionReplacesTheJobsMidStream() throws Exception {
        Map<String, Long> before = jobIds();

        assertEveryPurchaseLandsOnce("new-version", () -> SaleJobs.submit(platform.api.client(), platform.settings, "next"));

        assertThat(jobIds().values()).doesNotContainAnyElementsOf(before.values());
        assertThat(activeJobsNamed(Jobs.OUTBOX)).isEqualTo(1);
        assertThat(activeJobsNamed(Jobs.ORDERS)).isEqualTo(1);
    }

    /**
     * The records that stalled the MySQL sink for good before: one that is not JSON, a
     * tombstone, an order whose shopper id is longer than its column, a sale that ends in the
     * year 10000, and a real purchase whose row MySQL itself refuses. Each becomes one dead
     * letter with its reason, in the table and on the dead-letter topic; every purchase around
     * them lands; the job keeps running and the path keeps moving.
     */
    @Test
    @Order(10)
    void poisonRecordsBecomeDeadLettersAndEveryOtherOrderLands() throws Exception {
        List<String> poison = new ArrayList<>();
        // given MySQL refuses the row of one shopper, whatever the edge let through
        platform.execute("""
                CREATE TRIGGER refuse_one_shopper BEFORE INSERT ON orders FOR EACH ROW
                IF NEW.shopper_id = 'refused-by-mysql' THEN
                    SIGNAL SQLSTATE '22003' SET MESSAGE_TEXT = 'this shopper cannot be stored';
                END IF""");
        try {
            Map<String, String> before = platform.deadLetters();
            // and poison records published to the topic mid-stream, next to a sale's purchases
            assertEveryPurchaseLandsOnce("poison", () -> {
                poison.add(at(platform.publish("junk", "this is not a sale event")));
                poison.add(at(platform.publish("00000000-0000-0000-0000-000000000001", null)));
                poison.add(at(platform.publish("00000000-0000-0000-0000-000000000002", SaleEventJson.write(new OrderReserved(
                        "00000000-0000-0000-0000-000000000002/reserved", 1, Instant.now(), "poison-elsewhere", "00000000-0000-0000-0000-000000000002",
                        "s".repeat(200), 1, BigDecimal.ONE, 0, Instant.now().plusSeconds(900), null, 0)))));
                poison.add(at(platform.publish("poison-future", SaleEventJson.write(new SaleScheduled(
                        "sale/poison-future/1", 1, Instant.now(), "poison-future", "Far future", BigDecimal.ONE, 10,
                        Instant.now(), Instant.parse("+10000-01-01T00:00:00Z"), 1, 900, 1)))));
            });
            // and a real purchase that MySQL will refuse
            shop.createSale(platform.api.adminToken(), "poison-refused", 10, 1, 1, Instant.now().minusSeconds(1));
            Answer refused = shop.purchase(platform.api.shopperToken("refused-by-mysql"), "poison-refused", 1, "k");
            assertThat(refused.status()).isEqualTo(201);

            // then each poison record is one dead letter that says why
            await().atMost(DRAIN_TIMEOUT).untilAsserted(() -> assertThat(platform.deadLetters()).hasSize(before.size() + 5));
            Map<String, String> letters = platform.deadLetters();
            assertThat(letters.get(poison.get(0))).startsWith("not a sale event");
            assertThat(letters.get(poison.get(1))).contains("tombstone");
            assertThat(letters.get(poison.get(2))).contains("shopperId");
            assertThat(letters.get(poison.get(3))).contains("endsAt");
            assertThat(letters.values()).anyMatch(reason -> reason.contains("this shopper cannot be stored"));
            // and the dead-letter topic carries them too, keyed by where each record sat
            await().atMost(DRAIN_TIMEOUT).untilAsserted(() -> assertThat(platform.deadLetterTopic().keySet())
                    .containsAll(poison.stream().map(at -> Topics.SALE_EVENTS + "/" + at).toList()));
            // and ops see the refused order in reconciliation and in the admin API
            JsonNode report = shop.get("/admin/sales/poison-refused/reconciliation", platform.api.adminToken()).body();
            assertThat(report.path("deadLetters").asLong()).as(report.toString()).isEqualTo(1);
            assertThat(report.path("eventsInFlight").asLong()).isEqualTo(1);
            assertThat(report.path("consistent").asBoolean()).isFalse();
            JsonNode listed = shop.get("/admin/dead-letters?saleId=poison-refused", platform.api.adminToken()).body();
            assertThat(listed.path("count").asLong()).isEqualTo(1);
            assertThat(listed.path("deadLetters").get(0).path("orderId").asText()).isEqualTo(refused.text("orderId"));
            assertThat(listed.path("deadLetters").get(0).path("resolved").asBoolean()).isFalse();
            assertThat(shop.get("/admin/event-path", platform.api.adminToken()).body().path("deadLetters").asLong())
                    .isGreaterThanOrEqualTo(before.size() + 5);
        } finally {
            platform.execute("DROP TRIGGER refuse_one_shopper");
        }

        // when ops republish the refused order's event once MySQL takes it again
        JsonNode letter = shop.get("/admin/dead-letters?saleId=poison-refused", platform.api.adminToken()).body().path("deadLetters").get(0);
        platform.publish(letter.path("key").asText(), letter.path("value").asText());

        // then the order lands, its dead letter is resolved, and the sale is consistent again
        await().atMost(DRAIN_TIMEOUT).untilAsserted(() -> {
            JsonNode report = shop.get("/admin/sales/poison-refused/reconciliation", platform.api.adminToken()).body();
            assertThat(report.path("consistent").asBoolean()).as(report.toString()).isTrue();
            assertThat(report.path("deadLetters").asLong()).isZero();
        });
        JsonNode resolved = shop.get("/admin/dead-letters?saleId=poison-refused", platform.api.adminToken()).body();
        assertThat(resolved.path("count").asLong()).isZero();
        assertThat(resolved.path("deadLetters").get(0).path("resolved").asBoolean()).isTrue();

        // and a sale whose version was refused is resolved by a repaired, newer version
        assertThat(shop.get("/admin/dead-letters?saleId=poison-future", platform.api.adminToken()).body().path("count").asLong())
                .isEqualTo(1);
        platform.publish("poison-future", SaleEventJson.write(new SaleScheduled("sale/poison-future/2", 1, Instant.now(), "poison-future",
                "Far future, repaired", BigDecimal.ONE, 10, Instant.now(), Instant.now().plusSeconds(3_600), 1, 900, 1)));
        await().atMost(DRAIN_TIMEOUT).untilAsserted(() -> assertThat(
                shop.get("/admin/dead-letters?saleId=poison-future", platform.api.adminToken()).body().path("count").asLong()).isZero());
        // while the letters of records that were no sale event stay open until ops resolve them by hand
        assertThat(platform.deadLetters().keySet()).contains(poison.get(0), poison.get(1));
        assertThat(shop.get("/admin/event-path", platform.api.adminToken()).body().path("deadLetters").asLong()).isGreaterThanOrEqualTo(2);
    }

    /**
     * A path whose jobs all show RUNNING but that does not move shows a growing lag, and catches
     * up once it moves again. Here one writer of the orders job waits on MySQL (a trigger that
     * sleeps on one shopper's row) while the others are free: the lag must still show it, as
     * that writer's partition holds its heartbeats behind the stuck row.
     */
    @Test
    @Order(11)
    void aPathThatRunsButDoesNotMoveShowsItsLag() throws Exception {
        assertThePathMoves();
        platform.execute("""
                CREATE TRIGGER slow_one_shopper BEFORE INSERT ON orders FOR EACH ROW
                IF NEW.shopper_id = 'slow-for-mysql' THEN
                    DO SLEEP(40);
                END IF""");
        CompletableFuture<List<Result>> behind;
        try {
            // given one order whose row MySQL takes 40 s to write
            shop.createSale(platform.api.adminToken(), "slow-row", 10, 1, 1, Instant.now().minusSeconds(1));
            assertThat(shop.purchase(platform.api.shopperToken("slow-for-mysql"), "slow-row", 1, "k").status()).isEqualTo(201);
            // and, meanwhile, more orders than the stuck writer's queues hold, so that records
            // (heartbeats among them) would be handed to the free writers if the job let them
            shop.createSale(platform.api.adminToken(), "behind-slow-row", BEHIND_SLOW_ROW, 8, 1, Instant.now().minusSeconds(1));
            List<Click> clicks = new ArrayList<>();
            for (int i = 0; i < BEHIND_SLOW_ROW; i++) {
                clicks.add(new Click("behind-" + i, platform.api.shopperToken("behind-" + i), "k"));
            }
            behind = CompletableFuture.supplyAsync(() -> rush("behind-slow-row", clicks));

            // then the lag grows past 15 s while both jobs run (busy, it is a few seconds)
            await().atMost(Duration.ofSeconds(35)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                JsonNode path = shop.get("/admin/event-path", platform.api.adminToken()).body();
                assertThat(path.path("jobs")).allSatisfy(job -> assertThat(job.path("status").asText()).isEqualTo("RUNNING"));
                assertThat(path.path("lag").path("lagMillis").asLong()).as(path.toString()).isGreaterThan(15_000);
            });
        } finally {
            platform.execute("DROP TRIGGER slow_one_shopper");
        }
        // and once the row is written, the path catches up and every order is there
        assertThat(behind.get(2, TimeUnit.MINUTES)).allMatch(result -> result.status() == 201);
        assertThePathMoves();
        assertThat(platform.ordersPerShopper("slow-row")).containsEntry("slow-for-mysql", 1);
        await().atMost(DRAIN_TIMEOUT).until(() -> platform.orderRows("behind-slow-row").size() == BEHIND_SLOW_ROW);
    }

    private static List<Result> rush(String saleId, List<Click> clicks) {
        try {
            return Crowd.rush(shop, saleId, clicks, CONCURRENCY);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The submitter leaves no job missing: a cancelled job is submitted again, a suspended one resumed. */
    @Test
    @Order(7)
    void submittingBringsBackACancelledJobAndResumesASuspendedOne() throws Exception {
        // given the orders job was cancelled and the outbox suspended
        Job orders = platform.job(Jobs.ORDERS);
        orders.cancel();
        await().atMost(DRAIN_TIMEOUT).until(() -> orders.getStatus().isTerminal());
        Job outbox = platform.job(Jobs.OUTBOX);
        outbox.suspend();
        await().atMost(DRAIN_TIMEOUT).until(() -> outbox.getStatus() == JobStatus.SUSPENDED);

        // when the jobs are submitted again, mid-stream
        assertEveryPurchaseLandsOnce("resubmitted", () -> SaleJobs.submit(platform.api.client(), platform.settings));

        // then the outbox is the same job, resumed, and the orders job a new one; one of each runs
        assertThat(platform.job(Jobs.OUTBOX).getId()).isEqualTo(outbox.getId());
        assertThat(platform.job(Jobs.ORDERS).getId()).isNotEqualTo(orders.getId());
        assertThat(activeJobsNamed(Jobs.OUTBOX)).isEqualTo(1);
        assertThat(activeJobsNamed(Jobs.ORDERS)).isEqualTo(1);
    }

    /** After ops add partitions to the topic, submitting again makes the outbox send heartbeats to them too. */
    @Test
    @Order(8)
    void partitionsAddedToTheTopicGetHeartbeatsOnceSubmittedAgain() throws Exception {
        // given the topic grew by two partitions
        long outbox = platform.job(Jobs.OUTBOX).getId();
        long orders = platform.job(Jobs.ORDERS).getId();
        topicPartitions = SalePlatform.TOPIC_PARTITIONS + 2;
        platform.addPartitions(topicPartitions);

        // when the jobs are submitted again, mid-stream
        assertEveryPurchaseLandsOnce("more-partitions", () -> SaleJobs.submit(platform.api.client(), platform.settings));

        // then the outbox was replaced (the orders job finds new partitions itself) and every partition reports
        assertThat(platform.job(Jobs.OUTBOX).getId()).isNotEqualTo(outbox);
        assertThat(platform.job(Jobs.ORDERS).getId()).isEqualTo(orders);
    }

    @Test
    @Order(13)
    void memberTerminatedMidStream() throws Exception {
        assertEveryPurchaseLandsOnce("member-crash", () -> platform.cluster.terminate(platform.cluster.member(1)));
    }

    /**
     * The cases every idempotency design must answer, each as the grid sees it: an attempt whose
     * API node died right after its claim; one whose bucket took the unit but whose answer was
     * lost; one that Hazelcast ran twice on the bucket (two units for one order). Settlement
     * decides each from the reservation events: nobody is locked out, every unit taken is an
     * order's or comes back, and the lost call arriving late takes nothing.
     */
    @Test
    @Order(16)
    void attemptsCutOffMidwaySettleFromTheEvents() throws Exception {
        // given an open sale of 10 units in one bucket
        Sale sale = openSaleOfOneBucket("cut-off", 10);
        HazelcastInstance grid = platform.api.client();
        IMap<StockKey, StockBucket> stock = Maps.stock(grid);

        // and three attempts that their API node left midway
        Attempt claimedOnly = Attempt.claim(grid, sale, "claimed-only");
        Attempt answerLost = Attempt.claim(grid, sale, "answer-lost");
        assertThat(stock.executeOnKey(sale.bucket(0), answerLost.reserve()).won()).isTrue();
        Attempt ranTwice = Attempt.claim(grid, sale, "ran-twice");
        assertThat(stock.executeOnKey(sale.bucket(0), ranTwice.reserve()).won()).isTrue();
        assertThat(stock.executeOnKey(sale.bucket(0), ranTwice.reserve()).won()).isTrue();
        Maps.purchases(grid).executeOnKey(ranTwice.shopper(), new ConfirmPurchase(ranTwice.orderId(), 1, 0,
                System.currentTimeMillis(), System.currentTimeMillis() + 900_000, null));
        assertThat(stock.executeOnKey(sale.bucket(0), new ReadStock()).available()).isEqualTo(7);

        // when their shoppers retry with the same key at once, they are told to wait, not locked out
        for (Attempt attempt : List.of(claimedOnly, answerLost)) {
            Answer early = attempt.retry(shop);
            assertThat(early.status()).as(early.body().toString()).isEqualTo(409);
            assertThat(early.text("error")).isEqualTo("purchase_pending");
        }

        // then, once the leases ended and settlement read the events, every one gets a definite answer:
        // the claim that took nothing was released and a fresh try wins; the lost answer is the order
        Answer[] answers = new Answer[2];
        await().atMost(DRAIN_TIMEOUT).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            answers[0] = claimedOnly.retry(shop);
            answers[1] = answerLost.retry(shop);
            assertThat(answers[0].status()).as(answers[0].body().toString()).isEqualTo(201);
            assertThat(answers[1].status()).as(answers[1].body().toString()).isEqualTo(201);
        });
        assertThat(answers[1].text("orderId")).isEqualTo(answerLost.orderId());
        assertThat(answers[0].text("orderId")).isEqualTo(claimedOnly.orderId());
        // and the first attempt's call, arriving only now, takes nothing
        assertThat(stock.executeOnKey(sale.bucket(0), claimedOnly.reserve()).outcome()).isEqualTo(Reservation.Outcome.FENCED);
        // and the unit the twice-run call took a second time comes back: 3 orders (one of them
        // the released claim's fresh try), 3 units taken
        await().atMost(DRAIN_TIMEOUT).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                assertThat(stock.executeOnKey(sale.bucket(0), new ReadStock()).available()).isEqualTo(7));
        await().atMost(DRAIN_TIMEOUT).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> assertThat(platform.orderRows("cut-off"))
                .containsExactlyInAnyOrder(claimedOnly.orderId(), answerLost.orderId(), ranTwice.orderId()));
        JsonNode report = shop.get("/admin/sales/cut-off/reconciliation", platform.api.adminToken()).body();
        assertThat(report.path("consistent").asBoolean()).as(report.toString()).isTrue();
        assertThat(report.path("grid").path("taken").asInt()).isEqualTo(3);
        assertThat(Maps.purchases(grid).values()).flatExtracting(purchases -> List.of(purchases.orders()))
                .filteredOn(order -> order.status() == PurchaseStatus.PENDING).isEmpty();
    }

    /**
     * More reservations on one bucket than its share of the event journal, while the outbox is
     * stopped: the bucket refuses at its share ({@code 503 sale_busy}), so no unread event is
     * overwritten; once the outbox runs again, the refused shoppers buy, and every 201 is one
     * row.
     */
    @Test
    @Order(17)
    void aBucketRefusesBeyondItsJournalShareWhileTheOutboxIsStopped() throws Exception {
        // given a sale of more units than a bucket's journal share, in one bucket, and the outbox suspended
        long share = JournalShare.perBucket(platform.cluster.member(0));
        int units = (int) share + 400;
        Answer created = shop.createSale(platform.api.adminToken(), "overflow", units, 1, 1, Instant.now().minusSeconds(1));
        assertThat(created.status()).as(created.body().toString()).isEqualTo(201);
        Job outbox = platform.job(Jobs.OUTBOX);
        outbox.suspend();
        await().atMost(DRAIN_TIMEOUT).until(() -> outbox.getStatus() == JobStatus.SUSPENDED);
        List<Click> clicks = new ArrayList<>();
        for (int i = 0; i < units; i++) {
            String shopperId = "overflow-shopper-" + i;
            clicks.add(new Click(shopperId, platform.api.shopperToken(shopperId), "buy-" + i));
        }

        // when every shopper buys once
        List<Result> results = Crowd.rush(shop, "overflow", clicks, CONCURRENCY);

        // then the bucket sold less than its share and refused the rest, asking them to come back
        Map<Integer, Long> statuses = results.stream().collect(Collectors.groupingBy(Result::status, Collectors.counting()));
        assertThat(statuses).as("answers").containsOnlyKeys(201, 503);
        assertThat(statuses.get(201)).isLessThanOrEqualTo(share);
        assertThat(results).filteredOn(r -> r.status() == 503)
                .allSatisfy(r -> assertThat(r.answer().text("error")).isEqualTo("sale_busy"));

        // and once the outbox runs again, every refused shopper buys, and every 201 is one row
        outbox.resume();
        List<Result> all = results.stream().map(r -> r.status() == 201 ? r : retryUntilWon("overflow", r.click())).toList();
        Set<String> won = all.stream().map(r -> r.answer().text("orderId")).collect(Collectors.toSet());
        assertThat(won).hasSize(units);
        await().atMost(DRAIN_TIMEOUT).pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> assertThat(platform.orderRows("overflow")).containsExactlyInAnyOrderElementsOf(won));
        JsonNode report = shop.get("/admin/sales/overflow/reconciliation", platform.api.adminToken()).body();
        assertThat(report.path("consistent").asBoolean()).as(report.toString()).isTrue();
    }

    /**
     * The owner of a bucket answered a reservation whose backup never arrived, then died: the
     * promoted backup holds the bucket as it was before, while MySQL holds the order. Settlement
     * sees MySQL ahead of the bucket and raises the bucket to MySQL's counts, so the unit is not
     * offered again.
     */
    @Test
    @Order(18)
    void aBucketPromotedWithoutAReservationMySqlHoldsTakesMysqlsCounts() throws Exception {
        // given a 3-unit sale in one bucket, two units sold and in MySQL
        Sale sale = openSaleOfOneBucket("lost-backup", 3);
        HazelcastInstance grid = platform.cluster.member(0);
        IMap<StockKey, StockBucket> stock = Maps.stock(grid);
        assertThat(shop.purchase(platform.api.shopperToken("lost-backup-1"), "lost-backup", 1, "key-1").status()).isEqualTo(201);
        StockBucket before = stock.get(sale.bucket(0));
        assertThat(shop.purchase(platform.api.shopperToken("lost-backup-2"), "lost-backup", 1, "key-1").status()).isEqualTo(201);
        await().atMost(DRAIN_TIMEOUT).until(() -> platform.orderRows("lost-backup").size() == 2);

        // when the bucket is what a backup promoted without the second reservation would hold
        stock.set(sale.bucket(0), withoutItsReservation(before));
        assertThat(stock.executeOnKey(sale.bucket(0), new ReadStock()).available()).isEqualTo(2);

        // then settlement raises it to what MySQL holds: one unit left, and only one more shopper buys
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .until(() -> stock.executeOnKey(sale.bucket(0), new ReadStock()).available() == 1);
        List<Integer> more = new ArrayList<>();
        for (int i = 3; i <= 5; i++) {
            more.add(shop.purchase(platform.api.shopperToken("lost-backup-" + i), "lost-backup", 1, "key-1").status());
        }
        assertThat(more).containsExactlyInAnyOrder(201, 410, 410);
        await().atMost(DRAIN_TIMEOUT).until(() -> platform.orderRows("lost-backup").size() == 3);
        await().atMost(DRAIN_TIMEOUT).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            JsonNode report = shop.get("/admin/sales/lost-backup/reconciliation", platform.api.adminToken()).body();
            assertThat(report.path("consistent").asBoolean()).as(report.toString()).isTrue();
        });
    }

    /**
     * A stock journal overwritten before the outbox read it, by writes that bypass a bucket's
     * share (which no path of the platform does): the outbox stops on it instead of going on
     * with reservations missing, and reconciliation names the bucket. Replacing the job
     * republishes what the journal still holds.
     */
    @Test
    @Order(19)
    void aJournalOverwrittenUnreadStopsTheOutboxAndShowsInReconciliation() throws Exception {
        // given a sale with one sold unit in MySQL, and the outbox suspended
        Sale sale = openSaleOfOneBucket("journal-loss", 10);
        Answer bought = shop.purchase(platform.api.shopperToken("before-the-gap"), "journal-loss", 1, "key-1");
        assertThat(bought.status()).isEqualTo(201);
        await().atMost(DRAIN_TIMEOUT).until(() -> platform.orderRows("journal-loss").size() == 1);
        Job outbox = platform.job(Jobs.OUTBOX);
        outbox.suspend();
        await().atMost(DRAIN_TIMEOUT).until(() -> outbox.getStatus() == JobStatus.SUSPENDED);

        // when the bucket's partition is written more often than its journal holds
        HazelcastInstance grid = platform.cluster.member(0);
        IMap<StockKey, StockBucket> stock = Maps.stock(grid);
        StockBucket noReservation = withoutItsReservation(stock.get(sale.bucket(0)));
        int capacity = grid.getConfig().getMapConfig(Maps.STOCK).getEventJournalConfig().getCapacity();
        int partitionShare = capacity / grid.getPartitionService().getPartitions().size();
        for (int i = 0; i <= partitionShare + 10; i++) {
            stock.set(sale.bucket(0), noReservation);
        }
        outbox.resume();

        // then the outbox stops, saying why, and reconciliation names the bucket
        await().atMost(DRAIN_TIMEOUT).until(() -> outbox.getStatus() == JobStatus.SUSPENDED
                && suspensionCause(outbox).contains("were overwritten before the outbox read them"));
        JsonNode report = shop.get("/admin/sales/journal-loss/reconciliation", platform.api.adminToken()).body();
        assertThat(report.path("journalLosses").path("0").asText()).as(report.toString()).contains("sale journal-loss bucket 0");
        assertThat(report.path("consistent").asBoolean()).isFalse();

        // and once ops replace the job, the path moves again
        outbox.cancel();
        await().atMost(DRAIN_TIMEOUT).until(() -> outbox.getStatus().isTerminal());
        SaleJobs.submit(platform.api.client(), platform.settings);
        assertEveryPurchaseLandsOnce("after-the-gap", () -> { });
    }

    /**
     * A promoted backup rewinds a journal the outbox had read past. The owner of a bucket
     * journaled reservations whose backups never arrived (none answered as won), the outbox
     * published them, and the owner died before its backup was repaired: the promoted backup's
     * journal ends before the outbox's position, and Hazelcast's reader skips the new owner's
     * first reservations without reporting a loss. Settlement finds them missing from MySQL and
     * raises the alarm; replacing the outbox job publishes them, and the claims left pending
     * settle.
     */
    @Test
    @Order(12)
    void aJournalRewoundByAPromotedBackupIsAnAlarmAndReplacingTheOutboxRecovers() throws Exception {
        // given three members, a sale of one bucket, and the backups of its partition's stock
        // writes no longer arriving
        Sale sale = openSaleOfOneBucket("rewound", 400);
        HazelcastInstance grid = platform.cluster.member(0);
        Partition partition = grid.getPartitionService().getPartition(sale.bucket(0));
        HazelcastInstance owner = platform.cluster.members().stream()
                .filter(member -> member.getCluster().getLocalMember().equals(partition.getOwner())).findFirst().orElseThrow();
        HazelcastInstance survivor = platform.cluster.members().stream().filter(member -> member != owner).findFirst().orElseThrow();
        PacketFiltersUtil.setCustomFilter(owner, droppingStockBackupsOf(partition.getPartitionId()));

        // when eight shoppers buy: the owner takes their units, but no backup acknowledges, so none
        // is told it won (each is told to retry with its key)
        List<CompletableFuture<Answer>> calls = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            calls.add(shop.purchaseAsync(platform.api.shopperToken("pending-" + i), "rewound", 1, "key-1"));
        }
        for (CompletableFuture<Answer> call : calls) {
            Answer answer = call.get(60, TimeUnit.SECONDS);
            assertThat(answer.status()).as(answer.body().toString()).isIn(409, 503);
        }
        // and the outbox publishes their events, which reach MySQL, and is suspended past them
        await().atMost(DRAIN_TIMEOUT).until(() -> platform.orderRows("rewound").size() == calls.size());
        Job outbox = platform.job(Jobs.OUTBOX);
        outbox.suspend();
        await().atMost(DRAIN_TIMEOUT).until(() -> outbox.getStatus() == JobStatus.SUSPENDED);

        // and the owner dies, and its promoted backup sells to three more shoppers
        platform.cluster.terminate(owner);
        await().atMost(DRAIN_TIMEOUT).until(() -> survivor.getCluster().getMembers().size() == platform.cluster.members().size());
        await().atMost(Duration.ofMinutes(2)).until(() -> survivor.getPartitionService().isClusterSafe());
        Set<String> won = ConcurrentHashMap.newKeySet();
        for (String shopper : List.of("after-1", "after-2", "after-3")) {
            await().atMost(DRAIN_TIMEOUT).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                Answer answer = shop.purchase(platform.api.shopperToken(shopper), "rewound", 1, "key-1");
                assertThat(answer.status()).as(answer.body().toString()).isEqualTo(201);
                won.add(answer.text("orderId"));
            });
        }
        outbox.resume();

        // then, as the sale goes on (a shopper every 2 s), the reservations the reader skipped are
        // an alarm in reconciliation
        Set<String> skipped = Set.copyOf(won);
        AtomicInteger later = new AtomicInteger();
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
            Answer answer = shop.purchase(platform.api.shopperToken("later-" + later.incrementAndGet()), "rewound", 1, "key-1");
            if (answer.status() == 201) {
                won.add(answer.text("orderId"));
            }
            JsonNode report = shop.get("/admin/sales/rewound/reconciliation", platform.api.adminToken()).body();
            assertThat(report.path("journalLosses").path("0").asText()).as(report.toString()).contains("never reached MySQL");
            assertThat(report.path("consistent").asBoolean()).isFalse();
        });
        Set<String> rows = platform.orderRows("rewound");
        System.out.printf("rewound journal: when the alarm came, MySQL held %d of the %d orders answered 201 right after the promotion%n",
                skipped.stream().filter(rows::contains).count(), skipped.size());

        // and once ops replace the outbox job, every order answered 201 is a row, and every pending claim settles
        outbox.cancel();
        await().atMost(DRAIN_TIMEOUT).until(() -> outbox.getStatus().isTerminal());
        SaleJobs.submit(platform.api.client(), platform.settings);
        await().atMost(DRAIN_TIMEOUT).until(() -> platform.orderRows("rewound").containsAll(won));
        await().atMost(DRAIN_TIMEOUT).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            JsonNode report = shop.get("/admin/sales/rewound/reconciliation", platform.api.adminToken()).body();
            assertThat(report.path("pendingClaims").asInt()).as(report.toString()).isZero();
            assertThat(report.path("grid").path("taken").asInt()).as(report.toString()).isEqualTo(calls.size() + won.size())
                    .isEqualTo(report.path("mysql").path("units").asInt());
        });

        // (ops clear the alarm once handled, and the grid gets its third member back for the cases after this one)
        Maps.journalLosses(survivor).clear();
        platform.cluster.refill();
        await().atMost(Duration.ofMinutes(2)).until(() -> platform.api.client().getCluster().getMembers().size() == 3
                && survivor.getPartitionService().isClusterSafe()
                && platform.job(Jobs.OUTBOX).getStatus() == JobStatus.RUNNING);
    }

    /** Creates an open sale of {@code units} in one bucket through the API; the sale as the grid holds it. */
    private static Sale openSaleOfOneBucket(String saleId, int units) {
        Answer created = shop.createSale(platform.api.adminToken(), saleId, units, 1, 1, Instant.now().minusSeconds(1));
        assertThat(created.status()).as(created.body().toString()).isEqualTo(201);
        return Maps.sales(platform.api.client()).get(saleId);
    }

    /**
     * Drops the backups of the stock map's writes on one partition, as a network cut between its
     * owner and its backup alone would: every other packet (other maps, Jet's snapshots) flows.
     */
    private static PacketFilter droppingStockBackupsOf(int partitionId) {
        byte[] stock = Maps.STOCK.getBytes(StandardCharsets.UTF_8);
        byte[] jet = "__jet".getBytes(StandardCharsets.UTF_8);
        return (packet, endpoint) -> {
            if (packet.getPartitionId() != partitionId || packet.getPacketType() != Packet.Type.OPERATION) {
                return PacketFilter.Action.ALLOW;
            }
            byte[] bytes = packet.toByteArray();
            return contains(bytes, stock) && !contains(bytes, jet) ? PacketFilter.Action.DROP : PacketFilter.Action.ALLOW;
        };
    }

    private static boolean contains(byte[] bytes, byte[] part) {
        outer:
        for (int i = 0; i + part.length <= bytes.length; i++) {
            for (int j = 0; j < part.length; j++) {
                if (bytes[i + j] != part[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    /** An attempt to buy as an API node makes it, step by step, to leave it where a crash would. */
    private record Attempt(Sale sale, ShopperKey shopper, String token, String orderId, long leaseEnd) {

        static Attempt claim(HazelcastInstance grid, Sale sale, String shopperId) {
            String orderId = OrderIds.of(sale.id(), shopperId, "key-1");
            ShopperKey shopper = new ShopperKey(sale.id(), shopperId);
            QuotaClaim claim = Maps.purchases(grid).executeOnKey(shopper,
                    new ClaimQuota(orderId, "attempt-of-a-node-that-died", 1, 1, System.currentTimeMillis()));
            assertThat(claim.outcome()).isEqualTo(QuotaClaim.Outcome.CLAIMED);
            return new Attempt(sale, shopper, platform.api.shopperToken(shopperId), orderId, claim.order().leaseUntilMillis());
        }

        ReserveStock reserve() {
            return new ReserveStock(orderId, shopper.shopperId(), 1, sale.price(), System.currentTimeMillis(),
                    System.currentTimeMillis() + 900_000, leaseEnd);
        }

        Answer retry(ShopClient shop) {
            return shop.purchase(token, sale.id(), 1, "key-1");
        }
    }

    /**
     * A submitter replacing the jobs with a new version is killed (SIGKILL) once the replacement
     * has begun: the member that runs the replacement finishes it, so no job is left suspended
     * or missing, and every purchase made meanwhile lands.
     */
    @Test
    @Order(14)
    void aSubmitterKilledMidReplacementLeavesNoJobMissing() throws Exception {
        Map<String, Long> before = jobIds();
        Path log = Path.of("target", "submitter-killed.log");

        // given a submitter in a process of its own, replacing both jobs with a new version,
        // when it is killed as soon as the outbox stops running, mid-stream
        assertEveryPurchaseLandsOnce("submitter-killed", () -> {
            try {
                Process submitter = SubmitterProcess.start(platform, "after-kill", log);
                await().atMost(DRAIN_TIMEOUT).pollInterval(Duration.ofMillis(20))
                        .until(() -> platform.job(Jobs.OUTBOX).getStatus() != JobStatus.RUNNING || !submitter.isAlive());
                assertThat(submitter.isAlive()).as("the submitter was still replacing the jobs; see " + log).isTrue();
                submitter.destroyForcibly().waitFor();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });

        // then both jobs were replaced and run at the new version, one of each
        assertReplacedAt(before, "after-kill");
    }

    /**
     * The task that replaces the jobs may run twice, even at once (a member that died running it,
     * a partition that migrated, a resent request): the second run finds the suspension of the
     * first under way, when Jet refuses both suspend and cancel. Both runs must end with the new
     * jobs running, one of each.
     */
    @Test
    @Order(15)
    void twoRunsOfOneReplacementAtOnceEndWithOneJobOfEach() throws Exception {
        Map<String, Long> before = jobIds();
        HazelcastInstance member = platform.cluster.member(0);
        ExecutorService runs = Executors.newFixedThreadPool(2);
        try {
            // given two runs of one replacement with a new version, at once, mid-stream
            assertEveryPurchaseLandsOnce("replaced-twice", () -> {
                List<Future<String>> both = List.of(
                        runs.submit(() -> SaleJobs.ensureAllRun(member, platform.settings, topicPartitions, "twice")),
                        runs.submit(() -> SaleJobs.ensureAllRun(member, platform.settings, topicPartitions, "twice")));
                // when both end, then neither failed
                for (Future<String> run : both) {
                    try {
                        run.get(DRAIN_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                    } catch (Exception e) {
                        throw new AssertionError("a run of the replacement failed", e);
                    }
                }
            });
        } finally {
            runs.shutdownNow();
        }

        // and the new jobs run, one of each
        assertReplacedAt(before, "twice");
    }

    /** Both jobs are new since {@code before}, run at {@code version}, and are the only ones of their name. */
    private static void assertReplacedAt(Map<String, Long> before, String version) {
        // (the member finishes the replacement, job after job, also once its submitter is gone)
        await().atMost(DRAIN_TIMEOUT).untilAsserted(() -> {
            assertThat(jobIds().values()).doesNotContainAnyElementsOf(before.values());
            for (String name : List.of(Jobs.OUTBOX, Jobs.ORDERS, Jobs.CATALOG)) {
                assertThat(platform.job(name).getConfig().<String>getArgument(SaleJobs.VERSION_ARGUMENT)).as(name)
                        .isEqualTo(version);
                assertThat(activeJobsNamed(name)).as(name).isEqualTo(1);
            }
        });
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

        // when they all buy, and something fails a third of the way in, and whoever was not
        // answered 201 (a call the failure cut off: 503, or 409 purchase_pending until
        // settlement decides it) retries with the same key until they are
        List<Result> results = Crowd.rush(shop, saleId, clicks, CONCURRENCY, PURCHASES / 3, midway).stream()
                .map(result -> result.status() == 201 ? result : retryUntilWon(saleId, result.click()))
                .toList();

        // then every purchase was answered, and won
        Map<Integer, Long> statuses = results.stream().collect(Collectors.groupingBy(Result::status, Collectors.counting()));
        assertThat(statuses).as("answers").containsOnlyKeys(201);
        Set<String> won = results.stream().map(r -> r.answer().text("orderId")).collect(Collectors.toSet());
        assertThat(won).hasSize(PURCHASES);

        // and MySQL ends with exactly one row per 201, none without one
        await().atMost(DRAIN_TIMEOUT).pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> assertThat(platform.orderRows(saleId)).containsExactlyInAnyOrderElementsOf(won));
        // and no shopper has a second order (the sale's limit is 1): a replayed event made no new row
        assertThat(platform.ordersPerShopper(saleId)).hasSize(PURCHASES).allSatisfy((shopper, rows) -> assertThat(rows).isEqualTo(1));
        assertThat(platform.saleStockInMysql(saleId)).isEqualTo(PURCHASES + 200);

        // and the reconciliation report agrees: grid and MySQL conserve the stock
        JsonNode report = shop.get("/admin/sales/" + saleId + "/reconciliation", platform.api.adminToken()).body();
        assertThat(report.path("consistent").asBoolean()).as(report.toString()).isTrue();
        assertThat(report.path("eventsInFlight").asLong()).isZero();
        assertThat(report.path("grid").path("taken").asInt()).isEqualTo(PURCHASES);
        assertThat(report.path("mysql").path("units").asLong()).isEqualTo(PURCHASES);
        assertThat(report.path("deadLetters").asLong()).isZero();
        assertThePathMoves();
    }

    private static Result retryUntilWon(String saleId, Click click) {
        Answer[] last = new Answer[1];
        await().atMost(DRAIN_TIMEOUT).pollInterval(Duration.ofMillis(500)).until(() -> {
            last[0] = shop.purchase(click.token(), saleId, 1, click.idempotencyKey());
            assertThat(last[0].status()).as(String.valueOf(last[0].body())).isIn(201, 409, 503, -1);
            return last[0].status() == 201;
        });
        return new Result(click, last[0]);
    }

    /** Both jobs run, and a heartbeat written moments ago (beats come every 5 s) has come through every partition into MySQL. */
    private static void assertThePathMoves() {
        await().atMost(DRAIN_TIMEOUT).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            JsonNode path = shop.get("/admin/event-path", platform.api.adminToken()).body();
            assertThat(path.path("jobs")).as(path.toString()).allSatisfy(job -> assertThat(job.path("status").asText()).isEqualTo("RUNNING"));
            assertThat(path.path("lag").path("partitionsReporting").asInt()).as(path.toString()).isEqualTo(topicPartitions);
            assertThat(path.path("lag").path("lagMillis").asLong()).as(path.toString()).isLessThan(10_000);
            assertThat(path.path("lag").path("stalled").asBoolean()).isFalse();
        });
    }

    private static String at(RecordMetadata record) {
        return record.partition() + "/" + record.offset();
    }

    private static Map<String, Long> jobIds() {
        return Map.of(Jobs.OUTBOX, platform.job(Jobs.OUTBOX).getId(), Jobs.ORDERS, platform.job(Jobs.ORDERS).getId(),
                Jobs.CATALOG, platform.job(Jobs.CATALOG).getId());
    }

    private static long activeJobsNamed(String name) {
        return platform.api.client().getJet().getJobs(name).stream().filter(job -> !job.getStatus().isTerminal()).count();
    }

    private static long percentile(long[] sorted, int percent) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(percent / 100.0 * sorted.length) - 1)];
    }

    /** The bucket as a write that made no reservation would leave it: no event for the outbox. */
    private static StockBucket withoutItsReservation(StockBucket bucket) {
        return new StockBucket(bucket.stock(), bucket.returned(), bucket.fencedUpTo(), bucket.writes(), bucket.readUpTo(),
                bucket.lastEventWrite(), bucket.slotIds(), bucket.slotReservations(), bucket.slotUnits(), null, null, 0, bucket.stockPlan(), bucket.wanted());
    }

    private static String suspensionCause(Job job) {
        try {
            return job.getSuspensionCause().errorCause();
        } catch (IllegalStateException resumedMeanwhile) {
            return "";
        }
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
