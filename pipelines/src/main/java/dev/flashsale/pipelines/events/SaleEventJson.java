package dev.flashsale.pipelines.events;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import dev.flashsale.json.IsoInstants;

/**
 * Sale events to JSON and back. Readers ignore fields they do not know (a newer producer may
 * add some); a record that is not a sale event of a known type fails with
 * {@link JsonProcessingException}, which the orders job turns into a dead letter.
 */
public final class SaleEventJson {

    private static final ObjectMapper JSON = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .registerModule(IsoInstants.module())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private SaleEventJson() {
    }

    public static String write(SaleEvent event) {
        try {
            return JSON.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write event " + event, e);
        }
    }

    /**
     * A text field of a record that is not a valid sale event, read as plain JSON where it can
     * be (so a dead letter can still name its sale and order); null otherwise.
     */
    public static String textField(String json, String field) {
        try {
            JsonNode node = JSON.readTree(json);
            return node != null && node.path(field).isTextual() ? node.path(field).asText() : null;
        } catch (JsonProcessingException | RuntimeException e) {
            return null;
        }
    }

    public static SaleEvent read(String json) throws JsonProcessingException {
        SaleEvent event = JSON.readValue(json, SaleEvent.class);
        if (event == null) {
            throw new JsonProcessingException("the record is JSON null") { };
        }
        return event;
    }
}
