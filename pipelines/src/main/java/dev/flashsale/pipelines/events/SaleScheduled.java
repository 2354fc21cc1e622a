package dev.flashsale.pipelines.events;

import java.math.BigDecimal;
import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonFormat;

/** Ops created or changed a sale; the event carries the sale as it now stands. Keyed by sale id. */
public record SaleScheduled(
        String eventId,
        int schemaVersion,
        Instant occurredAt,
        String saleId,
        String name,
        @JsonFormat(shape = JsonFormat.Shape.STRING) BigDecimal price,
        int stock,
        Instant startsAt,
        Instant endsAt,
        int perShopperLimit,
        long paymentWindowSeconds,
        int buckets) implements SaleEvent {

    public static final String TYPE = "sale.scheduled";

    public static String eventIdOf(String saleId, long scheduledAtMillis) {
        return "sale/" + saleId + "/" + scheduledAtMillis;
    }
}
