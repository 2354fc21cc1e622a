package dev.flashsale.settings;

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
 * Reads the platform's settings once, from three layers, later ones winning:
 * {@code application.properties} packaged from {@code config/}, the file named by
 * {@code FLASHSALE_SETTINGS}, then environment variables ({@code http.port} is
 * {@code FLASHSALE_HTTP_PORT}). Typed getters collect every problem; {@link #validate}
 * then fails once, naming them all.
 */
public final class SettingsReader {

    public static final String FILE_ENV = "FLASHSALE_SETTINGS";

    private final Properties values;
    private final List<String> problems = new ArrayList<>();

    private SettingsReader(Properties values) {
        this.values = values;
    }

    public static SettingsReader load(Map<String, String> env) {
        Properties values = new Properties();
        try (InputStream defaults = SettingsReader.class.getResourceAsStream("/application.properties")) {
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
        return new SettingsReader(values);
    }

    /** The environment variable that overrides {@code key}. */
    public static String envName(String key) {
        return "FLASHSALE_" + key.replace('.', '_').toUpperCase(Locale.ROOT);
    }

    /** Throws one exception naming every problem met by the getters so far. */
    public void validate(String what) {
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid " + what + " settings:\n  " + String.join("\n  ", problems));
        }
    }

    public String optional(String key) {
        return raw(key);
    }

    public String text(String key) {
        String value = raw(key);
        if (value.isEmpty()) {
            problem(key, "is missing");
        }
        return value;
    }

    public String secret(String key, int minLength) {
        String value = raw(key);
        if (value.length() < minLength) {
            problem(key, "must be at least " + minLength + " characters");
        }
        return value;
    }

    public int port(String key) {
        try {
            int port = Integer.parseInt(raw(key));
            if (port >= 0 && port <= 65_535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        problem(key, "must be a port number 0-65535, was '" + raw(key) + "'");
        return 0;
    }

    public int positive(String key) {
        try {
            int value = Integer.parseInt(raw(key));
            if (value > 0) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        problem(key, "must be a whole number above 0, was '" + raw(key) + "'");
        return 1;
    }

    public boolean bool(String key) {
        String value = raw(key).toLowerCase(Locale.ROOT);
        if (!value.equals("true") && !value.equals("false")) {
            problem(key, "must be true or false, was '" + raw(key) + "'");
        }
        return value.equals("true");
    }

    public Duration duration(String key) {
        try {
            Duration value = Duration.parse(raw(key));
            if (!value.isNegative() && !value.isZero()) {
                return value;
            }
        } catch (DateTimeParseException e) {
            // reported below
        }
        problem(key, "must be a positive ISO-8601 duration such as PT5M, was '" + raw(key) + "'");
        return Duration.ZERO;
    }

    private String raw(String key) {
        return values.getProperty(key, "").trim();
    }

    private void problem(String key, String what) {
        problems.add(key + " (" + envName(key) + ") " + what);
    }
}
