package dev.flashsale.pipelines;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.internal.journal.EventJournalInitialSubscriberState;
import com.hazelcast.internal.journal.EventJournalReader;
import com.hazelcast.map.EventJournalMapEvent;
import com.hazelcast.map.IMap;
import com.hazelcast.ringbuffer.ReadResultSet;

import com.hazelcast.jet.config.JobConfig;

import dev.flashsale.api.ApiNode;
import dev.flashsale.api.http.Json;
import dev.flashsale.embedded.MariaDbServer;
import dev.flashsale.grid.Jobs;
import dev.flashsale.grid.LocalCluster;
import dev.flashsale.grid.Maps;
import dev.flashsale.pipelines.ledger.DeadLetter;
import dev.flashsale.pipelines.ledger.LedgerEntries;
import dev.flashsale.pipelines.ledger.LedgerEntry;
import dev.flashsale.pipelines.ledger.MysqlLedger;
import dev.flashsale.pipelines.ledger.OrderRow;
import dev.flashsale.pipelines.ledger.SaleRow;
import dev.flashsale.pipelines.ledger.SourceRecord;
import dev.flashsale.pipelines.outbox.OutboxEvents;
import dev.flashsale.sale.Limits;
import dev.flashsale.sale.Sale;
import dev.flashsale.stock.StockBucket;
import dev.flashsale.stock.StockKey;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Throws malformed and hostile requests at every endpoint (paths, headers, tokens, bodies,
 * sizes, ranges) through real HTTP into a real grid, and holds three properties for each:
 * the answer is never a 5xx and always a JSON body; a refused request changes nothing in the
 * grid; and whatever was accepted can be stored in MySQL, proven by sending the event the
 * outbox would publish through the orders job's parsing and the real ledger into a real MariaDB.
 */
class HostileInputTest {

    private static final int TRIES = 1_500;
    private static final String OPEN_SALE = "fuzz-open";
    private static final Algorithm OURS = Algorithm.HMAC256(ApiNode.SECRET);

    private static MariaDbServer mysql;
    private static LocalCluster cluster;
    private static ApiNode api;
    private static MysqlLedger ledger;
    private static HttpClient http;
    private static final Map<String, Long> ANSWERS = new ConcurrentSkipListMap<>();
    private static final AtomicLong TRIED = new AtomicLong();
    private static final AtomicLong STORED = new AtomicLong();
    private static final Set<String> STORED_ORDERS = ConcurrentHashMap.newKeySet();

    @BeforeContainer
    static void start() throws IOException {
        mysql = MariaDbServer.start(Files.createTempDirectory("fuzz"));
        mysql.createDatabase("flashsale");
        PipelineSettings settings = new PipelineSettings("127.0.0.1:1", 1, (short) 1, mysql.jdbcUrl("flashsale"), mysql.user(), mysql.password());
        Schema.migrate(settings);
        ledger = new MysqlLedger(settings.mysqlUrl(), settings.mysqlUser(), settings.mysqlPassword());
        cluster = LocalCluster.start(1);
        // MySQL's sales table reaches the grid by change data capture, as in production (no
        // Kafka here: the event path's jobs are not needed, and the ledger is driven directly)
        cluster.member(0).getJet().newJob(SaleJobs.catalog(settings), new JobConfig().setName(Jobs.CATALOG));
        api = ApiNode.on(cluster, Map.of("FLASHSALE_MYSQL_URL", settings.mysqlUrl(), "FLASHSALE_MYSQL_USER", settings.mysqlUser(),
                "FLASHSALE_MYSQL_PASSWORD", settings.mysqlPassword()));
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        assertThat(api.shop().createSale(api.adminToken(), OPEN_SALE, Limits.MAX_STOCK, 8, 100, Instant.now().minusSeconds(1)).status())
                .isEqualTo(201);
    }

    @AfterContainer
    static void stop() {
        System.out.printf("hostile input: %d requests tried, %d accepted values stored in MySQL; answers by status: %s%n",
                TRIED.get(), STORED.get(), ANSWERS);
        ledger.close();
        api.close();
        cluster.close();
        mysql.close();
    }

