package dev.flashsale.grid;

import java.util.concurrent.TimeUnit;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import com.hazelcast.core.LifecycleEvent;
import com.hazelcast.core.LifecycleListener;
import com.hazelcast.instance.impl.HazelcastInstanceImpl;
import com.hazelcast.instance.impl.HazelcastInstanceProxy;
import com.hazelcast.instance.impl.Node;

/**
 * Makes the recently-active split-brain protection notice a split on its own side within its
 * tolerance, not only once the members are removed.
 *
 * <p>Hazelcast evaluates that protection again only when membership changes or a heartbeat
 * arrives. On the smaller side of a real split no heartbeat arrives at all: the protection kept
 * answering "majority present", and the side kept taking writes, until it removed the silent
 * members ({@code hazelcast.max.no.heartbeat.seconds}, 11 to 15 s measured in the test of a
 * real split). This member re-evaluates it every {@value #PERIOD_MILLIS} ms, as a heartbeat of
 * its own would, so the side refuses writes about 3 s after it last heard from the others.
 *
 * <p>It also says, at error level, when the cluster has more members than planned: the
 * protection needs a majority of the planned size, so a split of a larger cluster can leave
 * both sides with that many, and both would sell.
 *
 * <p>It reaches into Hazelcast's internals (the version is pinned): the protection service has
 * no public way to be asked again.
 */
public final class SplitBrainWatch implements LifecycleListener, HazelcastInstanceAware {

    static final long PERIOD_MILLIS = 500;
    private static final String EXECUTOR = "flashsale:split-brain-watch";

    private final int planned;
    private volatile HazelcastInstance instance;
    private volatile boolean overPlan;

    /** For a cluster planned with {@code planned} members. */
    public SplitBrainWatch(int planned) {
        this.planned = planned;
    }

    @Override
    public void setHazelcastInstance(HazelcastInstance hazelcastInstance) {
        this.instance = hazelcastInstance;
    }

    @Override
    public void stateChanged(LifecycleEvent event) {
        if (event.getState() == LifecycleEvent.LifecycleState.STARTED) {
            Node node = nodeOf(instance);
            node.getNodeEngine().getExecutionService().scheduleWithRepetition(EXECUTOR, () -> watch(node),
                    PERIOD_MILLIS, PERIOD_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    private void watch(Node node) {
        node.getNodeEngine().getSplitBrainProtectionService().onHeartbeat(node.getLocalMember(), node.getClusterService().getClusterTime());
        int members = node.getClusterService().getSize();
        if (members > planned && !overPlan) {
            node.getLogger(SplitBrainWatch.class).severe("the cluster has " + members + " members but was planned with " + planned
                    + " (FLASHSALE_GRID_MEMBERS): a network split can leave both sides with a majority of " + planned
                    + ", and both would sell; set FLASHSALE_GRID_MEMBERS to the cluster's size on every member");
        }
        overPlan = members > planned;
    }

    private static Node nodeOf(HazelcastInstance instance) {
        if (instance instanceof HazelcastInstanceProxy proxy) {
            return proxy.getOriginal().node;
        }
        return ((HazelcastInstanceImpl) instance).node;
    }
}
