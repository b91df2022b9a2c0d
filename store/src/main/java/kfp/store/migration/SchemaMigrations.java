package kfp.store.migration;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;
import kfp.store.Schema;
import kfp.store.config.ConfigurationException;
import kfp.store.mybatis.Dialect;
import kfp.store.mybatis.MapperCatalog;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a database to the current schema with Flyway, from {@code mappers/<databaseId>/<schema>/}.
 *
 * <p>A database that KFP's Go server created has KFP's tables but no Flyway history. It is adopted:
 * Flyway records a baseline at the last version the database already matches (1 for KFP releases
 * before run garbage collection, 2 once {@code run_details.ArchivedAtInSec} exists) and applies only
 * what comes after. Flyway's lock serialises servers that start together.
 */
public final class SchemaMigrations {

    private static final Logger LOG = LoggerFactory.getLogger(SchemaMigrations.class);

    private SchemaMigrations() {
    }

    public static String location(Dialect dialect, Schema schema) {
        return "classpath:" + MapperCatalog.ROOT + dialect.databaseId() + "/" + schema.folder();
    }

    public static MigrateResult migrate(DataSource dataSource, Dialect dialect, Schema schema) {
        String adoptAt = adoptedVersion(dataSource, schema);
        try {
            MigrateResult result = flyway(dataSource, dialect, schema, adoptAt).migrate();
            if (result.migrationsExecuted > 0) {
                LOG.info("{} schema migrated to version {} ({} migrations)", schema.folder(), result.targetSchemaVersion,
                        result.migrationsExecuted);
            }
            return result;
        } catch (FlywayException e) {
            throw new ConfigurationException("cannot migrate the " + schema.folder() + " schema: "
                    + e.getMessage().replaceAll("\\s+", " "), e);
        }
    }

    /** Fails unless the database is at the current version (for a server that must not migrate). */
    public static void validate(DataSource dataSource, Dialect dialect, Schema schema) {
        try {
            flyway(dataSource, dialect, schema, "0").validate();
        } catch (FlywayException e) {
            throw new ConfigurationException("the " + schema.folder() + " schema is not current: "
                    + e.getMessage().replaceAll("\\s+", " "), e);
        }
    }

    private static Flyway flyway(DataSource dataSource, Dialect dialect, Schema schema, String baselineVersion) {
        return Flyway.configure()
                // PostgreSQL: a session (not transaction) lock, or CREATE INDEX CONCURRENTLY in a
                // migration waits forever for Flyway's own open lock transaction
                .configuration(java.util.Map.of("flyway.postgresql.transactional.lock", "false"))
                .dataSource(dataSource)
                .locations(location(dialect, schema))
                .table(schema.historyTable())
                .placeholderReplacement(false)
                // a schema shared with the other component's tables is not "someone else's data"
                .baselineOnMigrate(true)
                .baselineVersion(baselineVersion)
                .baselineDescription(baselineVersion.equals("0") ? "empty" : "adopted KFP database")
                .load();
    }

    /** The version a pre-existing KFP database already matches, or "0" when this schema's tables are absent. */
    static String adoptedVersion(DataSource dataSource, Schema schema) {
        try (Connection c = dataSource.getConnection()) {
            DatabaseMetaData md = c.getMetaData();
            return switch (schema) {
                case MLPIPELINE -> !hasTable(md, "pipelines") ? "0"
                        : hasColumn(md, "run_details", "ArchivedAtInSec") ? "2" : "1";
                case CACHEDB -> hasTable(md, "execution_caches") ? "1" : "0";
            };
        } catch (SQLException e) {
            throw new ConfigurationException("cannot read the database catalog: " + e.getMessage(), e);
        }
    }

    private static boolean hasTable(DatabaseMetaData md, String table) throws SQLException {
        try (ResultSet rs = md.getTables(md.getConnection().getCatalog(), md.getConnection().getSchema(), table, null)) {
            return rs.next();
        }
    }

    private static boolean hasColumn(DatabaseMetaData md, String table, String column) throws SQLException {
        try (ResultSet rs = md.getColumns(md.getConnection().getCatalog(), md.getConnection().getSchema(), table, column)) {
            return rs.next();
        }
    }
}
