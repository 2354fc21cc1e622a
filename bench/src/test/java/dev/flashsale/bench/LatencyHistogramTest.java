package dev.flashsale.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LatencyHistogramTest {

    @Test
    void slicesAddedUpGiveTheWholeRunsPercentilesAsWrkRanksThem() {
        LatencyHistogram first = new LatencyHistogram();
        first.add(1_000, 90);
        first.add(5_000, 10);
        LatencyHistogram second = new LatencyHistogram();
        second.add(1_000, 10);
        second.add(2_000, 80);
        second.add(40_000, 10);

        LatencyHistogram whole = new LatencyHistogram();
        whole.addAll(first);
        whole.addAll(second);

        // 200 answers: 100 at 1 ms, 80 at 2 ms, 10 at 5 ms, 10 at 40 ms; wrk's rank for p is round(p% of 200 + 0.5).
        assertThat(whole.percentile(50)).isEqualTo(2_000);
        assertThat(whole.percentile(90)).isEqualTo(5_000);
        assertThat(whole.percentile(99)).isEqualTo(40_000);
        assertThat(whole.max()).isEqualTo(40_000);
        assertThat(first.percentile(99)).isEqualTo(5_000);
    }
}
