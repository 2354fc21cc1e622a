package dev.flashsale.stock;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.hazelcast.client.test.TestHazelcastFactory;
import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;

import dev.flashsale.grid.GridConfig;
import dev.flashsale.grid.JvmDefaults;
import dev.flashsale.grid.Maps;

/** The bucket on a 2-member cluster whose owner of the key dies right after the call. */
class ReserveStockFailoverTest {

    static {
        JvmDefaults.apply();
    }

    private final TestHazelcastFactory factory = new TestHazelcastFactory();

    @AfterEach
    void shutdown() {
        factory.terminateAll();
    }

    @Test
    void backupHoldsTheReservationAndARetryTakesNothingMore() {
        // given two members and a bucket of 10 owned by the first
        HazelcastInstance owner = factory.newHazelcastInstance(GridConfig.member(Map.of()));
        HazelcastInstance survivor = factory.newHazelcastInstance(GridConfig.member(Map.of()));
        HazelcastInstance client = factory.newHazelcastClient(GridConfig.client(Map.of()));
        StockKey key = keyOwnedBy(owner);
        IMap<StockKey, StockBucket> stock = Maps.stock(client);
        stock.set(key, StockBucket.withStock(10));

        // when an order reserves a unit and the owner dies before anyone reads the result
        long now = System.currentTimeMillis();
        ReserveStock reserve = new ReserveStock("order-1", "alice", 1, BigDecimal.TEN, now, now, now + 900_000, 60_000, false);
        assertThat(stock.executeOnKey(key, reserve).won()).isTrue();
        owner.getLifecycleService().terminate();

        // then the promoted backup has the reservation, and the same order retried takes nothing more
        assertThat(Maps.stock(survivor).get(key).available()).isEqualTo(9);
        assertThat(stock.executeOnKey(key, reserve.asRetry())).isEqualTo(Reservation.won(9));
        assertThat(stock.executeOnKey(key, new ReadStock())).isEqualTo(new StockLevel(10, 9));
    }

    private static StockKey keyOwnedBy(HazelcastInstance member) {
        Member local = member.getCluster().getLocalMember();
        for (int salt = 0; ; salt++) {
            StockKey key = new StockKey("sale-1", 0, salt);
            if (member.getPartitionService().getPartition(key).getOwner().equals(local)) {
                return key;
            }
        }
    }
}
