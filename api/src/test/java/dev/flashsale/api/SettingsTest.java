package dev.flashsale.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

class SettingsTest {

    private static final String SECRET = "0123456789abcdef0123456789abcdef";
    private static final String PAYMENT_SECRET = "fedcba9876543210fedcba9876543210";

    @Test
    void environmentOverridesThePackagedDefaults() {
        Settings settings = Settings.load(Map.of(
                "FLASHSALE_AUTH_JWT_SECRET", SECRET,
                "FLASHSALE_PAYMENTS_SECRET", PAYMENT_SECRET,
                "FLASHSALE_HTTP_PORT", "9090",
                "FLASHSALE_AUTH_TOKEN_TTL", "PT10M"));

        assertThat(settings.httpPort()).isEqualTo(9090);
        assertThat(settings.httpHost()).isEqualTo("0.0.0.0");
        assertThat(settings.tokenTtl()).isEqualTo(Duration.ofMinutes(10));
        assertThat(settings.demoEnabled()).isFalse();
        assertThat(settings.hasMysql()).isFalse();
    }

    @Test
    void aBadStartNamesEveryProblemAtOnce() {
        assertThatThrownBy(() -> Settings.load(Map.of(
                "FLASHSALE_HTTP_PORT", "eighty",
                "FLASHSALE_DEMO_ENABLED", "yes")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("http.port (FLASHSALE_HTTP_PORT) must be a port number")
                .hasMessageContaining("auth.jwt.secret (FLASHSALE_AUTH_JWT_SECRET) must be at least 32 characters")
                .hasMessageContaining("demo.enabled (FLASHSALE_DEMO_ENABLED) must be true or false");
    }
}