    @Property(tries = TRIES)
    void noRequestGetsA5xxRefusalsChangeNothingAndWhatIsAcceptedIsStorable(@ForAll("requests") Call call) throws Exception {
        // given the grid as it stands
        HazelcastInstance grid = api.client();
        Map<String, Object> before = gridState(grid);

        // when the request is sent
        HttpResponse<String> response = send(call);
        TRIED.incrementAndGet();
        ANSWERS.merge(call.endpoint() + " " + response.statusCode(), 1L, Long::sum);

        // then it is answered, in JSON, never with a 5xx
        assertThat(response.statusCode()).as(call + " -> " + response.body()).isLessThan(500);
        JsonNode body = Json.MAPPER.readTree(response.body());
        if (response.statusCode() >= 400) {
            // and a refusal says what is wrong, and changed nothing
            assertThat(body.path("error").asText()).as(call + " -> " + response.body()).isNotBlank();
            assertThat(body.path("message").asText()).as(call.toString()).isNotBlank();
            assertThat(gridState(grid)).as(call.toString()).isEqualTo(before);
        } else if (call.endpoint().equals("read") || call.endpoint().equals("demo token")) {
            // and a read or a demo token changes nothing either
            assertThat(gridState(grid)).as(call.toString()).isEqualTo(before);
        } else if (call.endpoint().equals("create sale") && response.statusCode() == 201) {
            // and an accepted sale can be stored
            assertStorable(saleRow(grid.<String, Sale>getMap(Maps.SALES).get(body.path("id").asText())));
        } else if (call.endpoint().equals("purchase") && response.statusCode() == 201 && STORED_ORDERS.add(body.path("orderId").asText())) {
            // and an accepted order can be stored (a retry's answer names an order stored already)
            assertStorable(orderRow(grid, body.path("saleId").asText(), body.path("orderId").asText()));
        }
    }

    // --- what is sent ---

    /** One request: which endpoint, how, and with what. */
    record Call(String endpoint, String method, String path, String token, Map<String, String> headers, String body) {
    }

    @Provide
    Arbitrary<Call> requests() {
        return Arbitraries.oneOf(purchases(), saleCreations(), reads(), demoTokens());
    }

    private Arbitrary<Call> purchases() {
        return Combinators.combine(saleIds(), shopperTokens(), idempotencyKeys(), purchaseBodies())
                .as((saleId, token, key, body) -> new Call("purchase", "POST", "/api/sales/" + saleId + "/purchases", token,
                        key == null ? Map.of() : Map.of("Idempotency-Key", key), body));
    }

    private Arbitrary<Call> saleCreations() {
        return Combinators.combine(adminTokens(), saleBodies())
                .as((token, body) -> new Call("create sale", "POST", "/admin/sales", token, Map.of(), body));
    }

    private Arbitrary<Call> reads() {
        Arbitrary<String> paths = Arbitraries.oneOf(
                saleIds().map(id -> "/api/sales/" + id),
                saleIds().map(id -> "/api/sales/" + id + "/purchases"),
                saleIds().map(id -> "/admin/sales/" + id + "/reconciliation"),
                hostileText(80).map(text -> "/admin/dead-letters?limit=" + encode(text) + "&saleId=" + encode(text)),
                Arbitraries.of("/api/sales", "/api/time", "/health/live", "/health/ready", "/admin/event-path", "/admin/dead-letters"));
        Arbitrary<Call> liveness = hostileJson().map(body -> new Call("read", "POST", "/health/live", null, Map.of(), body));
        return Combinators.combine(paths, Arbitraries.oneOf(shopperTokens(), adminTokens()), Arbitraries.of("GET", "DELETE", "PUT", "PATCH"),
                        hostileJson())
                .as((path, token, method, body) -> new Call("read", method, path, token, Map.of(), method.equals("GET") ? null : body))
                .flatMap(read -> Arbitraries.frequencyOf(Tuple.of(9, Arbitraries.just(read)), Tuple.of(1, liveness)));
    }

    private Arbitrary<Call> demoTokens() {
        Arbitrary<String> bodies = Arbitraries.oneOf(
                hostileText(100).map(id -> JsonNodeFactory.instance.objectNode().put("shopperId", id).toString()),
                hostileJson());
        return bodies.map(body -> new Call("demo token", "POST", "/demo/tokens", null, Map.of(), body));
    }

