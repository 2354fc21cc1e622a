package dev.flashsale.sale;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * What the platform's records can hold: the columns of MySQL's {@code sales} and
 * {@code orders} tables (config/db/migration), and the business bounds kept within them.
 *
 * <p>Invariant: whatever the edge accepts, MySQL can store. The API refuses anything beyond
 * these bounds with a 4xx; the orders job sends anything beyond them that still reaches it
 * (a record written by another producer, an older version) to the dead letters instead of
 * retrying it forever. {@code MysqlLedgerTest} writes every bound into a real MariaDB and one
 * step beyond it, so the two cannot drift apart.
 */
public final class Limits {

    /** {@code sales.sale_id VARCHAR(64)}. */
    public static final int SALE_ID_LENGTH = 64;
    /** {@code sales.name VARCHAR(200)}, in characters (code points), as MySQL counts them. */
    public static final int SALE_NAME_LENGTH = 200;
    /** {@code orders.order_id CHAR(36)}: the API derives order ids as UUIDs. */
    public static final int ORDER_ID_LENGTH = 36;
    /** {@code orders.shopper_id VARCHAR(128)}: the subject of a shopper's token. */
    public static final int SHOPPER_ID_LENGTH = 128;
    /** {@code orders.payment_id} and {@code refunds_due.payment_id VARCHAR(128)}: the provider's id of a payment. */
    public static final int PAYMENT_ID_LENGTH = 128;
    /** {@code DECIMAL(12,2)}: prices and unit prices. */
    public static final int PRICE_SCALE = 2;
    public static final BigDecimal MAX_PRICE = new BigDecimal("9999999999.99");
    public static final int MAX_STOCK = 10_000_000;
    public static final int MAX_QUANTITY = 100;
    public static final int MAX_PER_SHOPPER_LIMIT = 100;
    public static final int MAX_BUCKETS = 256;
    /** {@code DATETIME(3)} holds 1000-01-01 to 9999-12-31 23:59:59.999 (UTC here). */
    public static final Instant EARLIEST_TIME = Instant.parse("1000-01-01T00:00:00Z");
    public static final Instant LATEST_TIME = Instant.parse("9999-12-31T23:59:59.999Z");

    private Limits() {
    }

    /**
     * Text a {@code VARCHAR(maxLength)} column stores as sent: 1 to {@code maxLength}
     * characters, and well-formed UTF-16 (a lone surrogate would be stored as '?', a different
     * value, without any error).
     */
    public static boolean isStorableText(String text, int maxLength) {
        return check(text, maxLength, false);
    }

    /** Storable text that a person could read: no control characters, not only blanks. */
    public static boolean isPrintableText(String text, int maxLength) {
        return check(text, maxLength, true);
    }

    // One pass, no allocation: a token's subject is checked on every request.
    private static boolean check(String text, int maxLength, boolean printable) {
        if (text == null || text.isEmpty() || text.length() > 2 * maxLength) {
            return false;
        }
        int characters = 0;
        boolean blank = true;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 == text.length() || !Character.isLowSurrogate(text.charAt(i + 1))) {
                    return false;
                }
                i++;
                blank = false;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            } else if (printable && Character.isISOControl(c)) {
                return false;
            } else if (blank && !Character.isWhitespace(c)) {
                blank = false;
            }
            characters++;
        }
        return characters <= maxLength && !(printable && blank);
    }

    /** What a price must be, for error messages. */
    public static final String PRICE_RULE = "0 to " + MAX_PRICE.toPlainString() + ", with at most " + PRICE_SCALE + " decimals";

    /** A price {@code DECIMAL(12,2)} stores exactly: 0 to {@link #MAX_PRICE}, at most 2 decimals. */
    public static boolean isPrice(BigDecimal price) {
        return price != null && price.signum() >= 0 && price.scale() <= PRICE_SCALE && price.compareTo(MAX_PRICE) <= 0;
    }

    /** An instant a {@code DATETIME(3)} column stores, at millisecond precision. */
    public static boolean isStorableTime(Instant instant) {
        return instant != null && !instant.isBefore(EARLIEST_TIME) && !instant.isAfter(LATEST_TIME);
    }
}
