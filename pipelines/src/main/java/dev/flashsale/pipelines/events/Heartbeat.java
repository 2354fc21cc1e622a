package dev.flashsale.pipelines.events;

import java.time.Instant;

/**
 * A beat of the event path's own clock, not a sale event: an API node writes one into the grid
 * every second, the outbox publishes it to every partition of the topic, and the orders job
 * records, per partition, the newest beat that reached MySQL. How old that beat is tells how
 * far behind the whole path (journal, outbox, Kafka, orders job, MySQL) runs, even while every
 * job shows RUNNING. Consumers other than the orders job skip it.
 */
public record Heartbeat(String eventId, int schemaVersion, Instant occurredAt) implements SaleEvent {

    public static final String TYPE = "heartbeat";

    public static Heartbeat at(Instant beatAt) {
        return new Heartbeat("heartbeat/" + beatAt.toEpochMilli(), SCHEMA_VERSION, beatAt);
    }
}
