package dev.flashsale.pipelines;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.flashsale.api.ApiNode;
import dev.flashsale.api.ShopClient;
import dev.flashsale.api.ShopClient.Answer;
import dev.flashsale.grid.Maps;
import dev.flashsale.purchase.EndOrder;
import dev.flashsale.purchase.Ending;
import dev.flashsale.purchase.ShopperKey;

/**
 * The order lifecycle end to end, on a real grid of three members, Kafka and MariaDB: payments,
 * cancels and expiries each end an order once, give its units back if unpaid, and MySQL shows
 * the same final state; the payment callback refuses what a provider did not freshly sign.
 */
class OrderLifecycleTest {

    private static final long WINDOW_SECONDS = 8;
    private static final Duration SETTLED = Duration.ofSeconds(60);

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

    @Test
    void payCancelAndExpiryEachEndTheirOrderOnceAndTheSaleSellsTheUnitsGivenBack() {
        // given a sale of 3 units, bought out by three shoppers
        String saleId = "lifecycle";
        createSale(saleId, 3, 1);
        String paid = buy(saleId, "payer");
        String cancelled = buy(saleId, "canceller");
        String expired = buy(saleId, "absent");
        assertThat(shop.purchase(token("late"), saleId, 1, "k").status()).as("sold out").isEqualTo(410);

        // when the first pays, the second cancels, and the third lets the window pass
        Answer payment = shop.payInDemo(token("payer"), paid);
        Answer cancel = shop.cancel(token("canceller"), cancelled);

        // then each answer says so, and a repeat changes nothing
        assertThat(payment.status()).as(payment.body().toString()).isEqualTo(200);
        assertThat(payment.text("result")).isEqualTo("paid");
        assertThat(shop.payInDemo(token("payer"), paid).text("result")).as("the same payment again").isEqualTo("paid");
        assertThat(cancel.status()).as(cancel.body().toString()).isEqualTo(200);
        assertThat(cancel.text("status")).isEqualTo("CANCELLED");
        assertThat(shop.cancel(token("canceller"), cancelled).text("status")).isEqualTo("CANCELLED");
        Answer cancelPaid = shop.cancel(token("payer"), paid);
        assertThat(cancelPaid.status()).isEqualTo(409);
        assertThat(cancelPaid.text("error")).isEqualTo("order_not_cancellable");
        Answer payCancelled = shop.payInDemo(token("canceller"), cancelled);
        assertThat(payCancelled.text("result")).isEqualTo("refund_due");
        assertThat(payCancelled.text("reason")).isEqualTo("order_cancelled");
        assertThat(order("payer", paid).text("status")).isEqualTo("PAID");
        // and the unpaid one expires within seconds of its window's end
        await().atMost(Duration.ofSeconds(WINDOW_SECONDS + 10))
                .untilAsserted(() -> assertThat(order("absent", expired).text("status")).isEqualTo("EXPIRED"));
        JsonNode lapsed = order("absent", expired).body();
        Duration late = Duration.between(Instant.parse(lapsed.get("expiresAt").asText()), Instant.parse(lapsed.get("endedAt").asText()));
        assertThat(late).as("expired after its window").isBetween(Duration.ZERO, Duration.ofSeconds(4));

        // and the sale gets the two units back and sells them again, once each
        await().atMost(SETTLED).untilAsserted(() -> assertThat(remaining(saleId)).isEqualTo(2));
        await().atMost(Duration.ofSeconds(15)).untilAsserted(
                () -> assertThat(shop.purchase(token("late"), saleId, 1, "k").status()).as("reopened").isEqualTo(201));
        assertThat(shop.purchase(token("later"), saleId, 1, "k").status()).isEqualTo(201);
        assertThat(shop.purchase(token("latest"), saleId, 1, "k").status()).as("sold out again").isEqualTo(410);

        // and MySQL shows every final state with its time, the refund due, and conservation holds on both sides
        await().atMost(SETTLED).untilAsserted(() -> assertThat(platform.orderStates(saleId)).containsAllEntriesOf(Map.of(
                paid, "PAID@", cancelled, "CANCELLED@", expired, "EXPIRED@")));
        assertThat(platform.refundsDue(saleId)).containsExactly(Map.entry("demo-" + cancelled, "order_cancelled"));
        JsonNode reconciliation = awaitConsistent(saleId);
        assertThat(reconciliation.at("/conservation/grid/available").asLong()).isZero();
        assertThat(reconciliation.at("/conservation/grid/paid").asLong()).isEqualTo(1);
        assertThat(reconciliation.at("/conservation/mysql/reserved").asLong()).isEqualTo(2);
    }

