package dev.flashsale.pipelines.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.hazelcast.collection.IList;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.jet.Job;
import com.hazelcast.jet.pipeline.ServiceFactories;
import com.hazelcast.jet.pipeline.Sinks;

import dev.flashsale.grid.LocalCluster;
import dev.flashsale.pipelines.ListStream;
import dev.flashsale.pipelines.events.Heartbeat;
import dev.flashsale.pipelines.events.OrderReserved;
import dev.flashsale.pipelines.events.SaleEventJson;

/**
 * The orders pipeline on one member, with a list source for Kafka and a ledger that keeps rows
 * in a list and refuses one order, as MySQL refuses a value it cannot store. Poison records in
 * the stream become dead letters; the records behind them are written.
 */
class OrdersPipelineTest {

    private static final Instant AT = Instant.parse("2026-12-02T10:00:00Z");
    private static final String REFUSED_ORDER = "00000000-0000-0000-0000-00000000000c";

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
    void poisonRecordsBecomeDeadLettersAndTheRecordsBehindThemAreWritten() {
        // given a stream with good records around poison ones
        List<SourceRecord> records = List.of(
                record(0, order("00000000-0000-0000-0000-00000000000a", "alice")),   // written
                record(1, "this is not JSON"),                                        // dead letter: not a sale event
                new SourceRecord("sale-events", 0, 2, "k", null),                     // dead letter: tombstone
                record(3, order("00000000-0000-0000-0000-00000000000d", "s".repeat(200))), // dead letter: shopperId
                record(4, order("00000000-0000-0000-0000-00000000000b", "bob")),      // written
                record(5, order(REFUSED_ORDER, "carol")),                             // dead letter: refused by the ledger
                record(6, SaleEventJson.write(Heartbeat.at(AT))));                   // written
        HazelcastInstance member = cluster.member(0);
        IList<String> written = member.getList("ledger-written");
        IList<DeadLetter> deadLetters = member.getList("ledger-dead-letters");

        // when the orders pipeline runs
        Job job = member.getJet().newJob(OrdersPipeline.create(
                ListStream.of("sale events", records),
                ServiceFactories.nonSharedService(context -> new ListLedger(context.hazelcastInstance().getList("ledger-written"))),
                Sinks.list(deadLetters)));
        try {
            // then every record was answered: three rows written, four dead letters with their reasons
            await().atMost(Duration.ofSeconds(30)).until(() -> written.size() == records.size() && deadLetters.size() == 4);
            assertThat(written).containsExactlyInAnyOrder("order 00000000-0000-0000-0000-00000000000a",
                    "order 00000000-0000-0000-0000-00000000000b", "heartbeat 0",
                    "dead letter 1", "dead letter 2", "dead letter 3", "dead letter 5");
            Map<Long, String> reasons = deadLetters.stream().collect(Collectors.toMap(letter -> letter.source().offset(), DeadLetter::reason));
            assertThat(reasons).containsOnlyKeys(1L, 2L, 3L, 5L);
            assertThat(reasons.get(1L)).startsWith("not a sale event");
            assertThat(reasons.get(2L)).contains("tombstone");
            assertThat(reasons.get(3L)).contains("shopperId");
            assertThat(reasons.get(5L)).isEqualTo("MySQL refused the row: no room for carol");
        } finally {
            job.cancel();
        }
    }

    private static String order(String orderId, String shopperId) {
        return SaleEventJson.write(new OrderReserved(orderId + "/reserved", 1, AT, "sale-1", orderId, shopperId, 1,
                BigDecimal.ONE, 0, AT.plusSeconds(900), orderId, 1));
    }

    private static SourceRecord record(long offset, String value) {
        return new SourceRecord("sale-events", 0, offset, "k", value);
    }

    /** Keeps what it writes in a list, in order; refuses {@link #REFUSED_ORDER} as MySQL refuses a value it cannot hold. */
    private record ListLedger(List<String> written) implements Ledger {

        @Override
        public CompletableFuture<List<DeadLetter>> write(List<LedgerEntry> entries) {
            List<DeadLetter> result = new ArrayList<>();
            for (LedgerEntry entry : entries) {
                DeadLetter letter = entry instanceof DeadLetter given ? given : null;
                if (entry instanceof OrderRow order && order.orderId().equals(REFUSED_ORDER)) {
                    letter = DeadLetter.refused(entry, "no room for " + order.shopperId());
                }
                written.add(letter != null ? "dead letter " + letter.source().offset()
                        : entry instanceof OrderRow order ? "order " + order.orderId()
                        : "heartbeat " + ((HeartbeatRow) entry).partition());
                result.add(letter);
            }
            return CompletableFuture.completedFuture(result);
        }

        @Override
        public void close() {
        }
    }
}
