package dev.flashsale.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka 3.9 broker in KRaft mode (one process is both controller and broker), run as a child JVM.
 *
 * <p>Why a child JVM and not in-process: the in-process formatter and server classes are internal APIs that change
 * between Kafka versions, while {@code kafka.tools.StorageTool format} and {@code kafka.Kafka server.properties} are
 * the stable entry points that Kafka's own scripts use. A child process can also be killed with SIGKILL, which is
 * exactly what the crash tests need.
 *
 * <p>The child runs with this JVM's {@code java} binary and classpath, which holds the broker jars because this
 * module depends on {@code kafka_2.13}. Everything listens on 127.0.0.1 only, on ports picked at random at start and
 * kept across {@link #restart()}. The data directory holds {@code server.properties}, the partitions
 * ({@code kafka-data/}) and the child's console ({@code broker.log}).
 */
public final class KafkaBroker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaBroker.class);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    private static final int DEFAULT_PARTITIONS = 4;

    private final Path dataDir;
    private final int brokerPort;
    private final int controllerPort;
    private final Thread shutdownHook = new Thread(this::destroyOnJvmExit, "kafka-broker-shutdown");
    /** The running child, or the one that ended last; read by the shutdown hook, hence volatile. */
    private volatile Process process;

    private KafkaBroker(Path dataDir, int brokerPort, int controllerPort) {
        this.dataDir = dataDir;
        this.brokerPort = brokerPort;
        this.controllerPort = controllerPort;
    }

    /**
     * Formats {@code dataDir} if it holds no broker yet, starts the broker and returns once it serves requests.
     * A directory that already holds a formatted broker keeps its topics and records.
     */
    public static KafkaBroker start(Path dataDir) {
        int[] ports = FreePorts.pick(2);
        KafkaBroker broker = new KafkaBroker(dataDir.toAbsolutePath(), ports[0], ports[1]);
        try {
            Files.createDirectories(broker.dataDir);
            broker.writeConfig();
            broker.formatIfNew();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the Kafka data directory " + broker.dataDir, e);
        }
        Runtime.getRuntime().addShutdownHook(broker.shutdownHook);
        try {
            broker.launch();
        } catch (RuntimeException e) {
            broker.close(); // the caller gets no handle to stop it with
            throw e;
        }
        return broker;
    }

    /** {@code 127.0.0.1:<port>} of the PLAINTEXT listener, for {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return "127.0.0.1:" + brokerPort;
    }

    /**
     * Creates a topic with replication factor 1, and does nothing if it already exists. Topics are never created on
     * first use ({@code auto.create.topics.enable=false}), as in production: a missing topic must show up as an
     * error, not as a topic silently created with default settings.
     */
    public void createTopic(String name, int partitions) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("cannot create topic " + name, e.getCause());
            }
        } catch (TimeoutException e) {
            throw new IllegalStateException("topic " + name + " not created within 30 s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topic " + name, e);
        }
    }

    /** Graceful stop (SIGTERM): the broker flushes and closes its logs. Does nothing if it is not running. */
    public synchronized void stop() {
        Process child = process;
        if (child != null && child.isAlive()) {
            long started = System.nanoTime();
            child.destroy();
            if (!awaitExit(child, STOP_TIMEOUT)) {
                LOG.warn("Kafka broker {} did not stop within {} s: killing it",
                        bootstrapServers(), STOP_TIMEOUT.toSeconds());
                child.destroyForcibly();
                awaitExit(child, STOP_TIMEOUT);
            }
            LOG.info("Kafka broker {} stopped in {} ms", bootstrapServers(), (System.nanoTime() - started) / 1_000_000);
        }
    }

    /** Crash (SIGKILL): no flush, no clean shutdown marker; the next start recovers the logs. */
    public synchronized void kill() {
        Process child = process;
        if (child != null && child.isAlive()) {
            child.destroyForcibly();
            // Returns only once the ports and the data directory lock are released, so restart() can take them.
            awaitExit(child, STOP_TIMEOUT);
            LOG.info("Kafka broker {} killed", bootstrapServers());
        }
    }

    /**
     * Stops the broker if it runs, then starts it again on the same ports with the same data. After a {@link #kill()}
     * this takes a few seconds more than a first start: the controller waits for the dead broker's session to expire.
     */
    public synchronized void restart() {
        stop();
        launch();
    }

    @Override
    public void close() {
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyExiting) {
            // closed from another shutdown hook: ours runs anyway and finds nothing to stop
        }
    }

    private Path config() {
        return dataDir.resolve("server.properties");
    }

    private Path logFile() {
        return dataDir.resolve("broker.log");
    }

    private Path partitionsDir() {
        return dataDir.resolve("kafka-data");
    }

    private void writeConfig() throws IOException {
        String config = """
                # One process is both the KRaft controller and the only broker, on 127.0.0.1 only.
                process.roles=broker,controller
                node.id=1
                controller.quorum.voters=1@127.0.0.1:%2$d
                controller.listener.names=CONTROLLER
                listeners=PLAINTEXT://127.0.0.1:%1$d,CONTROLLER://127.0.0.1:%2$d
                advertised.listeners=PLAINTEXT://127.0.0.1:%1$d
                inter.broker.listener.name=PLAINTEXT
                listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
                log.dirs=%3$s

                # A single broker: every replication factor and ISR must be 1, or the internal topics wait for
                # replicas that never come (transactional producers then time out in InitProducerId).
                num.partitions=%4$d
                default.replication.factor=1
                min.insync.replicas=1
                offsets.topic.replication.factor=1
                offsets.topic.num.partitions=%4$d
                transaction.state.log.replication.factor=1
                transaction.state.log.min.isr=1
                transaction.state.log.num.partitions=%4$d
                # Topics are created explicitly (createTopic), as in production.
                auto.create.topics.enable=false
                # Consumers in tests join at once instead of waiting 3 s for more members.
                group.initial.rebalance.delay.ms=0
                # After a kill, the restarted controller still holds the dead broker's session and refuses the new
                # one (DUPLICATE_BROKER_REGISTRATION) until it expires: 9 s by default, 3 s here. The heartbeats never
                # leave this process, so only a stall of more than 3 s (long GC pause, starved CPU) could fence it.
                broker.session.timeout.ms=3000
                broker.heartbeat.interval.ms=500

                # Small disk and small heap: 16 MB segments, at most 256 MB kept per partition, a 16 MB log cleaner
                # buffer instead of 128 MB, and few threads on a 2-core machine.
                log.segment.bytes=16777216
                offsets.topic.segment.bytes=16777216
                transaction.state.log.segment.bytes=16777216
                log.retention.bytes=268435456
                log.index.size.max.bytes=1048576
                log.cleaner.dedupe.buffer.size=16777216
                num.network.threads=2
                num.io.threads=4
                background.threads=4
                """.formatted(brokerPort, controllerPort, partitionsDir(), DEFAULT_PARTITIONS);
        Files.writeString(config(), config);
    }

    /** Runs {@code kafka-storage.sh format} once: a KRaft broker refuses to start on an unformatted directory. */
    private void formatIfNew() throws IOException {
        if (Files.exists(partitionsDir().resolve("meta.properties"))) {
            return;
        }
        long started = System.nanoTime();
        Process format = childJvm("kafka.tools.StorageTool",
                "format", "--cluster-id", Uuid.randomUuid().toString(), "--config", config().toString()).start();
        if (!awaitExit(format, START_TIMEOUT)) {
            format.destroyForcibly();
            throw failure("formatting the Kafka data directory took more than " + START_TIMEOUT.toSeconds() + " s");
        }
        if (format.exitValue() != 0) {
            throw failure("formatting the Kafka data directory failed with exit code " + format.exitValue());
        }
        LOG.info("Kafka data directory {} formatted in {} ms", dataDir, (System.nanoTime() - started) / 1_000_000);
    }

    private void launch() {
        long started = System.nanoTime();
        try {
            process = childJvm("kafka.Kafka", config().toString()).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the Kafka broker JVM", e);
        }
        awaitReady();
        LOG.info("Kafka broker ready on {} in {} ms (pid {}, log {})",
                bootstrapServers(), (System.nanoTime() - started) / 1_000_000, process.pid(), logFile());
    }

    /**
     * A {@code java} command for {@code mainClass}, wrapped in {@link OrphanGuard}, with its console appended to
     * {@code broker.log}. Kafka logs through SLF4J; the only provider on this project's classpath is slf4j-simple
     * (Kafka's reload4j backend is not a dependency of kafka_2.13), so it is configured with system properties.
     */
    private ProcessBuilder childJvm(String mainClass, String... args) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // A small, single-threaded-GC JVM: it shares 2 cores with the grid, the API and the tests.
                "-Xms64m", "-Xmx512m", "-XX:+UseSerialGC", "-XX:+ExitOnOutOfMemoryError",
                "-XX:-UsePerfData", "-Djava.awt.headless=true",
                "-Dslf4j.provider=org.slf4j.simple.SimpleServiceProvider",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-Dorg.slf4j.simpleLogger.log.kafka.server.KafkaRaftServer=info",
                "-Dorg.slf4j.simpleLogger.showDateTime=true",
                "-Dorg.slf4j.simpleLogger.dateTimeFormat=yyyy-MM-dd HH:mm:ss.SSS",
                "-cp", System.getProperty("java.class.path"),
                OrphanGuard.class.getName(), mainClass));
        command.addAll(List.of(args));
        return new ProcessBuilder(command)
                .directory(dataDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile().toFile()));
    }

    /**
     * Waits until the broker answers a DescribeCluster with itself in it. An answer alone is not enough: the broker
     * lists itself only once it is registered and unfenced, and only then can it create topics and lead partitions.
     */
    private void awaitReady() {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        // First a plain TCP connect, so that the admin client does not log a warning per refused connection.
        while (!accepts(brokerPort)) {
            checkAliveAndInTime(deadline);
            sleep(50);
        }
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
            while (true) {
                checkAliveAndInTime(deadline);
                try {
                    if (!admin.describeCluster(new DescribeClusterOptions().timeoutMs(2_000)).nodes().get().isEmpty()) {
                        return;
                    }
                } catch (ExecutionException notReadyYet) {
                    // retried until the deadline
                }
                sleep(50);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the Kafka broker", e);
        }
    }

    private void checkAliveAndInTime(long deadline) {
        if (!process.isAlive()) {
            throw failure("the Kafka broker exited with code " + process.exitValue() + " while starting");
        }
        if (System.nanoTime() > deadline) {
            process.destroyForcibly();
            throw failure("the Kafka broker did not serve requests within " + START_TIMEOUT.toSeconds() + " s");
        }
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException refused) {
            return false;
        }
    }

    private IllegalStateException failure(String message) {
        return new IllegalStateException(message + "; last lines of " + logFile() + ":\n" + logTail(40));
    }

    private String logTail(int lines) {
        try {
            // Lenient decoding: a half-written last line must not hide the rest of the log.
            List<String> all = new String(Files.readAllBytes(logFile()), StandardCharsets.UTF_8).lines().toList();
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** JVM exit: a graceful stop if it is quick, a kill otherwise, so that no broker outlives the tests. */
    private void destroyOnJvmExit() {
        Process child = process;
        if (child != null && child.isAlive()) {
            child.destroy();
            if (!awaitExit(child, Duration.ofSeconds(10))) {
                child.destroyForcibly();
            }
        }
    }

    private static boolean awaitExit(Process child, Duration timeout) {
        try {
            return child.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for process " + child.pid() + " to exit", e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the Kafka broker", e);
        }
    }
}
