package dev.flashsale.pipelines.ledger;

import java.io.Serializable;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/** A record as the orders job read it from Kafka, with where it came from. */
public record SourceRecord(String topic, int partition, long offset, String key, String value) implements Serializable {

    public static SourceRecord of(ConsumerRecord<String, String> record) {
        return new SourceRecord(record.topic(), record.partition(), record.offset(), record.key(), record.value());
    }
}
