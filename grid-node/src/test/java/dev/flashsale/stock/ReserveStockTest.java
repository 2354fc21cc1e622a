package dev.flashsale.stock;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.AbstractMap.SimpleEntry;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

class ReserveStockTest {

    private static final StockKey KEY = new StockKey("sale-1", 0, 0);
    private static final long WINDOW = 60_000;

    @Test
    void takesUnitsFromAFullBucketAndRecordsTheReservation() {
        Map.Entry<StockKey, StockBucket> entry = bucketOf(10);

        Reservation reservation = reserve("order-1", 3, 1_000).process(entry);

        assertThat(reservation).isEqualTo(Reservation.won(7));
        assertThat(entry.getValue().available()).isEqualTo(7);
        assertThat(entry.getValue().taken()).isEqualTo(3);
        assertThat(entry.getValue().last()).isEqualTo(
                new Reserved("order-1", "alice", 3, new BigDecimal("9.99"), 1_000, 901_000));
    }

    @Test
    void sameOrderTwiceTakesOneUnit() {
        Map.Entry<StockKey, StockBucket> entry = bucketOf(10);
        ReserveStock reserve = reserve("order-1", 1, 1_000);

        Reservation first = reserve.process(entry);
        StockBucket afterFirst = entry.getValue();
        Reservation second = reserve.process(entry);
        Reservation retried = reserve.asRetry().process(entry);

        assertThat(first.won()).isTrue();
        assertThat(second.won()).isTrue();
        assertThat(retried.won()).isTrue();
        // a repeat changes nothing, so it journals nothing either
        assertThat(entry.getValue()).isSameAs(afterFirst);
        assertThat(entry.getValue().available()).isEqualTo(9);
    }

    @Test
    void remembersUuidOrderIdsExactly() {
        // given an order id of the form the API derives (a name-based UUID)
        String orderId = UUID.nameUUIDFromBytes("sale-1/alice/key-1".getBytes(StandardCharsets.UTF_8)).toString();
        String other = UUID.nameUUIDFromBytes("sale-1/alice/key-2".getBytes(StandardCharsets.UTF_8)).toString();
        Map.Entry<StockKey, StockBucket> entry = bucketOf(10);

        reserve(orderId, 1, 1_000).process(entry);

        // then that order is remembered and its neighbour is not
        assertThat(entry.getValue().hasReserved(orderId)).isTrue();
        assertThat(entry.getValue().hasReserved(other)).isFalse();
        assertThat(reserve(other, 1, 1_000).process(entry)).isEqualTo(Reservation.won(8));
    }

    @Test
    void retryAfterTheBucketEmptiedStillAnswersWon() {
        // given the order took the last unit
        Map.Entry<StockKey, StockBucket> entry = bucketOf(1);
        reserve("order-1", 1, 1_000).process(entry);

        // when the same order runs again
        Reservation retry = reserve("order-1", 1, 1_000).asRetry().process(entry);

        // then it is told it won, and nothing more is taken
        assertThat(retry).isEqualTo(Reservation.won(0));
        assertThat(entry.getValue().available()).isZero();
    }

    @Test
    void emptyBucketRefusesWithoutChange() {
        StockBucket empty = new StockBucket(5, 0, new long[0], new long[0], Long.MIN_VALUE, null);
        Map.Entry<StockKey, StockBucket> entry = new SimpleEntry<>(KEY, empty);

        Reservation reservation = reserve("order-1", 1, 1_000).process(entry);

        assertThat(reservation).isEqualTo(Reservation.insufficient(0));
        assertThat(entry.getValue()).isSameAs(empty);
    }

    @Test
    void partialBucketRefusesALargerQuantity() {
        Map.Entry<StockKey, StockBucket> entry = bucketOf(2);

        Reservation reservation = reserve("order-1", 3, 1_000).process(entry);

        assertThat(reservation).isEqualTo(Reservation.insufficient(2));
        assertThat(entry.getValue().available()).isEqualTo(2);
    }

    @Test
    void missingBucketHasNothingToSell() {
        Map.Entry<StockKey, StockBucket> entry = new SimpleEntry<>(KEY, null);

        assertThat(reserve("order-1", 1, 1_000).process(entry)).isEqualTo(Reservation.insufficient(0));
        assertThat(entry.getValue()).isNull();
    }

    @Test
    void forgetsOrdersClaimedBeforeTheReplayWindow() {
        Map.Entry<StockKey, StockBucket> entry = bucketOf(10);
        reserve("old", 1, 1_000).process(entry);
        reserve("recent", 1, 50_000).process(entry);

        reserve("new", 1, 1_000 + WINDOW + 1).process(entry);

        assertThat(entry.getValue().remembered()).isEqualTo(2);
        assertThat(entry.getValue().hasReserved("old")).isFalse();
        assertThat(entry.getValue().hasReserved("recent")).isTrue();
        assertThat(entry.getValue().hasReserved("new")).isTrue();
        assertThat(entry.getValue().forgottenUpTo()).isEqualTo(1_000);
        assertThat(entry.getValue().available()).isEqualTo(7);
    }

    @Test
    void remembersAtMostTheLimitAndAnswersUnknownToARetryItForgot() {
        // given more orders than the bucket remembers, all within the window
        Map.Entry<StockKey, StockBucket> entry = bucketOf(1_000);
        for (int i = 0; i <= StockBucket.RECENT_LIMIT; i++) {
            reserve("order-" + i, 1, 1_000 + i).process(entry);
        }
        int available = entry.getValue().available();

        // when the first order, now forgotten, is retried, and a new order arrives
        Reservation forgotten = reserve("order-0", 1, 1_000).asRetry().process(entry);
        Reservation fresh = reserve("order-new", 1, 500).process(entry);

        // then the retry takes nothing and says it cannot tell; a first attempt is served as usual
        assertThat(entry.getValue().remembered()).isEqualTo(StockBucket.RECENT_LIMIT);
        assertThat(forgotten).isEqualTo(Reservation.unknown(available));
        assertThat(fresh).isEqualTo(Reservation.won(available - 1));
    }

    @Test
    void retryOfAnOrderClaimedAfterEverythingForgottenIsServed() {
        Map.Entry<StockKey, StockBucket> entry = bucketOf(10);
        reserve("old", 1, 1_000).process(entry);
        reserve("pushes-old-out", 1, 1_000 + WINDOW + 1).process(entry);

        Reservation retry = reserve("later", 1, 2_000).asRetry().process(entry);

        assertThat(retry).isEqualTo(Reservation.won(7));
    }

    private static Map.Entry<StockKey, StockBucket> bucketOf(int units) {
        return new SimpleEntry<>(KEY, StockBucket.withStock(units));
    }

    /** A first attempt for {@code orderId}, claimed and run at {@code at}. */
    private static ReserveStock reserve(String orderId, int quantity, long at) {
        return new ReserveStock(orderId, "alice", quantity, new BigDecimal("9.99"), at, at, at + 900_000, WINDOW, false);
    }
}
