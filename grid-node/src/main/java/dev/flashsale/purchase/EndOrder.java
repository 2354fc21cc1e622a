package dev.flashsale.purchase;

import java.math.BigDecimal;
import java.util.Map;

import com.hazelcast.map.EntryProcessor;

/**
 * Moves a reserved order to a final state: paid by a payment, or cancelled by its shopper. It
 * runs on the shopper's entry, the one place every transition of the order is decided, one at
 * a time on its partition thread: of a payment, a cancel and the expiry racing for one order,
 * exactly one wins and the others find it in that state.
 *
 * <p>The payment window decides against the call's own time {@code now}: a call at or after
 * {@code expiresAt} finds the order expired, and expires it itself if the sweep has not yet,
 * so a payment that arrives as the window closes either pays or finds the order expired.
 * {@code now} is part of the call, not the member's clock, so the backup, which runs the same
 * call, decides the same.
 *
 * <p>A payment of another amount than the order's due changes nothing ({@code WRONG_AMOUNT}).
 *
 * <p>Idempotent: the same payment again, or a cancel of a cancelled order, answers
 * {@code DONE} and changes nothing.
 */
public record EndOrder(String orderId, PurchaseStatus to, String paymentId, BigDecimal amount, long now)
        implements EntryProcessor<ShopperKey, Purchases, Ending> {

    /** Pays the order with payment {@code paymentId} of {@code amount}, which must be the order's amount due. */
    public static EndOrder pay(String orderId, String paymentId, BigDecimal amount, long now) {
        return new EndOrder(orderId, PurchaseStatus.PAID, paymentId, amount, now);
    }

    public static EndOrder cancel(String orderId, long now) {
        return new EndOrder(orderId, PurchaseStatus.CANCELLED, null, null, now);
    }

    @Override
    public Ending process(Map.Entry<ShopperKey, Purchases> entry) {
        Purchases purchases = entry.getValue();
        Purchase order = purchases == null ? null : purchases.find(orderId);
        if (order == null) {
            return Ending.unknown();
        }
        if (order.isPending()) {
            return new Ending(Ending.Outcome.PENDING, order, false);
        }
        if (order.isReserved() && to == PurchaseStatus.PAID && now < order.expiresAtMillis() && !paysInFull(order)) {
            return new Ending(Ending.Outcome.WRONG_AMOUNT, order, false);
        }
        if (order.isReserved()) {
            Purchase ended = now < order.expiresAtMillis()
                    ? order.ended(to, now, paymentId)
                    : order.ended(PurchaseStatus.EXPIRED, now, null);
            entry.setValue(purchases.with(ended));
            return new Ending(ended.status() == to ? Ending.Outcome.DONE : Ending.Outcome.REFUSED, ended, true);
        }
        boolean same = order.status() == to && (to != PurchaseStatus.PAID || order.paymentId().equals(paymentId));
        return new Ending(same ? Ending.Outcome.DONE : Ending.Outcome.REFUSED, order, false);
    }

    private boolean paysInFull(Purchase order) {
        BigDecimal due = order.amountDue();
        return due == null || amount != null && amount.compareTo(due) == 0;
    }
}