    @Test
    void racingPaymentsCancelsAndExpiriesEndEachOrderExactlyOnce() throws Exception {
        // given 40 reserved orders
        String saleId = "races";
        int orders = 40;
        createSale(saleId, orders, 4, 30);
        List<String> ids = new ArrayList<>();
        Map<String, Instant> expiresAt = new ConcurrentHashMap<>();
        for (int i = 0; i < orders; i++) {
            Answer bought = shop.purchase(token("racer-" + i), saleId, 1, "k");
            assertThat(bought.status()).isEqualTo(201);
            ids.add(bought.text("orderId"));
            expiresAt.put(bought.text("orderId"), Instant.parse(bought.text("expiresAt")));
        }

        // when the first half are paid and cancelled at once, and the second half paid as their window closes
        ExecutorService threads = Executors.newFixedThreadPool(16);
        Map<String, String> payments = new ConcurrentHashMap<>();
        Map<String, Integer> cancels = new ConcurrentHashMap<>();
        List<CompletableFuture<?>> calls = new ArrayList<>();
        for (int i = 0; i < orders; i++) {
            String shopper = "racer-" + i;
            String orderId = ids.get(i);
            if (i < orders / 2) {
                calls.add(CompletableFuture.runAsync(() -> cancels.put(orderId, shop.cancel(token(shopper), orderId).status()), threads));
                calls.add(CompletableFuture.runAsync(() -> payments.put(orderId, payUntilDecided(shopper, orderId)), threads));
            } else {
                long at = expiresAt.get(orderId).toEpochMilli() - 300 + ThreadLocalRandom.current().nextLong(600);
                calls.add(CompletableFuture.runAsync(() -> {
                    sleepUntil(at);
                    payments.put(orderId, payUntilDecided(shopper, orderId));
                }, threads));
            }
        }
        CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).get(90, TimeUnit.SECONDS);
        threads.shutdown();

