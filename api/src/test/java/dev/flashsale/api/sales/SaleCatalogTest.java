package dev.flashsale.api.sales;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.hazelcast.client.test.TestHazelcastFactory;
import com.hazelcast.config.Config;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.IndeterminateOperationStateException;
import com.hazelcast.spi.impl.SpiDataSerializerHook;
import com.hazelcast.test.PacketFiltersUtil;

import dev.flashsale.grid.GridConfig;
import dev.flashsale.grid.LocalCluster;
import dev.flashsale.grid.Maps;
import dev.flashsale.sale.Sale;
import dev.flashsale.stock.StockBucket;

/**
 * Sale creation is atomic: of concurrent creations of one id exactly one publishes a sale, and
 * the buckets that sale names add up to its stock, even when a creation outlasts its lease.
 */
class SaleCatalogTest {

    private static final Instant NOW = Instant.now();

    private LocalCluster cluster;
    private HazelcastInstance client;

    @BeforeEach
    void start() {
        cluster = LocalCluster.start(2);
        client = cluster.newClient();
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    @Test
    void ofConcurrentCreationsOfOneIdExactlyOneWinsAndItsBucketsAddUpToItsStock() throws Exception {
        // given six nodes' creations of one id, each with its own stock and number of buckets
        int creations = 6;
        ExecutorService nodes = Executors.newFixedThreadPool(creations);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Sale>> answers = new ArrayList<>();
        for (int i = 0; i < creations; i++) {
            NewSale request = newSale("contested", 100 + i, 1 + i % 4);
            SaleCatalog node = new SaleCatalog(cluster.newClient());
            answers.add(nodes.submit(() -> {
                start.await();
                return node.create(request, NOW);
            }));
        }

        // when they all run at once
        start.countDown();
        List<Sale> won = new ArrayList<>();
        int refused = 0;
        for (Future<Sale> answer : answers) {
            try {
                won.add(answer.get());
            } catch (ExecutionException e) {
                assertThat(e.getCause()).isInstanceOf(SaleExistsException.class);
                refused++;
            }
        }
        nodes.shutdown();

        // then one won, the others were refused, and the sale on the grid is the winner's, whole
        assertThat(won).hasSize(1);
        assertThat(refused).isEqualTo(creations - 1);
        assertIsWhole(won.get(0));
    }

    @Test
    void aCreationThatOutlastsItsLeaseNeitherOverwritesNorPublishesOverTheOneThatRanMeanwhile() throws Exception {
        // given a creation that placed its buckets and then stalled past its lease
        SaleCatalog stalled = new SaleCatalog(client);
        Sale stalledSale = stalled.plan(newSale("stalled", 50, 4), NOW);

        // when another creation of the id runs meanwhile, with other stock, placing its buckets
        // where the stalled one placed its own (both saw the same free partitions)
        Sale meanwhile = new SaleCatalog(cluster.newClient()).create(newSale("stalled", 70, 4), NOW);
        assertThat(meanwhile.bucket(0)).isEqualTo(stalledSale.bucket(0));

        // and the stalled creation wakes up and goes on
        assertThatThrownBy(() -> stalled.publish(stalledSale)).isInstanceOf(SaleExistsException.class)
                .hasMessage("another creation of sale 'stalled' is under way; look the sale up, or retry");

        // then the sale and every bucket it names are the one that ran meanwhile's
        assertIsWhole(meanwhile);
        assertThat(Maps.sales(client).get("stalled").stock()).isEqualTo(70);
    }

    @Test
    void aCreationThatLosesTheSaleTakesBackItsBucketsAndTheNextPlacesAroundWhatACrashLeft() throws Exception {
        // given a creation that placed its buckets and was cut off after writing one
        SaleCatalog catalog = new SaleCatalog(client);
        Sale cutOff = catalog.plan(newSale("leftover", 40, 2), NOW);
        Maps.stock(client).set(cutOff.bucket(0), StockBucket.withStock(cutOff.initialStockOf(0)));

        // when the id is created again
        Sale created = catalog.create(newSale("leftover", 90, 2), NOW);

        // then the new sale's buckets are its own, placed around the leftover, which is untouched
        assertThat(created.bucket(0)).isNotEqualTo(cutOff.bucket(0));
        assertIsWhole(created);
        assertThat(Maps.stock(client).get(cutOff.bucket(0))).isEqualTo(StockBucket.withStock(cutOff.initialStockOf(0)));

        // and given a creation that placed its buckets, while a sale of the id was published meanwhile
        Sale loser = catalog.plan(newSale("lost", 30, 3), NOW);
        Maps.sales(client).set("lost", catalog.plan(newSale("lost", 60, 1), NOW));

        // when it writes its buckets and then tries to publish
        assertThatThrownBy(() -> catalog.publish(loser)).isInstanceOf(SaleExistsException.class);

        // then it took back every bucket it wrote
        for (int i = 0; i < loser.buckets(); i++) {
            assertThat(Maps.stock(client).containsKey(loser.bucket(i))).as("bucket " + i).isFalse();
        }
    }

    @Test
    void aSaleWriteWhoseOutcomeIsUnknownKeepsItsBuckets() throws Exception {
        // given two members on Hazelcast's test network, and a sale id whose sale entry the first
        // owns while its one bucket and the creation lock land on the second
        TestHazelcastFactory factory = new TestHazelcastFactory();
        try {
            HazelcastInstance one = factory.newHazelcastInstance(memberOnTestNetwork());
            HazelcastInstance other = factory.newHazelcastInstance(memberOnTestNetwork());
            HazelcastInstance first = isOwner(one, SaleCatalog.CREATION) ? other : one;
            HazelcastInstance second = first == one ? other : one;
            SaleCatalog catalog = new SaleCatalog(factory.newHazelcastClient(GridConfig.client(Map.of())));
            NewSale request = null;
            for (int i = 0; request == null; i++) {
                NewSale candidate = newSale("unknown-" + i, 25, 1);
                Sale planned = catalog.plan(candidate, NOW);
                if (isOwner(first, planned.id()) && isOwner(second, planned.bucket(0))) {
                    request = candidate;
                }
            }
            // when the first member's backups never arrive, so that the sale's write fails as
            // indeterminate after the owner applied it
            PacketFiltersUtil.dropOperationsFrom(first, SpiDataSerializerHook.F_ID, List.of(SpiDataSerializerHook.BACKUP));
            NewSale contested = request;
            assertThatThrownBy(() -> catalog.create(contested, NOW)).isInstanceOf(IndeterminateOperationStateException.class);
            PacketFiltersUtil.resetPacketFiltersFrom(first);

            // then the sale that was published has its bucket, whole
            Sale published = Maps.sales(first).get(request.id());
            assertThat(published).isNotNull();
            assertThat(Maps.stock(first).get(published.bucket(0))).isEqualTo(StockBucket.withStock(25));
        } finally {
            factory.terminateAll();
        }
    }

    private static Config memberOnTestNetwork() {
        Config config = GridConfig.member(Map.of());
        config.getJetConfig().setEnabled(false);
        return config;
    }

    private static boolean isOwner(HazelcastInstance member, Object key) {
        return member.getCluster().getLocalMember().equals(member.getPartitionService().getPartition(key).getOwner());
    }

    /** The grid holds the sale, and each bucket it names holds that bucket's share of its stock, untouched. */
    private void assertIsWhole(Sale sale) {
        assertThat(Maps.sales(client).get(sale.id())).usingRecursiveComparison().isEqualTo(sale);
        int total = 0;
        for (int i = 0; i < sale.buckets(); i++) {
            StockBucket bucket = Maps.stock(client).get(sale.bucket(i));
            assertThat(bucket).as("bucket " + i).isEqualTo(StockBucket.withStock(sale.initialStockOf(i)));
            total += bucket.stock();
        }
        assertThat(total).isEqualTo(sale.stock());
    }

    private static NewSale newSale(String id, int stock, int buckets) {
        return new NewSale(id, "Sale " + id, new BigDecimal("9.99"), stock, NOW.plusSeconds(60), NOW.plusSeconds(3600), 1,
                Duration.ofMinutes(15), buckets);
    }
}
