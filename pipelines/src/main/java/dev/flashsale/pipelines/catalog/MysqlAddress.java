package dev.flashsale.pipelines.catalog;

import java.net.URI;

/** Host, port and database of a {@code jdbc:mysql://host:port/database?…} URL: where change data capture connects. */
public record MysqlAddress(String host, int port, String database) {

    public static MysqlAddress of(String jdbcUrl) {
        if (jdbcUrl == null || !jdbcUrl.startsWith("jdbc:")) {
            throw new IllegalArgumentException("not a JDBC URL: " + jdbcUrl);
        }
        URI uri = URI.create(jdbcUrl.substring("jdbc:".length()));
        String path = uri.getPath() == null ? "" : uri.getPath().replaceFirst("^/", "");
        if (uri.getHost() == null || path.isEmpty()) {
            throw new IllegalArgumentException("the MySQL URL must name a host and a database: " + jdbcUrl);
        }
        return new MysqlAddress(uri.getHost(), uri.getPort() == -1 ? 3306 : uri.getPort(), path);
    }
}
