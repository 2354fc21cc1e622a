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
 * settings (Kafka servers, topic partitions, MySQL url, user, password).
 */
final class SubmitterProcess {

    private SubmitterProcess() {
    }

    public static void main(String[] args) {
        JvmDefaults.apply();
        ClientConfig config = GridConfig.client().setClusterName(args[0]);
        config.getNetworkConfig().setAddresses(List.of(args[1].split(",")));
        PipelineSettings settings = new PipelineSettings(args[3], Integer.parseInt(args[4]), (short) 1, args[5], args[6], args[7]);
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
        return new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                SubmitterProcess.class.getName(),
                client.getClusterName(),
                String.join(",", client.getNetworkConfig().getAddresses()),
                version,
                settings.kafkaBootstrapServers(),
                String.valueOf(settings.topicPartitions()),
                settings.mysqlUrl(),
                settings.mysqlUser(),
                settings.mysqlPassword() == null ? "" : settings.mysqlPassword())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
    }
}
