package dev.flashsale.stock;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.AbstractMap.SimpleEntry;
import java.util.Map;

import org.junit.jupiter.api.Test;

class ReserveStockTest {

    private static final StockKey KEY = new StockKey("sale-1", 0, 0);
    private static final long WINDOW = 60_000;

    @Test
    void takesUnitsFromAFullBucket() {
        Map.Entry<StockKey, StockBucket> entry = new SimpleEntry<>(KEY, StockBucket.withStock(10));

        Reservation reservation = new ReserveStock("order-1", 3, 1_000, WINDOW).process(entry);

        assertThat(reservation).isEqualTo(Reservation.won(7));
        assertThat(entry.getValue().available()).isEqualTo(7);
        assertThat(entry.getValue().taken()).isEqualTo(3);
    }

    @Test
    void sameOrderTwiceTakesOneUnit() {
        Map.Entry<StockKey, StockBucket> entry = new SimpleEntry<>(KEY, StockBucket.withStock(10));
        ReserveStock reserve = new ReserveStock("order-1", 1, 1_000, WINDOW);

        Reservation first = reserve.process(entry);
        Reservation second = reserve.process(entry);

        assertThat(first.won()).isTrue();
        assertThat(second.won()).isTrue();
        assertThat(entry.getValue().available()).isEqualTo(9);
    }

    @Test
    void retryAfterTheBucketEmptiedStillAnswersWon() {
        // given the order took the last unit
        Map.Entry<StockKey, StockBucket> entry = new SimpleEntry<>(KEY, StockBucket.withStock(1));
        new ReserveStock("order-1", 1, 1_000, WINDOW).process(entry);

        // when the same order runs again
        Reservation retry = new ReserveStock("order-1", 1, 1_500, WINDOW).process(entry);

        // then it is told it won, and nothing more is taken
        assertThat(retry).isEqualTo(Reservation.won(0));
        assertThat(entry.getValue().available()).isZero();
    }

    @Test
    void emptyBucketRefusesWithoutChange() {
        StockBucket empty = new StockBucket(5, 0, new StockBucket.Applied[0]);
        Map.Entry<StockKey, StockBucket> entry = new SimpleEntry<>(KEY, empty);

        Reservation reservation = new ReserveStock("order-1", 1, 1_000, WINDOW).process(entry);

        assertThat(reservation).isEqualTo(Reservation.insufficient(0));
        assertThat(entry.getValue()).isSameAs(empty);
    }

    @Test
    void partialBucketRefusesALargerQuantity() {
        Map.Entry<StockKey, StockBucket> entry = new SimpleEntry<>(KEY, StockBucket.withStock(2));

        Reservation reservation = new ReserveStock("order-1", 3, 1_000, WINDOW).process(entry);

        assertThat(reservation).isEqualTo(Reservation.insufficient(2));
        assertThat(entry.getValue().available()).isEqualTo(2);
    }

    @Test
    void missingBucketHasNothingToSell() {
        Map.Entry<StockKey, StockBucket> entry = new SimpleEntry<>(KEY, null);

        assertThat(new ReserveStock("order-1", 1, 1_000, WINDOW).process(entry)).isEqualTo(Reservation.insufficient(0));
        assertThat(entry.getValue()).isNull();
    }

    @Test
    void forgetsOrdersOlderThanTheReplayWindow() {
        Map.Entry<StockKey, StockBucket> entry = new SimpleEntry<>(KEY, StockBucket.withStock(10));
        new ReserveStock("old", 1, 1_000, WINDOW).process(entry);
        new ReserveStock("recent", 1, 50_000, WINDOW).process(entry);

        new ReserveStock("new", 1, 1_000 + WINDOW + 1, WINDOW).process(entry);

        assertThat(entry.getValue().recent()).extracting(StockBucket.Applied::orderId).containsExactly("recent", "new");
        assertThat(entry.getValue().available()).isEqualTo(7);
    }
}
