package dev.flashsale.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

import dev.flashsale.bench.Wrk.Figures;

/**
 * A load run as consecutive one-second wrk runs, because wrk reports totals only. Each slice
 * keeps the connections' count and continues the sequence of shoppers and keys where the one
 * before stopped. The overall figures are those of the whole: requests over the sum of the
 * slices' durations (the pause while one wrk exits and the next starts carries no load, so it is
 * left out), and percentiles from the slices' latency histograms added up, each as wrk corrected
 * it for a run of its own.
 */
record Timeline(List<Second> seconds, Figures overall) {

    private static final Duration SLICE = Duration.ofSeconds(1);

    /** One slice: its second of load, how many requests it served, how fast, and its answers. */
    record Second(int second, long requests, double requestsPerSecond, double p50ms, double p99ms,
                  long answered201, long answered409, long answered410) {

        /** Most answers are "sold out": the sale is over for this second's shoppers. */
        boolean soldOut() {
            return answered410 * 2 > requests;
        }
    }

    static Timeline measure(Wrk wrk, Wrk.Load load, Duration duration) {
        List<Second> seconds = new ArrayList<>();
        LatencyHistogram latency = new LatencyHistogram();
        Map<Integer, Long> statuses = new TreeMap<>();
        long requests = 0;
        long errors = 0;
        double loadSeconds = 0;
        double spanSeconds = 0;
        long sequence = 0;
        for (int second = 1; second <= duration.toSeconds(); second++) {
            Wrk.Slice slice = wrk.slice(load, SLICE, sequence);
            Figures f = slice.figures();
            seconds.add(new Second(second, f.requests(), f.requestsPerSecond(), f.p50us() / 1000.0, f.p99us() / 1000.0,
                    f.count(201), f.count(409), f.count(410)));
            sequence = slice.lastSequence();
            latency.addAll(slice.latency());
            f.statuses().forEach((status, n) -> statuses.merge(status, n, Long::sum));
            requests += f.requests();
            errors += f.errors();
            loadSeconds += f.seconds();
            spanSeconds += f.spanSeconds();
        }
        Figures overall = new Figures(requests, loadSeconds, spanSeconds, errors, latency.percentile(50),
                latency.percentile(99), latency.percentile(99.9), latency.max(), statuses);
        return new Timeline(List.copyOf(seconds), overall);
    }

    Optional<Second> soldOut() {
        return seconds.stream().filter(Second::soldOut).findFirst();
    }

    /**
     * Two Mermaid charts: requests/s per second as bars, which change colour in the second the
     * sale sold out (two bar series, each zero where the other is not: Mermaid has no markers),
     * and p50 and p99 latency per second as lines.
     */
    String charts(String title) {
        int soldOutSecond = soldOut().map(Second::second).orElse(seconds.size() + 1);
        String xAxis = String.format(Locale.ROOT, "    x-axis \"second of load (%s)\" [%s]%n",
                soldOut().map(s -> "sold out: 410s are most answers from second " + s.second()).orElse("not sold out"),
                series(s -> Integer.toString(s.second())));
        double maxRate = seconds.stream().mapToDouble(Second::requestsPerSecond).max().orElse(0);
        double maxP99 = seconds.stream().mapToDouble(Second::p99ms).max().orElse(0);
        return "```mermaid\nxychart-beta\n"
                + String.format(Locale.ROOT, "    title \"%s: requests/s (bars change colour at the sell-out)\"%n", title)
                + xAxis
                + String.format(Locale.ROOT, "    y-axis \"requests/s\" 0 --> %d%n", (long) Math.ceil(maxRate))
                + "    bar [" + series(s -> s.second() < soldOutSecond ? rate(s) : "0") + "]\n"
                + "    bar [" + series(s -> s.second() < soldOutSecond ? "0" : rate(s)) + "]\n"
                + "```\n\n"
                + "```mermaid\nxychart-beta\n"
                + String.format(Locale.ROOT, "    title \"%s: latency p50 (lower line) and p99 (upper line)\"%n", title)
                + xAxis
                + String.format(Locale.ROOT, "    y-axis \"ms\" 0 --> %d%n", (long) Math.ceil(maxP99))
                + "    line [" + series(s -> String.format(Locale.ROOT, "%.2f", s.p50ms())) + "]\n"
                + "    line [" + series(s -> String.format(Locale.ROOT, "%.2f", s.p99ms())) + "]\n"
                + "```\n";
    }

    private static String rate(Second second) {
        return String.format(Locale.ROOT, "%.0f", second.requestsPerSecond());
    }

    private String series(Function<Second, String> value) {
        return seconds.stream().map(value).collect(Collectors.joining(", "));
    }
}
