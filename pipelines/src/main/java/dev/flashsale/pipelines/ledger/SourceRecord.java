package dev.flashsale.pipelines.ledger;

import java.io.Serializable;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/** A record as the orders job read it from Kafka, with where it came from. */
public record SourceRecord(String topic, int partition, long offset, String key, String value) implements Serializable {

    static final int KEY_LENGTH = 512;
    static final int VALUE_LENGTH = 16_000;

    public static SourceRecord of(ConsumerRecord<String, String> record) {
        return new SourceRecord(record.topic(), record.partition(), record.offset(), record.key(), record.value());
    }

    /**
     * This record with its key and value cut to what {@code dead_letters} holds. Rows and dead
     * letters keep this, not the record: a padded record of a megabyte must not stay in memory
     * while its row waits for MySQL.
     */
    public SourceRecord cut() {
        return key != null && key.length() <= KEY_LENGTH && (value == null || value.length() <= VALUE_LENGTH) ? this
                : new SourceRecord(topic, partition, offset, cut(key, KEY_LENGTH), cut(value, VALUE_LENGTH));
    }

    /** {@code text} cut to {@code length}, at a character boundary: half of a surrogate pair would be stored as '?'. */
    static String cut(String text, int length) {
        if (text == null || text.length() <= length) {
            return text;
        }
        int end = Character.isHighSurrogate(text.charAt(length - 1)) ? length - 1 : length;
        return text.substring(0, end);
    }
}
