package dev.flashsale.pipelines;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
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

import dev.flashsale.grid.Maps;

/**
 * The two jobs that carry sale events from the grid into MySQL, and their submission.
 *
 * <p>Submission is idempotent per cluster: a job already running at the same version is left
 * alone, so any member, API node or ops script may submit at start without creating a second
 * copy. A job running at another version is cancelled and replaced. A replacement starts from
 * scratch (the open-source edition cannot hand a snapshot over): the outbox job republishes the
 * journal and the orders job rereads the topic, which the idempotent MySQL upserts absorb.
 */
public final class SaleJobs {

    public static final String OUTBOX = "sale-outbox";
    public static final String ORDERS = "sale-events-to-mysql";
    /** Bump when a pipeline changes in a way a running job must not keep. */
    public static final String VERSION = "1";

    private static final String VERSION_ARGUMENT = "flashsale.job.version";
    private static final long SNAPSHOT_INTERVAL_MILLIS = 1_000;
    private static final Logger LOG = LoggerFactory.getLogger(SaleJobs.class);

    private SaleJobs() {
    }

    /** Creates the topic if missing, then makes sure both jobs run at this version. */
    public static List<Job> submit(HazelcastInstance hazelcast, PipelineSettings settings) {
        return submit(hazelcast, settings, VERSION);
    }

    static List<Job> submit(HazelcastInstance hazelcast, PipelineSettings settings, String version) {
        createTopic(settings);
        JetService jet = hazelcast.getJet();
        return List.of(
                ensureRunning(jet, OUTBOX, outbox(settings), version),
                ensureRunning(jet, ORDERS, orders(settings), version));
    }

    public static Pipeline outbox(PipelineSettings settings) {
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
                        SaleEvents::reserved, SaleEvents::isReservation),
                Sources.mapJournal(Maps.SALES, JournalInitialPosition.START_FROM_OLDEST,
                        SaleEvents::scheduled, SaleEvents::isSaleChange),
                KafkaSinks.kafka(producer, Topics.SALE_EVENTS));
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
        return OrdersPipeline.create(
                KafkaSources.kafka(consumer, Topics.SALE_EVENTS),
                MysqlSinks.orders(settings.mysqlUrl(), settings.mysqlUser(), settings.mysqlPassword()),
                MysqlSinks.sales(settings.mysqlUrl(), settings.mysqlUser(), settings.mysqlPassword()));
    }

    private static Job ensureRunning(JetService jet, String name, Pipeline pipeline, String version) {
        Job existing = jet.getJob(name);
        if (existing != null && !existing.getStatus().isTerminal()) {
            Object running = existing.getConfig().getArgument(VERSION_ARGUMENT);
            if (version.equals(running)) {
                LOG.info("job {} runs at version {} already", name, version);
                return existing;
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
                .setArgument(VERSION_ARGUMENT, version);
        Job job = jet.newJobIfAbsent(pipeline, config);
        LOG.info("job {} submitted ({})", name, job.getIdString());
        return job;
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
                Thread.sleep(100);
            }
        } catch (IllegalStateException notRunning) {
            LOG.info("job {} could not be suspended before its replacement: {}", job.getName(), notRunning.getMessage());
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

    private static void createTopic(PipelineSettings settings) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, settings.kafkaBootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(Topics.SALE_EVENTS, settings.topicPartitions(), settings.topicReplicationFactor())))
                    .all().get(60, TimeUnit.SECONDS);
            LOG.info("created topic {}", Topics.SALE_EVENTS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("cannot create topic " + Topics.SALE_EVENTS + ": " + e.getCause(), e);
            }
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka at " + settings.kafkaBootstrapServers() + " did not answer within 60 s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
