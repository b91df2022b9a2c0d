package kfp.tools;

import static kfp.tools.Catalog.q;

import java.io.PrintStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import kfp.store.Schema;
import kfp.store.config.ConfigurationException;
import kfp.store.dialect.Dialect;
import kfp.store.migration.RunCounts;
import kfp.store.migration.SchemaMigrations;
import kfp.tools.Catalog.Column;
import kfp.tools.Catalog.Table;
import org.flywaydb.core.api.MigrationVersion;

/**
 * Copies the data of one or both schemas from a source database to a target database.
 *
 * <p>The target is migrated to the current schema first; then each table, parents before children,
 * is read in primary key order in pages of {@code batch} rows and written in one target
 * transaction per page. The whole source is read in one read-only REPEATABLE READ transaction: one
 * snapshot of every table (PostgreSQL and MySQL take it at the first read), so the rows of a
 * running installation stay consistent with each other. Committed pages are a prefix of each
 * table in key order, which is what {@code resume} continues after. The run counters are not
 * copied: the target's triggers count the copied runs, and a recount settles them at the end.
 */
final class Copier {

    record Options(Set<Schema> schemas, boolean resume, boolean dryRun, int batch, long interruptAfterRows) {
    }

    /** The copy stopped on purpose (tests stand in a kill with it). */
    static final class Interrupted extends RuntimeException {
        Interrupted(String message) {
            super(message);
        }
    }

    private final DataSource source;
    private final DataSource target;
    private final Options options;
    private final PrintStream out;
    private long rowsThisRun;

    Copier(DataSource source, DataSource target, Options options, PrintStream out) {
        this.source = source;
        this.target = target;
        this.options = options;
        this.out = out;
    }

