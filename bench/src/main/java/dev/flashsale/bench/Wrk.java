package dev.flashsale.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Runs wrk (Debian's {@code wrk} package) with {@code purchase.lua}: the same script, headers
 * and body for the baseline and for every scenario, so that their ratio measures the platform
 * and not the load generator.
 */
final class Wrk {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String RESULT_PREFIX = "BENCH_RESULT ";

    /**
     * What wrk measured: requests, duration, socket errors, latency percentiles and the count of
     * each status. {@code spanSeconds} runs from the first request sent to the last answer
     * received: unlike wrk's duration, it ends when the threads stop early.
     */
    record Figures(long requests, double seconds, double spanSeconds, long errors, long p50us, long p99us,
                   long p999us, long maxUs, Map<Integer, Long> statuses) {

        double requestsPerSecond() {
            return requests / seconds;
        }

        long count(int status) {
            return statuses.getOrDefault(status, 0L);
        }

        long serverErrors() {
            return statuses.entrySet().stream().filter(e -> e.getKey() >= 500).mapToLong(Map.Entry::getValue).sum();
        }
    }

    private final Path script;
    private final int threads;

    Wrk(Path workDir, int threads) {
        this.threads = threads;
        this.script = workDir.resolve("purchase.lua");
        try (InputStream in = Wrk.class.getResourceAsStream("/purchase.lua")) {
            Files.createDirectories(workDir);
            Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * What to send: POSTs to {@code baseUrl + path} as the shoppers in {@code tokens} (see
     * {@code purchase.lua}) on {@code connections} connections, each thread stopping after
     * {@code maxRequestsPerThread} (0: no limit), every {@code repeatEvery}-th a repeat click (0: none).
     */
    record Load(String baseUrl, String path, Path tokens, int connections, int maxRequestsPerThread, int repeatEvery) {
    }

    /** One run of a load continuing an earlier one: its figures, where its sequence ended, and its latencies. */
    record Slice(Figures figures, long lastSequence, LatencyHistogram latency) {
    }

    /** Runs {@code load} for {@code duration}, or until each thread sent its maximum. */
    Figures run(Load load, Duration duration) {
        return execute(load, duration, 0, false).figures();
    }

    /**
     * Runs {@code load} for {@code duration}, its requests numbered on after {@code offset} (the
     * last sequence of the slice before), and keeps wrk's latency histogram for merging.
     */
    Slice slice(Load load, Duration duration, long offset) {
        return execute(load, duration, offset, true);
    }

    private Slice execute(Load load, Duration duration, long offset, boolean histogram) {
        ProcessBuilder wrk = new ProcessBuilder("wrk", "-t" + threads, "-c" + load.connections(),
                "-d" + Math.max(1, duration.toSeconds()) + "s", "--latency", "--timeout", "10s",
                "-s", script.toString(), load.baseUrl())
                .redirectErrorStream(true);
        Map<String, String> env = wrk.environment();
        env.put("BENCH_TOKENS", load.tokens().toAbsolutePath().toString());
        env.put("BENCH_THREADS", Integer.toString(threads));
        env.put("BENCH_PATH", load.path());
        env.put("BENCH_MAX_REQUESTS", Integer.toString(load.maxRequestsPerThread()));
        env.put("BENCH_REPEAT_EVERY", Integer.toString(load.repeatEvery()));
        env.put("BENCH_OFFSET", Long.toString(offset));
        env.put("BENCH_HISTOGRAM", histogram ? "1" : "0");
        try {
            Process process = wrk.start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(duration.toSeconds() + 120, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("wrk failed:\n" + output);
            }
            return parse(output);
        } catch (IOException e) {
            throw new IllegalStateException("cannot run wrk: is it installed? (apt-get install wrk)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Slice parse(String output) throws IOException {
        String line = output.lines().filter(l -> l.startsWith(RESULT_PREFIX)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no result from wrk:\n" + output));
        JsonNode json = JSON.readTree(line.substring(RESULT_PREFIX.length()));
        Map<Integer, Long> statuses = new TreeMap<>();
        json.path("statuses").fields().forEachRemaining(e -> statuses.put(Integer.parseInt(e.getKey()), e.getValue().asLong()));
        LatencyHistogram latency = new LatencyHistogram();
        json.path("latency").forEach(bucket -> latency.add(bucket.get(0).asLong(), bucket.get(1).asLong()));
        Figures figures = new Figures(json.path("requests").asLong(), json.path("seconds").asDouble(),
                json.path("spanSeconds").asDouble(), json.path("errors").asLong(), json.path("p50us").asLong(),
                json.path("p99us").asLong(), json.path("p999us").asLong(), json.path("maxus").asLong(), statuses);
        return new Slice(figures, json.path("lastSequence").asLong(), latency);
    }

    static List<String> version() {
        try {
            Process process = new ProcessBuilder("wrk", "--version").redirectErrorStream(true).start();
            return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().limit(1).toList();
        } catch (IOException e) {
            return List.of("wrk not found");
        }
    }
}
