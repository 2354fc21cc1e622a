package dev.flashsale.stock;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.AbstractMap.SimpleEntry;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.hazelcast.client.test.TestHazelcastFactory;
import com.hazelcast.internal.serialization.Data;
import com.hazelcast.internal.serialization.SerializationService;
import com.hazelcast.spi.impl.SerializationServiceSupport;

import dev.flashsale.grid.GridConfig;
import dev.flashsale.grid.JvmDefaults;

/** A bucket copied the way Hazelcast copies it: through the member's own serialization. */
class StockBucketSerializerTest {

    static {
        JvmDefaults.apply();
    }

    private static final StockKey KEY = new StockKey("sale-1", 0, 0);

    private final TestHazelcastFactory factory = new TestHazelcastFactory();
    private final SerializationService serialization =
            ((SerializationServiceSupport) factory.newHazelcastInstance(GridConfig.member(Map.of()))).getSerializationService();

    @AfterEach
    void shutdown() {
        factory.terminateAll();
    }

    @Test
    void aCopyKeepsTheStockAndTheLastReservationButAnswersRetriesUnknown() {
        // given a bucket that reserved two orders
        Map.Entry<StockKey, StockBucket> original = new SimpleEntry<>(KEY, StockBucket.withStock(10));
        reserve("order-1", 1_000).process(original);
        reserve("order-2", 2_000).process(original);

        // when it is copied
        Map.Entry<StockKey, StockBucket> copy = new SimpleEntry<>(KEY, serialization.toObject(serialization.toData(original.getValue())));

        // then the stock and the outbox's reservation survive, the memory does not
        assertThat(copy.getValue().available()).isEqualTo(8);
        assertThat(copy.getValue().stock()).isEqualTo(10);
        assertThat(copy.getValue().last()).isEqualTo(original.getValue().last());
        assertThat(copy.getValue().remembered()).isZero();
        // and a retry of either order takes nothing and says it cannot tell, where the original knows
        assertThat(reserve("order-1", 1_000).asRetry().process(copy)).isEqualTo(Reservation.unknown(8));
        assertThat(reserve("order-2", 2_000).asRetry().process(copy)).isEqualTo(Reservation.unknown(8));
        assertThat(reserve("order-1", 1_000).asRetry().process(original)).isEqualTo(Reservation.won(8));
        // and a new order is served as usual
        assertThat(reserve("order-3", 3_000).process(copy)).isEqualTo(Reservation.won(7));
    }

    @Test
    void aJournaledBucketStaysSmallWhateverItRemembers() {
        Map.Entry<StockKey, StockBucket> entry = new SimpleEntry<>(KEY, StockBucket.withStock(1_000));
        for (int i = 0; i < StockBucket.RECENT_LIMIT; i++) {
            reserve("order-" + i, 1_000 + i).process(entry);
        }

        Data journaled = serialization.toData(entry.getValue());

        assertThat(entry.getValue().remembered()).isEqualTo(StockBucket.RECENT_LIMIT);
        assertThat(journaled.totalSize()).isLessThan(300);
    }

    private static ReserveStock reserve(String orderId, long claimedAtMillis) {
        return new ReserveStock(orderId, "alice", 1, new BigDecimal("9.99"), claimedAtMillis, claimedAtMillis,
                claimedAtMillis + 900_000, 60_000, false);
    }
}
