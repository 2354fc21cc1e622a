package dev.flashsale.pipelines.events;

import java.time.Instant;

/**
 * A reserved order was cancelled by its shopper before paying: its units go back to the sale. Keyed by order id on the topic, like the order's
 * reservation, which the bucket journaled before it. {@code bucket} and {@code journalSeq}
 * name the journal write that carried it.
 */
public record OrderCancelled(
        String eventId,
        int schemaVersion,
        Instant occurredAt,
        String saleId,
        String orderId,
        String shopperId,
        int bucket,
        int quantity,
        long journalSeq) implements SaleEvent, OrderEnd {

    public static final String TYPE = "order.cancelled";

    public static String eventIdOf(String orderId) {
        return "cancelled/" + orderId;
    }

    @Override
    public String status() {
        return "CANCELLED";
    }

    @Override
    public String paymentId() {
        return null;
    }
}
