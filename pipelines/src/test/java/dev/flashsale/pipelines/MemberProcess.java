package dev.flashsale.pipelines;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;

import dev.flashsale.grid.GridConfig;
import dev.flashsale.grid.JvmDefaults;

/**
 * A grid member in a JVM of its own, so that a test can kill it with SIGKILL. Arguments:
 * cluster name, this member's host and port, every member's address (comma-separated). It
 * runs the shop's member configuration, planned as a cluster of as many members as listed.
 * A member on a loopback address of its own (127.0.0.2, ...) binds every connection it opens
 * to it as well, so that a test can cut members apart by address; after a split, the sides
 * merge 5 s after they see each other again instead of the configured 30.
 */
final class MemberProcess {

    private static final List<String> JVM_FLAGS = List.of("-Xmx768m",
            "--add-modules", "java.se", "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED",
            "--add-opens", "java.base/java.lang=ALL-UNNAMED", "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens", "java.management/sun.management=ALL-UNNAMED",
            "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED");

    private MemberProcess() {
    }

    public static void main(String[] args) {
        JvmDefaults.apply();
        String host = args[1];
        int port = Integer.parseInt(args[2]);
        List<String> members = List.of(args[3].split(","));
        Config config = GridConfig.member(Map.of(GridConfig.PLANNED_MEMBERS_ENV, String.valueOf(members.size())));
        config.setClusterName(args[0]);
        config.getNetworkConfig().setPort(port).setPortAutoIncrement(false).setPublicAddress(host + ":" + port);
        // the whole of 127.0.0.0/8 is this machine's, but only 127.0.0.1 is an interface's address
        config.getNetworkConfig().getInterfaces().setEnabled(false);
        config.setProperty("hazelcast.local.localAddress", host);
        config.getNetworkConfig().getJoin().getTcpIpConfig().setMembers(members);
        config.setProperty("hazelcast.socket.bind.any", "false");
        config.setProperty("hazelcast.socket.client.bind.any", "false");
        config.setProperty("hazelcast.merge.first.run.delay.seconds", "5");
        config.setProperty("hazelcast.merge.next.run.delay.seconds", "5");
        Hazelcast.newHazelcastInstance(config);
    }

    /** Starts member {@code port} of the cluster on 127.0.0.1; its output goes to {@code log}. */
    static Process start(String cluster, int port, List<String> members, Path log) throws IOException {
        return start(cluster, "127.0.0.1", port, members, log);
    }

    /** Starts member {@code host:port} of the cluster; its output goes to {@code log}. */
    static Process start(String cluster, String host, int port, List<String> members, Path log) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JVM_FLAGS);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), MemberProcess.class.getName(),
                cluster, host, String.valueOf(port), String.join(",", members)));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
    }
}
