package dev.flashsale.pipelines;

import com.hazelcast.core.EntryEventType;
import com.hazelcast.map.EventJournalMapEvent;

/** A journal event as a member hands it to the outbox's projections, for tests. */
public record Journaled<K, V>(K getKey, V getOldValue, V getNewValue, EntryEventType getType, boolean isAfterLostEvents)
        implements EventJournalMapEvent<K, V> {

    public static <K, V> Journaled<K, V> written(K key, V value) {
        return new Journaled<>(key, null, value, EntryEventType.UPDATED, false);
    }

    /** The first event a reader gets after the journal overwrote events it had not read. */
    public static <K, V> Journaled<K, V> afterLostEvents(K key, V value) {
        return new Journaled<>(key, null, value, EntryEventType.UPDATED, true);
    }
}
