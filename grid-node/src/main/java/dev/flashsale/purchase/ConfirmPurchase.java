package dev.flashsale.purchase;

import java.math.BigDecimal;
import java.util.Map;

import com.hazelcast.map.EntryProcessor;

/**
 * Records that a bucket reserved the units of an order: the order moves from
 * {@code PENDING} to {@code RESERVED}. Sent by the attempt that won the units, or by
 * settlement when the reservation events show them taken. If the claim is gone, the
 * reservation is recorded anyway: the units are taken, so the order must exist.
 *
 * <p>Idempotent: an order already past {@code PENDING} is returned unchanged.
 */
public record ConfirmPurchase(String orderId, int quantity, int bucket, long now, long expiresAtMillis, BigDecimal unitPrice)
        implements EntryProcessor<ShopperKey, Purchases, Purchase> {

    @Override
    public Purchase process(Map.Entry<ShopperKey, Purchases> entry) {
        Purchases purchases = entry.getValue() == null ? Purchases.NONE : entry.getValue();
        Purchase existing = purchases.find(orderId);
        if (existing != null && !existing.isPending()) {
            return existing;
        }
        Purchase claim = existing != null ? existing : Purchase.pending(orderId, quantity, now, "settled");
        Purchase reserved = claim.reserved(bucket, expiresAtMillis, unitPrice);
        entry.setValue(purchases.with(reserved));
        return reserved;
    }
}
