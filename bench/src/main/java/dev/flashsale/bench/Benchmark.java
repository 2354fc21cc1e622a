package dev.flashsale.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import dev.flashsale.api.auth.Role;
import dev.flashsale.api.auth.Tokens;
import dev.flashsale.api.sales.NewSale;
import dev.flashsale.api.sales.SaleCatalog;
import dev.flashsale.bench.Wrk.Figures;
import dev.flashsale.demo.Demo;
import dev.flashsale.grid.GridConfig;
import dev.flashsale.grid.JvmDefaults;

/**
 * The hot-sale benchmark: starts the platform as the demo does (Kafka, MariaDB, a member with
 * both jobs, an API node), measures the API node's trivial endpoint as the baseline, then each
 * scenario with the same wrk script, and checks every sale against the grid and MySQL after
 * the pipeline drained. {@code --smoke} runs each scenario for a second or so.
 *
 * <p>Results: a table on stdout, and {@code target/bench/results.json} / {@code results.md}.
 */
public final class Benchmark {

    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
            .enable(SerializationFeature.INDENT_OUTPUT);
    private static final Duration DRAIN_TIMEOUT = Duration.ofMinutes(5);
    private static final boolean JOBS_PAUSED = Boolean.getBoolean("bench.suspendJobs");
    private static final Duration WARM_UP_LIMIT = Duration.ofMinutes(3);
    /** The JIT counts as settled once it compiles for less than this share of a warm-up round's time. */
    private static final double JIT_SETTLED_SHARE = 0.05;

    /**
     * One load: the sale it buys from (null: the baseline), its stock, shoppers and shape;
     * {@code overTime}: measured second by second, for a chart.
     */
    record Scenario(String name, String saleId, int stock, int buckets, int shoppers, int connections,
                    Duration duration, int maxRequestsPerThread, int repeatEvery, boolean overTime) {
    }

    /** What a scenario proved about the sale after the pipeline drained. */
    record Correctness(long taken, long stock, long answered201, long mysqlOrders, long mysqlUnits,
                       long oversold, long lost, long duplicated, long drainMillis) {
    }

    /** A scenario's figures, its rate and the baseline's multiple of it, its correctness, and its seconds (or null). */
    record Result(Scenario scenario, Figures figures, double requestsPerSecond, double ratioToBaseline,
                  Correctness correctness, Timeline timeline) {
    }

    private final Demo platform;
    private final Tokens tokens;
    private final Wrk wrk;
    private final Path dir;
    private final String base;
    private final HttpClient http = HttpClient.newHttpClient();

    private Benchmark(Demo platform, Path dir) {
        this.platform = platform;
        this.tokens = platform.tokens();
        this.dir = dir;
        this.wrk = new Wrk(dir, 2);
        this.base = "http://127.0.0.1:" + platform.httpPort();
    }

    public static void main(String[] args) throws Exception {
        JvmDefaults.apply();
        List<String> options = List.of(args);
        boolean smoke = options.contains("--smoke");
        // --only WORD keeps the baseline and the scenarios whose name contains WORD (for profiling one).
        int only = options.indexOf("--only");
        String filter = only >= 0 && only + 1 < options.size() ? options.get(only + 1) : "";
        List<Result> results = run(Path.of("target", "bench"), smoke, filter);
        boolean correct = results.stream().allMatch(r -> r.correctness() == null
                || r.correctness().oversold() + r.correctness().lost() + r.correctness().duplicated() == 0);
        System.exit(correct ? 0 : 1);
    }

    public static List<Result> run(Path dir, boolean smoke) throws Exception {
        return run(dir, smoke, "");
    }

    static List<Result> run(Path dir, boolean smoke, String filter) throws Exception {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.putIfAbsent("FLASHSALE_HTTP_PORT", "0");
        env.put(Demo.DATA_DIR_ENV, dir.resolve("data").toString());
        // A cluster of its own: under the default name, this member would join any other demo's or
        // benchmark's member on 127.0.0.1, and the two runs would measure each other.
        String cluster = "flashsale-bench-" + ProcessHandle.current().pid();
        try (Demo platform = Demo.start(GridConfig.member().setClusterName(cluster),
                GridConfig.client().setClusterName(cluster), env)) {
            if (JOBS_PAUSED) {
                // Profiling aid: the purchase path alone, with the event path paused (events wait in the journal).
                platform.client().getJet().getJobs().forEach(job -> job.suspend());
            }
            List<Scenario> chosen = scenarios(smoke).stream()
                    .filter(s -> s.saleId() == null || s.name().contains(filter)).toList();
            return new Benchmark(platform, dir).runAll(chosen, smoke);
        }
    }

