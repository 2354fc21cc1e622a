package dev.flashsale.api.reconciliation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.flashsale.api.eventpath.EventPath;
import dev.flashsale.purchase.Purchase;
import dev.flashsale.purchase.PurchaseStatus;
import dev.flashsale.stock.StockLevel;

class ReconciliationTest {

    @Test
    void aBucketShortOfUnitsIsAnAlarmNamingItsMostRecentOrders() {
        // given bucket 1 took 2 units more than it had (a split sold them on both sides)
        Map<Integer, StockLevel> buckets = Map.of(0, new StockLevel(5, 1), 1, new StockLevel(5, -2));
        List<Purchase> orders = List.of(reserved("a", 1, 1_000), reserved("b", 1, 3_000), reserved("c", 1, 2_000),
                reserved("d", 0, 4_000), new Purchase("e", 1, PurchaseStatus.PENDING, 5_000, "attempt", 15_000, -1, 0, 0, null, false, null));

        // when reconciled
        List<Reconciliation.Oversold> oversold = Reconciliation.oversold(buckets, orders);
        Reconciliation report = Reconciliation.of("sale", StockLevel.sum(buckets.values()), List.of(),
                new OrderLedger.Totals(11, 11, 10), 0, oversold, 1, 1, Map.of(), new EventPath.Lag(0L, 4, false));

        // then it names the bucket, by how much, and its two most recent orders, and is not consistent
        assertThat(oversold).containsExactly(new Reconciliation.Oversold(1, 2, List.of("b", "c")));
        assertThat(report.consistent()).isFalse();
        assertThat(report.pendingClaims()).isEqualTo(1);
        assertThat(report.shoppersAboveLimit()).isEqualTo(1);
    }

    @Test
    void aBucketWhoseJournalLostEventsIsNotConsistentEvenWhenTheCountsAgree() {
        // given grid and MySQL agree, but the outbox found bucket 0's journal overwritten unread
        Map<Integer, StockLevel> buckets = Map.of(0, new StockLevel(9, 1));

        // when reconciled
        Reconciliation report = Reconciliation.of("sale", StockLevel.sum(buckets.values()), List.of(),
                new OrderLedger.Totals(1, 1, 10), 0,
                List.of(), 0, 0, Map.of(0, "events of the stock journal of partition 7 were overwritten"), new EventPath.Lag(0L, 4, false));

        // then the alarm shows and the sale is not consistent
        assertThat(report.journalLosses()).containsOnlyKeys(0);
        assertThat(report.consistent()).isFalse();
    }

    private static Purchase reserved(String orderId, int bucket, long claimedAt) {
        return new Purchase(orderId, 1, PurchaseStatus.RESERVED, claimedAt, "attempt", claimedAt + 10_000, bucket, claimedAt + 900_000, 0, null, false, null);
    }
}
