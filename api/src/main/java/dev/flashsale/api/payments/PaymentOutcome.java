package dev.flashsale.api.payments;

/** The one answer to a payment notification. */
public sealed interface PaymentOutcome {

    /** The order is paid by this payment (now, or by this same notification before). */
    record Paid(String orderId) implements PaymentOutcome {
    }

    /** The payment bought nothing, and is recorded as a refund due, for {@code reason}. */
    record RefundDue(String orderId, String reason) implements PaymentOutcome {
    }

    /** The order's purchase is still being settled: nothing recorded; the provider should send it again shortly. */
    record Pending(String orderId) implements PaymentOutcome {
    }

    /** The notification was refused: its signature, its time or its content ({@code code} says which). */
    record Refused(int status, String code, String message) implements PaymentOutcome {
    }
}
