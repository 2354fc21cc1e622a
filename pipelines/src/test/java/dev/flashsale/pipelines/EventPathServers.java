package dev.flashsale.pipelines;

import java.nio.file.Path;
import java.util.Map;

import dev.flashsale.embedded.KafkaBroker;
import dev.flashsale.embedded.MariaDbServer;

/** A Kafka broker and a MariaDB server with the schema migrated, under {@code dir}: the event path's servers for a test of member processes. */
final class EventPathServers implements AutoCloseable {

    private final KafkaBroker kafka;
    private final MariaDbServer mysql;
    private final PipelineSettings settings;

    private EventPathServers(KafkaBroker kafka, MariaDbServer mysql, PipelineSettings settings) {
        this.kafka = kafka;
        this.mysql = mysql;
        this.settings = settings;
    }

    static EventPathServers start(Path dir) {
        KafkaBroker kafka = KafkaBroker.start(dir.resolve("kafka"));
        try {
            MariaDbServer mysql = MariaDbServer.start(dir.resolve("mysql"));
            mysql.createDatabase("flashsale");
            PipelineSettings settings = new PipelineSettings(kafka.bootstrapServers(), 4, (short) 1,
                    mysql.jdbcUrl("flashsale"), mysql.user(), mysql.password());
            Schema.migrate(settings);
            return new EventPathServers(kafka, mysql, settings);
        } catch (RuntimeException e) {
            kafka.close();
            throw e;
        }
    }

    PipelineSettings settings() {
        return settings;
    }

    /** An API node's environment for this MySQL. */
    Map<String, String> apiEnv() {
        return Map.of("FLASHSALE_MYSQL_URL", settings.mysqlUrl(),
                "FLASHSALE_MYSQL_USER", settings.mysqlUser(), "FLASHSALE_MYSQL_PASSWORD", settings.mysqlPassword());
    }

    @Override
    public void close() {
        mysql.close();
        kafka.close();
    }
}
