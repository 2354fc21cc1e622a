package dev.flashsale.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The benchmark command, run for a few seconds per scenario, so that it cannot rot. */
class BenchmarkSmokeTest {

    @Test
    void everyScenarioRunsAndEverySaleChecksOut() throws Exception {
        Path dir = Path.of("target", "bench-smoke");

        List<Benchmark.Result> results = Benchmark.run(dir, true);

        assertThat(results).hasSize(Benchmark.scenarios(true).size());
        assertThat(results).allSatisfy(result -> {
            assertThat(result.figures().requests()).as(result.scenario().name()).isPositive();
            assertThat(result.figures().serverErrors()).as(result.scenario().name()).isZero();
        });
        assertThat(results).filteredOn(result -> result.correctness() != null).allSatisfy(result -> {
            Benchmark.Correctness correctness = result.correctness();
            assertThat(correctness.taken()).as(result.scenario().name()).isPositive();
            assertThat(correctness.oversold() + correctness.lost() + correctness.duplicated()).as(result.scenario().name()).isZero();
            assertThat(correctness.mysqlUnits()).isEqualTo(correctness.taken());
        });
        assertThat(results).filteredOn(result -> result.scenario().overTime()).singleElement().satisfies(result -> {
            List<Timeline.Second> seconds = result.timeline().seconds();
            assertThat(seconds).hasSize((int) result.scenario().duration().toSeconds());
            assertThat(seconds.stream().mapToLong(Timeline.Second::requests).sum()).isEqualTo(result.figures().requests());
            assertThat(seconds.stream().mapToLong(Timeline.Second::answered201).sum()).isEqualTo(result.figures().count(201));
            assertThat(result.figures().p50us()).isPositive().isLessThanOrEqualTo(result.figures().p99us());
        });
        assertThat(results).filteredOn(result -> result.scenario().maxRequestsPerThread() > 0).isNotEmpty()
                .allSatisfy(result -> assertThat(result.requestsPerSecond()).as(result.scenario().name()).isPositive().isFinite());
        assertThat(Files.readString(dir.resolve("results.md"))).contains("baseline", "crowd", "cpus", "xychart-beta");
    }
}
