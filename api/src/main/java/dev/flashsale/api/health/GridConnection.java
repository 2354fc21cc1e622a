package dev.flashsale.api.health;

import java.util.concurrent.atomic.AtomicBoolean;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.LifecycleEvent.LifecycleState;

/** Whether this API node's client is connected to the grid, kept by the client's lifecycle events. */
public final class GridConnection {

    private final AtomicBoolean connected;

    public GridConnection(HazelcastInstance client) {
        this.connected = new AtomicBoolean(client.getLifecycleService().isRunning());
        client.getLifecycleService().addLifecycleListener(event -> {
            if (event.getState() == LifecycleState.CLIENT_CONNECTED) {
                connected.set(true);
            } else if (event.getState() == LifecycleState.CLIENT_DISCONNECTED
                    || event.getState() == LifecycleState.SHUTTING_DOWN
                    || event.getState() == LifecycleState.SHUTDOWN) {
                connected.set(false);
            }
        });
    }

    public boolean isConnected() {
        return connected.get();
    }
}
