package dev.flashsale.api;

import java.time.Duration;
import java.util.Map;

import dev.flashsale.settings.SettingsReader;

/**
 * The API node's settings, loaded once at start-up and validated together (see
 * {@link SettingsReader} for the layers). {@code mysqlUrl} is optional: without it the
 * reconciliation endpoint answers 503, and nothing settles, records refunds or confirms that
 * MySQL shows an order's final state. {@code paymentSecret} signs the payment provider's
 * notifications, which are refused when signed more than {@code paymentTolerance} away from now.
 */
public record Settings(
        String httpHost,
        int httpPort,
        String jwtSecret,
        String jwtIssuer,
        String jwtAudience,
        Duration tokenTtl,
        boolean demoEnabled,
        String mysqlUrl,
        String mysqlUser,
        String mysqlPassword,
        String paymentSecret,
        Duration paymentTolerance) {

    private static final int MIN_SECRET_LENGTH = 32;

    public static Settings load() {
        return load(System.getenv());
    }

    public static Settings load(Map<String, String> env) {
        SettingsReader reader = SettingsReader.load(env);
        Settings settings = new Settings(
                reader.text("http.host"),
                reader.port("http.port"),
                reader.secret("auth.jwt.secret", MIN_SECRET_LENGTH),
                reader.text("auth.jwt.issuer"),
                reader.text("auth.jwt.audience"),
                reader.duration("auth.token.ttl"),
                reader.bool("demo.enabled"),
                reader.optional("mysql.url"),
                reader.optional("mysql.user"),
                reader.optional("mysql.password"),
                reader.secret("payments.secret", MIN_SECRET_LENGTH),
                reader.duration("payments.signature.tolerance"));
        reader.validate("API");
        return settings;
    }

    public static String envName(String key) {
        return SettingsReader.envName(key);
    }

    public boolean hasMysql() {
        return !mysqlUrl.isEmpty();
    }
}
