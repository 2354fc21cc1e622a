package dev.flashsale.stock;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.AbstractMap.SimpleEntry;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.flashsale.purchase.Purchase;
import dev.flashsale.purchase.PurchaseStatus;

/** The bucket's steps as pure functions of its value: what every replica computes alike. */
class ReserveStockTest {

    private static final StockKey KEY = new StockKey("sale-1", 0, 0);
    private static final UUID MEMBER = UUID.fromString("00000000-0000-0000-0000-00000000000a");
    private static final UUID OTHER_MEMBER = UUID.fromString("00000000-0000-0000-0000-00000000000b");
    private static final long SHARE = 1_000;
    private static final long LEASE_END = 11_000;

    @Test
    void takesUnitsFromAFullBucketAndRecordsTheReservation() {
        Map.Entry<StockKey, StockBucket> entry = bucketOf(10);

        Reservation reservation = reserve("order-1", 3).process(entry, MEMBER, SHARE);

        assertThat(reservation).isEqualTo(Reservation.won(7));
        assertThat(entry.getValue().available()).isEqualTo(7);
        assertThat(entry.getValue().taken()).isEqualTo(3);
        assertThat(entry.getValue().reservations()).isEqualTo(1);
        assertThat(entry.getValue().last()).isEqualTo(
                new Reserved("order-1", "alice", 3, new BigDecimal("9.99"), 1_000, 901_000, MEMBER.toString(), 2));
    }

    @Test
    void aBucketPromotedWithoutAReservationTakesMysqlsCountsAndNeverLowersThem() {
        // given the owner made two reservations, and its promoted backup missed the second one
        Map.Entry<StockKey, StockBucket> entry = bucketOf(10);
        reserve("order-1", 2).process(entry, MEMBER, SHARE);
        StockBucket promoted = entry.getValue();
        reserve("order-2", 3).process(entry, MEMBER, SHARE);
        Map.Entry<StockKey, StockBucket> backup = new SimpleEntry<>(KEY, promoted);
        assertThat(backup.getValue().available()).isEqualTo(8);

        // when MySQL's counts of that member (2 reservations, 5 units, the newest at write 3) reach it
        long[] slot = {MEMBER.getMostSignificantBits(), MEMBER.getLeastSignificantBits()};
        long lostWrite = entry.getValue().last().journalSeq();
        boolean raised = new RaiseSlotCounts(slot, new int[] {2}, new int[] {5}, lostWrite).process(backup);

        // then it offers no unit MySQL holds an order for, and stale or repeated counts change nothing
        assertThat(raised).isTrue();
        assertThat(backup.getValue().available()).isEqualTo(5);
        assertThat(backup.getValue().reservations()).isEqualTo(2);
        // and a fence from now on answers a write count that covers the reservation it counts
        assertThat(new FenceBucket(LEASE_END).process(backup, SHARE).writes()).isGreaterThanOrEqualTo(lostWrite);
        assertThat(new RaiseSlotCounts(slot, new int[] {2}, new int[] {5}, lostWrite).process(backup)).isFalse();
        assertThat(new RaiseSlotCounts(slot, new int[] {1}, new int[] {2}, 0).process(backup)).isFalse();
        assertThat(backup.getValue().available()).isEqualTo(5);
        // and progress reports tell settlement how many reservations the bucket counts
        assertThat(new RecordProgress(0, 0, 1_000).process(new SimpleEntry<>(KEY, promoted))).isEqualTo(1L);
    }

    @Test
    void everyReservationIsNamedApartEvenForTheSameOrder() {
        // given a call that Hazelcast runs twice (its owner died before answering)
        Map.Entry<StockKey, StockBucket> entry = bucketOf(10);
        ReserveStock reserve = reserve("order-1", 1);

        reserve.process(entry, MEMBER, SHARE);
        Reserved first = entry.getValue().last();
        reserve.process(entry, OTHER_MEMBER, SHARE);
        Reserved second = entry.getValue().last();

        // then both runs are reservations of their own, which MySQL tells apart
        assertThat(entry.getValue().available()).isEqualTo(8);
        assertThat(first.orderId()).isEqualTo(second.orderId());
        assertThat(new ReservationName(first)).isNotEqualTo(new ReservationName(second));
    }

