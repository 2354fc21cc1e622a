package dev.flashsale.pipelines.outbox;

import java.io.Serializable;

/**
 * A record the outbox sends to the topic. {@code partition} is null for sale events (Kafka
 * picks it from the key, so one order's events stay in order on one partition) and set for
 * heartbeats, which go to every partition.
 */
public record OutboxRecord(Integer partition, String key, String value) implements Serializable {
}