    private Arbitrary<String> saleIds() {
        return Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.just(OPEN_SALE)),
                Tuple.of(1, Arbitraries.just("no-such-sale")),
                Tuple.of(2, hostileText(300).filter(text -> !text.isEmpty()).map(HostileInputTest::encode)));
    }

    // Each generator mixes values that pass with hostile ones, so that accepted requests (and
    // what they store) are explored as well as refused ones.

    private Arbitrary<String> shopperTokens() {
        Arbitrary<String> plain = Arbitraries.strings().alpha().numeric().ofMinLength(1).ofMaxLength(20);
        Arbitrary<String> hostile = hostileText(300);
        Instant later = Instant.now().plusSeconds(3_600);
        return Arbitraries.frequencyOf(
                Tuple.of(6, plain.map(subject -> token(subject, "shopper", "flashsale-api", later))),
                Tuple.of(4, hostile.map(subject -> token(subject, "shopper", "flashsale-api", later))),
                Tuple.of(1, plain.map(subject -> token(subject, "shopper", "flashsale-api", null))),
                Tuple.of(1, plain.map(subject -> JWT.create().withIssuer("flashsale").withAudience("flashsale-api").withSubject(subject)
                        .withClaim("role", "shopper").withNullClaim("exp").sign(OURS))),
                Tuple.of(1, plain.map(subject -> JWT.create().withIssuer("flashsale").withAudience("other", "flashsale-api")
                        .withSubject(subject).withClaim("role", "shopper").withExpiresAt(later).sign(OURS))),
                Tuple.of(1, Arbitraries.longs().map(time -> JWT.create().withIssuer("flashsale").withAudience("flashsale-api")
                        .withSubject("t").withClaim("role", "shopper").withClaim("exp", time).withClaim("iat", -time).sign(OURS))),
                Tuple.of(1, Arbitraries.integers().map(subject -> JWT.create().withIssuer("flashsale").withAudience("flashsale-api")
                        .withClaim("sub", subject).withClaim("role", "shopper").withExpiresAt(later).sign(OURS))),
                Tuple.of(1, plain.map(subject -> token(subject, "shopper", "another-api", later))),
                Tuple.of(1, plain.map(subject -> token(subject, "shopper", "flashsale-api", Instant.now().minusSeconds(5)))),
                Tuple.of(1, plain.map(subject -> JWT.create().withIssuer("flashsale").withAudience("flashsale-api").withSubject(subject)
                        .withClaim("role", "shopper").withExpiresAt(later).sign(Algorithm.none()))),
                Tuple.of(1, headerText(500)),
                Tuple.of(1, Arbitraries.just(null)));
    }

    private Arbitrary<String> adminTokens() {
        Instant later = Instant.now().plusSeconds(3_600);
        return Arbitraries.frequencyOf(
                Tuple.of(8, Arbitraries.just(token("ops", "admin", "flashsale-api", later))),
                Tuple.of(1, Arbitraries.just(token("ops", "shopper", "flashsale-api", later))),
                Tuple.of(1, hostileText(64).map(role -> token("ops", role, "flashsale-api", later))),
                Tuple.of(1, Arbitraries.just(null)));
    }

    private Arbitrary<String> idempotencyKeys() {
        return Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(20)),
                Tuple.of(2, headerText(300)),
                Tuple.of(1, Arbitraries.just(null)));
    }

    private Arbitrary<String> purchaseBodies() {
        return Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.integers().between(1, 3).map(quantity -> "{\"quantity\":" + quantity + "}")),
                Tuple.of(2, hostileNumbers().map(quantity -> "{\"quantity\":" + quantity + "}")),
                Tuple.of(2, Arbitraries.integers().between(-5, 120).map(quantity -> "{\"quantity\":" + quantity + "}")),
                Tuple.of(1, hostileJson()));
    }

    /** A valid sale with, now and then, a field replaced by a hostile value, left out, or given the wrong type. */
    private Arbitrary<String> saleBodies() {
        Arbitrary<Object> hostileValue = Arbitraries.oneOf(hostileNumbers().map(Object.class::cast), hostileInstants().map(Object.class::cast),
                hostileText(260).map(Object.class::cast), Arbitraries.just(null));
        Arbitrary<ObjectNode> sale = Combinators.combine(
                field(Arbitraries.strings().withChars("abcdefghij0123456789-").ofMinLength(1).ofMaxLength(70)
                        .map(id -> "\"" + id + "\""), hostileValue),
                field(Arbitraries.oneOf(Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(30), hostileText(260))
                        .map(name -> JsonNodeFactory.instance.textNode(name).toString()), hostileValue),
                field(Arbitraries.bigDecimals().between(BigDecimal.ZERO, new BigDecimal("9999999999.99")).ofScale(2)
                        .map(BigDecimal::toPlainString), hostileValue),
                field(Arbitraries.integers().between(1, 1_000).map(String::valueOf), hostileValue),
                field(Arbitraries.longs().between(-3_600, 3_600).map(offset -> "\"" + Instant.now().plusSeconds(offset) + "\""), hostileValue),
                field(Arbitraries.longs().between(3_601, 86_400L * 365).map(offset -> "\"" + Instant.now().plusSeconds(offset) + "\""),
                        hostileValue),
                field(Arbitraries.integers().between(1, 5).map(String::valueOf), hostileValue),
                field(Arbitraries.integers().between(60, 3_600).map(String::valueOf), hostileValue))
                .as((id, name, price, stock, startsAt, endsAt, limit, window) -> {
                    ObjectNode json = JsonNodeFactory.instance.objectNode();
                    put(json, "id", id);
                    put(json, "name", name);
                    put(json, "price", price);
                    put(json, "stock", stock);
                    put(json, "startsAt", startsAt);
                    put(json, "endsAt", endsAt);
                    put(json, "perShopperLimit", limit);
                    put(json, "paymentWindowSeconds", window);
                    return json;
                })
                .flatMap(json -> field(Arbitraries.integers().between(1, 8).map(String::valueOf), hostileValue).map(buckets -> {
                    ObjectNode withBuckets = json.deepCopy();
                    put(withBuckets, "buckets", buckets);
                    return withBuckets;
                }));
        return Arbitraries.frequencyOf(Tuple.of(8, sale.map(ObjectNode::toString)), Tuple.of(1, hostileJson()));
    }

    /** Mostly the valid value (as JSON text); sometimes a hostile one. */
    private static Arbitrary<Object> field(Arbitrary<String> valid, Arbitrary<Object> hostile) {
        return Arbitraries.frequencyOf(Tuple.of(5, valid.map(Object.class::cast)), Tuple.of(1, hostile));
    }

    /** Numbers at and beyond every bound, written as JSON number literals. */
    private Arbitrary<String> hostileNumbers() {
        return Arbitraries.oneOf(
                Arbitraries.of("0", "-0", "1", "-1", "0.5", "1.001", "1e3", "1E+20", "1e999999999", "-1e999999999", "1e-999999999",
                        "9999999999.99", "10000000000", "10000000000.00", "2147483647", "2147483648", "-2147483649",
                        "9223372036854775807", "9223372036854775808", "1" + "0".repeat(900), "NaN", "Infinity", "0x10", "01"),
                Arbitraries.bigDecimals().between(new BigDecimal("-1e15"), new BigDecimal("1e15")).ofScale(4).map(BigDecimal::toPlainString),
                Arbitraries.longs().map(String::valueOf));
    }

    /** Instants at and beyond what MySQL stores and what Java can hold, as JSON strings. */
    private Arbitrary<String> hostileInstants() {
        return Arbitraries.oneOf(
                Arbitraries.of("+10000-01-01T00:00:00Z", "+300000000-01-01T00:00:00Z", "-300000000-01-01T00:00:00Z",
                        "+1000000000-12-31T23:59:59.999999999Z", "0999-12-31T23:59:59Z", "1970-01-01T00:00:00Z",
                        "9999-12-31T23:59:59.999Z", "2026-13-45T25:61:61Z", "yesterday", "").map(text -> "\"" + text + "\""),
                Arbitraries.longs().between(-86_400L * 400, 86_400L * 400)
                        .map(offset -> "\"" + Instant.now().plusSeconds(offset) + "\""));
    }

    /** Text of any characters: controls, lone surrogates, astral planes, long runs. */
    private Arbitrary<String> hostileText(int maxLength) {
        return Arbitraries.oneOf(
                Arbitraries.strings().all().ofMaxLength(maxLength),
                Arbitraries.strings().withCharRange('\u0000', '\u001f').ofMaxLength(maxLength),
                Arbitraries.of("\uD800", "\uDC00abc", "\uD83D\uDE00".repeat(129), "a".repeat(129), "a".repeat(201), " ", "\t\n",
                        "../../etc/passwd", "%00", "' OR 1=1 --", "<script>alert(1)</script>", "${jndi:ldap://x}"));
    }

    /** Header values the HTTP client will send (no CR, LF or other controls but tab; Latin-1). */
    private Arbitrary<String> headerText(int maxLength) {
        return Arbitraries.strings().withCharRange('\u0020', '\u00ff').withChars('\t').ofMaxLength(maxLength)
                .filter(text -> text.chars().noneMatch(c -> c == 0x7f));
    }

    /** Bodies that are not what the endpoint wants: broken, empty, nested, typed wrong, very long. */
    private Arbitrary<String> hostileJson() {
        return Arbitraries.oneOf(
                Arbitraries.of("", " ", "{", "}", "[]", "[1]", "null", "true", "\"text\"", "{\"quantity\":}", "{\"quantity\":1}{}",
                        "{\"quantity\":{\"a\":1}}", "{\"quantity\":[1]}", "{\"quantity\":null}", "{\"unknown\":1}",
                        "{\"quantity\":1,\"quantity\":2}", "[".repeat(5_000), "{\"a\":\"" + "x".repeat(20_000) + "\"}"),
                hostileText(200));
    }

    // --- what is checked ---

    private static Map<String, Object> gridState(HazelcastInstance grid) {
        Map<String, Object> state = new TreeMap<>();
        grid.<String, Sale>getMap(Maps.SALES).keySet().forEach(id -> state.put("sale " + id, "exists"));
        grid.<StockKey, StockBucket>getMap(Maps.STOCK).forEach((key, bucket) -> state.put("stock " + key, bucket.available()));
        state.put("purchases", grid.getMap(Maps.PURCHASES).size());
        return state;
    }

    private static LedgerEntry saleRow(Sale sale) {
        return LedgerEntries.of(record(sale.id(), OutboxEvents.scheduled(Journaled.written(sale.id(), sale)).getValue()));
    }

    private static LedgerEntry orderRow(HazelcastInstance grid, String saleId, String orderId) {
        Sale sale = grid.<String, Sale>getMap(Maps.SALES).get(saleId);
        List<StockKey> buckets = new ArrayList<>();
        for (int i = 0; i < sale.buckets(); i++) {
            buckets.add(sale.bucket(i));
        }
        // The reservation as the outbox reads it: from the stock journal (a bucket's value
        // carries only its latest write, which settlement's own writes may have followed).
        for (StockKey key : buckets) {
            StockBucket reserved = reservationInJournal(grid, key, orderId);
            if (reserved != null) {
                return LedgerEntries.of(record(orderId, OutboxEvents.bucketEvent(Journaled.written(key, reserved)).getValue()));
            }
        }
        throw new AssertionError("no bucket of " + saleId + " took order " + orderId);
    }

    @SuppressWarnings("unchecked")
    private static StockBucket reservationInJournal(HazelcastInstance grid, StockKey key, String orderId) {
        IMap<StockKey, StockBucket> stock = Maps.stock(grid);
        int partition = grid.getPartitionService().getPartition(key).getPartitionId();
        EventJournalReader<EventJournalMapEvent<StockKey, StockBucket>> journal =
                (EventJournalReader<EventJournalMapEvent<StockKey, StockBucket>>) stock;
        EventJournalInitialSubscriberState state = journal.subscribeToEventJournal(partition).toCompletableFuture().join();
        int count = (int) Math.min(1_000, state.getNewestSequence() - state.getOldestSequence() + 1);
        if (count <= 0) {
            return null;
        }
        ReadResultSet<EventJournalMapEvent<StockKey, StockBucket>> events = journal.<EventJournalMapEvent<StockKey, StockBucket>>
                readFromEventJournal(state.getNewestSequence() - count + 1, 0, count, partition, null, null)
                .toCompletableFuture().join();
        for (EventJournalMapEvent<StockKey, StockBucket> event : events) {
            StockBucket written = event.getNewValue();
            if (key.equals(event.getKey()) && written != null && written.last() != null && orderId.equals(written.last().orderId())) {
                return written;
            }
        }
        return null;
    }

    private static void assertStorable(LedgerEntry entry) throws Exception {
        assertThat(entry).as("the orders job reads the event back as a row").isInstanceOfAny(SaleRow.class, OrderRow.class);
        List<DeadLetter> refused = ledger.write(List.of(entry)).get(60, TimeUnit.SECONDS);
        assertThat(refused).as("MySQL stores " + entry).containsOnlyNulls();
        STORED.incrementAndGet();
    }

    private static SourceRecord record(String key, String value) {
        return new SourceRecord("sale-events", 0, TRIED.get(), key, value);
    }

    private static HttpResponse<String> send(Call call) {
        // A connection per request: the server may close one after refusing a request whose
        // body it did not read (413), and a POST sent on it meanwhile would get no answer at all.
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(api.shop().baseUrl() + call.path()))
                .timeout(Duration.ofSeconds(30))
                .header("Connection", "close")
                .method(call.method(), call.body() == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(call.body()));
        if (call.token() != null) {
            request.header("Authorization", "Bearer " + call.token());
        }
        call.headers().forEach(request::header);
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String token(String subject, String role, String audience, Instant expiresAt) {
        var token = JWT.create().withIssuer("flashsale").withAudience(audience).withSubject(subject).withClaim("role", role);
        if (expiresAt != null) {
            token.withExpiresAt(expiresAt);
        }
        return token.sign(OURS);
    }

    private static void put(ObjectNode json, String field, Object value) {
        if (value == null) {
            return;
        }
        String text = Objects.toString(value);
        try {
            // a number literal or a quoted instant goes in as raw JSON; anything else as a string
            json.set(field, Json.MAPPER.readTree(text));
        } catch (IOException notJson) {
            json.put(field, text);
        }
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

}
