package dev.flashsale.grid;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;

/** Starts one grid member: {@code java -cp ... dev.flashsale.grid.GridMember}. */
public final class GridMember {

    private GridMember() {
    }

    public static void main(String[] args) {
        JvmDefaults.apply();
        start();
    }

    public static HazelcastInstance start() {
        return Hazelcast.newHazelcastInstance(GridConfig.member());
    }
}
