package dev.flashsale.pipelines.events;

import java.time.Instant;

/**
 * A reserved order was not paid within its payment window: its units go back to the sale. Keyed by order id on the topic, like the order's
 * reservation, which the bucket journaled before it. {@code bucket} and {@code journalSeq}
 * name the journal write that carried it.
 */
public record OrderExpired(
        String eventId,
        int schemaVersion,
        Instant occurredAt,
        String saleId,
        String orderId,
        String shopperId,
        int bucket,
        int quantity,
        long journalSeq) implements SaleEvent, OrderEnd {

    public static final String TYPE = "order.expired";

    public static String eventIdOf(String orderId) {
        return "expired/" + orderId;
    }

    @Override
    public String status() {
        return "EXPIRED";
    }

    @Override
    public String paymentId() {
        return null;
    }
}