    static List<Scenario> scenarios(boolean smoke) {
        Duration run = smoke ? Duration.ofSeconds(1) : Duration.ofSeconds(15);
        int crowd = smoke ? 20_000 : 1_000_000;
        return List.of(
                new Scenario("baseline: POST /health/live", null, 0, 0, 10_000, 64, run, 0, 0, false),
                new Scenario("winner path: every purchase reserves", "bench-winner", 5_000_000, 64,
                        smoke ? 50_000 : 600_000, 64, run, 0, 0, false),
                new Scenario("crowd: 1,000,000 shoppers, 10,000 units, 1 in 10 clicks twice", "bench-crowd", 10_000, 16,
                        crowd, 64, smoke ? Duration.ofSeconds(2) : Duration.ofSeconds(30), 0, 10, true),
                new Scenario("articles: 2,000 concurrent shoppers, 1,000 units", "bench-2000", 1_000, 8,
                        2_000, 2_000, Duration.ofSeconds(smoke ? 3 : 10), 1_000, 0, false),
                new Scenario("articles: 10,000 requests at concurrency 100", "bench-ab", 1_000, 8,
                        10_000, 100, Duration.ofSeconds(smoke ? 5 : 15), 5_000, 0, false));
    }

    /**
     * Drives the trivial endpoint, then the purchase path round after round (a fresh sale each
     * round, so that every purchase reserves), until the JIT has settled, then a sale that sells
     * out: nothing is measured before the JVM runs compiled code. On 2 cores the JIT takes
     * minutes of CPU to compile the member, the API node and the jobs; measured cold, the
     * compiler threads used a third to half of a core during the first scenarios.
     */
    private void warmUp(boolean smoke) throws Exception {
        Duration round = Duration.ofSeconds(smoke ? 1 : 5);
        Path shoppers = shopperTokens(warmUpSale("bench-warmup", 0, smoke ? 1_000 : 50_000, round));
        wrk.run(new Wrk.Load(base, "/health/live", shoppers, 64, 0, 0), round);
        long deadline = System.nanoTime() + (smoke ? 0 : WARM_UP_LIMIT.toNanos());
        int rounds = 0;
        boolean settled;
        do {
            long compiling = compilationMillis();
            long started = System.nanoTime();
            buy(warmUpSale("bench-warmup-" + ++rounds, 1_000_000, 0, round), shoppers);
            settled = compilationMillis() - compiling < (System.nanoTime() - started) / 1e6 * JIT_SETTLED_SHARE;
        } while (!settled && System.nanoTime() < deadline);
        buy(warmUpSale("bench-warmup-sold-out", 1_000, 0, round), shoppers);
        System.out.printf(Locale.ROOT, "warmed up in %d rounds of %d s; the JIT %s%n", rounds + 1, round.toSeconds(),
                settled ? "settled" : "was still compiling after " + WARM_UP_LIMIT.toSeconds() + " s");
    }

    /**
     * A sale of the warm-up. Four buckets: a warm-up makes up to 38 sales, and at most 2
     * buckets of live sales share one of the grid's 271 partitions (the journal's share), so
     * 16 buckets each would leave no room for the scenarios' sales.
     */
    private static Scenario warmUpSale(String saleId, int stock, int shoppers, Duration round) {
        return new Scenario("warm-up", saleId, stock, 4, shoppers, 64, round, 0, 0, false);
    }

    private void buy(Scenario sale, Path shoppers) throws Exception {
        createSale(sale);
        wrk.run(load(sale, shoppers), sale.duration());
        drain(sale.saleId());
    }

    /** CPU time the JIT compilers spent so far, in ms, summed over their threads. */
    private static long compilationMillis() {
        return ManagementFactory.getCompilationMXBean().getTotalCompilationTime();
    }

    private List<Result> runAll(List<Scenario> scenarios, boolean smoke) throws Exception {
        warmUp(smoke);
        List<Result> results = new ArrayList<>();
        double baseline = 0;
        for (Scenario scenario : scenarios) {
            Path shoppers = shopperTokens(scenario);
            if (scenario.saleId() != null) {
                createSale(scenario);
            }
            Wrk.Load load = load(scenario, shoppers);
            Timeline timeline = scenario.overTime() ? Timeline.measure(wrk, load, scenario.duration()) : null;
            Figures figures = timeline != null ? timeline.overall() : wrk.run(load, scenario.duration());
            double rate = rate(scenario, figures);
            if (scenario.saleId() == null) {
                baseline = rate;
            }
            Correctness correctness = scenario.saleId() == null ? null : check(scenario, figures);
            Result result = new Result(scenario, figures, rate, rate / baseline, correctness, timeline);
            results.add(result);
            System.out.println(line(result));
        }
        write(results, smoke);
        return results;
    }

