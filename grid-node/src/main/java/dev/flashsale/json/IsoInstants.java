package dev.flashsale.json;

import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;

/**
 * Instants in JSON are ISO-8601 strings, and only those. Jackson's own reader also takes a
 * number as epoch seconds, so {@code "startsAt": 1e9} or a foreign event's
 * {@code "occurredAt": 1764669600} would quietly become a time: here they are refused. Register
 * after {@code JavaTimeModule}, which it overrides for {@link Instant}.
 */
public final class IsoInstants extends StdDeserializer<Instant> {

    private IsoInstants() {
        super(Instant.class);
    }

    public static SimpleModule module() {
        return new SimpleModule("iso-instants").addDeserializer(Instant.class, new IsoInstants());
    }

    @Override
    public Instant deserialize(JsonParser parser, DeserializationContext context) throws IOException {
        if (!parser.hasToken(JsonToken.VALUE_STRING)) {
            return (Instant) context.handleUnexpectedToken(Instant.class, parser);
        }
        try {
            return Instant.parse(parser.getText());
        } catch (DateTimeParseException e) {
            return (Instant) context.handleWeirdStringValue(Instant.class, parser.getText(), "not an ISO-8601 instant");
        }
    }
}
