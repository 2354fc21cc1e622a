package dev.flashsale.purchase;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.AbstractMap.SimpleEntry;
import java.util.Map;

import org.junit.jupiter.api.Test;

class ClaimQuotaTest {

    private static final ShopperKey SHOPPER = new ShopperKey("sale-1", "alice");

    private final Map.Entry<ShopperKey, Purchases> entry = new SimpleEntry<>(SHOPPER, null);

    @Test
    void firstOrderClaimsTheQuota() {
        QuotaClaim claim = new ClaimQuota("order-1", "attempt-1", 1, 1, 1_000).process(entry);

        assertThat(claim.outcome()).isEqualTo(QuotaClaim.Outcome.CLAIMED);
        assertThat(entry.getValue().unitsHeld()).isEqualTo(1);
        assertThat(entry.getValue().find("order-1").status()).isEqualTo(PurchaseStatus.PENDING);
    }

    @Test
    void secondOrderOverTheLimitIsRefusedWithTheFirstOrder() {
        new ClaimQuota("order-1", "attempt-1", 1, 1, 1_000).process(entry);

        QuotaClaim claim = new ClaimQuota("order-2", "attempt-1", 1, 1, 1_100).process(entry);

        assertThat(claim.outcome()).isEqualTo(QuotaClaim.Outcome.LIMIT_REACHED);
        assertThat(claim.order().orderId()).isEqualTo("order-1");
        assertThat(entry.getValue().orders()).hasSize(1);
    }

    @Test
    void ordersAddUpToTheLimit() {
        new ClaimQuota("order-1", "attempt-1", 2, 3, 1_000).process(entry);

        assertThat(new ClaimQuota("order-2", "attempt-1", 1, 3, 1_100).process(entry).outcome()).isEqualTo(QuotaClaim.Outcome.CLAIMED);
        assertThat(new ClaimQuota("order-3", "attempt-1", 1, 3, 1_200).process(entry).outcome()).isEqualTo(QuotaClaim.Outcome.LIMIT_REACHED);
        assertThat(entry.getValue().unitsHeld()).isEqualTo(3);
    }

    @Test
    void onlyTheAttemptThatClaimedMayGoOnAndOnlyWithinItsLease() {
        new ClaimQuota("order-1", "attempt-1", 1, 1, 1_000).process(entry);
        long leaseEnd = 1_000 + Purchase.ATTEMPT_LEASE_MILLIS;

        // its own call sent again goes on; another attempt of the same order (a retry, another node) does not
        assertThat(new ClaimQuota("order-1", "attempt-1", 1, 1, 1_100).process(entry).outcome()).isEqualTo(QuotaClaim.Outcome.CLAIMED);
        assertThat(new ClaimQuota("order-1", "attempt-2", 1, 1, 1_100).process(entry).outcome())
                .isEqualTo(QuotaClaim.Outcome.IN_PROGRESS);
        // once the lease ended, not even the attempt itself: settlement decides
        assertThat(new ClaimQuota("order-1", "attempt-1", 1, 1, leaseEnd).process(entry).outcome())
                .isEqualTo(QuotaClaim.Outcome.IN_PROGRESS);
        assertThat(entry.getValue().nextDeadline()).isEqualTo(leaseEnd);
    }

    @Test
    void thePendingLeaseIsIndexedToTheWholeSecondAtOrAfterItsEnd() {
        new ClaimQuota("order-1", "attempt-1", 1, 2, 1_234).process(entry);
        assertThat(entry.getValue().nextDeadline()).isEqualTo(12_000);

        new ClaimQuota("order-2", "attempt-2", 1, 2, 2_000).process(entry);
        assertThat(entry.getValue().nextDeadline()).as("the oldest pending lease").isEqualTo(12_000);
    }

    @Test
    void aReservedOrderIsAnsweredAgainWhicheverAttemptAsks() {
        new ClaimQuota("order-1", "attempt-1", 1, 1, 1_000).process(entry);

        new ConfirmPurchase("order-1", 1, 4, 1_200, 901_200, null).process(entry);
        QuotaClaim again = new ClaimQuota("order-1", "attempt-2", 1, 1, 1_300).process(entry);

        assertThat(again.outcome()).isEqualTo(QuotaClaim.Outcome.COMPLETED);
        assertThat(again.order().bucket()).isEqualTo(4);
        assertThat(entry.getValue().orders()).hasSize(1);
        assertThat(entry.getValue().nextDeadline()).as("the end of its payment window, to the second").isEqualTo(902_000);
    }

