package dev.flashsale.bench.micro;

import java.util.Map;
import java.util.UUID;

import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.internal.serialization.SerializationService;
import com.hazelcast.spi.impl.SerializationServiceSupport;

import dev.flashsale.grid.GridConfig;
import dev.flashsale.grid.JvmDefaults;

/**
 * One grid member with the shop's packaged member configuration, alone on 127.0.0.1: a
 * cluster name of its own and no join, so it neither finds nor waits for another member, and
 * no Jet, which serialization does not need. Its serialization service is the one every
 * member uses, Compact schemas included.
 */
final class LoneMember {

    private LoneMember() {
    }

    static HazelcastInstance start() {
        JvmDefaults.apply();
        Config config = GridConfig.member(Map.of()).setClusterName("flashsale-micro-" + UUID.randomUUID());
        config.getJetConfig().setEnabled(false);
        config.getNetworkConfig().getJoin().getTcpIpConfig().setEnabled(false);
        return Hazelcast.newHazelcastInstance(config);
    }

    static SerializationService serialization(HazelcastInstance member) {
        return ((SerializationServiceSupport) member).getSerializationService();
    }
}
