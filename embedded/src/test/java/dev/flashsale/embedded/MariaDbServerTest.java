package dev.flashsale.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 3, unit = TimeUnit.MINUTES)
class MariaDbServerTest {

    @TempDir
    Path dir;

    @Test
    void rows_survive_a_restart_with_binlog_on_and_passwords_enforced() throws SQLException {
        // given a server with a database and a table with rows, written by the application user
        try (MariaDbServer mysql = MariaDbServer.start(dir.resolve("mysql"))) {
            mysql.createDatabase("shop");
            try (Connection connection = connect(mysql); Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE orders (id INT PRIMARY KEY, item VARCHAR(50) NOT NULL)");
                statement.execute("INSERT INTO orders VALUES (1, 'tv'), (2, 'phone'), (3, 'laptop')");
            }

            // when the server is stopped and started again
            mysql.stop();
            mysql.restart();

            // then the rows are still there, binlog is on for CDC, and a wrong password is refused
            try (Connection connection = connect(mysql); Statement statement = connection.createStatement()) {
                assertThat(column(statement, "SELECT item FROM orders ORDER BY id", 1))
                        .containsExactly("tv", "phone", "laptop");
                assertThat(column(statement, "SHOW VARIABLES LIKE 'log_bin'", 2)).containsExactly("ON");
                assertThat(column(statement, "SHOW VARIABLES LIKE 'binlog_format'", 2)).containsExactly("ROW");
                assertThat(column(statement, "SHOW VARIABLES LIKE 'binlog_row_image'", 2)).containsExactly("FULL");
            }
            assertThatThrownBy(() -> DriverManager.getConnection(mysql.jdbcUrl("shop"), mysql.user(), "wrong").close())
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("Access denied");
        }
    }

    private static Connection connect(MariaDbServer mysql) throws SQLException {
        return DriverManager.getConnection(mysql.jdbcUrl("shop"), mysql.user(), mysql.password());
    }

    private static List<String> column(Statement statement, String query, int column) throws SQLException {
        List<String> values = new ArrayList<>();
        try (ResultSet rows = statement.executeQuery(query)) {
            while (rows.next()) {
                values.add(rows.getString(column));
            }
        }
        return values;
    }
}
