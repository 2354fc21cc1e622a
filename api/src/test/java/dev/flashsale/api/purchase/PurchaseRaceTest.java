package dev.flashsale.api.purchase;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;

import dev.flashsale.api.ApiNode;
import dev.flashsale.api.ShopClient;
import dev.flashsale.api.ShopClient.Answer;
import dev.flashsale.api.purchase.Crowd.Click;
import dev.flashsale.api.purchase.Crowd.Result;
import dev.flashsale.grid.LocalCluster;
import dev.flashsale.grid.Maps;
import dev.flashsale.purchase.Purchase;
import dev.flashsale.purchase.PurchaseStatus;
import dev.flashsale.purchase.Purchases;
import dev.flashsale.purchase.ShopperKey;
import dev.flashsale.sale.Sale;
import dev.flashsale.stock.ReadStock;
import dev.flashsale.stock.StockBucket;
import dev.flashsale.stock.StockKey;
import dev.flashsale.stock.StockLevel;

/**
 * The concurrency gate: 2,000 shoppers, some clicking twice, race for 1,000 units through
 * HTTP against an API node on a 3-member cluster, with and without a member dying mid-sale.
 */
class PurchaseRaceTest {

    private static final int UNITS = 1_000;
    private static final int SHOPPERS = 2_000;
    private static final int DOUBLE_CLICKERS = 400;
    private static final int CONCURRENCY = 64;

    private LocalCluster cluster;
    private ApiNode api;
    private ShopClient shop;

    @BeforeEach
    void start() {
        cluster = LocalCluster.start(3);
        api = ApiNode.on(cluster);
        shop = api.shop();
    }

    @AfterEach
    void stop() {
        api.close();
        cluster.close();
    }

    @Test
    void crowdBuysExactlyTheStock() throws Exception {
        // given a sale of 1,000 units over 8 buckets, limit 1, open now
        openSale("gate");
        List<Click> clicks = crowdClicks();

        // when 2,000 shoppers and 400 second clicks (each with a new key) race for it
        StockWatch watch = StockWatch.start(api.client(), "gate");
        List<Result> results = Crowd.rush(shop, "gate", clicks, CONCURRENCY);
        watch.stop();

        // then exactly 1,000 answers are 201, every other one a definite loss, none a 5xx
        Map<Integer, Long> byStatus = results.stream().collect(Collectors.groupingBy(Result::status, Collectors.counting()));
        assertThat(byStatus.get(201)).as("201s in %s", byStatus).isEqualTo(UNITS);
        assertThat(byStatus.keySet()).as("statuses").isSubsetOf(201, 409, 410);
        // and no shopper holds more than the limit, and every win is a distinct order
        assertOneOrderPerShopper(results);
        // and the grid agrees: every unit taken, none left, none below zero at any time
        assertGridHolds("gate", winningOrders(results));
        assertThat(shop.get("/api/sales/gate").body().path("remaining").asInt()).isZero();
        assertThat(watch.lowestAvailable()).isGreaterThanOrEqualTo(0);
        assertThat(watch.readings()).isPositive();
    }

    /**
     * The grid alone, with no event path to settle what the crash left unknown: the calls the
     * member's death cut off are answered {@code purchase_pending}, and their claims stay
     * {@code PENDING} (settling them from MySQL is tested with the whole platform, in
     * {@code SaleEventsToMysqlTest}). What must already hold: no unit sold twice, every 201 a
     * unit taken and a reserved order, and every unit taken either a 201 or a pending claim.
     */
    @Test
    void crowdNeverOversellsWhileAMemberDies() throws Exception {
        // given the same sale, and a member that will be killed a quarter into the race
        openSale("crash");
        List<Click> clicks = crowdClicks();
        HazelcastInstance victim = cluster.member(1);

        // when the crowd races and the member is terminated without warning
        List<Result> results = new ArrayList<>(Crowd.rush(shop, "crash", clicks, CONCURRENCY, clicks.size() / 4,
                () -> cluster.terminate(victim)));
        assertThat(victim.getLifecycleService().isRunning()).isFalse();

        // and every shopper whose call failed retries with the same key until it gets an answer
        List<Result> unanswered = results.stream().filter(r -> r.status() >= 500 || r.status() < 0).toList();
        results.removeAll(unanswered);
        for (Result failed : unanswered) {
            results.add(retryUntilAnswered("crash", failed.click()));
        }

        // then no unit is sold twice, and every unit taken is a 201 or a claim awaiting settlement
        assertThat(results).allSatisfy(r -> assertThat(r.status()).isIn(201, 409, 410));
        assertOneOrderPerShopper(results);
        Set<String> won = winningOrders(results);
        Set<String> pending = pendingOrders("crash");
        assertThat(won).hasSizeLessThanOrEqualTo(UNITS);
        assertThat(reservedOrders("crash")).isEqualTo(won);
        StockLevel level = levelOf("crash");
        assertThat(level.stock()).isEqualTo(UNITS);
        assertThat(level.taken()).isBetween(won.size(), won.size() + pending.size());
        assertThat(won.size() + pending.size()).as("a unit is either sold, pending or still on sale")
                .isGreaterThanOrEqualTo(UNITS - level.available());
        // and a retry of any winning request returns the same order
        for (Result result : results) {
            if (result.status() == 201) {
                Answer again = shop.purchase(result.click().token(), "crash", 1, result.click().idempotencyKey());
                assertThat(again.status()).isEqualTo(201);
                assertThat(again.text("orderId")).isEqualTo(result.answer().text("orderId"));
            }
        }
    }

