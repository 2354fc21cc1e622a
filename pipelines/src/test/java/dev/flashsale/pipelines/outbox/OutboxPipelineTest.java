package dev.flashsale.pipelines.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.AbstractMap.SimpleImmutableEntry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.hazelcast.collection.IList;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.jet.Job;
import com.hazelcast.jet.pipeline.Sinks;

import dev.flashsale.grid.LocalCluster;
import dev.flashsale.grid.Maps;
import dev.flashsale.pipelines.Journaled;
import dev.flashsale.pipelines.ListStream;
import dev.flashsale.stock.StockBucket;
import dev.flashsale.stock.StockKey;

/** The outbox pipeline on one member, with list sources for the journals and a list sink for Kafka. */
class OutboxPipelineTest {

    private static LocalCluster cluster;

    @BeforeAll
    static void start() {
        cluster = LocalCluster.start(1);
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @Test
    void saleEventsKeepTheirKeyAndEachHeartbeatGoesToEveryPartition() {
        // given one reservation, one sale change and one heartbeat in the journals, and 3 partitions
        HazelcastInstance member = cluster.member(0);
        IList<OutboxRecord> published = member.getList("outbox-published");

        // when the outbox runs
        Job job = member.getJet().newJob(OutboxPipeline.create(
                ListStream.of("reservations", List.of(entry("order-1", "{reserved}"))),
                ListStream.of("sale changes", List.of(entry("sale-1", "{scheduled}"))),
                ListStream.of("heartbeats", List.of(entry("heartbeat/1000", "{beat}"))),
                3,
                Sinks.list(published)));
        try {
            // then sale events are keyed by order or sale and left to Kafka's partitioner, and the
            // heartbeat is sent to partitions 0, 1 and 2
            await().atMost(Duration.ofSeconds(30)).until(() -> published.size() == 5);
            assertThat(published).containsExactlyInAnyOrder(
                    new OutboxRecord(null, "order-1", "{reserved}"),
                    new OutboxRecord(null, "sale-1", "{scheduled}"),
                    new OutboxRecord(0, "heartbeat/1000", "{beat}"),
                    new OutboxRecord(1, "heartbeat/1000", "{beat}"),
                    new OutboxRecord(2, "heartbeat/1000", "{beat}"));
        } finally {
            job.cancel();
        }
    }

    @Test
    void aGapInTheStockJournalFailsTheJobAndRecordsItsPartition() {
        // given a reservation, then the first event a member hands over after overwriting events the outbox had not read
        HazelcastInstance member = cluster.member(0);
        IList<OutboxRecord> published = member.getList("outbox-after-gap");
        StockKey bucket = new StockKey("sale-with-a-gap", 0, 5);
        Map.Entry<String, String> afterGap = OutboxEvents.bucketEvent(Journaled.afterLostEvents(bucket, StockBucket.withStock(1)));

        // when the outbox runs
        Job job = member.getJet().newJob(OutboxPipeline.create(
                ListStream.of("reservations", List.of(entry("order-1", "{reserved}"), afterGap, entry("order-2", "{reserved}"))),
                ListStream.of("sale changes", List.of()),
                ListStream.of("heartbeats", List.of()),
                1,
                Sinks.list(published)));

        // then the job fails, saying so, and the bucket's partition is recorded as an alarm
        assertThatThrownBy(() -> job.getFuture().get(30, TimeUnit.SECONDS))
                .hasStackTraceContaining("were overwritten before the outbox read them");
        int partition = member.getPartitionService().getPartition(bucket).getPartitionId();
        assertThat(Maps.journalLosses(member).get(partition)).contains("sale sale-with-a-gap bucket 0");
    }

    private static Map.Entry<String, String> entry(String key, String value) {
        return new SimpleImmutableEntry<>(key, value);
    }
}
