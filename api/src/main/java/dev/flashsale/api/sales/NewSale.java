package dev.flashsale.api.sales;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;

/** A sale ops want to create, already validated. */
public record NewSale(
        String id,
        String name,
        BigDecimal price,
        int stock,
        Instant startsAt,
        Instant endsAt,
        int perShopperLimit,
        Duration paymentWindow,
        int buckets) {
}
