package dev.flashsale.grid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.AbstractMap.SimpleEntry;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.hazelcast.config.CompactSerializationConfig;
import com.hazelcast.config.CompactSerializationConfigAccessor;
import com.hazelcast.config.Config;
import com.hazelcast.config.IndexConfig;
import com.hazelcast.config.IndexType;
import com.hazelcast.config.MapConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.internal.serialization.SerializationService;
import com.hazelcast.test.Accessors;

import dev.flashsale.stock.FenceBucket;
import dev.flashsale.stock.RecordProgress;
import dev.flashsale.stock.ReserveStock;
import dev.flashsale.stock.StockBucket;
import dev.flashsale.stock.StockKey;

class GridConfigTest {

    @AfterEach
    void clearOverrides() {
        System.clearProperty("hz.cluster-name");
        System.clearProperty("hz-client.cluster-name");
    }

    @Test
    void packagedDefaultsKeepEverythingOnLoopbackAndPhoneHomeOff() {
        var member = GridConfig.member(Map.of());
        var client = GridConfig.client(Map.of());

        assertThat(member.getClusterName()).isEqualTo("flashsale");
        assertThat(member.getProperty("hazelcast.phone.home.enabled")).isEqualTo("false");
        assertThat(member.getJetConfig().isEnabled()).isTrue();
        assertThat(member.getNetworkConfig().getJoin().getMulticastConfig().isEnabled()).isFalse();
        assertThat(member.getMapConfig("stock").getBackupCount()).isEqualTo(1);
        assertThat(client.getProperty("hazelcast.phone.home.enabled")).isEqualTo("false");
        assertThat(client.getNetworkConfig().isRedoOperation()).isFalse();
        assertThat(member.getMapConfig("stock").getEventJournalConfig().isEnabled()).isTrue();
    }

    /**
     * The grid types travel between clients and members in Compact form: both sides must
     * register the same classes and serializers, or a client reads a member's answer with
     * another schema (or with none). The two YAML files keep two lists; this keeps them one.
     */
    @Test
    void memberAndClientRegisterTheSameCompactClassesAndSerializers() {
        CompactSerializationConfig member = GridConfig.member(Map.of()).getSerializationConfig().getCompactSerializationConfig();
        CompactSerializationConfig client = GridConfig.client(Map.of()).getSerializationConfig().getCompactSerializationConfig();

        assertThat(CompactSerializationConfigAccessor.getCompactSerializableClassNames(client))
                .isNotEmpty()
                .containsExactlyInAnyOrderElementsOf(CompactSerializationConfigAccessor.getCompactSerializableClassNames(member));
        assertThat(CompactSerializationConfigAccessor.getSerializerClassNames(client))
                .containsExactlyInAnyOrderElementsOf(CompactSerializationConfigAccessor.getSerializerClassNames(member));
    }

    /**
     * Everything a bucket's processors decide on must be in its serialized form, or a copy (a
     * migration, a promoted backup, the journal's) answers differently from the owner. This
     * fails if a field is ever kept out of it (transient, or dropped by a custom serializer).
     */
    @Test
    void aBucketSurvivesSerializationWhole() {
        HazelcastInstance member = Hazelcast.newHazelcastInstance(aloneOnLoopback());
        try {
            SerializationService serialization = Accessors.getSerializationService(member);
            Map.Entry<StockKey, StockBucket> entry = new SimpleEntry<>(new StockKey("sale-1", 0, 0), StockBucket.withStock(10));
            new ReserveStock("order-1", "alice", 2, BigDecimal.ONE, 1_000, 2_000, 3_000)
                    .process(entry, UUID.randomUUID(), Long.MAX_VALUE);
            new FenceBucket(3_000).process(entry, Long.MAX_VALUE);
            new ReserveStock("order-2", "bob", 1, BigDecimal.ONE, 1_000, 2_000, 4_000).process(entry, UUID.randomUUID(), Long.MAX_VALUE);
            new RecordProgress(3, 1, 1_000).process(entry);

            StockBucket copy = serialization.toObject(serialization.toData(entry.getValue()));

            assertThat(copy).isEqualTo(entry.getValue()).usingRecursiveComparison().isEqualTo(entry.getValue());
        } finally {
            member.getLifecycleService().terminate();
        }
    }

    @Test
    void aMemberRefusesAnIndexOnStock() {
        Config config = GridConfig.member(Map.of());
        config.getMapConfig(Maps.STOCK).addIndexConfig(new IndexConfig(IndexType.HASH, "stock"));

        assertThatThrownBy(() -> GridConfig.refuseIndexOnStock(config))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must have no index");
    }

    @Test
    void hazelcastOverridesApplyOnTopOfThePackagedFiles() {
        System.setProperty("hz.cluster-name", "overridden");
        System.setProperty("hz-client.cluster-name", "overridden-client");

        assertThat(GridConfig.member(Map.of()).getClusterName()).isEqualTo("overridden");
        assertThat(GridConfig.client(Map.of()).getClusterName()).isEqualTo("overridden-client");
    }

    @Test
    void aMissingConfigFileIsNamed() {
        assertThatThrownBy(() -> GridConfig.member(Map.of(GridConfig.MEMBER_CONFIG_ENV, "/nowhere.yaml")))
                .hasMessageContaining("/nowhere.yaml");
        assertThatThrownBy(() -> GridConfig.client(Map.of(GridConfig.CLIENT_CONFIG_ENV, "/nowhere.yaml")))
                .hasMessageContaining("/nowhere.yaml");
    }

    /**
     * Only a side with a majority of the planned members may ever acknowledge a write: the owner
     * and its synchronous backups, all of whose acknowledgements a write waits for, must be more
     * than half of them.
     */
    @Test
    void theProtectedMapsKeepEnoughBackupsThatOnlyAMajorityCanAcknowledgeAWrite() {
        for (int planned = 2; planned <= 13; planned++) {
            Config config = GridConfig.member(Map.of(GridConfig.PLANNED_MEMBERS_ENV, String.valueOf(planned)));
            for (String map : List.of(Maps.SALES, Maps.STOCK, Maps.PURCHASES)) {
                MapConfig mapConfig = config.getMapConfig(map);
                assertThat(mapConfig.getSplitBrainProtectionName()).isEqualTo(GridConfig.MAJORITY);
                assertThat(2 * (1 + mapConfig.getBackupCount())).as(map + " with " + planned + " planned").isGreaterThan(planned);
            }
            assertThat(config.getSplitBrainProtectionConfig(GridConfig.MAJORITY).getMinimumClusterSize()).isEqualTo(planned / 2 + 1);
        }
        assertThat(GridConfig.member(Map.of()).getMapConfig(Maps.STOCK).getBackupCount()).isEqualTo(1);
        // (and whatever file is mounted, no write is taken as done without its backups)
        assertThat(GridConfig.member(Map.of()).getProperty(GridConfig.FAIL_ON_INDETERMINATE)).isEqualTo("true");
        assertThat(GridConfig.client(Map.of()).getProperty(GridConfig.CLIENT_FAIL_ON_INDETERMINATE)).isEqualTo("true");
        assertThatThrownBy(() -> GridConfig.member(Map.of(GridConfig.PLANNED_MEMBERS_ENV, "14")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most 13 members");
    }

    private static Config aloneOnLoopback() {
        Config config = GridConfig.member(Map.of());
        config.setClusterName("grid-config-test-" + UUID.randomUUID());
        config.getNetworkConfig().setPort(5901).setPortAutoIncrement(true);
        config.getJetConfig().setEnabled(false);
        return config;
    }
}
