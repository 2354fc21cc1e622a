package dev.flashsale.api.eventpath;

import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;

import dev.flashsale.grid.Maps;

/**
 * Beats the event path's clock: every {@value #PERIOD_MILLIS} ms, writes this node's time into the grid's
 * {@code event-path} map, whose journal the outbox publishes to every partition of the topic.
 * The orders job records in MySQL the newest beat that came through each partition; how old it
 * is, is the lag of the whole path ({@link EventPath}). A beat that fails (the grid away) is
 * skipped; the next one comes a period later.
 */
public final class Heartbeats implements AutoCloseable {

    // Each beat costs the outbox a Kafka transaction when no sale event would have made one (on
    // a 2-core box that also runs Kafka and MariaDB, a beat a second took up to a tenth of a
    // core at rest); a beat every 5 s keeps the lag's resolution far below the 30 s at which
    // the path counts as stalled.
    static final long PERIOD_MILLIS = 5_000;

    private final ScheduledExecutorService beat = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "event-path-heartbeat");
        thread.setDaemon(true);
        return thread;
    });

    private final IMap<String, Long> eventPath;
    private final Clock clock;

    public Heartbeats(HazelcastInstance hazelcast, Clock clock) {
        this.eventPath = Maps.eventPath(hazelcast);
        this.clock = clock;
    }

    public void start() {
        beat.scheduleAtFixedRate(() -> eventPath.setAsync(Maps.HEARTBEAT, clock.millis()), 0, PERIOD_MILLIS, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        beat.shutdownNow();
    }
}
