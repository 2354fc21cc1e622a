package dev.flashsale.grid;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.IntStream;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.instance.FirewallingNodeContext;
import com.hazelcast.instance.impl.HazelcastInstanceFactory;

/**
 * Real grid members for tests: the checked-in member configuration, TCP on 127.0.0.1, a
 * cluster name and port range of their own so that concurrent or leftover clusters never
 * join them.
 */
public final class LocalCluster implements AutoCloseable {

    private final String name = "flashsale-test-" + UUID.randomUUID();
    private final int basePort;
    private final int size;
    private final List<HazelcastInstance> members = new ArrayList<>();
    private final List<HazelcastInstance> clients = new ArrayList<>();
    private boolean packetFilters;

    private LocalCluster(int size) {
        this.size = size;
        this.basePort = freePortRange(size);
    }

    public static LocalCluster start(int size) {
        JvmDefaults.apply();
        LocalCluster cluster = new LocalCluster(size);
        for (int i = 0; i < size; i++) {
            cluster.members.add(Hazelcast.newHazelcastInstance(cluster.memberConfig(i)));
        }
        return cluster;
    }

    /**
     * As {@link #start}, with members whose outgoing packets a test can drop
     * ({@code PacketFiltersUtil}), on the same real TCP network.
     */
    public static LocalCluster startWithPacketFilters(int size) {
        JvmDefaults.apply();
        LocalCluster cluster = new LocalCluster(size);
        cluster.packetFilters = true;
        for (int i = 0; i < size; i++) {
            cluster.members.add(cluster.newMember(i));
        }
        return cluster;
    }

    /** Starts members on the places of those terminated, until the cluster has its size again. */
    public void refill() {
        Set<Integer> running = new HashSet<>();
        members.forEach(member -> running.add(member.getCluster().getLocalMember().getAddress().getPort()));
        for (int i = 0; i < size; i++) {
            if (!running.contains(basePort + i)) {
                members.add(newMember(i));
            }
        }
    }

    private HazelcastInstance newMember(int index) {
        Config config = memberConfig(index);
        return packetFilters
                ? HazelcastInstanceFactory.newHazelcastInstance(config, config.getInstanceName(), new FirewallingNodeContext())
                : Hazelcast.newHazelcastInstance(config);
    }

    public Config memberConfig(int index) {
        Config config = GridConfig.member(Map.of());
        config.setClusterName(name);
        config.setInstanceName(name + "-member-" + index);
        config.getNetworkConfig().setPort(basePort + index).setPortAutoIncrement(false);
        config.getNetworkConfig().getJoin().getTcpIpConfig().setMembers(addresses());
        return config;
    }

    public ClientConfig clientConfig() {
        ClientConfig config = GridConfig.client(Map.of());
        config.setClusterName(name);
        config.setInstanceName(name + "-client-" + clients.size());
        config.getNetworkConfig().setAddresses(addresses());
        return config;
    }

    public HazelcastInstance newClient() {
        HazelcastInstance client = HazelcastClient.newHazelcastClient(clientConfig());
        clients.add(client);
        return client;
    }

    public HazelcastInstance member(int index) {
        return members.get(index);
    }

    public List<HazelcastInstance> members() {
        return List.copyOf(members);
    }

    /** Kills a member the hard way: no graceful shutdown, no partition hand-over. */
    public void terminate(HazelcastInstance member) {
        member.getLifecycleService().terminate();
        members.remove(member);
    }

    @Override
    public void close() {
        clients.forEach(client -> client.getLifecycleService().terminate());
        members.forEach(member -> member.getLifecycleService().terminate());
    }

    private List<String> addresses() {
        return IntStream.range(0, size).mapToObj(i -> "127.0.0.1:" + (basePort + i)).toList();
    }

    private static int freePortRange(int size) {
        for (int attempt = 0; attempt < 100; attempt++) {
            int base = 20_000 + ThreadLocalRandom.current().nextInt(2_000) * 10;
            if (IntStream.range(0, size).allMatch(i -> isFree(base + i))) {
                return base;
            }
        }
        throw new IllegalStateException("no free port range for " + size + " members");
    }

    private static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
