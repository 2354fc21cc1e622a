package dev.flashsale.pipelines.ledger;

import java.time.Instant;

/** A heartbeat that reached MySQL through one partition of the topic: {@code event_path_heartbeats}. */
public record HeartbeatRow(int partition, Instant beatAt, SourceRecord source) implements LedgerEntry {
}
