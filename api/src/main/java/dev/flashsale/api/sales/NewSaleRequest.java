package dev.flashsale.api.sales;

import java.math.BigDecimal;
import java.time.Instant;

/** The body of {@code POST /admin/sales}; every field is checked by {@link SaleAdminController}. */
public record NewSaleRequest(
        String id,
        String name,
        BigDecimal price,
        Integer stock,
        Instant startsAt,
        Instant endsAt,
        Integer perShopperLimit,
        Long paymentWindowSeconds,
        Integer buckets) {
}
