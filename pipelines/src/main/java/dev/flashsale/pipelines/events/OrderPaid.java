package dev.flashsale.pipelines.events;

import java.time.Instant;

/**
 * A reserved order was paid within its payment window, by payment {@code paymentId}. Keyed by
 * order id on the topic, like the order's reservation, which the bucket journaled before it.
 * {@code bucket} and {@code journalSeq} name the journal write that carried it.
 */
public record OrderPaid(
        String eventId,
        int schemaVersion,
        Instant occurredAt,
        String saleId,
        String orderId,
        String shopperId,
        int bucket,
        int quantity,
        String paymentId,
        long journalSeq) implements SaleEvent, OrderEnd {

    public static final String TYPE = "order.paid";

    public static String eventIdOf(String orderId) {
        return "paid/" + orderId;
    }

    @Override
    public String status() {
        return "PAID";
    }
}
