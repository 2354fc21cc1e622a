package dev.flashsale.stock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.hazelcast.client.test.TestHazelcastFactory;
import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.IndeterminateOperationStateException;
import com.hazelcast.spi.impl.SpiDataSerializerHook;
import com.hazelcast.test.PacketFiltersUtil;
import com.hazelcast.internal.journal.EventJournalInitialSubscriberState;
import com.hazelcast.internal.journal.EventJournalReader;
import com.hazelcast.map.EventJournalMapEvent;
import com.hazelcast.map.IMap;
import com.hazelcast.ringbuffer.ReadResultSet;
import com.hazelcast.test.Accessors;

import dev.flashsale.grid.GridConfig;
import dev.flashsale.grid.JvmDefaults;
import dev.flashsale.grid.Maps;

/**
 * A bucket through member deaths: whichever replica serves it next holds the same value and
 * the same journal as the one that answered, also when that replica was rebuilt as a copy.
 */
class ReserveStockFailoverTest {

    static {
        JvmDefaults.apply();
    }

    private static final long LEASE_END = Long.MAX_VALUE;

    private final TestHazelcastFactory factory = new TestHazelcastFactory();

    @AfterEach
    void shutdown() {
        factory.terminateAll();
    }

    @Test
    void aReplicaRebuiltAsACopyAndThenPromotedHoldsWhatTheOwnerAnswered() {
        // given three members and a bucket of 10 owned by the first, with two reservations
        HazelcastInstance owner = member();
        HazelcastInstance second = member();
        HazelcastInstance third = member();
        IMap<StockKey, StockBucket> stock = Maps.stock(factory.newHazelcastClient(GridConfig.client(Map.of())));
        StockKey key = bucketOf10On(owner, stock);
        assertThat(stock.executeOnKey(key, reserve("x1")).won()).isTrue();
        assertThat(stock.executeOnKey(key, reserve("x2")).won()).isTrue();

        // when the backup's member dies, so the new backup is rebuilt as a serialized copy,
        // an order reserves on the owner, and then the owner dies too
        HazelcastInstance backup = backupOf(key, List.of(second, third));
        HazelcastInstance survivor = backup == second ? third : second;
        backup.getLifecycleService().terminate();
        awaitSafe(owner);
        Reservation y = stock.executeOnKey(key, reserve("y"));
        owner.getLifecycleService().terminate();
        awaitSafe(survivor);

        // then the promoted copy holds exactly what the owner answered, and its journal has y's event
        assertThat(y).isEqualTo(Reservation.won(7));
        assertThat(stock.executeOnKey(key, new ReadStock())).isEqualTo(new StockLevel(10, 7));
        assertThat(reservedOrdersInJournal(Maps.stock(survivor), key, survivor)).containsExactly("x1", "x2", "y");
    }

    @Test
    void theBackupTakesTheOwnersValueWhateverMemberItRunsOn() {
        // given two members, a bucket owned by the first
        HazelcastInstance owner = member();
        HazelcastInstance survivor = member();
        IMap<StockKey, StockBucket> stock = Maps.stock(factory.newHazelcastClient(GridConfig.client(Map.of())));
        StockKey key = bucketOf10On(owner, stock);

        // when an order reserves and the owner dies before anyone reads the result
        stock.executeOnKey(key, reserve("order-1"));
        StockBucket answered = Maps.stock(owner).get(key);
        String ownerId = owner.getCluster().getLocalMember().getUuid().toString();
        owner.getLifecycleService().terminate();

        // then the promoted backup holds the owner's value, to the member stamp on the reservation
        assertThat(Maps.stock(survivor).get(key)).isEqualTo(answered);
        assertThat(answered.last().slot()).isEqualTo(ownerId);
    }

    @Test
    void aReservationWhoseBackupNeverArrivesIsNeverAnsweredWon() {
        // given two members, a bucket owned by the first, whose backups to the second get lost
        HazelcastInstance owner = member();
        member();
        IMap<StockKey, StockBucket> stock = Maps.stock(factory.newHazelcastClient(GridConfig.client(Map.of())));
        StockKey key = bucketOf10On(owner, stock);
        PacketFiltersUtil.dropOperationsFrom(owner, SpiDataSerializerHook.F_ID, List.of(SpiDataSerializerHook.BACKUP));

        // when an order reserves, then the answer is indeterminate, not WON: had the owner died,
        // its promoted backup would not hold the unit (the API answers "pending" and settlement
        // decides from the events)
        assertThatThrownBy(() -> stock.executeOnKey(key, reserve("order-1")))
                .isInstanceOf(IndeterminateOperationStateException.class);
    }

    private HazelcastInstance member() {
        return factory.newHazelcastInstance(GridConfig.member(Map.of()));
    }

    /** A bucket of 10 units on a partition {@code owner} owns, written to {@code stock}. */
    private static StockKey bucketOf10On(HazelcastInstance owner, IMap<StockKey, StockBucket> stock) {
        StockKey key = keyOwnedBy(owner);
        stock.set(key, StockBucket.withStock(10));
        return key;
    }

    private static ReserveStock reserve(String orderId) {
        return new ReserveStock(orderId, "shopper-" + orderId, 1, BigDecimal.TEN, 1_000, 901_000, LEASE_END);
    }

    @SuppressWarnings("unchecked")
    private static List<String> reservedOrdersInJournal(IMap<StockKey, StockBucket> stock, StockKey key, HazelcastInstance member) {
        int partition = member.getPartitionService().getPartition(key).getPartitionId();
        EventJournalReader<EventJournalMapEvent<StockKey, StockBucket>> journal =
                (EventJournalReader<EventJournalMapEvent<StockKey, StockBucket>>) stock;
        EventJournalInitialSubscriberState state = journal.subscribeToEventJournal(partition).toCompletableFuture().join();
        int count = (int) (state.getNewestSequence() - state.getOldestSequence() + 1);
        ReadResultSet<EventJournalMapEvent<StockKey, StockBucket>> events = journal.<EventJournalMapEvent<StockKey, StockBucket>>
                readFromEventJournal(state.getOldestSequence(), 0, count, partition, event -> key.equals(event.getKey()), event -> event)
                .toCompletableFuture().join();
        List<String> orders = new ArrayList<>();
        events.forEach(event -> {
            if (event.getNewValue() != null && event.getNewValue().last() != null) {
                orders.add(event.getNewValue().last().orderId());
            }
        });
        return orders;
    }

    private static HazelcastInstance backupOf(StockKey key, List<HazelcastInstance> candidates) {
        int partition = candidates.get(0).getPartitionService().getPartition(key).getPartitionId();
        var backup = Accessors.getPartitionService(candidates.get(0)).getPartition(partition).getReplica(1).uuid();
        return candidates.stream().filter(member -> member.getCluster().getLocalMember().getUuid().equals(backup))
                .findFirst().orElseThrow();
    }

    private static void awaitSafe(HazelcastInstance member) {
        Awaitility.await().atMost(java.time.Duration.ofSeconds(60)).until(() -> member.getPartitionService().isClusterSafe());
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