    private void openSale(String saleId) {
        Answer created = shop.createSale(api.adminToken(), saleId, UNITS, 8, 1, Instant.now().minusSeconds(1));
        assertThat(created.status()).as(created.body().toString()).isEqualTo(201);
    }

    /** One click per shopper, plus a second click with a fresh key for some, shuffled. */
    private List<Click> crowdClicks() {
        List<Click> clicks = new ArrayList<>();
        for (int i = 0; i < SHOPPERS; i++) {
            String shopperId = "shopper-" + i;
            String token = api.shopperToken(shopperId);
            clicks.add(new Click(shopperId, token, "first-" + i));
            if (i < DOUBLE_CLICKERS) {
                clicks.add(new Click(shopperId, token, "second-" + i));
            }
        }
        Collections.shuffle(clicks, new Random(42));
        return clicks;
    }

    private Result retryUntilAnswered(String saleId, Click click) throws InterruptedException {
        for (int attempt = 0; attempt < 50; attempt++) {
            Answer answer = shop.purchase(click.token(), saleId, 1, click.idempotencyKey());
            if (answer.status() > 0 && answer.status() < 500) {
                return new Result(click, answer);
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no definite answer for " + click);
    }

    private static Set<String> winningOrders(List<Result> results) {
        return results.stream().filter(r -> r.status() == 201).map(r -> r.answer().text("orderId"))
                .collect(Collectors.toSet());
    }

    private static void assertOneOrderPerShopper(List<Result> results) {
        Map<String, Set<String>> ordersByShopper = new HashMap<>();
        for (Result result : results) {
            if (result.status() == 201) {
                ordersByShopper.computeIfAbsent(result.click().shopperId(), id -> new HashSet<>())
                        .add(result.answer().text("orderId"));
            }
        }
        assertThat(ordersByShopper.values()).allSatisfy(orders -> assertThat(orders).hasSize(1));
    }

    /** Taken units, the shoppers' reserved orders and the 201 answers are one and the same set. */
    private void assertGridHolds(String saleId, Set<String> wonOrders) {
        StockLevel level = levelOf(saleId);
        assertThat(level.taken()).as("units taken").isEqualTo(wonOrders.size());
        assertThat(level.stock()).as("taken + remaining").isEqualTo(UNITS);
        assertThat(pendingOrders(saleId)).isEmpty();
        assertThat(reservedOrders(saleId)).isEqualTo(wonOrders);
    }

    private StockLevel levelOf(String saleId) {
        Sale sale = Maps.sales(api.client()).get(saleId);
        IMap<StockKey, StockBucket> stock = Maps.stock(api.client());
        List<StockLevel> levels = new ArrayList<>();
        for (int i = 0; i < sale.buckets(); i++) {
            StockLevel level = stock.executeOnKey(sale.bucket(i), new ReadStock());
            assertThat(level.available()).isBetween(0, level.stock());
            levels.add(level);
        }
        return StockLevel.sum(levels);
    }

    private Set<String> reservedOrders(String saleId) {
        return ordersIn(saleId, PurchaseStatus.RESERVED);
    }

    private Set<String> pendingOrders(String saleId) {
        return ordersIn(saleId, PurchaseStatus.PENDING);
    }

    private Set<String> ordersIn(String saleId, PurchaseStatus status) {
        Set<String> orders = new HashSet<>();
        IMap<ShopperKey, Purchases> purchases = Maps.purchases(api.client());
        for (Map.Entry<ShopperKey, Purchases> shopper : purchases.entrySet()) {
            if (shopper.getKey().saleId().equals(saleId)) {
                for (Purchase order : shopper.getValue().orders()) {
                    if (order.status() == status) {
                        orders.add(order.orderId());
                    }
                }
            }
        }
        return orders;
    }

    /** Reads every bucket of a sale while the race runs and keeps the lowest availability seen. */
    private static final class StockWatch {
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicInteger lowest = new AtomicInteger(Integer.MAX_VALUE);
        private final AtomicInteger readings = new AtomicInteger();
        private Thread thread;

        static StockWatch start(HazelcastInstance client, String saleId) {
            StockWatch watch = new StockWatch();
            Sale sale = Maps.sales(client).get(saleId);
            IMap<StockKey, StockBucket> stock = Maps.stock(client);
            watch.thread = new Thread(() -> {
                while (watch.running.get()) {
                    for (int i = 0; i < sale.buckets(); i++) {
                        int available = stock.executeOnKey(sale.bucket(i), new ReadStock()).available();
                        watch.lowest.accumulateAndGet(available, Math::min);
                    }
                    watch.readings.incrementAndGet();
                }
            }, "stock-watch");
            watch.thread.start();
            return watch;
        }

        void stop() throws InterruptedException {
            running.set(false);
            thread.join();
        }

        int lowestAvailable() {
            return lowest.get();
        }

        int readings() {
            return readings.get();
        }
    }
}
