package dev.flashsale.pipelines.events;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * An event on the {@code sale-events} topic (README, "Sale events"). Every event has a stable
 * {@code eventId} (the same change always gives the same id), its {@code type}, a
 * {@code schemaVersion} and when it happened; {@link SaleEventJson} writes and reads them.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = OrderReserved.class, name = OrderReserved.TYPE),
        @JsonSubTypes.Type(value = SaleScheduled.class, name = SaleScheduled.TYPE),
        @JsonSubTypes.Type(value = OrderPaid.class, name = OrderPaid.TYPE),
        @JsonSubTypes.Type(value = OrderCancelled.class, name = OrderCancelled.TYPE),
        @JsonSubTypes.Type(value = OrderExpired.class, name = OrderExpired.TYPE),
        @JsonSubTypes.Type(value = StockReturned.class, name = StockReturned.TYPE),
        @JsonSubTypes.Type(value = Heartbeat.class, name = Heartbeat.TYPE)})
public sealed interface SaleEvent permits OrderReserved, OrderPaid, OrderCancelled, OrderExpired, StockReturned, SaleScheduled,
        Heartbeat {

    int SCHEMA_VERSION = 1;

    String eventId();

    int schemaVersion();

    Instant occurredAt();
}
