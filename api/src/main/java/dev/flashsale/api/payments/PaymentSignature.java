package dev.flashsale.api.payments;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The signature a payment provider puts on a notification, in the {@value #HEADER} header:
 * {@code t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">}, with the secret the
 * platform and the provider share. The time is signed with the body, and one older or newer
 * than the tolerance is refused: a notification captured on the way cannot be replayed later.
 * (Within the tolerance a replay is harmless: a payment applies once, by its id.)
 */
public final class PaymentSignature {

    public static final String HEADER = "Payment-Signature";
    private static final String ALGORITHM = "HmacSHA256";

    /** What a notification's signature turned out to be. */
    public enum Verdict { VALID, MISSING, MALFORMED, WRONG, STALE }

    private final SecretKeySpec key;
    private final long toleranceSeconds;
    private final Clock clock;

    public PaymentSignature(String secret, Duration tolerance, Clock clock) {
        this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM);
        this.toleranceSeconds = tolerance.toSeconds();
        this.clock = clock;
    }

    /** The header value that signs {@code body} as sent at {@code unixSeconds}. */
    public String sign(byte[] body, long unixSeconds) {
        return "t=" + unixSeconds + ",v1=" + HexFormat.of().formatHex(mac(unixSeconds, body));
    }

    /** The header value that signs {@code body} as sent now. */
    public String signNow(byte[] body) {
        return sign(body, clock.instant().getEpochSecond());
    }

    public Verdict verify(String header, byte[] body) {
        if (header == null || header.isBlank()) {
            return Verdict.MISSING;
        }
        Long sentAt = null;
        byte[] signature = null;
        for (String part : header.split(",", 8)) {
            String[] pair = part.trim().split("=", 2);
            if (pair.length != 2) {
                return Verdict.MALFORMED;
            }
            try {
                if (pair[0].equals("t") && pair[1].matches("[0-9]{1,12}")) {
                    sentAt = Long.parseLong(pair[1]);
                } else if (pair[0].equals("v1") && pair[1].length() == 64) {
                    signature = HexFormat.of().parseHex(pair[1]);
                }
            } catch (IllegalArgumentException e) {
                return Verdict.MALFORMED;
            }
        }
        if (sentAt == null || signature == null) {
            return Verdict.MALFORMED;
        }
        // Compared in constant time, and before the time: a wrong signature says nothing about the clock.
        if (!MessageDigest.isEqual(signature, mac(sentAt, body))) {
            return Verdict.WRONG;
        }
        return Math.abs(clock.instant().getEpochSecond() - sentAt) > toleranceSeconds ? Verdict.STALE : Verdict.VALID;
    }

    private byte[] mac(long unixSeconds, byte[] body) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            mac.update((unixSeconds + ".").getBytes(StandardCharsets.US_ASCII));
            return mac.doFinal(body);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HMAC-SHA256 is part of every JDK", e);
        }
    }
}
