package dev.flashsale.pipelines;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.flashsale.api.ShopClient.Answer;
import dev.flashsale.grid.Jobs;

/**
 * The whole grid stops in the middle of a sale (the open-source edition keeps nothing on disk)
 * and starts again over the same Kafka and MySQL: the sale, its live stock and its orders come
 * back from MySQL once the event path has carried everything, and purchases, payments and
 * expiries go on as before, with nothing sold twice.
 */
class FullRestartTest {

    private static final Duration SETTLED = Duration.ofSeconds(90);

    private static SalePlatform platform;

    @BeforeAll
    static void start() {
        platform = SalePlatform.start(2);
    }

    @AfterAll
    static void stop() {
        platform.close();
    }

    @Test
    void aSaleComesBackFromMysqlAndGoesOnWithNothingSoldTwice() throws Exception {
        // given a sale of 10 in which one order is paid, one cancelled and one reserved, and
        // another sale whose one order's window ends while the grid is down, all of it in MySQL
        create("restarted", 10, 600);
        create("lapsing", 3, 15);
        String paid = buy("restarted", "payer");
        String cancelled = buy("restarted", "canceller");
        String kept = buy("restarted", "keeper");
        String lapsing = buy("lapsing", "lapser");
        String window = order("keeper", kept).text("expiresAt");
        assertThat(platform.api.shop().payInDemo(token("payer"), paid).text("result")).isEqualTo("paid");
        assertThat(platform.api.shop().cancel(token("canceller"), cancelled).status()).isEqualTo(200);
        await().atMost(SETTLED).untilAsserted(() -> assertThat(platform.orderStates("restarted"))
                .containsEntry(paid, "PAID@").containsEntry(cancelled, "CANCELLED@"));
        await().atMost(SETTLED).untilAsserted(() -> assertThat(remaining()).isEqualTo(8));
        consistent("restarted");

        // when the whole grid stops and starts again
        platform.restartWholeGrid(2);

        // then the sale comes back with the same units on sale and every order in its state
        await().atMost(SETTLED).pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> assertThat(platform.api.shop().get("/api/sales/restarted").status()).isEqualTo(200));
        assertThat(remaining()).isEqualTo(8);
        assertThat(order("payer", paid).text("status")).isEqualTo("PAID");
        assertThat(order("canceller", cancelled).text("status")).isEqualTo("CANCELLED");
        assertThat(order("keeper", kept).text("status")).isEqualTo("RESERVED");
        assertThat(order("keeper", kept).text("expiresAt")).as("its window kept").isEqualTo(window);
        // and a retry of a purchase finds its order, the limit still holds, and new shoppers buy
        Answer retried = platform.api.shop().purchase(token("keeper"), "restarted", 1, "k");
        assertThat(retried.status()).isEqualTo(201);
        assertThat(retried.text("orderId")).isEqualTo(kept);
        assertThat(platform.api.shop().purchase(token("payer"), "restarted", 1, "another").status()).isEqualTo(409);
        String after = buy("restarted", "newcomer");
        assertThat(remaining()).isEqualTo(7);
        // and the reserved orders are paid or expire, as their windows say
        assertThat(platform.api.shop().payInDemo(token("keeper"), kept).text("result")).isEqualTo("paid");
        await().atMost(SETTLED).untilAsserted(() -> assertThat(order("lapser", lapsing).text("status")).isEqualTo("EXPIRED"));
        await().atMost(SETTLED).untilAsserted(() -> assertThat(platform.api.shop().get("/api/sales/lapsing").body()
                .get("remaining").asInt()).isEqualTo(3));
        // and MySQL agrees, and conservation holds on both sides
        await().atMost(SETTLED).untilAsserted(() -> assertThat(platform.orderStates("restarted")).isEqualTo(Map.of(
                paid, "PAID@", cancelled, "CANCELLED@", kept, "PAID@", after, "RESERVED")));
        await().atMost(SETTLED).untilAsserted(() -> assertThat(platform.orderStates("lapsing")).isEqualTo(Map.of(
                lapsing, "EXPIRED@")));
        JsonNode reconciliation = consistent("restarted");
        consistent("lapsing");
        assertThat(reconciliation.at("/conservation/grid/paid").asLong()).isEqualTo(2);
        assertThat(reconciliation.at("/conservation/grid/reserved").asLong()).isEqualTo(1);
        assertThat(reconciliation.at("/conservation/grid/available").asLong()).isEqualTo(7);
    }

    @Test
    void aSaleWhoseOrdersWereStillOnTheirWayToMysqlComesBackWithThem() throws Exception {
        // given a sale whose orders reached Kafka but not MySQL: the orders job is suspended
        create("behind", 5, 600);
        platform.job(Jobs.ORDERS).suspend();
        String first = buy("behind", "early-1");
        String second = buy("behind", "early-2");
        String third = buy("behind", "early-3");
        assertThat(platform.orderRows("behind")).isEmpty();
        Thread.sleep(3_000); // the outbox commits its Kafka transactions every second

        // when the whole grid stops and starts again (the jobs submitted anew)
        platform.restartWholeGrid(2);

        // then the sale comes back only once MySQL has its orders, with them: nothing sold twice
        await().atMost(SETTLED).pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> assertThat(platform.api.shop().get("/api/sales/behind").status()).isEqualTo(200));
        assertThat(platform.orderRows("behind")).containsExactlyInAnyOrder(first, second, third);
        assertThat(platform.api.shop().get("/api/sales/behind").body().get("remaining").asInt()).isEqualTo(2);
        assertThat(platform.api.shop().purchase(token("early-1"), "behind", 1, "k").text("orderId")).isEqualTo(first);
        buy("behind", "late-1");
        buy("behind", "late-2");
        assertThat(platform.api.shop().purchase(token("late-3"), "behind", 1, "k").status()).isEqualTo(410);
        consistent("behind");
    }

    private static void create(String saleId, int stock, long windowSeconds) {
        Answer created = platform.api.shop().createSale(platform.api.adminToken(), saleId, stock, 2, 1,
                Instant.now().minusSeconds(1), windowSeconds);
        assertThat(created.status()).as(created.body().toString()).isEqualTo(201);
    }

    private static String buy(String saleId, String shopper) {
        Answer bought = platform.api.shop().purchase(token(shopper), saleId, 1, "k");
        assertThat(bought.status()).as(bought.body().toString()).isEqualTo(201);
        return bought.text("orderId");
    }

    private static Answer order(String shopper, String orderId) {
        Answer answer = platform.api.shop().get("/api/orders/" + orderId, token(shopper));
        assertThat(answer.status()).as(answer.body().toString()).isEqualTo(200);
        return answer;
    }

    private static String token(String shopper) {
        return platform.api.shopperToken(shopper);
    }

    private static int remaining() {
        Answer sale = platform.api.shop().get("/api/sales/restarted");
        return sale.status() == 200 ? sale.body().get("remaining").asInt() : -1;
    }

    private static JsonNode consistent(String saleId) {
        JsonNode[] report = new JsonNode[1];
        await().atMost(SETTLED).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            report[0] = platform.api.shop().get("/admin/sales/" + saleId + "/reconciliation", platform.api.adminToken()).body();
            assertThat(report[0].get("consistent").asBoolean()).as(report[0].toString()).isTrue();
        });
        return report[0];
    }
}
