package dev.flashsale.api.sales;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Locale;

import dev.flashsale.sale.Sale;
import dev.flashsale.stock.StockLevel;

/** A sale as the API shows it. */
public record SaleView(
        String id,
        String name,
        BigDecimal price,
        int stock,
        int remaining,
        String status,
        Instant startsAt,
        Instant endsAt,
        int perShopperLimit,
        long paymentWindowSeconds,
        int buckets) {

    public static SaleView of(Sale sale, StockLevel level, Instant now) {
        return new SaleView(sale.id(), sale.name(), sale.price(), level.stock(), level.available(),
                sale.status(now, level.available()).name().toLowerCase(Locale.ROOT),
                sale.startsAt(), sale.endsAt(), sale.perShopperLimit(),
                sale.paymentWindow().toSeconds(), sale.buckets());
    }
}
