package kfp.store.migration;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import kfp.store.Schema;
import kfp.store.config.ConfigurationException;
import kfp.store.dialect.Dialect;
import kfp.store.mybatis.mapper.MapperCatalog;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.output.MigrateOutput;
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
 *
 * <p>A migration whose body was replaced after release (it changed or deleted what KFP wrote) is
 * listed in {@link #SUPERSEDED} with the checksum of each body it had: a database on which such a
 * body ran has that checksum in its history, which Flyway's validation would refuse. Before
 * validating, each listed checksum found is rewritten to the current body's (logged), and later
 * migrations restore on such databases what the old body changed, where no row is lost doing so.
 * Any other mismatch still stops start-up.
 */
public final class SchemaMigrations {

    private static final Logger LOG = LoggerFactory.getLogger(SchemaMigrations.class);

    /**
     * Bodies replaced after release: "databaseId/folder/version" to the checksums of the old bodies
     * (Flyway's CRC32 of their lines; the bodies are kept as test resources under superseded/).
     * Migration 20 deleted tasks without a pod name (several per run are KFP's launcher cache
     * entries) and cachedb migration 2 deleted rows and made KFP's idx_cache_key unique.
     * PostgreSQL's 22 and 40 built their indexes without CONCURRENTLY, blocking run writes for the
     * whole build (the indexes are the same). MySQL's 41 created the run counters' triggers, which
     * stopped start-up where the database refuses them (now RunCountTriggers, after migrating).
     */
    static final Map<String, Set<Integer>> SUPERSEDED = Map.of(
            "h2/mlpipeline/20", Set.of(-1252848761),
            "mysql/mlpipeline/20", Set.of(-1506381960),
            "postgresql/mlpipeline/20", Set.of(-1252848761),
            "mysql/mlpipeline/41", Set.of(9535033),
            "postgresql/mlpipeline/22", Set.of(-908658576),
            "postgresql/mlpipeline/40", Set.of(317397277),
            "h2/cachedb/2", Set.of(751975524),
            "mysql/cachedb/2", Set.of(-1599549506),
            "postgresql/cachedb/2", Set.of(2025742324));

    private SchemaMigrations() {
    }

    public static String location(Dialect dialect, Schema schema) {
        return "classpath:" + MapperCatalog.ROOT + dialect.databaseId() + "/" + schema.folder();
    }

    public static MigrateResult migrate(DataSource dataSource, Dialect dialect, Schema schema) {
        String adoptAt = adoptedVersion(dataSource, schema);
        try {
            Flyway flyway = flyway(dataSource, dialect, schema, adoptAt);
            acceptSupersededBodies(dataSource, flyway, dialect, schema);
            MigrateResult result = flyway.migrate();
            for (MigrateOutput m : result.migrations) {
                // how long each step held its tables, for an operator sizing the next upgrade
                LOG.info("{} migration {} ({}) took {} ms", schema.folder(), m.version, m.description, m.executionTime);
            }
            if (result.migrationsExecuted > 0) {
                LOG.info("{} schema migrated to version {} ({} migrations)", schema.folder(), result.targetSchemaVersion,
                        result.migrationsExecuted);
            }
            if (schema == Schema.MLPIPELINE) {
                RunCountTriggers.install(dataSource, dialect);
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
            Flyway flyway = flyway(dataSource, dialect, schema, "0");
            acceptSupersededBodies(dataSource, flyway, dialect, schema);
            flyway.validate();
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

    /**
     * Rewrites the recorded checksum of each applied migration whose old body is listed in
     * {@link #SUPERSEDED} to its current body's; returns how many were rewritten.
     */
    static int acceptSupersededBodies(DataSource dataSource, Flyway flyway, Dialect dialect, Schema schema) {
        int accepted = 0;
        for (MigrationInfo m : flyway.info().applied()) {
            Integer applied = m.getAppliedChecksum();
            Integer current = m.getResolvedChecksum();
            if (m.getVersion() == null || applied == null || current == null || applied.equals(current)) {
                continue;
            }
            String key = dialect.databaseId() + "/" + schema.folder() + "/" + m.getVersion().getVersion();
            if (!SUPERSEDED.getOrDefault(key, Set.of()).contains(applied)) {
                continue; // not a body we replaced: Flyway's validation reports it
            }
            String q = dialect.databaseId().equals("mysql") ? "`" : "\"";
            String sql = "UPDATE " + q + schema.historyTable() + q + " SET " + q + "checksum" + q + " = ? WHERE "
                    + q + "version" + q + " = ? AND " + q + "checksum" + q + " = ?";
            try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setInt(1, current);
                ps.setString(2, m.getVersion().getVersion());
                ps.setInt(3, applied);
                accepted += ps.executeUpdate();
                if (!c.getAutoCommit()) {
                    c.commit();
                }
            } catch (SQLException e) {
                throw new ConfigurationException("cannot record the new body of migration " + key + ": " + e.getMessage(), e);
            }
            LOG.info("{} migration {} ran an earlier body (checksum {}); recorded as the current one ({}),"
                    + " later migrations restore what it changed", schema.folder(), m.getVersion(), applied, current);
        }
        return accepted;
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
