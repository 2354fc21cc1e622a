package dev.flashsale.pipelines.outbox;

import java.time.Instant;
import java.util.Map;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.jet.Util;
import com.hazelcast.jet.pipeline.ServiceFactories;
import com.hazelcast.jet.pipeline.ServiceFactory;
import com.hazelcast.map.EventJournalMapEvent;

import dev.flashsale.grid.Maps;
import dev.flashsale.stock.StockKey;

/**
 * The alarm of a stock journal that was overwritten before the outbox read it.
 *
 * <p>A bucket refuses reservations past its share of the journal ({@code JournalShare}), so
 * this cannot happen while that bound holds: if it ever does, reservation events may be gone,
 * and with them orders MySQL will never see. The member that serves the outbox's read marks
 * the first event after such a gap ({@link EventJournalMapEvent#isAfterLostEvents()}); the
 * outbox turns it into a marker record, and the outbox stage {@link #raiseIfLost} records the
 * partition in {@link Maps#JOURNAL_LOSSES}, where reconciliation shows it, and fails the job.
 * The job suspends with that cause, and every resume from its snapshot reads the same gap and
 * fails again: the event path stops loudly instead of going on with orders missing. Ops
 * replace the job to go on (cancel it; the next submission republishes the journal from its
 * oldest event), and the sale stays inconsistent in reconciliation.
 */
public final class JournalLoss {

    /** The key of the marker record; an order id is a UUID and a sale id never has a space, so no event has it. */
    static final String MARKER_KEY = "journal loss";

    private JournalLoss() {
    }

    /** The marker of lost events before {@code event}, naming the bucket it wrote. */
    static Map.Entry<String, String> marker(EventJournalMapEvent<StockKey, ?> event) {
        StockKey key = event.getKey();
        return Util.entry(MARKER_KEY, key.saleId() + '\n' + key.bucket() + '\n' + key.salt());
    }

    /** The map of alarms, on the member that runs the stage. */
    static ServiceFactory<?, HazelcastInstance> grid() {
        return ServiceFactories.sharedService(context -> context.hazelcastInstance());
    }

    /** {@code record} itself, unless it is the marker: then the alarm is recorded and the job fails. */
    static Map.Entry<String, String> raiseIfLost(HazelcastInstance grid, Map.Entry<String, String> record) {
        if (!MARKER_KEY.equals(record.getKey())) {
            return record;
        }
        String[] bucket = record.getValue().split("\n");
        StockKey key = new StockKey(bucket[0], Integer.parseInt(bucket[1]), Integer.parseInt(bucket[2]));
        int partition = grid.getPartitionService().getPartition(key).getPartitionId();
        String alarm = "events of the stock journal of partition " + partition + " were overwritten before the outbox read them,"
                + " found at a write of sale " + key.saleId() + " bucket " + key.bucket() + " at " + Instant.now();
        Maps.journalLosses(grid).putIfAbsent(partition, alarm);
        throw new IllegalStateException(alarm + "; reservation events may be lost: see reconciliation, then replace the outbox job");
    }
}
