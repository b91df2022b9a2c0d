package kfp.tools;

import static kfp.tools.Catalog.q;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Set;
import javax.sql.DataSource;
import kfp.store.Schema;
import kfp.store.config.ConfigurationException;
import kfp.store.dialect.Dialect;
import kfp.store.migration.SchemaMigrations;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationVersion;

/**
 * Whose schema a database holds, and at which version: ours (a Flyway history table), KFP's Go
 * server's (KFP's tables, no history: what our migrations adopt), or neither.
 */
final class SourceSchema {

    /** Tables every KFP release's database of that schema has. */
    private static final List<String> KFP_MLPIPELINE = List.of("experiments", "pipelines", "run_details");
    private static final List<String> KFP_CACHEDB = List.of("execution_caches");

    private SourceSchema() {
    }

    /**
     * The version of {@code schema} in this database: its history's highest applied version;
     * {@link MigrationVersion#EMPTY} for KFP's own tables without a history; null when neither.
     */
    static MigrationVersion version(Connection c, Schema schema) throws SQLException {
        Set<String> tables = Catalog.tableNames(c);
        if (tables.contains(schema.historyTable())) {
            MigrationVersion max = MigrationVersion.EMPTY;
            try (PreparedStatement ps = c.prepareStatement("SELECT " + q("version") + ", " + q("success")
                    + " FROM " + q(schema.historyTable()));
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String v = rs.getString(1);
                    if (v != null && rs.getBoolean(2)) {
                        MigrationVersion mv = MigrationVersion.fromVersion(v);
                        if (mv.compareTo(max) > 0) {
                            max = mv;
                        }
                    }
                }
            }
            return max;
        }
        List<String> kfp = schema == Schema.MLPIPELINE ? KFP_MLPIPELINE : KFP_CACHEDB;
        return tables.containsAll(kfp) ? MigrationVersion.EMPTY : null;
    }

    /** The source's version, refusing a database that holds neither our schema nor KFP's. */
    static MigrationVersion requireKnown(Connection c, Schema schema, String where) throws SQLException {
        MigrationVersion v = version(c, schema);
        if (v == null) {
            throw new ConfigurationException(where + " holds no " + schema.folder() + " schema of KFP's or ours (no "
                    + schema.historyTable() + " table and not KFP's tables " + (schema == Schema.MLPIPELINE
                    ? KFP_MLPIPELINE : KFP_CACHEDB) + "): refusing to copy from it");
        }
        return v;
    }

    /** The newest version this build's migrations reach on that database's vendor. */
    static MigrationVersion latest(DataSource target, Dialect dialect, Schema schema) {
        MigrationVersion max = MigrationVersion.EMPTY;
        Flyway flyway = Flyway.configure()
                .dataSource(target)
                .locations(SchemaMigrations.location(dialect, schema))
                .table(schema.historyTable())
                .placeholderReplacement(false)
                .load();
        for (MigrationInfo info : flyway.info().all()) {
            if (info.getVersion() != null && info.getVersion().compareTo(max) > 0) {
                max = info.getVersion();
            }
        }
        return max;
    }

    static String describe(MigrationVersion v) {
        return v == MigrationVersion.EMPTY ? "KFP's tables without a migration history" : "version " + v;
    }
}
