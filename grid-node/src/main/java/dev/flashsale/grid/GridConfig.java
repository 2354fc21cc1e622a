package dev.flashsale.grid;

import java.io.FileNotFoundException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.config.Config;
import com.hazelcast.config.ListenerConfig;
import com.hazelcast.config.SplitBrainProtectionConfig;
import com.hazelcast.splitbrainprotection.SplitBrainProtectionOn;

/**
 * Loads the member and client configuration: the file named by {@code FLASHSALE_MEMBER_CONFIG}
 * / {@code FLASHSALE_CLIENT_CONFIG} if set, else the defaults packaged from {@code config/}.
 * Hazelcast then applies its own {@code HZ_*} / {@code HZCLIENT_*} environment overrides.
 */
public final class GridConfig {

    public static final String MEMBER_CONFIG_ENV = "FLASHSALE_MEMBER_CONFIG";
    public static final String CLIENT_CONFIG_ENV = "FLASHSALE_CLIENT_CONFIG";
    /** How many members the cluster is planned to have: writes need a majority of them. */
    public static final String PLANNED_MEMBERS_ENV = "FLASHSALE_GRID_MEMBERS";
    public static final String MAJORITY = "majority";
    /** A member not heard from for this long counts as gone (heartbeats come every second). */
    private static final int HEARTBEAT_TOLERANCE_MILLIS = 3_000;

    private static final String MEMBER_DEFAULTS = "hazelcast-member.yaml";
    private static final String CLIENT_DEFAULTS = "hazelcast-client.yaml";

    private GridConfig() {
    }

    public static Config member() {
        return member(System.getenv());
    }

    public static Config member(Map<String, String> env) {
        String file = env.get(MEMBER_CONFIG_ENV);
        Config config;
        if (file == null || file.isBlank()) {
            config = Config.loadFromClasspath(GridConfig.class.getClassLoader(), MEMBER_DEFAULTS);
        } else {
            try {
                config = Config.loadFromFile(Path.of(file).toFile());
            } catch (FileNotFoundException e) {
                throw new IllegalArgumentException(MEMBER_CONFIG_ENV + " names a file that does not exist: " + file, e);
            }
        }
        config.setProperty("hazelcast.phone.home.enabled", "false");
        config.getJetConfig().setEnabled(true);
        refuseIndexOnStock(config);
        protectAgainstSplitBrain(config, env.get(PLANNED_MEMBERS_ENV));
        return config;
    }

    /**
     * With OBJECT format, an index on a map makes Hazelcast hand each entry processor a clone
     * of the value instead of the value itself. A bucket's processors are correct either way
     * (everything they decide on is serialized), but every purchase would pay for a copy, and
     * an index on stock serves no query: refuse the configuration rather than run slow.
     */
    static void refuseIndexOnStock(Config config) {
        if (!config.findMapConfig(Maps.STOCK).getIndexConfigs().isEmpty()) {
            throw new IllegalArgumentException("the " + Maps.STOCK + " map must have no index: "
                    + "each purchase's entry processor would work on a copy of its bucket");
        }
    }

    /**
     * Turns the {@value #MAJORITY} split-brain protection on for a cluster planned with 3 or
     * more members, requiring a majority of them: on the smaller side of a split, writes to
     * sales, stock and purchases are refused, and shoppers there get 503. {@link SplitBrainWatch}
     * has the protection evaluated every half second, so that the smaller side notices.
     */
    static void protectAgainstSplitBrain(Config config, String plannedMembers) {
        if (plannedMembers == null || plannedMembers.isBlank()) {
            return;
        }
        int planned;
        try {
            planned = Integer.parseInt(plannedMembers.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(PLANNED_MEMBERS_ENV + " must be a whole number of members, not " + plannedMembers);
        }
        if (planned < 1) {
            throw new IllegalArgumentException(PLANNED_MEMBERS_ENV + " must be at least 1, not " + planned);
        }
        if (planned >= 3) {
            config.addSplitBrainProtectionConfig(SplitBrainProtectionConfig
                    .newRecentlyActiveSplitBrainProtectionConfigBuilder(MAJORITY, planned / 2 + 1, HEARTBEAT_TOLERANCE_MILLIS)
                    .build()
                    .setProtectOn(SplitBrainProtectionOn.WRITE));
            for (String map : List.of(Maps.SALES, Maps.STOCK, Maps.PURCHASES)) {
                config.getMapConfig(map).setSplitBrainProtectionName(MAJORITY);
            }
            config.addListenerConfig(new ListenerConfig(new SplitBrainWatch(planned)));
        }
    }

    public static ClientConfig client() {
        return client(System.getenv());
    }

    public static ClientConfig client(Map<String, String> env) {
        String file = env.get(CLIENT_CONFIG_ENV);
        if (file != null && !file.isBlank() && !Files.isRegularFile(Path.of(file))) {
            throw new IllegalArgumentException(CLIENT_CONFIG_ENV + " names a file that does not exist: " + file);
        }
        // ClientConfig.load() is the one client loader that applies HZCLIENT_* overrides; it
        // reads the location from this system property.
        System.setProperty("hazelcast.client.config",
                file == null || file.isBlank() ? "classpath:" + CLIENT_DEFAULTS : file);
        ClientConfig config = ClientConfig.load();
        config.setProperty("hazelcast.phone.home.enabled", "false");
        return config;
    }
}
