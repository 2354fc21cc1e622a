package dev.flashsale.pipelines;

import java.util.Map;

import com.hazelcast.jet.pipeline.Pipeline;
import com.hazelcast.jet.pipeline.Sink;
import com.hazelcast.jet.pipeline.StreamSource;
import com.hazelcast.jet.pipeline.StreamStage;

/**
 * Kafka → MySQL: writes every sale event into its table. The sinks are idempotent upserts
 * (a replayed event changes nothing, an order's state only moves forward), so the job's
 * snapshots plus at-least-once delivery into MySQL give each order exactly one row with its
 * latest state.
 */
public final class OrdersPipeline {

    private OrdersPipeline() {
    }

    public static Pipeline create(StreamSource<Map.Entry<String, String>> events, Sink<OrderRow> orders, Sink<SaleRow> sales) {
        Pipeline pipeline = Pipeline.create();
        StreamStage<Map<String, Object>> parsed = pipeline.readFrom(events)
                .withoutTimestamps()
                .setName("sale events")
                .map(record -> SaleEvents.parse(record.getValue()))
                .setName("parse");
        parsed.filter(event -> SaleEvents.ORDER_RESERVED.equals(event.get("type")))
                .setName(SaleEvents.ORDER_RESERVED)
                .map(OrderRow::reserved)
                .setName("order row")
                .writeTo(orders);
        parsed.filter(event -> SaleEvents.SALE_SCHEDULED.equals(event.get("type")))
                .setName(SaleEvents.SALE_SCHEDULED)
                .map(SaleRow::scheduled)
                .setName("sale row")
                .writeTo(sales);
        return pipeline;
    }
}
