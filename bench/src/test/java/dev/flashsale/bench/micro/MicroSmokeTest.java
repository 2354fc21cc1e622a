package dev.flashsale.bench.micro;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.AbstractMap.SimpleEntry;
import java.util.Collection;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.internal.serialization.SerializationService;

import dev.flashsale.stock.Reservation;
import dev.flashsale.stock.StockBucket;
import dev.flashsale.stock.StockKey;

/** The microbenchmark command, one short in-process iteration each, so that it cannot rot. */
class MicroSmokeTest {

    @Test
    void everyMicrobenchmarkRunsAndScores() throws Exception {
        // given the command's own options, cut to one 150 ms iteration in this JVM; one type
        // stands for all in serialization, as each type's run starts a member (the round trip
        // below covers every type)
        Path results = Path.of("target", "micro-smoke", "micro.json");
        Files.createDirectories(results.getParent());
        CommandLineOptions command = new CommandLineOptions("-f", "0", "-wi", "0", "-i", "1", "-r", "150ms",
                "-p", "type=StockBucket", "-rff", results.toString());

        // when
        Collection<RunResult> runs = new Runner(Micro.options(command)).run();

        // then
        assertThat(runs).extracting(MicroSmokeTest::name).containsExactlyInAnyOrder(
                "ReserveStockBenchmark.newOrderWins",
                "ReserveStockBenchmark.soldOutBucketRefuses",
                "SerializationBenchmark.toData StockBucket",
                "SerializationBenchmark.toObject StockBucket");
        assertThat(runs).allSatisfy(run -> assertThat(run.getPrimaryResult().getScore()).as(name(run)).isPositive());
        assertThat(results).isNotEmptyFile();
    }

    @Test
    void everySerializedTypeRoundTripsThroughAMember() throws Exception {
        // given every type the benchmark offers, and a member of the shop's configuration
        String[] offered = SerializationBenchmark.class.getField("type").getAnnotation(Param.class).value();
        assertThat(SerializationBenchmark.VALUES.keySet()).containsExactlyInAnyOrder(offered);
        HazelcastInstance member = LoneMember.start();
        try {
            SerializationService serialization = LoneMember.serialization(member);

            // when each goes to its serialized form and back, then it is the same value
            SerializationBenchmark.VALUES.forEach((type, sample) -> {
                Object value = sample.get();
                Object back = serialization.toObject(serialization.toData(value));
                // (a processor's member, set where it runs, is no part of its value)
                assertThat(back).as(type).isInstanceOf(value.getClass()).usingRecursiveComparison()
                        .ignoringFields("member").isEqualTo(value);
            });
        } finally {
            member.shutdown();
        }
    }

    /** "Class.method", and the type for a serialization run. */
    private static String name(RunResult run) {
        String benchmark = run.getParams().getBenchmark();
        String type = run.getParams().getParam("type");
        return benchmark.substring(benchmark.lastIndexOf('.', benchmark.lastIndexOf('.') - 1) + 1)
                + (type == null ? "" : " " + type);
    }
}
