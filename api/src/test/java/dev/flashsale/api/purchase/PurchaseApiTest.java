package dev.flashsale.api.purchase;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;

import dev.flashsale.api.ApiNode;
import dev.flashsale.api.ShopClient;
import dev.flashsale.api.ShopClient.Answer;
import dev.flashsale.api.sales.SaleCatalog;
import dev.flashsale.grid.LocalCluster;
import dev.flashsale.grid.Maps;
import dev.flashsale.purchase.ShopperKey;

/** One shopper at a time against a one-member grid: every answer of the purchase endpoint. */
class PurchaseApiTest {

    private static LocalCluster cluster;
    private static ApiNode api;
    private static ShopClient shop;
    private static String admin;

    @BeforeAll
    static void start() {
        cluster = LocalCluster.start(1);
        api = ApiNode.on(cluster);
        shop = api.shop();
        admin = api.adminToken();
    }

    @AfterAll
    static void stop() {
        api.close();
        cluster.close();
    }

    @Test
    void winnerGetsAReservedOrderAndTheSameKeyGetsTheSameOrder() {
        // given an open sale of 5 units
        createOpenSale("same-key", 5, 1);
        String alice = shop.shopperToken("alice");

        // when alice buys, then retries with the same key
        Answer first = shop.purchase(alice, "same-key", 1, "click-1");
        Answer retry = shop.purchase(alice, "same-key", 1, "click-1");

        // then both answers are the one order, and one unit is gone
        assertThat(first.status()).isEqualTo(201);
        assertThat(first.text("status")).isEqualTo("RESERVED");
        assertThat(first.text("saleId")).isEqualTo("same-key");
        assertThat(first.body().path("quantity").asInt()).isEqualTo(1);
        assertThat(Instant.parse(first.text("expiresAt"))).isAfter(Instant.now().plusSeconds(14 * 60));
        assertThat(retry.status()).isEqualTo(201);
        assertThat(retry.text("orderId")).isEqualTo(first.text("orderId"));
        assertThat(remaining("same-key")).isEqualTo(4);
        assertThat(shop.get("/api/sales/same-key/purchases", alice).body()).hasSize(1);
    }

    @Test
    void secondPurchaseOverTheLimitIsAlreadyPurchased() {
        createOpenSale("limit", 5, 1);
        String bob = shop.shopperToken("bob");
        Answer won = shop.purchase(bob, "limit", 1, "k1");

        Answer again = shop.purchase(bob, "limit", 1, "k2");

        assertThat(again.status()).isEqualTo(409);
        assertThat(again.text("error")).isEqualTo("already_purchased");
        assertThat(again.text("orderId")).isEqualTo(won.text("orderId"));
        assertThat(remaining("limit")).isEqualTo(4);
    }

    @Test
    void limitOfTwoAllowsTwoUnitsInAnyOrders() {
        createOpenSale("limit-two", 10, 2);
        String carol = shop.shopperToken("carol");

        assertThat(shop.purchase(carol, "limit-two", 1, "a").status()).isEqualTo(201);
        assertThat(shop.purchase(carol, "limit-two", 1, "b").status()).isEqualTo(201);
        assertThat(shop.purchase(carol, "limit-two", 1, "c").text("error")).isEqualTo("already_purchased");
        assertThat(remaining("limit-two")).isEqualTo(8);
    }

    @Test
    void soldOutOnceEveryBucketIsEmpty() {
        // given 2 units spread over 2 buckets
        createOpenSale("tiny", 2, 1, 2);

        // when three shoppers buy
        String s1 = shop.shopperToken("s1");
        Answer first = shop.purchase(s1, "tiny", 1, "k");
        Answer second = shop.purchase(shop.shopperToken("s2"), "tiny", 1, "k");
        Answer third = shop.purchase(shop.shopperToken("s3"), "tiny", 1, "k");

        // then two win (whichever bucket they start at) and the third is told it is sold out
        assertThat(first.status()).isEqualTo(201);
        assertThat(second.status()).isEqualTo(201);
        assertThat(third.status()).isEqualTo(410);
        assertThat(third.text("error")).isEqualTo("sold_out");
        assertThat(shop.get("/api/sales/tiny").text("status")).isEqualTo("sold_out");
        // and the loser's claim on the limit was given back
        assertThat(Maps.purchases(api.client()).get(new ShopperKey("tiny", "s3"))).isNull();

        // and once the node knows the sale sold out, a winner's retry still gets its order,
        // and a newcomer is told sold out without a claim being made
        Answer retry = shop.purchase(s1, "tiny", 1, "k");
        Answer newcomer = shop.purchase(shop.shopperToken("s4"), "tiny", 1, "k");
        assertThat(retry.status()).isEqualTo(201);
        assertThat(retry.text("orderId")).isEqualTo(first.text("orderId"));
        assertThat(newcomer.status()).isEqualTo(410);
        assertThat(Maps.purchases(api.client()).get(new ShopperKey("tiny", "s4"))).isNull();
        // and the node can tell who may have an order (and so still asks the grid for them)
        PurchaseService service = new PurchaseService(api.client(), new SaleCatalog(api.client()), Clock.systemUTC());
        assertThat(service.claimantsOf("tiny")).containsExactlyInAnyOrder("s1", "s2");
    }

