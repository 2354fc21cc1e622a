package dev.flashsale.bench;

import java.util.Map;
import java.util.TreeMap;

/**
 * wrk's latency histogram: how many answers took each whole number of microseconds. Runs merge
 * by adding their counts, so percentiles over several runs are exact, not averages of theirs.
 */
final class LatencyHistogram {

    private final TreeMap<Long, Long> counts = new TreeMap<>();
    private long total;

    void add(long micros, long count) {
        counts.merge(micros, count, Long::sum);
        total += count;
    }

    void addAll(LatencyHistogram other) {
        other.counts.forEach(this::add);
    }

    /** The percentile as wrk computes it: the first latency whose running count reaches the rank. */
    long percentile(double percent) {
        long rank = Math.round(percent / 100 * total + 0.5);
        long running = 0;
        for (Map.Entry<Long, Long> bucket : counts.entrySet()) {
            running += bucket.getValue();
            if (running >= rank) {
                return bucket.getKey();
            }
        }
        return 0;
    }

    long max() {
        return counts.isEmpty() ? 0 : counts.lastKey();
    }
}
