package dev.flashsale.api.purchase;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Order ids are derived, not drawn: the same shopper, sale and idempotency key always give
 * the same id, whichever API node the request or its retry reaches. That is what makes a
 * retried request find its first attempt in the grid.
 */
public final class OrderIds {

    private OrderIds() {
    }

    public static String of(String saleId, String shopperId, String idempotencyKey) {
        String name = saleId + '\n' + shopperId + '\n' + idempotencyKey;
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
    }
}
