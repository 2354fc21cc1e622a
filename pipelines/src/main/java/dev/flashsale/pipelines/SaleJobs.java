package dev.flashsale.pipelines;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

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
import com.hazelcast.durableexecutor.DurableExecutorService;
import com.hazelcast.jet.cdc.mysql.MySqlCdcSources;
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
import dev.flashsale.pipelines.catalog.CatalogPipeline;
import dev.flashsale.pipelines.catalog.MysqlAddress;
import dev.flashsale.pipelines.ledger.DeadLetterTopic;
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
 * upserts absorb. The submitter creates the topics itself, then sends the rest to a member as
 * a durable task ({@link EnsureSaleJobs}): once sent, a replacement is finished by the cluster
 * even if the submitter is killed half way, and a member that dies running it leaves it to its
 * backup. A task outlives its submitter, so run one submitter at a time; a submission that
 * finds the name taken by a job of other arguments fails, naming them.
 *
 * <p>Both jobs suspend on failure instead of failing, so that a failure keeps the job's last
 * snapshot: resuming it (the submitter does, and the API nodes' {@code JobKeeper}) goes on
 * exactly where it stopped, where a new job would replay everything.
 */
public final class SaleJobs {

    /** Bump when a pipeline changes in a way a running job must not keep. */
    public static final String VERSION = "5";

    /** The durable executor that runs {@link EnsureSaleJobs} on a member. */
    static final String EXECUTOR = "sale-jobs";
    static final String VERSION_ARGUMENT = "flashsale.job.version";
    private static final String PARTITIONS_ARGUMENT = "flashsale.topic.partitions";
    private static final long SNAPSHOT_INTERVAL_MILLIS = 1_000;
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration SUSPEND_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_REPORT_INTERVAL = Duration.ofSeconds(60);
    private static final Logger LOG = LoggerFactory.getLogger(SaleJobs.class);

    private SaleJobs() {
    }

    /** Creates the topics if missing, then makes sure both jobs run at this version. */
    public static List<Job> submit(HazelcastInstance hazelcast, PipelineSettings settings) {
        return submit(hazelcast, settings, VERSION);
    }

    /**
     * Creates the topics here, then has a member make sure of the jobs ({@link EnsureSaleJobs},
     * on the durable executor) and waits for its answer: a submitter killed meanwhile leaves no
     * replacement half done.
     */
    static List<Job> submit(HazelcastInstance hazelcast, PipelineSettings settings, String version) {
        int partitions = createTopics(settings);
        DurableExecutorService executor = hazelcast.getDurableExecutorService(EXECUTOR);
        Future<String> outcome = executor.submit(new EnsureSaleJobs(settings, partitions, version));
        try {
            LOG.info("sale jobs: {}", outcome.get());
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new IllegalStateException(cause.getMessage(), cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        JetService jet = hazelcast.getJet();
        return List.of(jet.getJob(Jobs.OUTBOX), jet.getJob(Jobs.ORDERS), jet.getJob(Jobs.CATALOG));
    }

    /**
     * Makes sure both jobs run at {@code version}, on the member that runs {@link EnsureSaleJobs}.
     * Each job is made sure of on its own: a job that cannot be started does not keep the other
     * from being started; then one exception names every job that does not run.
     */
    static String ensureAllRun(HazelcastInstance member, PipelineSettings settings, int partitions, String version) {
        JetService jet = member.getJet();
        // The outbox sends heartbeats to every partition it knows of: after partitions are added,
        // submitting again replaces it so that the new ones get heartbeats too.
        Map<String, String> outboxArguments = Map.of(VERSION_ARGUMENT, version, PARTITIONS_ARGUMENT, String.valueOf(partitions));
        Map<String, String> ordersArguments = Map.of(VERSION_ARGUMENT, version);
        List<String> running = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        attempt(Jobs.OUTBOX, () -> ensureRunning(jet, Jobs.OUTBOX, outbox(settings, partitions), outboxArguments), running, failures);
        attempt(Jobs.ORDERS, () -> ensureRunning(jet, Jobs.ORDERS, orders(settings), ordersArguments), running, failures);
        attempt(Jobs.CATALOG, () -> ensureRunning(jet, Jobs.CATALOG, catalog(settings), ordersArguments), running, failures);
        if (!failures.isEmpty()) {
            throw new IllegalStateException("not every sale job runs: " + String.join("; ", failures));
        }
        return String.join(", ", running);
    }

    private static void attempt(String name, Supplier<Job> ensure, List<String> running, List<String> failures) {
        try {
            Job job = ensure.get();
            running.add(name + " runs (" + job.getIdString() + ")");
        } catch (RuntimeException e) {
            LOG.error("job {} does not run", name, e);
            failures.add(name + ": " + e.getMessage());
        }
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
                        OutboxEvents::bucketEvent, OutboxEvents::isBucketEvent),
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
        // The job looks for new partitions of the topic every few seconds, but the consumer
        // answers from metadata up to 5 minutes old by default: records on partitions ops just
        // added would wait that long.
        consumer.setProperty("metadata.max.age.ms", "10000");
        return OrdersPipeline.create(
                KafkaSources.<String, String, SourceRecord>kafka(consumer, SourceRecord::of, Topics.SALE_EVENTS),
                MysqlLedger.factory(settings.mysqlUrl(), settings.mysqlUser(), settings.mysqlPassword()),
                DeadLetterTopic.sink(settings.kafkaBootstrapServers(), Topics.DEAD_LETTERS));
    }

    /** The sale-catalog job: MySQL's {@code sales} table, by its binlog, into the grid's catalog mirror. */
    public static Pipeline catalog(PipelineSettings settings) {
        MysqlAddress mysql = MysqlAddress.of(settings.mysqlUrl());
        return CatalogPipeline.create(MySqlCdcSources.mysql("sales-binlog")
                        .setDatabaseAddress(mysql.host())
                        .setDatabasePort(mysql.port())
                        .setDatabaseUser(settings.mysqlUser())
                        .setDatabasePassword(settings.mysqlPassword())
                        .setClusterName("flashsale")
                        .setDatabaseWhitelist(mysql.database())
                        .setTableWhitelist(mysql.database() + ".sales")
                        // prices as text, exact, rather than the unscaled bytes of the decimal
                        .setCustomProperty("decimal.handling.mode", "string")
                        // No lock at the snapshot: a global read lock would hold up the orders
                        // job's writes for seconds at every start; InnoDB's consistent read is
                        // snapshot enough for one table.
                        .setCustomProperty("snapshot.locking.mode", "none")
                        // DDL of other tables (a migration's trigger, say) must not stop the
                        // capture: Debezium 1.9 cannot parse every statement MariaDB takes.
                        .setCustomProperty("database.history.store.only.captured.tables.ddl", "true")
                        .setCustomProperty("database.history.skip.unparseable.ddl", "true")
                        .build(),
                CatalogPipeline.mirror());
    }

    private static Job ensureRunning(JetService jet, String name, Pipeline pipeline, Map<String, String> arguments) {
        Job existing = jet.getJob(name);
        if (existing != null && !existing.getStatus().isTerminal()) {
            Map<String, Object> running = argumentsOf(existing, arguments);
            if (running.equals(arguments)) {
                if (existing.getStatus() == JobStatus.SUSPENDED) {
                    LOG.warn("job {} is suspended ({}); resuming it", name, suspensionOf(existing));
                    resume(existing);
                } else {
                    LOG.info("job {} runs with {} already", name, arguments);
                }
                return awaitRunning(existing);
            }
            LOG.info("replacing job {} ({}) with {}", name, running, arguments);
            stop(existing);
        }
        JobConfig config = new JobConfig()
                .setName(name)
                .setProcessingGuarantee(ProcessingGuarantee.EXACTLY_ONCE)
                .setSnapshotIntervalMillis(SNAPSHOT_INTERVAL_MILLIS)
                .setSuspendOnFailure(true)
                // After a network split, a job restarts only on the side with more than half of
                // the members it was submitted to: never on both sides at once.
                .setSplitBrainProtection(true);
        arguments.forEach(config::setArgument);
        Job job = jet.newJobIfAbsent(pipeline, config);
        // Another submission may have taken the name first: the job that runs must be ours.
        Map<String, Object> submitted = argumentsOf(job, arguments);
        if (!submitted.equals(arguments)) {
            throw new IllegalStateException("job " + name + " runs with " + submitted + " from another submission, not " + arguments);
        }
        LOG.info("job {} submitted ({})", name, job.getIdString());
        return awaitRunning(job);
    }

    /** The job's values of the arguments named in {@code wanted}, to compare with them. */
    private static Map<String, Object> argumentsOf(Job job, Map<String, String> wanted) {
        Map<String, Object> values = new HashMap<>();
        wanted.keySet().forEach(argument -> values.put(argument, job.getConfig().getArgument(argument)));
        return values;
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
                throw new IllegalStateException("job " + job.getName() + " was suspended at start: " + suspensionOf(job));
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

    /** Why a job is suspended; the job may have been resumed in between, by another submitter or a keeper. */
    private static String suspensionOf(Job job) {
        try {
            return job.getSuspensionCause().description();
        } catch (IllegalStateException resumedMeanwhile) {
            return "no longer suspended";
        }
    }

    private static void resume(Job job) {
        try {
            job.resume();
        } catch (IllegalStateException resumedMeanwhile) {
            LOG.info("job {} was resumed meanwhile", job.getName());
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

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Stops a job for its replacement and returns once it has ended, however long that takes:
     * the replacement can only take the name once it has, and giving up in between would leave
     * no job at all. A running job is suspended first, and cancelled once suspended: suspending
     * takes a terminal snapshot, so the outbox commits the Kafka transactions it has open; a
     * cancelled job leaves them open, and until the broker times them out (a minute) no
     * {@code read_committed} consumer reads past them. Jet refuses both while a suspension or
     * cancellation is under way, which a second run of this (a member died running it) may find:
     * then it waits for that to finish and goes on. A job not suspended within
     * {@link #SUSPEND_TIMEOUT} (not running, or no terminal snapshot) is cancelled as it is.
     */
    private static void stop(Job job) {
        long started = System.nanoTime();
        long nextReport = started + STOP_REPORT_INTERVAL.toNanos();
        while (true) {
            JobStatus status = job.getStatus();
            if (status.isTerminal()) {
                return;
            }
            boolean suspendTimedOut = System.nanoTime() - started > SUSPEND_TIMEOUT.toNanos();
            try {
                if (status == JobStatus.SUSPENDED || suspendTimedOut) {
                    job.cancel();
                } else if (status == JobStatus.RUNNING) {
                    job.suspend();
                }
            } catch (IllegalStateException underWay) {
                // a suspension or cancellation is under way: wait for it
            }
            if (System.nanoTime() - nextReport > 0) {
                LOG.warn("job {} is still stopping after {} s ({}); its replacement is submitted once it has stopped",
                        job.getName(), TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started), status);
                nextReport += STOP_REPORT_INTERVAL.toNanos();
            }
            pause(100);
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
