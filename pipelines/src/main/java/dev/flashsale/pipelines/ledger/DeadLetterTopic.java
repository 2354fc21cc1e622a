package dev.flashsale.pipelines.ledger;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hazelcast.jet.pipeline.Sink;
import com.hazelcast.jet.pipeline.SinkBuilder;

/**
 * The copy of the dead letters on a Kafka topic, for tools that replay or alert on them. The
 * record of truth is MySQL's {@code dead_letters} table, written in the ledger's transaction;
 * this copy is best effort: a dead letter the topic does not take (the broker away for long,
 * the topic deleted, a write refused) is logged and dropped here, never allowed to fail the
 * job, since a failing sink would stop every order behind the record again.
 *
 * <p>After a copy fails, the next ones are dropped without waiting for the broker for
 * {@link #PAUSE_AFTER_FAILURE}: a send that blocks (no metadata for the topic) would hold up the
 * writer behind this sink for every poison record of a burst.
 *
 * <p>Each dead letter is JSON ({@code topic, partition, offset, reason, saleId, orderId, key,
 * value}) keyed by where its record sits ({@code topic/partition/offset}); after a job restart
 * it may be sent again under the same key.
 */
public final class DeadLetterTopic implements AutoCloseable {

    static final Duration PAUSE_AFTER_FAILURE = Duration.ofSeconds(30);
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterTopic.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final KafkaProducer<String, String> producer;
    private final String topic;
    // Written by the producer's callback thread too.
    private volatile long pausedUntilNanos = System.nanoTime();

    private DeadLetterTopic(String bootstrapServers, String topic) {
        Properties properties = new Properties();
        properties.setProperty("bootstrap.servers", bootstrapServers);
        // A dead letter waits for the broker a few seconds at most; the table has it anyway.
        properties.setProperty("max.block.ms", "5000");
        properties.setProperty("delivery.timeout.ms", "30000");
        properties.setProperty("request.timeout.ms", "10000");
        this.producer = new KafkaProducer<>(properties, new StringSerializer(), new StringSerializer());
        this.topic = topic;
    }

    public static Sink<DeadLetter> sink(String bootstrapServers, String topic) {
        return SinkBuilder.sinkBuilder("dead-letter topic", context -> new DeadLetterTopic(bootstrapServers, topic))
                .<DeadLetter>receiveFn(DeadLetterTopic::publish)
                .destroyFn(DeadLetterTopic::close)
                .build();
    }

    void publish(DeadLetter letter) {
        String key = key(letter);
        if (System.nanoTime() - pausedUntilNanos < 0) {
            LOG.warn("dead letter {} not copied to {} (it is in MySQL): the topic failed less than {} ago", key, topic,
                    PAUSE_AFTER_FAILURE);
            return;
        }
        try {
            producer.send(new ProducerRecord<>(topic, key, json(letter)), (sent, failure) -> {
                if (failure != null) {
                    failed(key, failure);
                }
            });
        } catch (RuntimeException e) {
            failed(key, e);
        }
    }

    private void failed(String key, Exception failure) {
        pausedUntilNanos = System.nanoTime() + PAUSE_AFTER_FAILURE.toNanos();
        LOG.warn("dead letter {} not copied to {} (it is in MySQL): {}", key, topic, failure.toString());
    }

    @Override
    public void close() {
        producer.close();
    }

    /** Where the dead letter's record sits: its key on the topic, so a repeat can be recognised. */
    public static String key(DeadLetter letter) {
        return letter.source().topic() + "/" + letter.source().partition() + "/" + letter.source().offset();
    }

    public static String json(DeadLetter letter) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("topic", letter.source().topic());
        json.put("partition", letter.source().partition());
        json.put("offset", letter.source().offset());
        json.put("reason", letter.reason());
        json.put("saleId", letter.saleId());
        json.put("orderId", letter.orderId());
        json.put("key", letter.source().key());
        json.put("value", letter.source().value());
        try {
            return JSON.writeValueAsString(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write dead letter " + key(letter), e);
        }
    }
}
