package dev.flashsale.purchase;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.AbstractMap.SimpleEntry;
import java.util.Map;

import org.junit.jupiter.api.Test;

class OrderLifecycleTest {

    private static final ShopperKey SHOPPER = new ShopperKey("sale-1", "alice");
    /** Orders reserved at 1 s with a payment window to 61 s. */
    private static final long WINDOW_ENDS = 61_000;
    private static final java.math.BigDecimal PRICE = new java.math.BigDecimal("19.99");

    private final Map.Entry<ShopperKey, Purchases> entry = new SimpleEntry<>(SHOPPER, null);

    @Test
    void aPaymentWithinTheWindowPaysOnceAndTheSamePaymentAgainChangesNothing() {
        // given a reserved order
        reserve("order-1", 1);

        // when it is paid, then paid again by the same payment, then by another
        Ending first = EndOrder.pay("order-1", "pay-1", PRICE, 30_000).process(entry);
        Ending again = EndOrder.pay("order-1", "pay-1", PRICE, 31_000).process(entry);
        Ending other = EndOrder.pay("order-1", "pay-2", PRICE, 32_000).process(entry);

        // then only the first changed it, and only it asks for the bucket's event
        assertThat(first).extracting(Ending::outcome, Ending::journal).containsExactly(Ending.Outcome.DONE, true);
        assertThat(first.order().status()).isEqualTo(PurchaseStatus.PAID);
        assertThat(first.order().paymentId()).isEqualTo("pay-1");
        assertThat(first.order().endedAtMillis()).isEqualTo(30_000);
        assertThat(again).extracting(Ending::outcome, Ending::journal).containsExactly(Ending.Outcome.DONE, false);
        assertThat(other).extracting(Ending::outcome, Ending::journal).containsExactly(Ending.Outcome.REFUSED, false);
        assertThat(entry.getValue().find("order-1")).isEqualTo(first.order());
        assertThat(entry.getValue().unitsHeld()).as("a paid order keeps its share").isEqualTo(1);
    }

    @Test
    void aPaymentOfAnotherAmountThanTheOrdersChangesNothing() {
        reserve("order-1", 1);

        Ending short1 = EndOrder.pay("order-1", "pay-1", new java.math.BigDecimal("19.98"), 30_000).process(entry);
        Ending over = EndOrder.pay("order-1", "pay-2", new java.math.BigDecimal("39.98"), 30_000).process(entry);

        assertThat(short1).extracting(Ending::outcome, Ending::journal).containsExactly(Ending.Outcome.WRONG_AMOUNT, false);
        assertThat(over.outcome()).isEqualTo(Ending.Outcome.WRONG_AMOUNT);
        assertThat(entry.getValue().find("order-1").status()).isEqualTo(PurchaseStatus.RESERVED);
        assertThat(EndOrder.pay("order-1", "pay-3", new java.math.BigDecimal("19.990"), 30_000).process(entry).outcome())
                .as("the same amount, written otherwise").isEqualTo(Ending.Outcome.DONE);
    }

    @Test
    void theSweepLeavesAWindowItsGraceForClocksThatRunAhead() {
        reserve("order-1", 1);

        assertThat(new ExpireOrders(WINDOW_ENDS - 1, WINDOW_ENDS + 1_999).process(entry).orders()).isEmpty();
        Purchase[] expired = new ExpireOrders(WINDOW_ENDS, WINDOW_ENDS + 2_000).process(entry).orders();
        assertThat(expired).extracting(Purchase::endedAtMillis).containsExactly(WINDOW_ENDS + 2_000);
    }

    @Test
    void aPaymentAtTheEndOfTheWindowFindsTheOrderExpiredAndExpiresIt() {
        reserve("order-1", 1);

        Ending late = EndOrder.pay("order-1", "pay-1", PRICE, WINDOW_ENDS).process(entry);

        assertThat(late).extracting(Ending::outcome, Ending::journal).containsExactly(Ending.Outcome.REFUSED, true);
        assertThat(late.order().status()).isEqualTo(PurchaseStatus.EXPIRED);
        assertThat(late.order().paymentId()).as("a refused payment is no sale").isNull();
        assertThat(new ExpireOrders(WINDOW_ENDS + 1_000).process(entry).orders()).as("expired once").isEmpty();
    }

