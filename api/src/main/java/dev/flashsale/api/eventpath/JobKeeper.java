package dev.flashsale.api.eventpath;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.jet.Job;
import com.hazelcast.jet.core.JobStatus;
import com.hazelcast.jet.core.JobSuspensionCause;

/**
 * Keeps the event path's jobs going between deploys. They suspend on failure instead of failing
 * (so that their last snapshot is kept): a Kafka broker away for longer than the producer's
 * delivery timeout, say. This resumes such a job from its snapshot, so it goes on where it
 * stopped once the cause is gone, and logs why it had stopped. A job that fails again and again
 * is resumed less and less often: after {@code period}, then twice that, up to
 * {@link #LONGEST_WAIT}, and from the fifth time on the log says so at error level. A job that ops
 * suspended on purpose is left alone; one that is missing is the submitter's to bring back, and
 * shows as {@code MISSING} in {@code /admin/event-path}. Every API node runs one: a resume that
 * another node made first is no harm.
 */
public final class JobKeeper implements AutoCloseable {

    public static final Duration PERIOD = Duration.ofSeconds(10);
    static final Duration LONGEST_WAIT = Duration.ofMinutes(5);
    private static final int RESUMES_BEFORE_ERROR = 5;
    private static final Logger LOG = LoggerFactory.getLogger(JobKeeper.class);

    /** How often in a row a job was resumed, and not before when it may be again. Keeper thread only. */
    private final Map<String, Integer> resumes = new HashMap<>();
    private final Map<String, Long> notBeforeNanos = new HashMap<>();

    private final HazelcastInstance hazelcast;
    private final List<String> jobs;
    private final Duration period;
    private final ScheduledExecutorService keeper = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "event-path-job-keeper");
        thread.setDaemon(true);
        return thread;
    });

    public JobKeeper(HazelcastInstance hazelcast, List<String> jobs, Duration period) {
        this.hazelcast = hazelcast;
        this.jobs = List.copyOf(jobs);
        this.period = period;
    }

    public void start() {
        keeper.scheduleWithFixedDelay(this::resumeFailed, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void resumeFailed() {
        for (String name : jobs) {
            try {
                Job job = hazelcast.getJet().getJob(name);
                if (job == null || job.getStatus() != JobStatus.SUSPENDED) {
                    if (job != null && job.getStatus() == JobStatus.RUNNING) {
                        resumes.remove(name);
                    }
                    continue;
                }
                JobSuspensionCause cause = job.getSuspensionCause();
                Long notBefore = notBeforeNanos.get(name);
                if (!cause.dueToError() || notBefore != null && System.nanoTime() - notBefore < 0) {
                    continue;
                }
                int times = resumes.merge(name, 1, Integer::sum);
                long wait = Math.min(LONGEST_WAIT.toMillis(), period.toMillis() << Math.min(times - 1, 20));
                notBeforeNanos.put(name, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(wait));
                if (times >= RESUMES_BEFORE_ERROR) {
                    LOG.error("job {} failed again ({} resumes in a row); resuming it, next time in {} ms at the earliest: {}",
                            name, times, wait, cause.errorCause());
                } else {
                    LOG.warn("job {} was suspended by a failure; resuming it from its last snapshot: {}", name, cause.errorCause());
                }
                job.resume();
            } catch (RuntimeException e) {
                // resumed meanwhile by another node, or the grid away: the next round looks again
                LOG.debug("could not look after job {}: {}", name, e.toString());
            }
        }
    }

    /** Why a job is suspended; the job may have been resumed in between. */
    static String suspensionOf(Job job) {
        try {
            return job.getSuspensionCause().description();
        } catch (IllegalStateException resumedMeanwhile) {
            return null;
        }
    }

    @Override
    public void close() {
        keeper.shutdownNow();
    }
}
