package dev.flashsale.pipelines;

import org.flywaydb.core.Flyway;

/** The MySQL schema: versioned migrations from config/db/migration, applied by Flyway. */
public final class Schema {

    private Schema() {
    }

    /** Brings the database up to the newest migration; a no-op when it is there already. */
    public static void migrate(PipelineSettings settings) {
        Flyway.configure()
                .dataSource(settings.mysqlUrl(), settings.mysqlUser(), settings.mysqlPassword())
                .locations("classpath:db/migration")
                .load()
                .migrate();
    }
}