    /** The scenario's load: its sale's purchases, or the trivial endpoint for the baseline. */
    private Wrk.Load load(Scenario scenario, Path shoppers) {
        String path = scenario.saleId() == null ? "/health/live" : "/api/sales/" + scenario.saleId() + "/purchases";
        return new Wrk.Load(base, path, shoppers, scenario.connections(), scenario.maxRequestsPerThread(), scenario.repeatEvery());
    }

    /**
     * A fixed count of requests ends before wrk's clock does (it runs for the whole duration even
     * after the threads stopped), so its rate is taken over the script's own span instead: from
     * the first request sent to the last answer received.
     */
    private static double rate(Scenario scenario, Figures figures) {
        return scenario.maxRequestsPerThread() > 0 ? figures.requests() / figures.spanSeconds() : figures.requestsPerSecond();
    }

    /** One token a line, each padded to the same length, so that the script can seek to any shopper's. */
    private Path shopperTokens(Scenario scenario) throws IOException {
        String prefix = scenario.saleId() == null ? "baseline" : scenario.saleId();
        Path file = dir.resolve(prefix + "-" + scenario.shoppers() + ".tokens");
        // A token's length grows with its subject's, so the last shopper's is the longest.
        int width = shopperToken(prefix, scenario.shoppers() - 1).length();
        try (BufferedWriter out = Files.newBufferedWriter(file)) {
            for (int i = 0; i < scenario.shoppers(); i++) {
                String token = shopperToken(prefix, i);
                if (token.length() > width) {
                    throw new IllegalStateException("token longer than the last shopper's: " + token);
                }
                out.write(token + " ".repeat(width - token.length()));
                out.newLine();
            }
        }
        return file;
    }

    private String shopperToken(String prefix, int shopper) {
        return tokens.issue(prefix + "-" + shopper, Role.SHOPPER, Duration.ofHours(2));
    }

    private void createSale(Scenario scenario) throws SQLException {
        Instant now = Instant.now();
        new SaleCatalog(platform.client()).create(new NewSale(scenario.saleId(), scenario.name(), new BigDecimal("19.99"),
                scenario.stock(), now.minusSeconds(1), now.plus(Duration.ofHours(2)), 1, Duration.ofMinutes(15),
                scenario.buckets()), now);
    }

    /** Waits until MySQL holds every unit the grid took, then compares grid, answers and MySQL. */
    private Correctness check(Scenario scenario, Figures figures) throws Exception {
        long start = System.nanoTime();
        JsonNode report = drain(scenario.saleId());
        long drainMillis = (System.nanoTime() - start) / 1_000_000;
        long taken = report.path("grid").path("taken").asLong();
        long available = report.path("grid").path("available").asLong();
        long mysqlOrders = report.path("mysql").path("orders").asLong();
        long mysqlUnits = report.path("mysql").path("units").asLong();
        return new Correctness(taken, scenario.stock(), figures.count(201), mysqlOrders, mysqlUnits,
                Math.max(0, taken - scenario.stock()) + (available < 0 ? -available : 0),
                Math.max(0, taken - mysqlUnits),
                Math.max(0, mysqlUnits - taken) + Math.max(0, mysqlOrders - mysqlUnits),
                drainMillis);
    }

    /** The sale's reconciliation report once no event is in flight (or the drain timed out). */
    private JsonNode drain(String saleId) throws Exception {
        long start = System.nanoTime();
        JsonNode report = reconciliation(saleId);
        // With the jobs paused (profiling the purchase path alone) nothing drains: report what is there.
        while (!JOBS_PAUSED && report.path("eventsInFlight").asLong() != 0 && System.nanoTime() - start < DRAIN_TIMEOUT.toNanos()) {
            Thread.sleep(100);
            report = reconciliation(saleId);
        }
        return report;
    }

