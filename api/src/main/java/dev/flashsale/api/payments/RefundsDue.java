package dev.flashsale.api.payments;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

import javax.sql.DataSource;

/**
 * Payments that bought nothing, in MySQL's {@code refunds_due}: written before the callback
 * answers the provider, once per payment id (a notification sent again finds its row). Blocking.
 */
public final class RefundsDue {

    private static final String INSERT = """
            INSERT IGNORE INTO refunds_due (payment_id, order_id, sale_id, shopper_id, amount, reason, paid_at, recorded_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, UTC_TIMESTAMP(3))
            """;

    private final DataSource dataSource;

    public RefundsDue(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public void record(PaymentNotification payment, String reason) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(INSERT)) {
            statement.setString(1, payment.paymentId());
            statement.setString(2, payment.orderId());
            statement.setString(3, payment.saleId());
            statement.setString(4, payment.shopperId());
            statement.setBigDecimal(5, payment.amount());
            statement.setString(6, reason);
            statement.setObject(7, LocalDateTime.ofInstant(payment.paidAt(), ZoneOffset.UTC));
            statement.executeUpdate();
        }
    }
}
