package dev.flashsale.grid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.hazelcast.config.CompactSerializationConfig;
import com.hazelcast.config.CompactSerializationConfigAccessor;

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
                .isNotEmpty()
                .containsExactlyInAnyOrderElementsOf(CompactSerializationConfigAccessor.getSerializerClassNames(member));
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
}
