package dev.flashsale.pipelines.outbox;

import java.util.Map;
import java.util.stream.IntStream;

import com.hazelcast.jet.Traversers;
import com.hazelcast.jet.pipeline.Pipeline;
import com.hazelcast.jet.pipeline.Sink;
import com.hazelcast.jet.pipeline.StreamSource;
import com.hazelcast.jet.pipeline.StreamStage;

/**
 * grid → Kafka: publishes the outbox, i.e. the reservations the stock journal recorded and the
 * sale changes the sales journal recorded, as sale events, and the event path's heartbeats to
 * each of the topic's {@code partitions}. With {@code EXACTLY_ONCE} and a transactional Kafka
 * sink, a restart or a member's death neither drops nor repeats a sale event. A stock journal
 * that was overwritten before it was read fails the job ({@link JournalLoss}).
 */
public final class OutboxPipeline {

    private OutboxPipeline() {
    }

    public static Pipeline create(StreamSource<Map.Entry<String, String>> reservations,
                                  StreamSource<Map.Entry<String, String>> saleChanges,
                                  StreamSource<Map.Entry<String, String>> heartbeats,
                                  int partitions,
                                  Sink<OutboxRecord> events) {
        // A bucket's events must reach Kafka in the order the bucket journaled them: an order's
        // end after its reservation, which MySQL moves out of RESERVED. Kept in order, each
        // journal partition's events stay on one path to one Kafka producer.
        Pipeline pipeline = Pipeline.create().setPreserveOrder(true);
        StreamStage<Map.Entry<String, String>> reserved = pipeline.readFrom(reservations)
                .withoutTimestamps()
                .setName("bucket events from the stock journal")
                .mapUsingService(JournalLoss.grid(), JournalLoss::raiseIfLost)
                .setName("fail on a gap in the stock journal");
        StreamStage<Map.Entry<String, String>> scheduled = pipeline.readFrom(saleChanges)
                .withoutTimestamps()
                .setName("sale.scheduled from the sales journal");
        StreamStage<OutboxRecord> saleEvents = reserved.merge(scheduled).setName("sale events")
                .map(event -> new OutboxRecord(null, event.getKey(), event.getValue()))
                .setName("keyed by order or sale");
        StreamStage<OutboxRecord> beats = pipeline.readFrom(heartbeats)
                .withoutTimestamps()
                .setName("heartbeats from the event-path journal")
                .flatMap(beat -> Traversers.traverseStream(IntStream.range(0, partitions)
                        .mapToObj(partition -> new OutboxRecord(partition, beat.getKey(), beat.getValue()))))
                .setName("one heartbeat per partition");
        saleEvents.merge(beats).setName("all records")
                .writeTo(events);
        return pipeline;
    }
}