    void copy() throws SQLException {
        Dialect targetDialect = Dialect.of(target);
        try (Connection src = source.getConnection(); Connection tgt = target.getConnection()) {
            checkVersions(src, targetDialect);
            List<Table> sourceTables = Catalog.dataTables(src, options.schemas());
            checkTargetEmpty(tgt, sourceTables);
            if (options.dryRun()) {
                plan(src, tgt, sourceTables);
                return;
            }
            for (Schema schema : options.schemas()) {
                SchemaMigrations.migrate(target, targetDialect, schema);
            }
            Map<String, Table> bySource = new LinkedHashMap<>();
            sourceTables.forEach(t -> bySource.put(t.name(), t));
            List<Table> targetTables = Catalog.dataTables(tgt, options.schemas());
            checkColumns(bySource, targetTables);

            Snapshot.begin(src);
            tgt.setAutoCommit(false);
            long start = System.nanoTime();
            long rows = 0;
            long bytes = 0;
            for (Table t : targetTables) {
                Table s = bySource.get(t.name());
                if (s == null) {
                    out.println("copy " + t.name() + ": not in the source (a newer table), left empty");
                    continue;
                }
                long[] copied = copyTable(src, tgt, s, t);
                rows += copied[0];
                bytes += copied[1];
            }
            src.commit();
            continueSequences(tgt, targetDialect, targetTables);
            tgt.commit(); // the recount locks run_details from its own connection
            if (targetTables.stream().anyMatch(t -> t.name().equals("run_details"))
                    && Catalog.tableNames(tgt).contains(Catalog.RUN_COUNTS)) {
                int counters = RunCounts.recount(target, targetDialect);
                out.println("recount run_counts: " + counters + " counters");
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            out.println(String.format(java.util.Locale.ROOT, "copied %,d rows (%.1f MB) in %.1f s: %,.0f rows/s, %.1f MB/s",
                    rows, bytes / 1e6, seconds, rows / seconds, bytes / 1e6 / seconds));
        }
    }

    /** The source must be ours or KFP's, and no newer than this build's migrations. */
    private void checkVersions(Connection src, Dialect targetDialect) throws SQLException {
        for (Schema schema : options.schemas()) {
            MigrationVersion from = SourceSchema.requireKnown(src, schema, "the source");
            MigrationVersion latest = SourceSchema.latest(target, targetDialect, schema);
            if (from.compareTo(latest) > 0) {
                throw new ConfigurationException("the source's " + schema.folder() + " schema is at version " + from
                        + ", newer than the target's migrations reach (" + latest + "): use the kfp-db of the"
                        + " release that wrote the source");
            }
            out.println(schema.folder() + ": source has " + SourceSchema.describe(from) + "; the target is migrated to version "
                    + latest);
        }
    }

    /** Without --resume the target may hold none of the rows to copy. */
    private void checkTargetEmpty(Connection tgt, List<Table> tables) throws SQLException {
        if (options.resume()) {
            return;
        }
        Set<String> present = Catalog.tableNames(tgt);
        long runs = present.contains("run_details") ? count(tgt, "run_details") : 0;
        if (runs > 0) { // the usual case, named as KFP's users know it
            throw new ConfigurationException("the target already holds runs (" + runs + " in run_details):"
                    + " copy into an empty database, or continue an interrupted copy with --resume");
        }
        for (Table t : tables) {
            if (present.contains(t.name())) {
                long n = count(tgt, t.name());
                if (n > 0) {
                    throw new ConfigurationException("the target already holds " + n + " rows in " + t.name()
                            + ": copy into an empty database, or continue an interrupted copy with --resume");
                }
            }
        }
    }

    /** Every column the source stores must have a stored column of that name on the target. */
    private static void checkColumns(Map<String, Table> source, List<Table> target) {
        Map<String, Table> byName = target.stream().collect(Collectors.toMap(Table::name, t -> t));
        for (Table s : source.values()) {
            Table t = byName.get(s.name());
            if (t == null) {
                throw new ConfigurationException("the source's table " + s.name() + " is not part of the target's schema");
            }
            for (Column c : s.stored()) {
                Column tc = t.column(c.name());
                if (tc == null || tc.generated()) {
                    throw new ConfigurationException("the source's column " + s.name() + "." + c.name()
                            + " has no stored column on the target");
                }
            }
            if (!s.key().equals(t.key())) {
                throw new ConfigurationException("table " + s.name() + ": primary key " + s.key() + " on the source, "
                        + t.key() + " on the target");
            }
        }
    }

    private void plan(Connection src, Connection tgt, List<Table> tables) throws SQLException {
        Set<String> present = Catalog.tableNames(tgt);
        out.println("plan (dry run: nothing is written), batches of " + options.batch() + " rows:");
        for (Table t : tables) {
            List<String> generated = t.columns().values().stream().filter(Column::generated).map(Column::name).toList();
            long there = present.contains(t.name()) ? count(tgt, t.name()) : 0;
            out.println(String.format(java.util.Locale.ROOT, "  %-22s %,12d rows, %d columns, key %s%s%s", t.name(),
                    count(src, t.name()), t.stored().size(), t.key(),
                    generated.isEmpty() ? "" : ", generated on the target: " + generated,
                    options.resume() && there > 0 ? String.format(java.util.Locale.ROOT, ", resume after %,d rows", there) : ""));
        }
        if (options.schemas().contains(Schema.MLPIPELINE)) {
            out.println("  " + Catalog.RUN_COUNTS + ": recounted from run_details on the target, not copied");
        }
    }

    /** Copies one table; returns {rows, bytes} written by this call. */
    private long[] copyTable(Connection src, Connection tgt, Table s, Table t) throws SQLException {
        List<Column> columns = s.stored();
        long total = count(src, s.name());
        long there = count(tgt, t.name());
        Object[] after = null;
        if (there > 0) {
            if (!options.resume()) {
                throw new ConfigurationException("the target already holds rows in " + t.name());
            }
            after = resumePoint(src, tgt, s, t, there);
        }
        Rows.Reader reader = new Rows.Reader(src, s, columns, options.batch());
        List<Column> targetColumns = columns.stream().map(c -> t.column(c.name())).toList();
        String insert = "INSERT INTO " + q(t.name()) + " ("
                + columns.stream().map(c -> q(c.name())).collect(Collectors.joining(", ")) + ") VALUES ("
                + columns.stream().map(c -> "?").collect(Collectors.joining(", ")) + ")";
        Progress progress = new Progress(out, "copy", t.name(), total, there);
        long rows = 0;
        try (PreparedStatement ps = tgt.prepareStatement(insert)) {
            while (true) {
                List<Object[]> page = reader.next(after);
                if (page.isEmpty()) {
                    break;
                }
                long bytes = 0;
                for (Object[] row : page) {
                    if (options.interruptAfterRows() >= 0 && rowsThisRun >= options.interruptAfterRows()) {
                        tgt.rollback();
                        throw new Interrupted("copy interrupted in " + t.name() + " after " + rowsThisRun + " rows");
                    }
                    for (int i = 0; i < row.length; i++) {
                        Rows.write(ps, i + 1, targetColumns.get(i), row[i]);
                    }
                    ps.addBatch();
                    bytes += Rows.size(row);
                    rowsThisRun++;
                }
                ps.executeBatch();
                tgt.commit();
                rows += page.size();
                progress.add(page.size(), bytes);
                after = reader.keyOf(page.get(page.size() - 1));
            }
        }
        progress.done();
        return new long[] {rows, progress.bytes()};
    }

    /**
     * Where an interrupted copy of a table continues: after the source's {@code there}-th key, when
     * the target holds exactly the source's first {@code there} rows in key order (each committed
     * page was the next rows in that order). Anything else means the source changed meanwhile.
     */
    private static Object[] resumePoint(Connection src, Connection tgt, Table s, Table t, long there) throws SQLException {
        Object[] last = keyAt(src, s, there - 1);
        Object[] next = keyAt(src, s, there);
        if (last == null || !exists(tgt, t, last) || (next != null && exists(tgt, t, next))) {
            throw new ConfigurationException("table " + t.name() + " on the target is not the source's first " + there
                    + " rows in key order (did the source change since the copy stopped?): copy into an empty database");
        }
        return last;
    }

    /** The source's key at a position in key order, or null past the end. */
    private static Object[] keyAt(Connection c, Table table, long position) throws SQLException {
        List<Column> key = table.key().stream().map(table::column).toList();
        String sql = "SELECT " + table.key().stream().map(Catalog::q).collect(Collectors.joining(", ")) + " FROM "
                + q(table.name()) + " ORDER BY " + table.key().stream().map(Catalog::q).collect(Collectors.joining(", "))
                + " LIMIT 1 OFFSET " + position;
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            if (!rs.next()) {
                return null;
            }
            Object[] values = new Object[key.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = Rows.read(rs, i + 1, key.get(i));
            }
            return values;
        }
    }