    @Test
    void anAttemptFencedOffTakesNothing() {
        Map.Entry<StockKey, StockBucket> entry = bucketOf(10);
        new FenceBucket(LEASE_END).process(entry, SHARE);
        StockBucket fenced = entry.getValue();

        Reservation late = reserve("order-1", 1).process(entry, MEMBER, SHARE);
        Reservation laterLease = new ReserveStock("order-2", "bob", 1, BigDecimal.ONE, 1_000, 901_000, LEASE_END + 1)
                .process(entry, MEMBER, SHARE);

        assertThat(late.outcome()).isEqualTo(Reservation.Outcome.FENCED);
        assertThat(laterLease.won()).isTrue();
        assertThat(entry.getValue().available()).isEqualTo(9);
        assertThat(fenced.fencedUpTo()).isEqualTo(LEASE_END);
    }

    @Test
    void aFenceIsARegisterThatOnlyGrows() {
        Map.Entry<StockKey, StockBucket> entry = bucketOf(10);
        new FenceBucket(LEASE_END).process(entry, SHARE);
        StockBucket once = entry.getValue();

        Fenced again = new FenceBucket(LEASE_END).process(entry, SHARE);
        Fenced older = new FenceBucket(LEASE_END - 5).process(entry, SHARE);

        assertThat(again.fenced()).isTrue();
        assertThat(older.fenced()).isTrue();
        assertThat(entry.getValue()).isSameAs(once);
    }

    @Test
    void refusesOnceItsJournalShareHoldsEventsMySqlHasNotSeen() {
        // given a bucket whose events MySQL has not seen, one short of its share
        Map.Entry<StockKey, StockBucket> entry = bucketOf(100);
        long share = 5;
        for (int i = 0; i < share - 1; i++) {
            reserve("order-" + i, 1).process(entry, MEMBER, share);
        }
        assertThat(entry.getValue().unread()).isEqualTo(share - 1);

        // when one more fills the share, the next is refused and a fence is not written either
        assertThat(reserve("order-last", 1).process(entry, MEMBER, share).won()).isTrue();
        Reservation refused = reserve("order-refused", 1).process(entry, MEMBER, share);
        Fenced fence = new FenceBucket(LEASE_END).process(entry, share);

        assertThat(refused.outcome()).isEqualTo(Reservation.Outcome.BACKLOG);
        assertThat(fence.fenced()).isFalse();
        assertThat(entry.getValue().unread()).isEqualTo(share);

        // and once MySQL has them, it sells again
        new RecordProgress(entry.getValue().lastEventWrite(), 0, 1_000).process(entry);
        assertThat(reserve("order-refused", 1).process(entry, MEMBER, share).won()).isTrue();
    }

    @Test
    void writesAfterItsLastReservationWasReadNeverUseUpItsShare() {
        // given a bucket whose only reservation MySQL has
        Map.Entry<StockKey, StockBucket> entry = bucketOf(100);
        long share = 5;
        reserve("order-1", 1).process(entry, MEMBER, share);
        new RecordProgress(entry.getValue().lastEventWrite(), 0, 1_000).process(entry);

        // when settlement fences it many more times than its share (a long sale, many cut-offs)
        for (int i = 1; i <= 3 * share; i++) {
            assertThat(new FenceBucket(LEASE_END + i).process(entry, share).fenced()).isTrue();
        }

        // then it still sells: the fences carry nothing the outbox needs
        assertThat(reserve("order-2", 1).process(entry, MEMBER, share).won()).isFalse();
        Reservation later = new ReserveStock("order-2", "bob", 1, BigDecimal.ONE, 1_000, 901_000, LEASE_END + 4 * share)
                .process(entry, MEMBER, share);
        assertThat(later.won()).isTrue();
    }

