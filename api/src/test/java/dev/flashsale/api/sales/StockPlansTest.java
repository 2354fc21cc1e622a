package dev.flashsale.api.sales;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.flashsale.stock.StockLevel;

class StockPlansTest {

    @Test
    void aTopUpAddsItsUnitsEvenlyAndMovesNoAvailableUnit() {
        // given a sold-out bucket and a full one
        Map<Integer, StockLevel> buckets = Map.of(0, new StockLevel(50, 0), 1, new StockLevel(50, 50));

        // then a top-up of 3 adds to both, and takes nothing from the full one
        assertThat(StockPlans.targets(103, buckets)).containsExactly(52, 51);
    }

    @Test
    void aWithdrawalTakesAvailableUnitsFirstThenWantsLessWhereOrdersHoldThem() {
        // given 4 units available of 10, all in bucket 1
        Map<Integer, StockLevel> buckets = Map.of(0, new StockLevel(5, 0), 1, new StockLevel(5, 4));

        // when 3 are withdrawn, they come from bucket 1's available units
        assertThat(StockPlans.targets(7, buckets)).containsExactly(5, 2);
        // and when 6 are, the 2 orders hold come out of the buckets' wanted stock
        int[] targets = StockPlans.targets(4, buckets);
        assertThat(targets[0] + targets[1]).isEqualTo(4);
        assertThat(targets[1]).as("bucket 1 gives its 4 available units").isLessThanOrEqualTo(1);
    }
}
