package dev.flashsale.grid;

import java.io.FileNotFoundException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.config.Config;

/**
 * Loads the member and client configuration: the file named by {@code FLASHSALE_MEMBER_CONFIG}
 * / {@code FLASHSALE_CLIENT_CONFIG} if set, else the defaults packaged from {@code config/}.
 * Hazelcast then applies its own {@code HZ_*} / {@code HZCLIENT_*} environment overrides.
 */
public final class GridConfig {

    public static final String MEMBER_CONFIG_ENV = "FLASHSALE_MEMBER_CONFIG";
    public static final String CLIENT_CONFIG_ENV = "FLASHSALE_CLIENT_CONFIG";

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
