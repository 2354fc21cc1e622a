package dev.flashsale.pipelines;

import java.io.Serializable;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;

/** A sale event as it lands in MySQL's {@code sales} table. */
public record SaleRow(
        String saleId,
        String name,
        BigDecimal price,
        int stock,
        Instant startsAt,
        Instant endsAt,
        int perShopperLimit,
        long paymentWindowSeconds,
        int buckets) implements Serializable {

    static SaleRow scheduled(Map<String, Object> event) {
        return new SaleRow(
                (String) event.get("saleId"),
                (String) event.get("name"),
                new BigDecimal((String) event.get("price")),
                ((Number) event.get("stock")).intValue(),
                Instant.parse((String) event.get("startsAt")),
                Instant.parse((String) event.get("endsAt")),
                ((Number) event.get("perShopperLimit")).intValue(),
                ((Number) event.get("paymentWindowSeconds")).longValue(),
                ((Number) event.get("buckets")).intValue());
    }
}
