package dev.flashsale.pipelines;

import java.util.ArrayList;
import java.util.List;

/** What a test started, closed in the reverse order at the end, each whatever the others do. */
final class Parts implements AutoCloseable {

    private final List<AutoCloseable> parts = new ArrayList<>();

    <T extends AutoCloseable> T add(T part) {
        parts.add(part);
        return part;
    }

    @Override
    public void close() {
        for (int i = parts.size() - 1; i >= 0; i--) {
            try {
                parts.get(i).close();
            } catch (Exception e) {
                // going down anyway
            }
        }
        parts.clear();
    }
}