    @Test
    void aCancelGivesTheShareBackAndAPaymentAfterItIsRefused() {
        // given two reserved orders under a limit of 2
        reserve("order-1", 2);
        reserve("order-2", 2);

        // when one is cancelled (twice), then paid
        Ending cancelled = EndOrder.cancel("order-1", 5_000).process(entry);
        Ending again = EndOrder.cancel("order-1", 6_000).process(entry);
        Ending paid = EndOrder.pay("order-1", "pay-1", PRICE, 7_000).process(entry);

        // then it is cancelled once, the payment is refused, and its share is free for a new order
        assertThat(cancelled).extracting(Ending::outcome, Ending::journal).containsExactly(Ending.Outcome.DONE, true);
        assertThat(again).extracting(Ending::outcome, Ending::journal).containsExactly(Ending.Outcome.DONE, false);
        assertThat(paid.outcome()).isEqualTo(Ending.Outcome.REFUSED);
        assertThat(paid.order().status()).isEqualTo(PurchaseStatus.CANCELLED);
        assertThat(entry.getValue().unitsHeld()).isEqualTo(1);
        assertThat(new ClaimQuota("order-3", "attempt-3", 1, 2, 8_000).process(entry).outcome())
                .isEqualTo(QuotaClaim.Outcome.CLAIMED);
        // and a retry of the cancelled purchase finds it cancelled, buying nothing new
        QuotaClaim retry = new ClaimQuota("order-1", "attempt-4", 1, 2, 9_000).process(entry);
        assertThat(retry.outcome()).isEqualTo(QuotaClaim.Outcome.COMPLETED);
        assertThat(retry.order().status()).isEqualTo(PurchaseStatus.CANCELLED);
    }

    @Test
    void aPendingOrUnknownOrderIsNotEnded() {
        new ClaimQuota("order-1", "attempt-1", 1, 1, 1_000).process(entry);

        assertThat(EndOrder.cancel("order-1", 2_000).process(entry).outcome()).isEqualTo(Ending.Outcome.PENDING);
        assertThat(EndOrder.pay("order-9", "pay-1", PRICE, 2_000).process(entry).outcome()).isEqualTo(Ending.Outcome.UNKNOWN);
        assertThat(entry.getValue().find("order-1").status()).isEqualTo(PurchaseStatus.PENDING);
    }

    @Test
    void theSweepExpiresOnlyReservedOrdersWhoseWindowEnded() {
        // given a paid order, a reserved one, and one reserved later
        reserve("paid", 3);
        EndOrder.pay("paid", "pay-1", PRICE, 2_000).process(entry);
        reserve("due", 3);
        new ClaimQuota("later", "attempt", 1, 3, 20_000).process(entry);
        new ConfirmPurchase("later", 1, 0, 20_000, 80_000, null).process(entry);

        // when the sweep runs at the end of the first window
        Purchase[] expired = new ExpireOrders(WINDOW_ENDS).process(entry).orders();

        // then only the due order expired, once
        assertThat(expired).extracting(Purchase::orderId).containsExactly("due");
        assertThat(entry.getValue().find("paid").status()).isEqualTo(PurchaseStatus.PAID);
        assertThat(entry.getValue().find("later").status()).isEqualTo(PurchaseStatus.RESERVED);
        assertThat(new ExpireOrders(WINDOW_ENDS + 1).process(entry).orders()).isEmpty();
    }

    @Test
    void anEndedOrderIsDueForCheckingUntilMySqlShowsIt() {
        reserve("order-1", 1);
        assertThat(entry.getValue().nextDeadline()).as("the payment window's end").isEqualTo(WINDOW_ENDS);

        EndOrder.cancel("order-1", 5_300).process(entry);
        assertThat(entry.getValue().nextDeadline()).as("checked 2 s after it ended, to the second").isEqualTo(8_000);

        assertThat(new MarkRecorded(new String[] {"order-1"}).process(entry)).isTrue();
        assertThat(entry.getValue().nextDeadline()).isEqualTo(Long.MAX_VALUE);
        assertThat(new MarkRecorded(new String[] {"order-1"}).process(entry)).as("a repeat changes nothing").isFalse();
    }

    @Test
    void aShopperWhoGaveBackTheBoundOfOrdersCannotOrderAgain() {
        // given a shopper who cancelled as many orders as one may
        for (int i = 0; i < Purchases.MAX_GIVEN_BACK; i++) {
            reserve("order-" + i, 1);
            EndOrder.cancel("order-" + i, 2_000).process(entry);
        }

        // when they order again, then it is refused, and the entry stays bounded
        QuotaClaim claim = new ClaimQuota("one-more", "attempt", 1, 1, 3_000).process(entry);
        assertThat(claim.outcome()).isEqualTo(QuotaClaim.Outcome.TOO_MANY_GIVEN_BACK);
        assertThat(entry.getValue().orders()).hasSize(Purchases.MAX_GIVEN_BACK);
    }

    @Test
    void aMergeKeepsAFinalStateOverAReservation() {
        reserve("order-1", 1);
        Purchases reserved = entry.getValue();
        EndOrder.pay("order-1", "pay-1", PRICE, 2_000).process(entry);
        Purchases paid = entry.getValue();

        assertThat(reserved.merge(paid).find("order-1").status()).isEqualTo(PurchaseStatus.PAID);
        assertThat(paid.merge(reserved).find("order-1").status()).isEqualTo(PurchaseStatus.PAID);
    }

    private void reserve(String orderId, int limit) {
        new ClaimQuota(orderId, "attempt-" + orderId, 1, limit, 1_000).process(entry);
        new ConfirmPurchase(orderId, 1, 0, 1_000, WINDOW_ENDS, PRICE).process(entry);
    }
}
