package dev.flashsale.api.payments;

import java.math.BigDecimal;
import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonFormat;

/**
 * What the payment provider tells the platform about one payment, as the body of the signed
 * callback. {@code orderId}, {@code saleId} and {@code shopperId} are the reference the
 * checkout gave the provider; {@code paymentId} is the provider's own, unique per payment.
 */
public record PaymentNotification(
        String paymentId,
        String orderId,
        String saleId,
        String shopperId,
        @JsonFormat(shape = JsonFormat.Shape.STRING) BigDecimal amount,
        Instant paidAt) {
}
