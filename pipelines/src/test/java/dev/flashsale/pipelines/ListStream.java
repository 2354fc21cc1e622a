package dev.flashsale.pipelines;

import java.util.ArrayDeque;
import java.util.List;

import com.hazelcast.jet.pipeline.SourceBuilder;
import com.hazelcast.jet.pipeline.StreamSource;

/** A stream source for one-JVM pipeline tests: emits the given (serializable) items once, in order, then waits. */
public final class ListStream {

    private ListStream() {
    }

    public static <T> StreamSource<T> of(String name, List<T> items) {
        List<T> copy = List.copyOf(items);
        return SourceBuilder.stream(name, context -> new ArrayDeque<>(copy))
                .<T>fillBufferFn((queue, buffer) -> {
                    T next = queue.poll();
                    if (next != null) {
                        buffer.add(next);
                    }
                })
                .build();
    }
}