    @Test
    void duplicateUnitsReportedByMySqlComeBackOnce() {
        Map.Entry<StockKey, StockBucket> entry = bucketOf(2);
        ReserveStock reserve = reserve("order-1", 1);
        reserve.process(entry, MEMBER, SHARE);
        reserve.process(entry, OTHER_MEMBER, SHARE);
        assertThat(entry.getValue().available()).isZero();

        assertThat(new RecordProgress(3, 1, 1_000).process(entry)).as("the reservations the bucket counts").isEqualTo(2);
        StockBucket reported = entry.getValue();
        new RecordProgress(3, 1, 1_000).process(entry);
        new RecordProgress(2, 0, 1_000).process(entry);
        assertThat(entry.getValue()).as("a repeated or stale report writes nothing").isSameAs(reported);

        assertThat(entry.getValue().available()).isEqualTo(1);
        assertThat(entry.getValue().taken()).isEqualTo(1);
    }

    @Test
    void emptyBucketRefusesWithoutChange() {
        Map.Entry<StockKey, StockBucket> entry = bucketOf(1);
        reserve("order-1", 1).process(entry, MEMBER, SHARE);
        StockBucket empty = entry.getValue();

        Reservation reservation = reserve("order-2", 1).process(entry, MEMBER, SHARE);

        assertThat(reservation).isEqualTo(Reservation.insufficient(0));
        assertThat(entry.getValue()).isSameAs(empty);
    }

    @Test
    void partialBucketRefusesALargerQuantity() {
        Map.Entry<StockKey, StockBucket> entry = bucketOf(2);

        Reservation reservation = reserve("order-1", 3).process(entry, MEMBER, SHARE);

        assertThat(reservation).isEqualTo(Reservation.insufficient(2));
        assertThat(entry.getValue().available()).isEqualTo(2);
    }

    @Test
    void missingBucketHasNothingToSell() {
        Map.Entry<StockKey, StockBucket> entry = new SimpleEntry<>(KEY, null);

        assertThat(reserve("order-1", 1).process(entry, MEMBER, SHARE)).isEqualTo(Reservation.insufficient(0));
        assertThat(entry.getValue()).isNull();
    }

    @Test
    void onlyAReservationCarriesAnEvent() {
        Map.Entry<StockKey, StockBucket> entry = bucketOf(10);
        reserve("order-1", 1).process(entry, MEMBER, SHARE);
        assertThat(entry.getValue().last()).isNotNull();

        new FenceBucket(LEASE_END).process(entry, SHARE);
        assertThat(entry.getValue().last()).isNull();
        reserve("order-2", 1).process(entry, MEMBER, SHARE);
        new RecordProgress(3, 0, 1_000).process(entry);
        assertThat(entry.getValue().last()).isNull();
    }

    @Test
    void anEndedOrderIsAnEventOfItsBucketThatCountsInTheShareUntilMySqlHasIt() {
        // given a bucket whose reservation MySQL has, with a share of 3 unread events
        Map.Entry<StockKey, StockBucket> entry = bucketOf(10);
        long share = 3;
        reserve("order-1", 2).process(entry, MEMBER, share);
        new RecordProgress(entry.getValue().lastEventWrite(), 0, 1_000).process(entry);
        assertThat(entry.getValue().unread()).isZero();

        // when the order's cancel is journaled
        assertThat(new RecordEnding("alice", cancelled("order-1", 2)).process(entry, share)).isTrue();

        // then the write is that event, with the write count it carries, and it is unread
        OrderEnded ended = entry.getValue().ended();
        assertThat(ended).isEqualTo(new OrderEnded("order-1", "alice", PurchaseStatus.CANCELLED, 2, 5_000, null,
                entry.getValue().writes()));
        assertThat(entry.getValue().unread()).isEqualTo(1);
        // and past the share such events are refused like reservations, never pushing one out
        new RecordEnding("alice", cancelled("order-1", 2)).process(entry, share);
        new RecordEnding("alice", cancelled("order-1", 2)).process(entry, share);
        assertThat(new RecordEnding("alice", cancelled("order-1", 2)).process(entry, share)).isFalse();
        assertThat(reserve("order-2", 1).process(entry, MEMBER, share).outcome()).isEqualTo(Reservation.Outcome.BACKLOG);
    }

