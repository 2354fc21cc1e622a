package dev.flashsale.bench.micro;

import java.nio.file.Files;
import java.nio.file.Path;

import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import dev.flashsale.grid.JvmDefaults;

/**
 * Runs the microbenchmarks of this package with JMH: {@code ./bench.sh --micro [jmh options]}.
 * Any JMH option given wins; the defaults are short (one fork, 3 warm-up and 5 measured
 * iterations of a second each), enough for a comparison on one machine within one run.
 * Results: JMH's table on stdout and {@value #RESULTS} (JSON). Forks inherit this JVM's
 * options, so the Hazelcast settings the command line passed reach the members they start.
 */
public final class Micro {

    static final String RESULTS = "target/bench/micro.json";

    private Micro() {
    }

    public static void main(String[] args) throws Exception {
        JvmDefaults.apply();
        CommandLineOptions command = new CommandLineOptions(args);
        if (command.shouldHelp() || command.shouldList() || command.shouldListWithParams()
                || command.shouldListProfilers() || command.shouldListResultFormats()) {
            // Nothing to measure: JMH's own main answers, and lists every benchmark on the classpath (ours).
            org.openjdk.jmh.Main.main(args);
            return;
        }
        Options options = options(command);
        Files.createDirectories(Path.of(options.getResult().get()).toAbsolutePath().getParent());
        new Runner(options).run();
        System.exit(0);
    }

    static Options options(CommandLineOptions command) {
        ChainedOptionsBuilder options = new OptionsBuilder().parent(command);
        if (command.getIncludes().isEmpty()) {
            options.include(Micro.class.getPackageName().replace(".", "\\.") + "\\.");
        }
        if (!command.getForkCount().hasValue()) {
            options.forks(1);
        }
        if (!command.getWarmupIterations().hasValue()) {
            options.warmupIterations(3);
        }
        if (!command.getWarmupTime().hasValue()) {
            options.warmupTime(TimeValue.seconds(1));
        }
        if (!command.getMeasurementIterations().hasValue()) {
            options.measurementIterations(5);
        }
        if (!command.getMeasurementTime().hasValue()) {
            options.measurementTime(TimeValue.seconds(1));
        }
        if (!command.shouldFailOnError().hasValue()) {
            // A benchmark that throws must fail the command, not vanish from the table.
            options.shouldFailOnError(true);
        }
        if (!command.getResult().hasValue()) {
            options.result(RESULTS);
        }
        if (!command.getResultFormat().hasValue()) {
            options.resultFormat(ResultFormatType.JSON);
        }
        return options.build();
    }
}
