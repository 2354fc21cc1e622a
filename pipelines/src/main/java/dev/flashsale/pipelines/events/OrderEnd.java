package dev.flashsale.pipelines.events;

import java.time.Instant;

/** What the events of an order's final state share: {@link OrderPaid}, {@link OrderCancelled}, {@link OrderExpired}. */
public sealed interface OrderEnd permits OrderPaid, OrderCancelled, OrderExpired {

    Instant occurredAt();

    String saleId();

    String orderId();

    String shopperId();

    int bucket();

    int quantity();

    /** The payment that paid the order; null unless paid. */
    String paymentId();

    long journalSeq();

    /** The order's final state as MySQL's {@code orders.status} holds it. */
    String status();
}