    @Test
    void unitsGivenBackAreAnEventWithTheNewTotalAndAStaleReportChangesNothing() {
        // given a bucket that took 2 units
        Map.Entry<StockKey, StockBucket> entry = bucketOf(10);
        reserve("order-1", 2).process(entry, MEMBER, SHARE);
        long read = entry.getValue().lastEventWrite();

        // when MySQL says 2 units are to come back
        new RecordProgress(read, 2, 7_000).process(entry);

        // then they are available again, and the write says so, as of the report
        assertThat(entry.getValue().available()).isEqualTo(10);
        assertThat(entry.getValue().returned()).isEqualTo(2);
        assertThat(entry.getValue().gaveBackAtMillis()).isEqualTo(7_000);
        assertThat(entry.getValue().lastEventWrite()).isEqualTo(entry.getValue().writes());
        // and the same or an older report writes nothing: the units come back once
        StockBucket after = entry.getValue();
        new RecordProgress(read, 2, 8_000).process(entry);
        new RecordProgress(read, 1, 9_000).process(entry);
        assertThat(entry.getValue()).isSameAs(after);
    }

    @Test
    void unitsThatComeBackAfterAWithdrawalCouldNotTakeThemGoToTheWithdrawalNotOnSale() {
        // given a bucket of 10 with 3 units held by orders, and a plan that wants it down to 1
        Map.Entry<StockKey, StockBucket> entry = bucketOf(10);
        reserve("order-1", 1).process(entry, MEMBER, SHARE);
        reserve("order-2", 1).process(entry, MEMBER, SHARE);
        reserve("order-3", 1).process(entry, MEMBER, SHARE);
        StockLevel planned = new SetStock(1, 1).process(entry);
        assertThat(planned).as("only the 7 available units go").isEqualTo(new StockLevel(3, 0));

        // when two orders give their units back
        new RecordProgress(entry.getValue().lastEventWrite(), 2, 5_000).process(entry);

        // then the bucket puts none of them on sale: it is down to what it is wanted to hold
        assertThat(entry.getValue().stock()).isEqualTo(1);
        assertThat(entry.getValue().available()).isZero();
        // and the third unit, coming back, is on sale again: the bucket holds what it is wanted to
        new RecordProgress(entry.getValue().lastEventWrite(), 3, 6_000).process(entry);
        assertThat(entry.getValue().available()).isEqualTo(1);
        // and an older or repeated plan changes nothing
        assertThat(new SetStock(1, 10).process(entry).stock()).isEqualTo(1);
    }

    private static Purchase cancelled(String orderId, int quantity) {
        return new Purchase(orderId, quantity, PurchaseStatus.CANCELLED, 1_000, "attempt", 11_000, 0, 901_000, 5_000, null,
                false, null);
    }

    private static ReserveStock reserve(String orderId, int quantity) {
        return new ReserveStock(orderId, "alice", quantity, new BigDecimal("9.99"), 1_000, 901_000, LEASE_END);
    }

    private static Map.Entry<StockKey, StockBucket> bucketOf(int units) {
        return new SimpleEntry<>(KEY, StockBucket.withStock(units));
    }

    private record ReservationName(String slot, long journalSeq) {
        ReservationName(Reserved reserved) {
            this(reserved.slot(), reserved.journalSeq());
        }
    }
}
