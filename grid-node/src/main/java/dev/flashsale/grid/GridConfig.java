package dev.flashsale.grid;

import java.io.FileNotFoundException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.config.Config;
import com.hazelcast.config.ListenerConfig;
import com.hazelcast.config.MapConfig;
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

    static final String FAIL_ON_INDETERMINATE = "hazelcast.operation.fail.on.indeterminate.state";
    static final String CLIENT_FAIL_ON_INDETERMINATE = "hazelcast.client.operation.fail.on.indeterminate.state";

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
        // Whatever file ops mount: a write is never taken as done without its backups (see the
        // packaged file), which the split-brain guarantee and the purchase's answers rest on.
        config.setProperty(FAIL_ON_INDETERMINATE, "true");
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
     * For a cluster planned with 2 or more members, makes sure that no side of a network split
     * without a majority of them can sell, not even in the seconds before it notices the split:
     * <ul>
     *   <li>The {@value #MAJORITY} split-brain protection refuses writes to sales, stock and
     *       purchases unless a majority of the planned members was heard from within the last
     *       3 s; {@link SplitBrainWatch} has it evaluated every half second, so that the smaller
     *       side notices within about 3 s, and shoppers there get 503.</li>
     *   <li>Before it notices, a side can still answer a write only if the entry's owner and
     *       every one of its synchronous backups are on that side: a write waits for each
     *       backup's acknowledgement and, without one, fails as indeterminate (never as done).
     *       With at least {@code planned / 2} backups, owner and backups are more than half the
     *       planned members, so only a side with a majority can ever acknowledge a write. The
     *       smaller side's values are therefore never an acknowledged order that the larger side
     *       lacks, and the merge may keep the larger side's ({@code StockMergePolicy}).</li>
     * </ul>
     * With 2 planned members, a majority is both: a 2-member grid sells only while both are up.
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
        int backups = planned / 2;
        if (backups > MapConfig.MAX_BACKUP_COUNT) {
            throw new IllegalArgumentException(PLANNED_MEMBERS_ENV + " is " + planned + ": a write needs the acknowledgement of "
                    + backups + " backups to prove a majority, and Hazelcast keeps at most " + MapConfig.MAX_BACKUP_COUNT
                    + " (so at most " + (2 * MapConfig.MAX_BACKUP_COUNT + 1) + " members)");
        }
        if (planned >= 2) {
            config.addSplitBrainProtectionConfig(SplitBrainProtectionConfig
                    .newRecentlyActiveSplitBrainProtectionConfigBuilder(MAJORITY, planned / 2 + 1, HEARTBEAT_TOLERANCE_MILLIS)
                    .build()
                    .setProtectOn(SplitBrainProtectionOn.WRITE));
            for (String name : List.of(Maps.SALES, Maps.STOCK, Maps.PURCHASES)) {
                MapConfig map = config.getMapConfig(name);
                map.setSplitBrainProtectionName(MAJORITY);
                if (map.getBackupCount() < backups) {
                    map.setAsyncBackupCount(0).setBackupCount(backups);
                }
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
        config.setProperty(CLIENT_FAIL_ON_INDETERMINATE, "true");
        return config;
    }
}