    private static boolean exists(Connection c, Table table, Object[] key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM " + q(table.name()) + " WHERE "
                + Rows.keyEquals(table.key()))) {
            for (int i = 0; i < key.length; i++) {
                Rows.write(ps, i + 1, table.column(table.key().get(i)), key[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1) > 0;
            }
        }
    }

    /**
     * Generated keys continue after the copied ones. PostgreSQL and H2 keep a sequence apart from
     * the rows; MySQL's AUTO_INCREMENT already moved past every id written explicitly.
     */
    private void continueSequences(Connection tgt, Dialect dialect, List<Table> tables) throws SQLException {
        for (Table t : tables) {
            for (Column c : t.columns().values()) {
                if (!c.autoIncrement() || dialect == Dialect.MYSQL) {
                    continue;
                }
                long next;
                try (Statement st = tgt.createStatement();
                     ResultSet rs = st.executeQuery("SELECT COALESCE(MAX(" + q(c.name()) + "), 0) + 1 FROM " + q(t.name()))) {
                    rs.next();
                    next = Math.max(1, rs.getLong(1));
                }
                if (dialect == Dialect.POSTGRESQL) {
                    try (PreparedStatement ps = tgt.prepareStatement("SELECT setval(pg_get_serial_sequence(?, ?), ?, false)")) {
                        ps.setString(1, q(t.name()));
                        ps.setString(2, c.name());
                        ps.setLong(3, next);
                        ps.executeQuery().close();
                    }
                } else {
                    try (Statement st = tgt.createStatement()) {
                        st.executeUpdate("ALTER TABLE " + q(t.name()) + " ALTER COLUMN " + q(c.name()) + " RESTART WITH " + next);
                    }
                }
                tgt.commit();
                out.println("sequence " + t.name() + "." + c.name() + ": continues at " + next);
            }
        }
    }

    static long count(Connection c, String table) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + q(table))) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Rows this call wrote (tests read it after an interruption). */
    long rowsThisRun() {
        return rowsThisRun;
    }
}