    private JsonNode reconciliation(String saleId) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/admin/sales/" + saleId + "/reconciliation"))
                .header("Authorization", "Bearer " + platform.adminToken()).build();
        return JSON.readTree(http.send(request, HttpResponse.BodyHandlers.ofString()).body());
    }

    private static String line(Result result) {
        Figures f = result.figures();
        String answers = String.format(Locale.ROOT, "201=%d 409=%d 410=%d 429=%d 5xx=%d errors=%d",
                f.count(201), f.count(409), f.count(410), f.count(429), f.serverErrors(), f.errors());
        String correctness = result.correctness() == null ? "" : String.format(Locale.ROOT,
                " | taken %d/%d, mysql %d, oversold %d, lost %d, duplicated %d, drained in %d ms",
                result.correctness().taken(), result.correctness().stock(), result.correctness().mysqlOrders(),
                result.correctness().oversold(), result.correctness().lost(), result.correctness().duplicated(),
                result.correctness().drainMillis());
        return String.format(Locale.ROOT, "%-62s %9.0f req/s (%.2fx)%s  p50 %.2f ms  p99 %.2f ms  p99.9 %.2f ms  %s%s",
                result.scenario().name(), result.requestsPerSecond(), result.ratioToBaseline(), fixedCount(result),
                f.p50us() / 1000.0, f.p99us() / 1000.0, f.p999us() / 1000.0, answers, correctness);
    }

    /** For a fixed count, the answers and the span its rate was taken over; otherwise nothing. */
    private static String fixedCount(Result result) {
        return result.scenario().maxRequestsPerThread() > 0
                ? String.format(Locale.ROOT, " (fixed count: %d answered in %.2f s)",
                        result.figures().requests(), result.figures().spanSeconds())
                : "";
    }

    private void write(List<Result> results, boolean smoke) throws IOException {
        Map<String, Object> file = new LinkedHashMap<>();
        file.put("when", Instant.now().toString());
        file.put("smoke", smoke);
        file.put("machine", machine());
        file.put("results", results.stream().map(r -> {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("scenario", r.scenario());
            entry.put("figures", r.figures());
            entry.put("requestsPerSecond", r.requestsPerSecond());
            entry.put("ratioToBaseline", r.ratioToBaseline());
            entry.put("correctness", r.correctness());
            if (r.timeline() != null) {
                entry.put("soldOutSecond", r.timeline().soldOut().map(Timeline.Second::second).orElse(null));
                entry.put("perSecond", r.timeline().seconds());
            }
            return entry;
        }).toList());
        Files.writeString(dir.resolve("results.json"), JSON.writeValueAsString(file));
        StringBuilder md = new StringBuilder("| scenario | req/s | × baseline | p50 ms | p99 ms | p99.9 ms | 201 | 409 | 410 | 5xx | oversold | lost | duplicated | drain ms |\n")
                .append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Result r : results) {
            Figures f = r.figures();
            Correctness c = r.correctness();
            md.append(String.format(Locale.ROOT, "| %s | %s | %s | %.2f | %.2f | %.2f | %d | %d | %d | %d | %s | %s | %s | %s |%n",
                    r.scenario().name(),
                    String.format(Locale.ROOT, "%.0f%s", r.requestsPerSecond(), fixedCount(r)),
                    String.format(Locale.ROOT, "%.2f", r.ratioToBaseline()),
                    f.p50us() / 1000.0,
                    f.p99us() / 1000.0, f.p999us() / 1000.0, f.count(201), f.count(409), f.count(410), f.serverErrors(),
                    c == null ? "" : c.oversold(), c == null ? "" : c.lost(), c == null ? "" : c.duplicated(),
                    c == null ? "" : c.drainMillis()));
        }
        md.append("\nA fixed count's rate is taken from its first request sent to its last answer received:"
                + " wrk's own clock runs on after its threads stopped.\n");
        for (Result r : results) {
            if (r.timeline() != null) {
                md.append("\n## ").append(r.scenario().name()).append(", second by second\n\n")
                        .append(r.timeline().charts(r.scenario().name().split(":")[0]));
            }
        }
        md.append("\n").append(machine().entrySet().stream().map(e -> "- " + e.getKey() + ": " + e.getValue())
                .reduce((a, b) -> a + "\n" + b).orElse("")).append("\n");
        Files.writeString(dir.resolve("results.md"), md);
    }

    private static Map<String, Object> machine() {
        Map<String, Object> machine = new LinkedHashMap<>();
        machine.put("cpus", Runtime.getRuntime().availableProcessors());
        machine.put("memory", ManagementFactory.getPlatformMXBean(com.sun.management.OperatingSystemMXBean.class)
                .getTotalMemorySize() / (1024 * 1024 * 1024) + " GiB");
        machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        machine.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        machine.put("load generator", String.join(" ", Wrk.version()) + ", 2 threads, on the same machine");
        machine.put("platform", "1 member (Jet on, both jobs), 1 API node, Kafka broker (child JVM), MariaDB: all on the same machine");
        return machine;
    }
}
