package dev.flashsale.pipelines.events;

import java.math.BigDecimal;
import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonFormat;

/** A bucket took {@code quantity} units for an order. Keyed by order id on the topic. */
public record OrderReserved(
        String eventId,
        int schemaVersion,
        Instant occurredAt,
        String saleId,
        String orderId,
        String shopperId,
        int quantity,
        @JsonFormat(shape = JsonFormat.Shape.STRING) BigDecimal unitPrice,
        int bucket,
        Instant expiresAt) implements SaleEvent {

    public static final String TYPE = "order.reserved";

    public static String eventIdOf(String orderId) {
        return orderId + "/reserved";
    }
}