    @Test
    void sameKeyForAnotherQuantityIsRefused() {
        createOpenSale("reuse", 10, 3);
        String dave = shop.shopperToken("dave");
        shop.purchase(dave, "reuse", 1, "key");

        Answer reused = shop.purchase(dave, "reuse", 2, "key");

        assertThat(reused.status()).isEqualTo(422);
        assertThat(reused.text("error")).isEqualTo("idempotency_key_reused");
        assertThat(remaining("reuse")).isEqualTo(9);
    }

    @Test
    void moreThanAnyBucketHoldsIsNotEnoughStock() {
        // 3 units over 3 buckets: no bucket can serve 2
        createOpenSale("spread", 3, 2, 3);

        Answer answer = shop.purchase(shop.shopperToken("erin"), "spread", 2, "k");

        assertThat(answer.status()).isEqualTo(409);
        assertThat(answer.text("error")).isEqualTo("not_enough_stock");
        assertThat(remaining("spread")).isEqualTo(3);
    }

    @Test
    void beforeTheStartAndUnknownSalesAreRefusedWithoutChange() {
        assertThat(shop.createSale(admin, "later", 5, 1, 1, Instant.now().plusSeconds(600)).status()).isEqualTo(201);
        String frank = shop.shopperToken("frank");

        Answer early = shop.purchase(frank, "later", 1, "k");
        Answer unknown = shop.purchase(frank, "no-such-sale", 1, "k");

        assertThat(early.status()).isEqualTo(403);
        assertThat(early.text("error")).isEqualTo("not_open");
        assertThat(shop.get("/api/sales/later").text("status")).isEqualTo("upcoming");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.text("error")).isEqualTo("sale_not_found");
        assertThat(remaining("later")).isEqualTo(5);
        assertThat(Maps.purchases(api.client()).get(new ShopperKey("later", "frank"))).isNull();
    }

    @Test
    void badInputGetsAClear4xxAndChangesNothing() {
        createOpenSale("guarded", 5, 1);
        String grace = shop.shopperToken("grace");
        String forged = JWT.create().withIssuer("flashsale").withSubject("grace").withClaim("role", "shopper")
                .sign(Algorithm.HMAC256("another-secret-another-secret-another-secret"));

        Map<String, Answer> answers = Map.of(
                "malformed json", shop.send(shop.purchaseRequest(grace, "guarded", "{\"quantity\":", "k1")),
                "not an object", shop.send(shop.purchaseRequest(grace, "guarded", "[1]", "k1")),
                "text quantity", shop.send(shop.purchaseRequest(grace, "guarded", "{\"quantity\":\"one\"}", "k1")),
                "fraction", shop.send(shop.purchaseRequest(grace, "guarded", "{\"quantity\":1.5}", "k1")),
                "unknown field", shop.send(shop.purchaseRequest(grace, "guarded", "{\"quantity\":1,\"price\":0}", "k1")),
                "zero", shop.purchase(grace, "guarded", 0, "k1"),
                "negative", shop.purchase(grace, "guarded", -1, "k1"),
                "above the limit", shop.purchase(grace, "guarded", 2, "k1"),
                "no key", shop.send(shop.purchaseRequest(grace, "guarded", "{\"quantity\":1}", null)));

        assertThat(answers).allSatisfy((name, answer) -> {
            assertThat(answer.status()).as(name).isEqualTo(400);
            assertThat(answer.text("message")).as(name).isNotBlank();
        });
        assertThat(answers.get("zero").text("error")).isEqualTo("invalid_quantity");
        assertThat(answers.get("above the limit").text("error")).isEqualTo("invalid_quantity");
        assertThat(answers.get("malformed json").text("error")).isEqualTo("malformed_json");
        assertThat(answers.get("no key").text("error")).isEqualTo("invalid_idempotency_key");

        Answer noToken = shop.purchase(null, "guarded", 1, "k1");
        Answer forgedToken = shop.purchase(forged, "guarded", 1, "k1");
        Answer adminToken = shop.purchase(admin, "guarded", 1, "k1");
        assertThat(noToken.status()).isEqualTo(401);
        assertThat(forgedToken.status()).isEqualTo(401);
        assertThat(forgedToken.text("error")).isEqualTo("unauthorized");
        assertThat(adminToken.status()).isEqualTo(403);

        assertThat(remaining("guarded")).isEqualTo(5);
        assertThat(Maps.purchases(api.client()).get(new ShopperKey("guarded", "grace"))).isNull();
    }

    /**
     * A token must expire, be meant for this API, and name a subject that fits the shopper id
     * column: a 200-character subject once got a 201 whose row MySQL could never store.
     */
    @Test
    void tokensMustExpireNameThisAudienceAndABoundedSubject() {
        createOpenSale("tokens", 5, 1);
        Algorithm ours = Algorithm.HMAC256(ApiNode.SECRET);
        Instant later = Instant.now().plusSeconds(3600);

        Map<String, String> tokens = Map.of(
                "no expiry", JWT.create().withIssuer("flashsale").withAudience("flashsale-api").withSubject("ivan")
                        .withClaim("role", "shopper").sign(ours),
                "null expiry", JWT.create().withIssuer("flashsale").withAudience("flashsale-api").withSubject("ivan")
                        .withClaim("role", "shopper").withNullClaim("exp").sign(ours),
                "numeric subject", JWT.create().withIssuer("flashsale").withAudience("flashsale-api").withClaim("sub", 42)
                        .withClaim("role", "shopper").withExpiresAt(later).sign(ours),
                "expired", JWT.create().withIssuer("flashsale").withAudience("flashsale-api").withSubject("ivan")
                        .withClaim("role", "shopper").withExpiresAt(Instant.now().minusSeconds(5)).sign(ours),
                "no audience", JWT.create().withIssuer("flashsale").withSubject("ivan")
                        .withClaim("role", "shopper").withExpiresAt(later).sign(ours),
                "another audience", JWT.create().withIssuer("flashsale").withAudience("billing").withSubject("ivan")
                        .withClaim("role", "shopper").withExpiresAt(later).sign(ours),
                "subject of 200 characters", JWT.create().withIssuer("flashsale").withAudience("flashsale-api")
                        .withSubject("s".repeat(200)).withClaim("role", "shopper").withExpiresAt(later).sign(ours),
                "subject with a control character", JWT.create().withIssuer("flashsale").withAudience("flashsale-api")
                        .withSubject("iv\u0001an").withClaim("role", "shopper").withExpiresAt(later).sign(ours),
                "blank subject", JWT.create().withIssuer("flashsale").withAudience("flashsale-api")
                        .withSubject("   ").withClaim("role", "shopper").withExpiresAt(later).sign(ours));

        // and time claims no Instant can hold, which the library reads before the signature
        Map<String, String> unreadable = Map.of(
                "expiry beyond any instant", JWT.create().withIssuer("flashsale").withAudience("flashsale-api").withSubject("ivan")
                        .withClaim("role", "shopper").withClaim("exp", 99_999_999_999_999_999L).sign(ours),
                "issued before any instant", JWT.create().withIssuer("flashsale").withAudience("flashsale-api").withSubject("ivan")
                        .withClaim("role", "shopper").withExpiresAt(later).withClaim("iat", -99_999_999_999_999_999L).sign(ours));

        assertThat(tokens).allSatisfy((name, token) -> {
            Answer answer = shop.purchase(token, "tokens", 1, "k1");
            assertThat(answer.status()).as(name).isEqualTo(401);
            assertThat(answer.text("error")).as(name).isEqualTo("unauthorized");
        });
        assertThat(unreadable).allSatisfy((name, token) -> {
            Answer answer = shop.purchase(token, "tokens", 1, "k1");
            assertThat(answer.status()).as(name).isEqualTo(401);
            assertThat(answer.text("error")).as(name).isEqualTo("unauthorized");
        });
        assertThat(remaining("tokens")).isEqualTo(5);
        String longest = JWT.create().withIssuer("flashsale").withAudience("flashsale-api").withSubject("s".repeat(128))
                .withClaim("role", "shopper").withExpiresAt(later).sign(ours);
        assertThat(shop.purchase(longest, "tokens", 1, "k1").status()).isEqualTo(201);
    }

    /** A sale the tables cannot hold is refused at the edge: once, one stalled the MySQL sink for good. */
    @Test
    void salesBeyondWhatTheRecordsHoldAreRefused() {
        String now = Instant.now().toString();
        String hour = Instant.now().plusSeconds(3600).toString();
        Map<String, String> fields = Map.of(
                "ends in the year 10000", "\"startsAt\":\"" + now + "\",\"endsAt\":\"+10000-01-01T00:00:00Z\",\"price\":1",
                "ends in the year 300000000", "\"startsAt\":\"" + now + "\",\"endsAt\":\"+300000000-01-01T00:00:00Z\",\"price\":1",
                "starts two days ago", "\"startsAt\":\"" + Instant.now().minusSeconds(2 * 86_400) + "\",\"endsAt\":\"" + hour + "\",\"price\":1",
                "price beyond DECIMAL(12,2)", "\"startsAt\":\"" + now + "\",\"endsAt\":\"" + hour + "\",\"price\":10000000000",
                "price with a huge exponent", "\"startsAt\":\"" + now + "\",\"endsAt\":\"" + hour + "\",\"price\":1e999999999",
                "price with three decimals", "\"startsAt\":\"" + now + "\",\"endsAt\":\"" + hour + "\",\"price\":1.001");

        assertThat(fields).allSatisfy((name, body) -> {
            Answer answer = shop.send(shop.post("/admin/sales", admin,
                    "{\"id\":\"edge\",\"name\":\"Edge\",\"stock\":5," + body + "}"));
            assertThat(answer.status()).as(name + ": " + answer.body()).isEqualTo(400);
            assertThat(answer.text("error")).as(name).isIn("invalid_sale", "malformed_json");
        });
        Answer longName = shop.send(shop.post("/admin/sales", admin, "{\"id\":\"edge\",\"name\":\"" + "n".repeat(201)
                + "\",\"stock\":5,\"price\":1,\"startsAt\":\"" + now + "\",\"endsAt\":\"" + hour + "\"}"));
        assertThat(longName.status()).isEqualTo(400);
        assertThat(longName.text("message")).contains("name");
        assertThat(shop.get("/api/sales/edge").status()).isEqualTo(404);
    }

    @Test
    void adminEndpointsNeedAnAdminTokenAndValidSales() {
        String shopper = shop.shopperToken("henry");

        assertThat(shop.createSale(shopper, "by-shopper", 5, 1, 1, Instant.now()).status()).isEqualTo(403);
        assertThat(shop.createSale(null, "anonymous", 5, 1, 1, Instant.now()).status()).isEqualTo(401);
        Answer invalid = shop.createSale(admin, "Bad Id!", 0, 1, 1, Instant.now());
        assertThat(invalid.status()).isEqualTo(400);
        assertThat(invalid.text("error")).isEqualTo("invalid_sale");
        assertThat(invalid.body().path("problems")).hasSize(2);
        createOpenSale("twice", 5, 1);
        assertThat(shop.createSale(admin, "twice", 5, 1, 1, Instant.now()).status()).isEqualTo(409);
        assertThat(shop.get("/api/sales/by-shopper").status()).isEqualTo(404);
    }

    @Test
    void unknownRoutesAndMethodsAnswerJson() {
        Answer missing = shop.get("/api/nothing-here");
        Answer wrongMethod = shop.delete("/api/time");

        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.text("error")).isEqualTo("not_found");
        assertThat(wrongMethod.status()).isIn(404, 405);
        assertThat(wrongMethod.text("error")).isNotBlank();
    }

    /**
     * A body beyond 16 KB gets a 413 in JSON wherever it is sent, also to routes that take no
     * body: once, the server answered those without reading the body, closed the connection,
     * and the client got a reset instead of an answer.
     */
    @Test
    void anOversizeBodyGetsA413EvenWhereNoBodyIsRead() throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        String body = "{\"a\":\"" + "x".repeat(20_000) + "\"}";

        for (String path : List.of("/health/live", "/api/time", "/no/such/route")) {
            for (int i = 0; i < 10; i++) {
                HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(shop.baseUrl() + path))
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(answer.statusCode()).as(path).isEqualTo(413);
                assertThat(answer.body()).as(path).contains("\"error\":\"payload_too_large\"");
            }
        }
    }

    @Test
    void timeAndHealthAnswer() {
        Answer time = shop.get("/api/time");

        assertThat(time.status()).isEqualTo(200);
        assertThat(Math.abs(time.body().path("epochMillis").asLong() - System.currentTimeMillis())).isLessThan(5_000);
        assertThat(shop.get("/health/live").status()).isEqualTo(200);
        assertThat(shop.get("/health/ready").status()).isEqualTo(200);
        assertThat(shop.get("/api/sales").body().isArray()).isTrue();
    }

    private static void createOpenSale(String saleId, int stock, int limit) {
        createOpenSale(saleId, stock, limit, Math.min(stock, 4));
    }

    private static void createOpenSale(String saleId, int stock, int limit, int buckets) {
        Answer created = shop.createSale(admin, saleId, stock, buckets, limit, Instant.now().minusSeconds(1));
        assertThat(created.status()).as(created.body().toString()).isEqualTo(201);
    }

    private static int remaining(String saleId) {
        return shop.get("/api/sales/" + saleId).body().path("remaining").asInt();
    }
}
