package dev.flashsale.pipelines;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.jet.JetService;
import com.hazelcast.jet.Job;
import com.hazelcast.jet.config.JobConfig;
import com.hazelcast.jet.config.ProcessingGuarantee;
import com.hazelcast.jet.core.JobStatus;
import com.hazelcast.jet.kafka.KafkaSinks;
import com.hazelcast.jet.kafka.KafkaSources;
import com.hazelcast.jet.pipeline.JournalInitialPosition;
import com.hazelcast.jet.pipeline.Pipeline;
import com.hazelcast.jet.pipeline.Sources;

import dev.flashsale.grid.Jobs;
import dev.flashsale.grid.Maps;
import dev.flashsale.pipelines.ledger.DeadLetter;
import dev.flashsale.pipelines.ledger.DeadLetterJson;
import dev.flashsale.pipelines.ledger.MysqlLedger;
import dev.flashsale.pipelines.ledger.OrdersPipeline;
import dev.flashsale.pipelines.ledger.SourceRecord;
import dev.flashsale.pipelines.outbox.OutboxEvents;
import dev.flashsale.pipelines.outbox.OutboxPipeline;
import dev.flashsale.pipelines.outbox.OutboxRecord;

/**
 * The two jobs that carry sale events from the grid into MySQL, and their submission.
 *
 * <p>Submission is idempotent per cluster and leaves both jobs running, or fails saying why: a
 * job already running at the same version is left alone, so any member, API node or ops script
 * may submit at start without creating a second copy; a job that failed or was cancelled is
 * submitted again; a suspended one is resumed. A job running at another version is suspended
 * (so the outbox commits its open Kafka transactions), cancelled and replaced. A replacement
 * starts from scratch (the open-source edition cannot hand a snapshot over): the outbox job
 * republishes the journal and the orders job rereads the topic, which the idempotent MySQL
 * upserts absorb.
 *
 * <p>Both jobs suspend on failure instead of failing, so that a failure keeps the job's last
 * snapshot: resuming it (the submitter does) goes on exactly where it stopped, where a new job
 * would replay everything.
 */
public final class SaleJobs {

    public static final String OUTBOX = Jobs.OUTBOX;
    public static final String ORDERS = Jobs.ORDERS;
    /** Bump when a pipeline changes in a way a running job must not keep. */
    public static final String VERSION = "2";

    private static final String VERSION_ARGUMENT = "flashsale.job.version";
    private static final long SNAPSHOT_INTERVAL_MILLIS = 1_000;
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Logger LOG = LoggerFactory.getLogger(SaleJobs.class);

    private SaleJobs() {
    }

    /** Creates the topics if missing, then makes sure both jobs run at this version. */
    public static List<Job> submit(HazelcastInstance hazelcast, PipelineSettings settings) {
        return submit(hazelcast, settings, VERSION);
    }

    static List<Job> submit(HazelcastInstance hazelcast, PipelineSettings settings, String version) {
        int partitions = createTopics(settings);
        JetService jet = hazelcast.getJet();
        return List.of(
                ensureRunning(jet, OUTBOX, outbox(settings, partitions), version),
                ensureRunning(jet, ORDERS, orders(settings), version));
    }

    /** The outbox job; {@code partitions} is how many partitions {@link Topics#SALE_EVENTS} has (each gets the heartbeats). */
    public static Pipeline outbox(PipelineSettings settings, int partitions) {
        Properties producer = new Properties();
        producer.setProperty("bootstrap.servers", settings.kafkaBootstrapServers());
        producer.setProperty("key.serializer", StringSerializer.class.getName());
        producer.setProperty("value.serializer", StringSerializer.class.getName());
        // Reservations leave the journal one by one; waiting up to 20 ms lets the producer send
        // them in one request instead of one request each, which is most of the broker's work.
        // The events only become visible at the transaction's commit, once per snapshot (1 s).
        producer.setProperty("linger.ms", "20");
        // Jet names the transactions itself; never set transactional.id here.
        return OutboxPipeline.create(
                Sources.mapJournal(Maps.STOCK, JournalInitialPosition.START_FROM_OLDEST,
                        OutboxEvents::reserved, OutboxEvents::isReservation),
                Sources.mapJournal(Maps.SALES, JournalInitialPosition.START_FROM_OLDEST,
                        OutboxEvents::scheduled, OutboxEvents::isSaleChange),
                Sources.mapJournal(Maps.EVENT_PATH, JournalInitialPosition.START_FROM_OLDEST,
                        OutboxEvents::heartbeat, OutboxEvents::isHeartbeat),
                partitions,
                KafkaSinks.<OutboxRecord, String, String>kafka(producer,
                        record -> new ProducerRecord<>(Topics.SALE_EVENTS, record.partition(), record.key(), record.value())));
    }

