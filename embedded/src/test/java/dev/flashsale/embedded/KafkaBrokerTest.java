package dev.flashsale.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 3, unit = TimeUnit.MINUTES)
class KafkaBrokerTest {

    private static final String TOPIC = "orders";

    @TempDir
    Path dir;

    @Test
    void committed_records_are_read_back_and_survive_a_broker_crash() {
        // given a broker and a topic
        try (KafkaBroker broker = KafkaBroker.start(dir.resolve("kafka"))) {
            broker.createTopic(TOPIC, 4);

            // when a transactional producer commits one transaction and aborts another
            List<String> committed = values("committed", 100);
            try (KafkaProducer<String, String> producer = transactionalProducer(broker)) {
                producer.initTransactions();
                producer.beginTransaction();
                committed.forEach(value -> producer.send(new ProducerRecord<>(TOPIC, value, value)));
                producer.commitTransaction();
                producer.beginTransaction();
                values("aborted", 10).forEach(value -> producer.send(new ProducerRecord<>(TOPIC, value, value)));
                producer.flush(); // the aborted records really reach the log, only their abort marker hides them
                producer.abortTransaction();
            }

            // then a read_committed consumer reads exactly the committed records
            assertThat(readAll(broker, committed.size())).containsExactlyInAnyOrderElementsOf(committed);

            // when the broker crashes (SIGKILL) and starts again
            broker.kill();
            assertThat(accepts(broker)).isFalse();
            broker.restart();

            // then the same records are still there, and nothing else
            assertThat(readAll(broker, committed.size())).containsExactlyInAnyOrderElementsOf(committed);
        }
    }

    @Test
    void a_closed_broker_leaves_no_process_listening() {
        // given a running broker
        KafkaBroker broker = KafkaBroker.start(dir.resolve("kafka"));
        assertThat(accepts(broker)).isTrue();

        // when it is closed
        broker.close();

        // then its port is free again: the child JVM is gone
        assertThat(accepts(broker)).isFalse();
    }

    private static List<String> values(String prefix, int count) {
        return IntStream.range(0, count).mapToObj(i -> prefix + "-" + i).toList();
    }

    private static KafkaProducer<String, String> transactionalProducer(KafkaBroker broker) {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, "test-" + UUID.randomUUID()),
                new StringSerializer(), new StringSerializer());
    }

    /**
     * Reads the topic from the start with a new consumer group until {@code expected} records came in, then polls a
     * little longer so that any extra record (an aborted one, a duplicate) would show up too.
     */
    private static List<String> readAll(KafkaBroker broker, int expected) {
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false"),
                new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(TOPIC));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (values.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> values.add(record.value()));
            }
            consumer.poll(Duration.ofMillis(500)).forEach(record -> values.add(record.value()));
        }
        return values;
    }

    private static boolean accepts(KafkaBroker broker) {
        String[] hostPort = broker.bootstrapServers().split(":");
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1])), 1_000);
            return true;
        } catch (IOException refused) {
            return false;
        }
    }
}
