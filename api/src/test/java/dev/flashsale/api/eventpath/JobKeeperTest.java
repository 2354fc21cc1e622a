package dev.flashsale.api.eventpath;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.jet.Job;
import com.hazelcast.jet.config.JobConfig;
import com.hazelcast.jet.core.JobStatus;
import com.hazelcast.jet.pipeline.Pipeline;
import com.hazelcast.jet.pipeline.Sinks;
import com.hazelcast.jet.pipeline.test.TestSources;

import dev.flashsale.grid.LocalCluster;

/** A job that a failure suspended is resumed from its snapshot; one ops suspended is left alone. */
class JobKeeperTest {

    // The member runs in this JVM: the job's function sees the same flag.
    private static final AtomicBoolean FAILED_ONCE = new AtomicBoolean();

    private static LocalCluster cluster;
    private static HazelcastInstance client;

    @BeforeAll
    static void start() {
        cluster = LocalCluster.start(1);
        client = cluster.newClient();
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @Test
    void aJobSuspendedByAFailureIsResumedAndOneSuspendedByOpsIsNot() {
        // given a job that fails once and suspends, and one that ops suspended
        Job failing = client.getJet().newJob(pipeline(true), new JobConfig().setName("fails-once").setSuspendOnFailure(true));
        Job paused = client.getJet().newJob(pipeline(false), new JobConfig().setName("paused-by-ops").setSuspendOnFailure(true));
        await().atMost(Duration.ofSeconds(30)).until(() -> failing.getStatus() == JobStatus.SUSPENDED
                && paused.getStatus() == JobStatus.RUNNING);
        paused.suspend();
        await().atMost(Duration.ofSeconds(30)).until(() -> paused.getStatus() == JobStatus.SUSPENDED);
        assertThat(JobKeeper.suspensionOf(failing)).contains("fails once");

        // when the keeper looks after both
        JobKeeper keeper = new JobKeeper(client, List.of("fails-once", "paused-by-ops", "never-submitted"), Duration.ofMillis(200));
        keeper.start();
        try {
            // then the failed one runs again, and the one ops paused stays paused
            await().atMost(Duration.ofSeconds(30)).until(() -> failing.getStatus() == JobStatus.RUNNING);
            assertThat(paused.getStatus()).isEqualTo(JobStatus.SUSPENDED);
        } finally {
            keeper.close();
            failing.cancel();
            paused.cancel();
        }
    }

    private static Pipeline pipeline(boolean failOnce) {
        Pipeline pipeline = Pipeline.create();
        pipeline.readFrom(TestSources.itemStream(10))
                .withoutTimestamps()
                .map(event -> {
                    if (failOnce && FAILED_ONCE.compareAndSet(false, true)) {
                        throw new IllegalStateException("fails once");
                    }
                    return event;
                })
                .writeTo(Sinks.noop());
        return pipeline;
    }
}
