package dev.flashsale.api.purchase;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The sales this API node saw sold out (every bucket answered 0), remembered for a short
 * time. It only ever makes a purchase ask less of the grid; the grid stays the judge.
 */
final class SoldOutSales {

    private final long rememberNanos;
    private final ConcurrentHashMap<String, Long> soldOutUntil = new ConcurrentHashMap<>();

    SoldOutSales(Duration remember) {
        this.rememberNanos = remember.toNanos();
    }

    void saw(String saleId) {
        soldOutUntil.put(saleId, System.nanoTime() + rememberNanos);
    }

    boolean isSoldOut(String saleId) {
        Long until = soldOutUntil.get(saleId);
        return until != null && System.nanoTime() - until < 0;
    }
}
