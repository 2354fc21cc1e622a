package dev.flashsale.pipelines.ledger;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A dead letter as the dead-letter topic carries it: where the record was, its key and value
 * (cut to {@value DeadLetter#VALUE_LENGTH} characters), why it could not be written, and the
 * sale and order it names where those could be read.
 */
public final class DeadLetterJson {

    private static final ObjectMapper JSON = new ObjectMapper();

    private DeadLetterJson() {
    }

    public static String write(DeadLetter letter) {
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
            throw new IllegalStateException("cannot write dead letter " + letter, e);
        }
    }

    /** The key of a dead letter on its topic: where its record sits, so a repeat can be recognised. */
    public static String key(DeadLetter letter) {
        return letter.source().topic() + "/" + letter.source().partition() + "/" + letter.source().offset();
    }
}