        // then exactly one transition won each order, as its answers said, and a payment only within the window
        Map<String, String> expected = new ConcurrentHashMap<>();
        for (int i = 0; i < orders; i++) {
            String orderId = ids.get(i);
            Answer order = order("racer-" + i, orderId);
            String state = order.text("status");
            Instant endedAt = Instant.parse(order.text("endedAt"));
            if (state.equals("PAID")) {
                assertThat(endedAt).as("paid within the window").isBefore(expiresAt.get(orderId));
            } else if (state.equals("EXPIRED")) {
                assertThat(endedAt).as("expired once the window ended").isAfterOrEqualTo(expiresAt.get(orderId));
            }
            if ("paid".equals(payments.get(orderId))) {
                assertThat(state).isEqualTo("PAID");
                if (i < orders / 2) {
                    assertThat(cancels.get(orderId)).as("the cancel lost to the payment").isEqualTo(409);
                }
            } else {
                assertThat(payments.get(orderId)).isEqualTo("refund_due");
                assertThat(state).isEqualTo(i < orders / 2 ? "CANCELLED" : "EXPIRED");
                if (i < orders / 2) {
                    assertThat(cancels.get(orderId)).as("the cancel won").isEqualTo(200);
                }
            }
            expected.put(orderId, state + "@");
        }
        System.out.printf("races: %d paid, %d refunds due%n", payments.values().stream().filter("paid"::equals).count(),
                payments.values().stream().filter("refund_due"::equals).count());
        // and MySQL agrees, a refund is due for every refused payment, and conservation holds
        await().atMost(SETTLED).untilAsserted(() -> assertThat(platform.orderStates(saleId)).isEqualTo(expected));
        assertThat(platform.refundsDue(saleId)).hasSize((int) payments.values().stream().filter("refund_due"::equals).count());
        JsonNode reconciliation = awaitConsistent(saleId);
        long paidUnits = payments.values().stream().filter("paid"::equals).count();
        assertThat(reconciliation.at("/conservation/grid/paid").asLong()).isEqualTo(paidUnits);
        assertThat(reconciliation.at("/conservation/grid/available").asLong()).isEqualTo(orders - paidUnits);
        assertThat(reconciliation.at("/conservation/mysql/available").asLong()).isEqualTo(orders - paidUnits);
    }

    @Test
    void anEndWhoseNodeDiedBeforeItsBucketJournaledItReachesMysqlAndGivesTheUnitBack() {
        // given a sold-out sale of one unit
        String saleId = "lost-step";
        createSale(saleId, 1, 1, 600);
        String orderId = buy(saleId, "quitter");

        // when the order is cancelled on its shopper's entry, and the node dies before the bucket's step
        Ending ending = Maps.purchases(platform.api.client())
                .executeOnKey(new ShopperKey(saleId, "quitter"), EndOrder.cancel(orderId, System.currentTimeMillis()));
        assertThat(ending.journal()).isTrue();

        // then the sweep journals it again, MySQL shows it, and the unit is sold again
        await().atMost(SETTLED).untilAsserted(() -> assertThat(platform.orderStates(saleId)).isEqualTo(Map.of(orderId, "CANCELLED@")));
        await().atMost(SETTLED).untilAsserted(() -> assertThat(remaining(saleId)).isEqualTo(1));
        await().atMost(Duration.ofSeconds(15)).untilAsserted(
                () -> assertThat(shop.purchase(token("next"), saleId, 1, "k").status()).isEqualTo(201));
        // and once MySQL shows it, the grid knows, and stops sending it
        await().atMost(SETTLED).untilAsserted(() -> assertThat(Maps.purchases(platform.api.client())
                .get(new ShopperKey(saleId, "quitter")).find(orderId).recorded()).isTrue());
        awaitConsistent(saleId);
    }

    @Test
    void theCallbackPaysOnlyForAFreshProviderSignatureAndRecordsWhatBoughtNothing() {
        // given a reserved order of alice's, and one of bob's that will expire
        String saleId = "callbacks";
        createSale(saleId, 10, 2);
        String alices = buy(saleId, "alice");
        String bobs = buy(saleId, "bob");
        long now = Instant.now().getEpochSecond();
        String payment = notification("pay-alice", alices, saleId, "alice");

        // then no signature, a malformed one, a wrong one and a stale one are refused, and change nothing
        assertRefused(shop.paymentCallback(payment, null), 400, "signature_missing");
        assertRefused(shop.paymentCallback(payment, "t=" + now), 400, "signature_malformed");
        assertRefused(shop.paymentCallback(payment, sign(payment, now, "another-secret-another-secret-0123")), 401, "signature_invalid");
        assertRefused(shop.paymentCallback(payment.replace("19.99", "0.01"), sign(payment, now, ApiNode.PAYMENT_SECRET)), 401,
                "signature_invalid");
        assertRefused(shop.paymentCallback(payment, sign(payment, now - 600, ApiNode.PAYMENT_SECRET)), 401, "signature_stale");
        String badAmount = notification("pay-bad", alices, saleId, "alice").replace("\"19.99\"", "\"-1\"");
        assertRefused(shop.paymentCallback(badAmount, sign(badAmount, now, ApiNode.PAYMENT_SECRET)), 400, "invalid_notification");
        assertRefused(shop.paymentCallback("null", sign("null", now, ApiNode.PAYMENT_SECRET)), 400, "malformed_notification");
        // and a payment of another amount than the order's is a refund due, the order still reserved
        String partial = notification("pay-partial", alices, saleId, "alice").replace("\"19.99\"", "\"5.00\"");
        assertRefundDue(shop.paymentCallback(partial, sign(partial, now, ApiNode.PAYMENT_SECRET)), "amount_mismatch");
        assertThat(order("alice", alices).text("status")).isEqualTo("RESERVED");

        // when the provider sends a freshly signed one, twice
        String signature = sign(payment, now, ApiNode.PAYMENT_SECRET);
        Answer first = shop.paymentCallback(payment, signature);
        Answer replayed = shop.paymentCallback(payment, signature);

        // then it pays once
        assertThat(first.status()).as(first.body().toString()).isEqualTo(200);
        assertThat(first.text("result")).isEqualTo("paid");
        assertThat(replayed.body()).isEqualTo(first.body());
        assertThat(order("alice", alices).text("status")).isEqualTo("PAID");

        // and a payment for an unknown order, or naming another shopper's order, or after expiry, is a refund due
        String unknown = notification("pay-unknown", "00000000-0000-0000-0000-000000000000", saleId, "alice");
        assertRefundDue(shop.paymentCallback(unknown, sign(unknown, now, ApiNode.PAYMENT_SECRET)), "unknown_order");
        String wrongShopper = notification("pay-wrong", bobs, saleId, "alice");
        assertRefundDue(shop.paymentCallback(wrongShopper, sign(wrongShopper, now, ApiNode.PAYMENT_SECRET)), "unknown_order");
        assertThat(order("bob", bobs).text("status")).isEqualTo("RESERVED");
        await().atMost(Duration.ofSeconds(WINDOW_SECONDS + 10))
                .untilAsserted(() -> assertThat(order("bob", bobs).text("status")).isEqualTo("EXPIRED"));
        String late = notification("pay-late", bobs, saleId, "bob");
        long later = Instant.now().getEpochSecond();
        assertRefundDue(shop.paymentCallback(late, sign(late, later, ApiNode.PAYMENT_SECRET)), "order_expired");
        assertThat(order("bob", bobs).text("status")).isEqualTo("EXPIRED");
        assertThat(platform.refundsDue(saleId)).isEqualTo(Map.of("pay-partial", "amount_mismatch", "pay-unknown", "unknown_order",
                "pay-wrong", "unknown_order", "pay-late", "order_expired"));
        await().atMost(SETTLED).untilAsserted(() -> assertThat(platform.orderStates(saleId))
                .isEqualTo(Map.of(alices, "PAID@", bobs, "EXPIRED@")));
    }

    private static void createSale(String saleId, int stock, int buckets) {
        createSale(saleId, stock, buckets, WINDOW_SECONDS);
    }

    private static void createSale(String saleId, int stock, int buckets, long windowSeconds) {
        Answer created = shop.createSale(platform.api.adminToken(), saleId, stock, buckets, 1, Instant.now().minusSeconds(1),
                windowSeconds);
        assertThat(created.status()).as(created.body().toString()).isEqualTo(201);
    }

    private static String buy(String saleId, String shopper) {
        Answer bought = shop.purchase(token(shopper), saleId, 1, "k");
        assertThat(bought.status()).as(bought.body().toString()).isEqualTo(201);
        return bought.text("orderId");
    }

    private static String token(String shopper) {
        return platform.api.shopperToken(shopper);
    }

    private static Answer order(String shopper, String orderId) {
        Answer answer = shop.get("/api/orders/" + orderId, token(shopper));
        assertThat(answer.status()).as(answer.body().toString()).isEqualTo(200);
        return answer;
    }

    private static int remaining(String saleId) {
        return shop.get("/api/sales/" + saleId).body().get("remaining").asInt();
    }

    /** Pays until the answer is final: "paid" or "refund_due". */
    private static String payUntilDecided(String shopper, String orderId) {
        for (int attempt = 0; attempt < 50; attempt++) {
            Answer answer = shop.payInDemo(token(shopper), orderId);
            if (answer.status() == 200) {
                return answer.text("result");
            }
            sleepUntil(System.currentTimeMillis() + 200);
        }
        throw new AssertionError("no final answer to the payment of " + orderId);
    }

    private static JsonNode awaitConsistent(String saleId) {
        JsonNode[] report = new JsonNode[1];
        await().atMost(SETTLED).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            report[0] = shop.get("/admin/sales/" + saleId + "/reconciliation", platform.api.adminToken()).body();
            assertThat(report[0].get("consistent").asBoolean()).as(report[0].toString()).isTrue();
        });
        assertThat(report[0].at("/conservation/grid/holds").asBoolean()).isTrue();
        assertThat(report[0].at("/conservation/mysql/holds").asBoolean()).isTrue();
        return report[0];
    }

    private static String notification(String paymentId, String orderId, String saleId, String shopper) {
        return "{\"paymentId\":\"" + paymentId + "\",\"orderId\":\"" + orderId + "\",\"saleId\":\"" + saleId
                + "\",\"shopperId\":\"" + shopper + "\",\"amount\":\"19.99\",\"paidAt\":\"" + Instant.now()
                + "\",\"provider\":\"a field the platform does not know\"}";
    }

    /** Signs as a provider does, written here from the documented scheme rather than with the platform's own code. */
    private static String sign(String body, long unixSeconds, String secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] digest = mac.doFinal((unixSeconds + "." + body).getBytes(StandardCharsets.UTF_8));
            return "t=" + unixSeconds + ",v1=" + HexFormat.of().formatHex(digest);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void assertRefused(Answer answer, int status, String error) {
        assertThat(answer.status()).as(answer.body().toString()).isEqualTo(status);
        assertThat(answer.text("error")).isEqualTo(error);
    }

    private static void assertRefundDue(Answer answer, String reason) {
        assertThat(answer.status()).as(answer.body().toString()).isEqualTo(200);
        assertThat(answer.text("result")).isEqualTo("refund_due");
        assertThat(answer.text("reason")).isEqualTo(reason);
    }

    private static void sleepUntil(long epochMillis) {
        long wait = epochMillis - System.currentTimeMillis();
        if (wait > 0) {
            try {
                Thread.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
