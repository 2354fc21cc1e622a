package dev.flashsale.api.eventpath;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.jet.Job;
import com.hazelcast.jet.core.JobStatus;

import dev.flashsale.grid.Jobs;

/**
 * How the event path (grid journals → outbox job → Kafka → orders job → MySQL) is doing: its
 * jobs' states, its lag, and its unresolved dead letters. The lag is the age of the oldest of
 * the newest heartbeats that reached MySQL through each partition ({@link Heartbeats}): it
 * grows whenever any part of the path stops moving, including a job that shows RUNNING and
 * makes no progress. It is measured by MySQL's clock, so the API nodes' clocks must be in step
 * with it (NTP): an API node whose clock is behind MySQL's adds its skew to every reading.
 * Blocking: call it off the request threads.
 */
public final class EventPath {

    /** A lag beyond this is a stalled path; at rest it is under 7 s (the 5 s beat period, the 1 s snapshot interval, the writes). */
    public static final Duration STALLED_AFTER = Duration.ofSeconds(30);

    public record JobState(String name, String status, String suspensionCause) {
    }

    /** {@code lagMillis} is null while no heartbeat has reached MySQL. */
    public record Lag(Long lagMillis, int partitionsReporting, boolean stalled) {
    }

    public record Status(List<JobState> jobs, Lag lag, long deadLetters) {
    }

    private final HazelcastInstance hazelcast;
    private final EventPathLedger ledger;
    private final Clock clock;
    private final Instant watchingSince;

    public EventPath(HazelcastInstance hazelcast, EventPathLedger ledger, Clock clock) {
        this.hazelcast = hazelcast;
        this.ledger = ledger;
        this.clock = clock;
        this.watchingSince = clock.instant();
    }

    public Lag lag() throws SQLException {
        EventPathLedger.Beats beats = ledger.beats();
        if (beats.lagMillis() == null) {
            return new Lag(null, 0, Duration.between(watchingSince, clock.instant()).compareTo(STALLED_AFTER) > 0);
        }
        return new Lag(beats.lagMillis(), beats.partitions(), beats.lagMillis() > STALLED_AFTER.toMillis());
    }

    public Status status() throws SQLException {
        return new Status(List.of(job(Jobs.OUTBOX), job(Jobs.ORDERS)), lag(), ledger.countDeadLetters(null));
    }

    private JobState job(String name) {
        Job job = hazelcast.getJet().getJob(name);
        if (job == null) {
            return new JobState(name, "MISSING", null);
        }
        JobStatus status = job.getStatus();
        return new JobState(name, status.name(), status == JobStatus.SUSPENDED ? JobKeeper.suspensionOf(job) : null);
    }
}
