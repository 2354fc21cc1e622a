package dev.flashsale.pipelines.events;

import java.math.BigDecimal;
import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonFormat;

/**
 * A bucket took {@code quantity} units for an order. Keyed by order id on the topic.
 *
 * <p>{@code slot} (the member that took them) and {@code journalSeq} (the bucket's write
 * count) name this reservation: an order normally has one, and a second one (a processor
 * Hazelcast ran twice) is a duplicate whose units the bucket gets back. Events written before
 * these fields existed read with {@code slot} null, and count as the order's only reservation.
 */
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
        Instant expiresAt,
        String slot,
        long journalSeq) implements SaleEvent {

    public static final String TYPE = "order.reserved";

    public static String eventIdOf(String saleId, int bucket, String slot, long journalSeq) {
        return "reserved/" + saleId + '/' + bucket + '/' + slot + '/' + journalSeq;
    }
}
