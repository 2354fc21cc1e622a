package dev.flashsale.grid;

import java.io.FileNotFoundException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.client.config.ClientClasspathYamlConfig;
import com.hazelcast.client.config.YamlClientConfigBuilder;
import com.hazelcast.config.ClasspathYamlConfig;
import com.hazelcast.config.Config;
import com.hazelcast.config.FileSystemYamlConfig;

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
        Config config = file == null || file.isBlank()
                ? new ClasspathYamlConfig(MEMBER_DEFAULTS)
                : fromFile(Path.of(file));
        return withSafetyProperties(config);
    }

    public static ClientConfig client() {
        return client(System.getenv());
    }

    public static ClientConfig client(Map<String, String> env) {
        String file = env.get(CLIENT_CONFIG_ENV);
        ClientConfig config = file == null || file.isBlank()
                ? new ClientClasspathYamlConfig(CLIENT_DEFAULTS)
                : clientFromFile(Path.of(file));
        config.setProperty("hazelcast.phone.home.enabled", "false");
        return config;
    }

    // A mounted configuration must not be able to switch these off by omission.
    private static Config withSafetyProperties(Config config) {
        config.setProperty("hazelcast.phone.home.enabled", "false");
        config.getJetConfig().setEnabled(true);
        return config;
    }

    private static Config fromFile(Path file) {
        try {
            return new FileSystemYamlConfig(file.toFile());
        } catch (FileNotFoundException e) {
            throw new IllegalArgumentException(MEMBER_CONFIG_ENV + " names a file that does not exist: " + file, e);
        }
    }

    private static ClientConfig clientFromFile(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(CLIENT_CONFIG_ENV + " names a file that does not exist: " + file);
        }
        try (var in = Files.newInputStream(file)) {
            return new YamlClientConfigBuilder(in).build();
        } catch (java.io.IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
