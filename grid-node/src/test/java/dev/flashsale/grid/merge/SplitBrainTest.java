package dev.flashsale.grid.merge;

import static com.hazelcast.test.HazelcastTestSupport.assertClusterSizeEventually;
import static com.hazelcast.test.HazelcastTestSupport.closeConnectionBetween;
import static com.hazelcast.test.SplitBrainTestSupport.blockCommunicationBetween;
import static com.hazelcast.test.SplitBrainTestSupport.unblockCommunicationBetween;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.hazelcast.client.test.TestHazelcastFactory;
import com.hazelcast.config.Config;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.splitbrainprotection.SplitBrainProtectionException;

import dev.flashsale.grid.GridConfig;
import dev.flashsale.grid.JvmDefaults;
import dev.flashsale.grid.Maps;
import dev.flashsale.purchase.ClaimQuota;
import dev.flashsale.purchase.ConfirmPurchase;
import dev.flashsale.purchase.Purchases;
import dev.flashsale.purchase.ShopperKey;
import dev.flashsale.stock.ReadStock;
import dev.flashsale.stock.ReserveStock;
import dev.flashsale.stock.StockBucket;
import dev.flashsale.stock.StockKey;
import dev.flashsale.stock.StockLevel;

/**
 * A network split of a 3-member grid, 2 | 1, on Hazelcast's test network: the smaller side
 * refuses writes once it notices, and when the split heals, no reservation either side made is
 * lost, and a unit sold on both sides shows as an oversell instead of vanishing.
 */
class SplitBrainTest {

    static {
        JvmDefaults.apply();
    }

    /** A bucket the member to be cut off owns, so that both sides of the split hold it. */
    private StockKey bucket;

    private final TestHazelcastFactory factory = new TestHazelcastFactory();

    @AfterEach
    void shutdown() {
        factory.terminateAll();
    }

    @Test
    void theSmallerSideRefusesWritesWithinSecondsAndTheLargerSells() {
        // given a 3-member grid planned as 3, with a bucket of 10
        HazelcastInstance[] members = startGrid(Map.of(GridConfig.PLANNED_MEMBERS_ENV, "3"));
        Maps.stock(members[0]).set(bucket, StockBucket.withStock(10));

        // when the third member is cut off from the other two
        long splitAt = split(members);

        // then within seconds its side refuses a reservation, and refuses it without a change
        IMap<StockKey, StockBucket> minority = Maps.stock(members[2]);
        Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).untilAsserted(() ->
                assertThatThrownBy(() -> minority.executeOnKey(bucket, reserve("minority-order")))
                        .isInstanceOf(SplitBrainProtectionException.class));
        long detectedAfterMillis = System.currentTimeMillis() - splitAt;
        System.out.printf("split-brain: the smaller side refused writes %d ms after the split%n", detectedAfterMillis);
        assertThat(detectedAfterMillis).isLessThan(10_000);
        // and the larger side sells on
        assertThat(Maps.stock(members[0]).executeOnKey(bucket, reserve("majority-order")).won()).isTrue();

        // and once healed, the grid holds the larger side's sale only
        heal(members);
        assertThat(Maps.stock(members[2]).executeOnKey(bucket, new ReadStock())).isEqualTo(new StockLevel(10, 9));
    }

    @Test
    void whatBothSidesSoldSurvivesTheMergeAndAnOversellShows() {
        // given a grid without split-brain protection (as in the window before a split is noticed),
        // a bucket of 2
        HazelcastInstance[] members = startGrid(Map.of());
        Maps.stock(members[0]).set(bucket, StockBucket.withStock(2));

        // when the grid splits and each side sells both units, and one shopper buys on both sides
        split(members);
        for (HazelcastInstance side : new HazelcastInstance[] {members[0], members[2]}) {
            String name = side == members[0] ? "big" : "small";
            assertThat(Maps.stock(side).executeOnKey(bucket, reserve(name + "-1")).won()).isTrue();
            assertThat(Maps.stock(side).executeOnKey(bucket, reserve(name + "-2")).won()).isTrue();
            buy(side, "both-sides", name + "-1");
        }
        heal(members);

        // then every unit either side took is still taken: 4 taken of 2, shown as 2 oversold
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            StockLevel level = Maps.stock(members[1]).executeOnKey(bucket, new ReadStock());
            assertThat(level.taken()).isEqualTo(4);
            assertThat(level.available()).isEqualTo(-2);
        });
        // and the shopper who bought on both sides keeps both orders (reconciliation reports the limit)
        Purchases both = Maps.purchases(members[1]).get(new ShopperKey("split", "both-sides"));
        assertThat(both.orders()).extracting(order -> order.orderId()).containsExactlyInAnyOrder("big-1", "small-1");
    }

    private HazelcastInstance[] startGrid(Map<String, String> env) {
        HazelcastInstance[] members = new HazelcastInstance[3];
        for (int i = 0; i < 3; i++) {
            Config config = GridConfig.member(env);
            config.getJetConfig().setEnabled(false);
            config.setProperty("hazelcast.merge.first.run.delay.seconds", "5");
            config.setProperty("hazelcast.merge.next.run.delay.seconds", "3");
            members[i] = factory.newHazelcastInstance(config);
        }
        assertClusterSizeEventually(3, members);
        bucket = ownedBy(members[2]);
        return members;
    }

    private static StockKey ownedBy(HazelcastInstance member) {
        for (int salt = 0; ; salt++) {
            StockKey key = new StockKey("split", 0, salt);
            if (member.getCluster().getLocalMember().equals(member.getPartitionService().getPartition(key).getOwner())) {
                return key;
            }
        }
    }

    private static long split(HazelcastInstance[] members) {
        long at = System.currentTimeMillis();
        for (int i = 0; i < 2; i++) {
            blockCommunicationBetween(members[i], members[2]);
            closeConnectionBetween(members[i], members[2]);
        }
        assertClusterSizeEventually(2, members[0], members[1]);
        assertClusterSizeEventually(1, members[2]);
        return at;
    }

    private static void heal(HazelcastInstance[] members) {
        for (int i = 0; i < 2; i++) {
            unblockCommunicationBetween(members[i], members[2]);
        }
        assertClusterSizeEventually(3, members);
        Awaitility.await().atMost(Duration.ofSeconds(60))
                .until(() -> members[0].getPartitionService().isClusterSafe());
    }

    private static void buy(HazelcastInstance side, String shopper, String orderId) {
        ShopperKey key = new ShopperKey("split", shopper);
        long now = System.currentTimeMillis();
        Maps.purchases(side).executeOnKey(key, new ClaimQuota(orderId, "attempt-" + orderId, 1, 1, now));
        Maps.purchases(side).executeOnKey(key, new ConfirmPurchase(orderId, 1, 0, now, now + 900_000));
    }

    private static ReserveStock reserve(String orderId) {
        long now = System.currentTimeMillis();
        return new ReserveStock(orderId, "shopper-" + orderId, 1, BigDecimal.ONE, now, now + 900_000, Long.MAX_VALUE);
    }
}
