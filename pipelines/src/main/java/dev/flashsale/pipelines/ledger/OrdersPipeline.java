package dev.flashsale.pipelines.ledger;

import com.hazelcast.jet.pipeline.Pipeline;
import com.hazelcast.jet.pipeline.ServiceFactory;
import com.hazelcast.jet.pipeline.Sink;
import com.hazelcast.jet.pipeline.StreamSource;

/**
 * Kafka → MySQL: writes every sale event into its table, and every record that cannot be
 * written into the dead letters, so that no record can hold up the ones behind it.
 *
 * <p>The ledger's upserts are idempotent (a replayed event changes nothing, an order's state
 * only moves forward), so the job's snapshots plus at-least-once delivery into MySQL give each
 * order exactly one row with its latest state. The dead letters the ledger hands back (those
 * that were never sale events, and rows MySQL refused) go on to {@code deadLetters}.
 */
public final class OrdersPipeline {

    /** Records per MySQL transaction, at most. */
    static final int MAX_BATCH = 512;

    private OrdersPipeline() {
    }

    public static Pipeline create(StreamSource<SourceRecord> events, ServiceFactory<?, Ledger> ledger, Sink<DeadLetter> deadLetters) {
        // Each Kafka partition's records stay on one path to one writer, in order: no edge may
        // hand records round-robin to another writer when one is stuck (a full queue is
        // skipped), or a partition's heartbeats would overtake its stuck records and the lag
        // would read healthy while orders wait. In order, a stuck writer holds back its
        // partitions' heartbeats too, and the lag shows it. Every stage then runs with the
        // source's parallelism: one reader and one writer per member, as each idle processor
        // costs CPU (four of each took 8% of a core more on an idle 2-core box), and one
        // writer's batches of up to 512 rows keep up with the purchase path.
        Pipeline pipeline = Pipeline.create().setPreserveOrder(true);
        pipeline.readFrom(events)
                .withoutTimestamps()
                .setLocalParallelism(1)
                .setName("sale events")
                .map(LedgerEntries::of)
                .setName("rows or dead letters")
                .mapUsingServiceAsyncBatched(ledger, MAX_BATCH, Ledger::write)
                .setName("write to MySQL")
                .writeTo(deadLetters);
        return pipeline;
    }
}
