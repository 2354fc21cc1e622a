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
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.hazelcast.client.test.TestHazelcastFactory;
import com.hazelcast.config.Config;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.IndeterminateOperationStateException;
import com.hazelcast.internal.partition.InternalPartitionService;
import com.hazelcast.internal.partition.PartitionReplica;
import com.hazelcast.map.IMap;
import com.hazelcast.splitbrainprotection.SplitBrainProtectionException;
import com.hazelcast.test.Accessors;

import dev.flashsale.grid.GridConfig;
import dev.flashsale.grid.JvmDefaults;
import dev.flashsale.grid.Maps;
import dev.flashsale.purchase.ClaimQuota;
import dev.flashsale.purchase.ShopperKey;
import dev.flashsale.stock.ReadStock;
import dev.flashsale.stock.ReserveStock;
import dev.flashsale.stock.StockBucket;
import dev.flashsale.stock.StockKey;
import dev.flashsale.stock.StockLevel;

/**
 * Network splits on Hazelcast's test network: the smaller side refuses writes once it notices,
 * cannot acknowledge one even before, and when the split heals, the larger side's values stand.
 */
class SplitBrainTest {

    static {
        JvmDefaults.apply();
    }

    private final TestHazelcastFactory factory = new TestHazelcastFactory();

    @AfterEach
    void shutdown() {
        factory.terminateAll();
    }

    @Test
    void theSmallerSideRefusesWritesWithinSecondsAndTheLargerSells() {
        // given a 3-member grid planned as 3, with a bucket of 10 that the member to be cut off owns
        HazelcastInstance[] members = startGrid(3, Map.of(GridConfig.PLANNED_MEMBERS_ENV, "3"));
        StockKey bucket = heldBy(members[2], null, salt -> new StockKey("split", 0, salt));
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
    void aSideWithoutAMajorityNeverAcknowledgesAWriteEvenBeforeItNoticesAndTheMergeKeepsTheLargerSide() throws Exception {
        // given a 5-member grid planned as 5, and a bucket of 10 and a shopper's entry whose owner
        // and first backup are members 3 and 4: two members hold both, and their third copy is elsewhere
        HazelcastInstance[] members = startGrid(5, Map.of(GridConfig.PLANNED_MEMBERS_ENV, "5"));
        StockKey bucket = heldBy(members[3], members[4], salt -> new StockKey("split", 0, salt));
        ShopperKey shopper = heldBy(members[3], members[4], salt -> new ShopperKey("split", "shopper-" + salt));
        Maps.stock(members[0]).set(bucket, StockBucket.withStock(10));
        assertThat(members[0].getConfig().getMapConfig(Maps.STOCK).getBackupCount()).isEqualTo(2);
        // (member 3 has claimed and reserved before, as members in a sale have: its first call of a
        // kind registers the type's schema with every member, which would wait out the split)
        StockKey warmUp = new StockKey("warm-up", 0, 0);
        Maps.stock(members[3]).set(warmUp, StockBucket.withStock(1));
        Maps.stock(members[3]).executeOnKey(warmUp, reserve("warm-up"));
        Maps.purchases(members[3]).executeOnKey(new ShopperKey("warm-up", "shopper"),
                new ClaimQuota("warm-up", "attempt-warm-up", 1, 1, System.currentTimeMillis()));

        // when the grid splits 3 | 2, and at once, before its side can notice, the smaller side's
        // member claims and reserves for the shopper
        long cutAt = System.nanoTime();
        setCommunication(members, false);
        long now = System.currentTimeMillis();
        var claimed = Maps.purchases(members[3]).submitToKey(shopper, new ClaimQuota("small-1", "attempt-small-1", 1, 1, now));
        var reserved = Maps.stock(members[3]).submitToKey(bucket, reserve("small-1"));
        // (and a bucket of the same partition that only the smaller side will have: its arrival in
        // the merged grid shows that the partition's stock was merged)
        int partition = members[3].getPartitionService().getPartition(bucket).getPartitionId();
        StockKey marker = heldBy(members[3], members[4], salt -> new StockKey("marker", 0, salt), partition);
        var marked = Maps.stock(members[3]).setAsync(marker, StockBucket.withStock(1));

        // then neither is answered as done: their third copy, on the other side, never acknowledges
        assertThatThrownBy(() -> claimed.toCompletableFuture().get(30, TimeUnit.SECONDS))
                .hasCauseInstanceOf(IndeterminateOperationStateException.class);
        assertThatThrownBy(() -> reserved.toCompletableFuture().get(30, TimeUnit.SECONDS))
                .hasCauseInstanceOf(IndeterminateOperationStateException.class);
        assertThatThrownBy(() -> marked.toCompletableFuture().get(30, TimeUnit.SECONDS))
                .hasCauseInstanceOf(IndeterminateOperationStateException.class);
        System.out.printf("split-brain: the smaller side's unacknowledged writes failed %d ms after the cut%n",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - cutAt));
        // (though its owner did take the unit)
        assertThat(Maps.stock(members[3]).get(bucket).taken()).isEqualTo(1);

        // and the larger side, once it has let go of the smaller, sells the bucket
        assertClusterSizeEventually(3, members[0], members[1], members[2]);
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> members[0].getPartitionService().isClusterSafe());
        assertThat(Maps.stock(members[0]).executeOnKey(bucket, reserve("large-1")).won()).isTrue();
        assertThat(Maps.stock(members[0]).executeOnKey(bucket, reserve("large-2")).won()).isTrue();