    @Test
    void settlementReleasesOnlyAClaimWhoseLeaseItFenced() {
        new ClaimQuota("order-1", "attempt-1", 1, 1, 1_000).process(entry);
        long leaseEnd = 1_000 + Purchase.ATTEMPT_LEASE_MILLIS;

        assertThat(new ReleaseClaim("order-1", leaseEnd - 1).process(entry)).isFalse();
        assertThat(new ReleaseClaim("order-1", leaseEnd).process(entry)).isTrue();
        assertThat(entry.getValue()).isNull();
    }

    @Test
    void aStalledAttemptCannotReleaseTheClaimOfTheNext() {
        // given attempt 1's claim released by settlement, and attempt 2 claiming the same order
        new ClaimQuota("order-1", "attempt-1", 1, 1, 1_000).process(entry);
        new ReleaseClaim("order-1", 1_000 + Purchase.ATTEMPT_LEASE_MILLIS).process(entry);
        assertThat(new ClaimQuota("order-1", "attempt-2", 1, 1, 20_000).process(entry).outcome()).isEqualTo(QuotaClaim.Outcome.CLAIMED);

        // when attempt 1 wakes and releases what it thinks is its claim, then attempt 2's stays
        assertThat(ReleaseClaim.byItsAttempt("order-1", "attempt-1").process(entry)).isFalse();
        assertThat(entry.getValue().find("order-1").attemptId()).isEqualTo("attempt-2");
    }

    @Test
    void askingOnlyAboutKnownOrdersClaimsNothingNewButFindsTheOldOnes() {
        // a sold-out sale: a newcomer claims nothing
        assertThat(ClaimQuota.ifKnown("order-1", "attempt-1", 1, 1, 1_000).process(entry).outcome()).isEqualTo(QuotaClaim.Outcome.NOT_CLAIMED);
        assertThat(entry.getValue()).isNull();

        // a shopper who won before gets the order back, or the limit for a new key
        new ClaimQuota("order-1", "attempt-1", 1, 1, 1_000).process(entry);
        new ConfirmPurchase("order-1", 1, 0, 1_100, 901_100, null).process(entry);
        assertThat(ClaimQuota.ifKnown("order-1", "attempt-1", 1, 1, 2_000).process(entry).outcome()).isEqualTo(QuotaClaim.Outcome.COMPLETED);
        assertThat(ClaimQuota.ifKnown("order-2", "attempt-1", 1, 1, 2_000).process(entry).outcome()).isEqualTo(QuotaClaim.Outcome.LIMIT_REACHED);
        assertThat(entry.getValue().orders()).hasSize(1);
    }

    @Test
    void sameKeyWithAnotherQuantityIsReused() {
        new ClaimQuota("order-1", "attempt-1", 1, 2, 1_000).process(entry);

        QuotaClaim claim = new ClaimQuota("order-1", "attempt-1", 2, 2, 1_100).process(entry);

        assertThat(claim.outcome()).isEqualTo(QuotaClaim.Outcome.KEY_REUSED);
        assertThat(entry.getValue().unitsHeld()).isEqualTo(1);
    }

    @Test
    void releasedClaimFreesTheQuotaButAReservedOrderStays() {
        new ClaimQuota("order-1", "attempt-1", 1, 1, 1_000).process(entry);
        assertThat(ReleaseClaim.byItsAttempt("order-1", "attempt-1").process(entry)).isTrue();
        assertThat(entry.getValue()).isNull();

        new ClaimQuota("order-2", "attempt-1", 1, 1, 1_100).process(entry);
        new ConfirmPurchase("order-2", 1, 0, 1_200, 901_200, null).process(entry);

        assertThat(ReleaseClaim.byItsAttempt("order-2", "attempt-1").process(entry)).isFalse();
        assertThat(entry.getValue().find("order-2").status()).isEqualTo(PurchaseStatus.RESERVED);
    }

    @Test
    void confirmWithoutAClaimStillRecordsTheOrder() {
        // a concurrent retry of the same request released the claim, but this run took a unit
        Purchase order = new ConfirmPurchase("order-1", 1, 2, 1_000, 901_000, null).process(entry);

        assertThat(order.status()).isEqualTo(PurchaseStatus.RESERVED);
        assertThat(entry.getValue().unitsHeld()).isEqualTo(1);
        assertThat(new ConfirmPurchase("order-1", 1, 3, 1_100, 901_100, null).process(entry).bucket()).isEqualTo(2);
    }
}
