package dev.flashsale.pipelines;

import java.io.Serializable;
import java.util.Map;

import dev.flashsale.settings.SettingsReader;

/**
 * Where the jobs publish and record sale events: Kafka and MySQL. Loaded once, validated together.
 * Serializable: it travels to a member with {@link EnsureSaleJobs}, as it does inside the jobs.
 */
public record PipelineSettings(
        String kafkaBootstrapServers,
        int topicPartitions,
        short topicReplicationFactor,
        String mysqlUrl,
        String mysqlUser,
        String mysqlPassword) implements Serializable {

    /** Everything but the password, which must not reach a log. */
    @Override
    public String toString() {
        return "PipelineSettings[kafkaBootstrapServers=" + kafkaBootstrapServers + ", topicPartitions=" + topicPartitions
                + ", topicReplicationFactor=" + topicReplicationFactor + ", mysqlUrl=" + mysqlUrl + ", mysqlUser=" + mysqlUser + "]";
    }

    public static PipelineSettings load() {
        return load(System.getenv());
    }

    public static PipelineSettings load(Map<String, String> env) {
        SettingsReader reader = SettingsReader.load(env);
        PipelineSettings settings = new PipelineSettings(
                reader.text("kafka.bootstrap.servers"),
                reader.positive("kafka.topic.partitions"),
                (short) reader.positive("kafka.topic.replication.factor"),
                reader.text("mysql.url"),
                reader.text("mysql.user"),
                reader.optional("mysql.password"));
        reader.validate("pipeline");
        return settings;
    }
}