    public static Pipeline orders(PipelineSettings settings) {
        Properties consumer = new Properties();
        consumer.setProperty("bootstrap.servers", settings.kafkaBootstrapServers());
        consumer.setProperty("key.deserializer", StringDeserializer.class.getName());
        consumer.setProperty("value.deserializer", StringDeserializer.class.getName());
        consumer.setProperty("auto.offset.reset", "earliest");
        // Only committed outbox transactions; offsets live in the job's snapshots, not in Kafka.
        consumer.setProperty("isolation.level", "read_committed");
        consumer.setProperty("enable.auto.commit", "false");
        Properties producer = new Properties();
        producer.setProperty("bootstrap.servers", settings.kafkaBootstrapServers());
        producer.setProperty("key.serializer", StringSerializer.class.getName());
        producer.setProperty("value.serializer", StringSerializer.class.getName());
        return OrdersPipeline.create(
                KafkaSources.<String, String, SourceRecord>kafka(consumer, SourceRecord::of, Topics.SALE_EVENTS),
                MysqlLedger.factory(settings.mysqlUrl(), settings.mysqlUser(), settings.mysqlPassword()),
                // At least once: a repeat after a restart has the same key, and MySQL keeps one.
                KafkaSinks.<DeadLetter>kafka(producer)
                        .topic(Topics.DEAD_LETTERS)
                        .extractKeyFn(DeadLetterJson::key)
                        .extractValueFn(DeadLetterJson::write)
                        .exactlyOnce(false)
                        .build());
    }

    private static Job ensureRunning(JetService jet, String name, Pipeline pipeline, String version) {
        Job existing = jet.getJob(name);
        if (existing != null && !existing.getStatus().isTerminal()) {
            Object running = existing.getConfig().getArgument(VERSION_ARGUMENT);
            if (version.equals(running)) {
                if (existing.getStatus() == JobStatus.SUSPENDED) {
                    LOG.warn("job {} is suspended ({}); resuming it", name, existing.getSuspensionCause());
                    existing.resume();
                } else {
                    LOG.info("job {} runs at version {} already", name, version);
                }
                return awaitRunning(existing);
            }
            LOG.info("replacing job {} version {} with version {}", name, running, version);
            suspend(existing);
            existing.cancel();
            awaitEnd(existing);
        }
        JobConfig config = new JobConfig()
                .setName(name)
                .setProcessingGuarantee(ProcessingGuarantee.EXACTLY_ONCE)
                .setSnapshotIntervalMillis(SNAPSHOT_INTERVAL_MILLIS)
                .setSuspendOnFailure(true)
                .setArgument(VERSION_ARGUMENT, version);
        Job job = jet.newJobIfAbsent(pipeline, config);
        LOG.info("job {} submitted ({})", name, job.getIdString());
        return awaitRunning(job);
    }

    /** Waits until the job runs; a job that fails, is suspended or ends instead is an error that names the cause. */
    private static Job awaitRunning(Job job) {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (true) {
            JobStatus status = job.getStatus();
            if (status == JobStatus.RUNNING) {
                return job;
            }
            if (status == JobStatus.SUSPENDED) {
                throw new IllegalStateException("job " + job.getName() + " was suspended at start: " + job.getSuspensionCause());
            }
            if (status.isTerminal()) {
                throw new IllegalStateException("job " + job.getName() + " ended at start: " + status + " " + failureOf(job));
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("job " + job.getName() + " did not start within " + START_TIMEOUT + " (" + status + ")");
            }
            pause(100);
        }
    }

    private static String failureOf(Job job) {
        try {
            job.getFuture().getNow(null);
            return "";
        } catch (CancellationException | CompletionException e) {
            return String.valueOf(e.getCause() == null ? e : e.getCause());
        }
    }
    /**
     * Suspends a running job before it is cancelled: suspending takes a terminal snapshot, so
     * the outbox commits the Kafka transactions it has open. A cancelled job leaves them open,
     * and until the broker times them out (a minute) no {@code read_committed} consumer reads
     * past them: the new orders job would see nothing. A job that cannot be suspended (not
     * running, or no terminal snapshot within 60 s) is cancelled as it is.
     */
    private static void suspend(Job job) {
        try {
            job.suspend();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (job.getStatus() != JobStatus.SUSPENDED && !job.getStatus().isTerminal() && System.nanoTime() < deadline) {
                pause(100);
            }
        } catch (IllegalStateException notRunning) {
            LOG.info("job {} could not be suspended before its replacement: {}", job.getName(), notRunning.getMessage());
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void awaitEnd(Job job) {
        try {
            job.getFuture().get(60, TimeUnit.SECONDS);
        } catch (CancellationException | ExecutionException e) {
            // ended, as asked
        } catch (TimeoutException e) {
            throw new IllegalStateException("job " + job.getName() + " did not stop within 60 s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Creates both topics where missing; answers how many partitions the sale events topic has. */
    private static int createTopics(PipelineSettings settings) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, settings.kafkaBootstrapServers()))) {
            for (NewTopic topic : List.of(
                    new NewTopic(Topics.SALE_EVENTS, settings.topicPartitions(), settings.topicReplicationFactor()),
                    new NewTopic(Topics.DEAD_LETTERS, 1, settings.topicReplicationFactor()))) {
                try {
                    admin.createTopics(List.of(topic)).all().get(60, TimeUnit.SECONDS);
                    LOG.info("created topic {}", topic.name());
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("cannot create topic " + topic.name() + ": " + e.getCause(), e);
                    }
                }
            }
            return admin.describeTopics(List.of(Topics.SALE_EVENTS)).allTopicNames().get(60, TimeUnit.SECONDS)
                    .get(Topics.SALE_EVENTS).partitions().size();
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot read topic " + Topics.SALE_EVENTS + ": " + e.getCause(), e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka at " + settings.kafkaBootstrapServers() + " did not answer within 60 s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
