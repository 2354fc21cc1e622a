package dev.flashsale.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * The API node's settings, loaded once at start-up and validated together: a bad start
 * fails with one message that names every missing or invalid key.
 *
 * <p>Sources, later ones winning: {@code application.properties} packaged from
 * {@code config/}, the file named by {@code FLASHSALE_SETTINGS}, then environment variables
 * ({@code http.port} is {@code FLASHSALE_HTTP_PORT}).
 */
public record Settings(
        String httpHost,
        int httpPort,
        String jwtSecret,
        String jwtIssuer,
        Duration tokenTtl,
        boolean demoEnabled,
        Duration replayWindow) {

    public static final String FILE_ENV = "FLASHSALE_SETTINGS";
    private static final int MIN_SECRET_LENGTH = 32;

    public static Settings load() {
        return load(System.getenv());
    }

    public static Settings load(Map<String, String> env) {
        Properties values = new Properties();
        try (InputStream defaults = Settings.class.getResourceAsStream("/application.properties")) {
            if (defaults != null) {
                values.load(defaults);
            }
            String file = env.get(FILE_ENV);
            if (file != null && !file.isBlank()) {
                try (InputStream in = Files.newInputStream(Path.of(file))) {
                    values.load(in);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read settings: " + e.getMessage(), e);
        }
        for (String key : values.stringPropertyNames()) {
            String override = env.get(envName(key));
            if (override != null) {
                values.setProperty(key, override);
            }
        }
        return new Reader(values).settings();
    }

    /** The environment variable that overrides {@code key}. */
    public static String envName(String key) {
        return "FLASHSALE_" + key.replace('.', '_').toUpperCase(Locale.ROOT);
    }

    /** Reads typed values and collects every problem before failing once. */
    private static final class Reader {
        private final Properties values;
        private final List<String> problems = new ArrayList<>();

        Reader(Properties values) {
            this.values = values;
        }

        Settings settings() {
            Settings settings = new Settings(
                    text("http.host"),
                    port("http.port"),
                    secret("auth.jwt.secret"),
                    text("auth.jwt.issuer"),
                    duration("auth.token.ttl"),
                    bool("demo.enabled"),
                    duration("purchase.replay.window"));
            if (!problems.isEmpty()) {
                throw new IllegalArgumentException("invalid settings:\n  " + String.join("\n  ", problems));
            }
            return settings;
        }

        private String raw(String key) {
            return values.getProperty(key, "").trim();
        }

        private String text(String key) {
            String value = raw(key);
            if (value.isEmpty()) {
                problems.add(key + " (" + envName(key) + ") is missing");
            }
            return value;
        }

        private String secret(String key) {
            String value = raw(key);
            if (value.length() < MIN_SECRET_LENGTH) {
                problems.add(key + " (" + envName(key) + ") must be at least " + MIN_SECRET_LENGTH + " characters");
            }
            return value;
        }

        private int port(String key) {
            try {
                int port = Integer.parseInt(raw(key));
                if (port >= 0 && port <= 65_535) {
                    return port;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            problems.add(key + " (" + envName(key) + ") must be a port number 0-65535, was '" + raw(key) + "'");
            return 0;
        }

        private boolean bool(String key) {
            String value = raw(key).toLowerCase(Locale.ROOT);
            if (!value.equals("true") && !value.equals("false")) {
                problems.add(key + " (" + envName(key) + ") must be true or false, was '" + raw(key) + "'");
            }
            return value.equals("true");
        }

        private Duration duration(String key) {
            try {
                Duration value = Duration.parse(raw(key));
                if (!value.isNegative() && !value.isZero()) {
                    return value;
                }
            } catch (DateTimeParseException e) {
                // reported below
            }
            problems.add(key + " (" + envName(key) + ") must be a positive ISO-8601 duration such as PT5M, was '" + raw(key) + "'");
            return Duration.ZERO;
        }
    }
}
