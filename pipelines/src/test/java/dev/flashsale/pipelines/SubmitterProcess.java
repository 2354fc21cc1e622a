package dev.flashsale.pipelines;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.core.HazelcastInstance;

import dev.flashsale.grid.GridConfig;
import dev.flashsale.grid.JvmDefaults;

/**
 * A job submitter in a JVM of its own, so that a test can kill it with SIGKILL mid-submission.
 * Arguments: cluster name, member addresses (comma-separated), job version, then the pipeline
 * settings (Kafka servers, topic partitions, MySQL url, user); the MySQL password comes in the
 * environment, as {@value #PASSWORD_ENV}.
 */
final class SubmitterProcess {

    private static final String PASSWORD_ENV = "SUBMITTER_MYSQL_PASSWORD";

    private SubmitterProcess() {
    }

    public static void main(String[] args) {
        JvmDefaults.apply();
        ClientConfig config = GridConfig.client().setClusterName(args[0]);
        config.getNetworkConfig().setAddresses(List.of(args[1].split(",")));
        PipelineSettings settings = new PipelineSettings(args[3], Integer.parseInt(args[4]), (short) 1, args[5], args[6],
                System.getenv(PASSWORD_ENV));
        HazelcastInstance client = HazelcastClient.newHazelcastClient(config);
        try {
            SaleJobs.submit(client, settings, args[2]);
        } finally {
            client.shutdown();
        }
    }

    /** Starts a submitter of {@code version} against the platform's cluster; its output goes to {@code log}. */
    static Process start(SalePlatform platform, String version, Path log) throws IOException {
        ClientConfig client = platform.cluster.clientConfig();
        PipelineSettings settings = platform.settings;
        ProcessBuilder process = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                SubmitterProcess.class.getName(),
                client.getClusterName(),
                String.join(",", client.getNetworkConfig().getAddresses()),
                version,
                settings.kafkaBootstrapServers(),
                String.valueOf(settings.topicPartitions()),
                settings.mysqlUrl(),
                settings.mysqlUser());
        if (settings.mysqlPassword() != null) {
            process.environment().put(PASSWORD_ENV, settings.mysqlPassword());
        }
        return process.redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }
}
