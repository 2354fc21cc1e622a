package dev.flashsale.pipelines;

import java.util.Map;

import com.hazelcast.jet.pipeline.Pipeline;
import com.hazelcast.jet.pipeline.Sink;
import com.hazelcast.jet.pipeline.StreamSource;
import com.hazelcast.jet.pipeline.StreamStage;

/**
 * grid → Kafka: publishes the outbox, i.e. the reservations the stock journal recorded and the
 * sale changes the sales journal recorded, as sale events. With {@code EXACTLY_ONCE} and a
 * transactional Kafka sink, a restart or a member's death neither drops nor repeats one.
 */
public final class OutboxPipeline {

    private OutboxPipeline() {
    }

    public static Pipeline create(StreamSource<Map.Entry<String, String>> reservations,
                                  StreamSource<Map.Entry<String, String>> saleChanges,
                                  Sink<Map.Entry<String, String>> events) {
        Pipeline pipeline = Pipeline.create();
        StreamStage<Map.Entry<String, String>> reserved = pipeline.readFrom(reservations)
                .withoutTimestamps()
                .setName("order.reserved from the stock journal");
        StreamStage<Map.Entry<String, String>> scheduled = pipeline.readFrom(saleChanges)
                .withoutTimestamps()
                .setName("sale.scheduled from the sales journal");
        reserved.merge(scheduled).setName("all sale events")
                .writeTo(events);
        return pipeline;
    }
}