        // when the network heals
        setCommunication(members, true);
        assertClusterSizeEventually(5, members);
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> members[0].getPartitionService().isClusterSafe());

        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> Maps.stock(members[0]).containsKey(marker));
        // then the bucket is the larger side's: two units taken, by its acknowledged orders. The unit the
        // smaller side took unacknowledged is not counted: its shopper was told "pending", and the claim,
        // which the merge keeps, is settled from the events (released, unless the event reached MySQL)
        assertThat(Maps.stock(members[4]).executeOnKey(bucket, new ReadStock())).isEqualTo(new StockLevel(10, 8));
        assertThat(Maps.purchases(members[4]).get(shopper).orders()).extracting(order -> order.orderId()).containsExactly("small-1");
    }

    /** Cuts (or restores) every link between members 0–2 and 3–4. */
    private static void setCommunication(HazelcastInstance[] members, boolean open) {
        for (int small = 3; small < 5; small++) {
            for (int large = 0; large < 3; large++) {
                if (open) {
                    unblockCommunicationBetween(members[small], members[large]);
                } else {
                    blockCommunicationBetween(members[small], members[large]);
                }
            }
        }
    }

    private HazelcastInstance[] startGrid(int size, Map<String, String> env) {
        HazelcastInstance[] members = new HazelcastInstance[size];
        for (int i = 0; i < size; i++) {
            Config config = GridConfig.member(env);
            config.getJetConfig().setEnabled(false);
            config.setProperty("hazelcast.merge.first.run.delay.seconds", "5");
            config.setProperty("hazelcast.merge.next.run.delay.seconds", "3");
            members[i] = factory.newHazelcastInstance(config);
        }
        assertClusterSizeEventually(size, members);
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> members[0].getPartitionService().isClusterSafe());
        return members;
    }

    /** The first key whose partition {@code owner} owns and, if given, whose first backup {@code backup} holds. */
    private static <K> K heldBy(HazelcastInstance owner, HazelcastInstance backup, IntFunction<K> keys) {
        return heldBy(owner, backup, keys, -1);
    }

    /** As above, and in partition {@code partitionId} if that is not negative. */
    private static <K> K heldBy(HazelcastInstance owner, HazelcastInstance backup, IntFunction<K> keys, int partitionId) {
        InternalPartitionService partitions = Accessors.getPartitionService(owner);
        for (int salt = 0; ; salt++) {
            K key = keys.apply(salt);
            int id = owner.getPartitionService().getPartition(key).getPartitionId();
            var partition = partitions.getPartition(id);
            if ((partitionId < 0 || id == partitionId) && isMember(partition.getReplica(0), owner)
                    && (backup == null || isMember(partition.getReplica(1), backup))) {
                return key;
            }
        }
    }

    private static boolean isMember(PartitionReplica replica, HazelcastInstance member) {
        return replica != null && replica.uuid().equals(member.getCluster().getLocalMember().getUuid());
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

    private static ReserveStock reserve(String orderId) {
        long now = System.currentTimeMillis();
        return new ReserveStock(orderId, "shopper-" + orderId, 1, BigDecimal.ONE, now, now + 900_000, Long.MAX_VALUE);
    }
}
