package dev.flashsale.pipelines;

import java.io.Serializable;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;

/** An order event as it lands in MySQL's {@code orders} table. */
public record OrderRow(
        String orderId,
        String saleId,
        String shopperId,
        int quantity,
        BigDecimal unitPrice,
        String status,
        int bucket,
        Instant reservedAt,
        Instant expiresAt) implements Serializable {

    static OrderRow reserved(Map<String, Object> event) {
        return new OrderRow(
                (String) event.get("orderId"),
                (String) event.get("saleId"),
                (String) event.get("shopperId"),
                ((Number) event.get("quantity")).intValue(),
                new BigDecimal((String) event.get("unitPrice")),
                "RESERVED",
                ((Number) event.get("bucket")).intValue(),
                Instant.parse((String) event.get("occurredAt")),
                Instant.parse((String) event.get("expiresAt")));
    }
}
