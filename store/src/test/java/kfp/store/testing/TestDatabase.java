package kfp.store.testing;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Module;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import kfp.store.Schema;
import kfp.store.config.DataSources;
import kfp.store.config.DatabaseConfig;
import kfp.store.dialect.Dialect;
import kfp.store.guice.CacheStoreModule;
import kfp.store.guice.StoreModule;
import kfp.store.guice.StoreOptions;
import kfp.store.migration.SchemaMigrations;

/**
 * One test class's database on one backend: its pool, its migrated schemas, and an injector of
 * the store modules over it with a {@link TestClock} and {@link TestIds}. Tests get it as a
 * parameter; it also offers plain JDBC for checking what the stores wrote.
 */
public final class TestDatabase implements AutoCloseable {

    /** Tables in child-before-parent order, so clearing never trips a foreign key. */
    private static final List<String> TABLES_CHILD_FIRST = List.of(
            "run_metrics", "tasks", "resource_references", "run_details", "run_counts", "jobs",
            "pipeline_version_tags", "pipeline_tags", "pipeline_versions", "pipelines",
            "experiments", "default_experiments", "db_statuses", "execution_caches");

    private final Backend backend;
    private final DatabaseServers.ClassDatabase database;
    private final HikariDataSource dataSource;
    private final Set<Schema> schemas;
    private TestClock clock;
    private TestIds ids;
    private Injector injector;

    TestDatabase(Backend backend, String testClass, Schema[] schemas) {
        this.backend = backend;
        this.database = DatabaseServers.create(backend, testClass);
        this.dataSource = DataSources.open(config(), "test-" + backend.id());
        this.schemas = new LinkedHashSet<>(List.of(schemas));
        for (Schema schema : this.schemas) {
            SchemaMigrations.migrate(dataSource, backend.dialect, schema);
        }
        reset();
    }

    /**
     * A database of its own on the backend {@code databaseId} (h2, mysql, postgresql), beside the
     * class's, migrated to {@code schemas} (none: left empty): for tests that need several at once,
     * such as a copy from one database to another. The caller closes it, which drops it.
     */
    public static TestDatabase open(String databaseId, String owner, Schema... schemas) {
        Backend backend = Backend.valueOf(databaseId.toUpperCase(java.util.Locale.ROOT));
        DatabaseServers.requireServer(backend);
        return new TestDatabase(backend, owner, schemas);
    }

    /** Connection settings of this class database, as a server would be given them. */
    public DatabaseConfig config() {
        return DatabaseConfig.forJdbcUrl(database.url(), database.user(), database.password());
    }

    public Dialect dialect() {
        return backend.dialect;
    }

    public String databaseId() {
        return backend.id();
    }

    public HikariDataSource dataSource() {
        return dataSource;
    }

    public TestClock clock() {
        return clock;
    }

    public TestIds ids() {
        return ids;
    }

    /** The stores over this database (created on first use, after the test's own set-up). */
    public synchronized Injector injector() {
        if (injector == null) {
            injector = newInjector();
        }
        return injector;
    }

    public <T> T get(Class<T> type) {
        return injector().getInstance(type);
    }

    /** Another, independent set of stores over the same database: a second server. */
    public Injector newInjector() {
        StoreOptions options = StoreOptions.using(dataSource).withClock(clock).withIds(ids);
        List<Module> modules = new ArrayList<>();
        for (Schema schema : schemas) {
            modules.add(MODULES.apply(schema).apply(options));
        }
        return Guice.createInjector(modules);
    }

    /** The store module of each schema. */
    private static final Function<Schema, Function<StoreOptions, Module>> MODULES = schema -> switch (schema) {
        case MLPIPELINE -> StoreModule::new;
        case CACHEDB -> CacheStoreModule::new;
    };

    /**
     * Empties every table (or, for a class that migrates nothing, drops them), and starts a new
     * clock, ids and injector: each test starts from a new database.
     */
    void reset() {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            Set<String> present = tables(c);
            for (String table : TABLES_CHILD_FIRST) {
                if (present.remove(table)) {
                    st.executeUpdate((schemas.isEmpty() ? "DROP TABLE " : "DELETE FROM ") + table);
                }
            }
            if (schemas.isEmpty()) {
                for (String table : present) { // Flyway's history tables and whatever a test made
                    st.executeUpdate("DROP TABLE " + table);
                }
                if (backend == Backend.POSTGRESQL) { // functions outlive their tables (migration 41's triggers)
                    List<String> functions = new ArrayList<>();
                    try (ResultSet rs = st.executeQuery("SELECT oid::regprocedure FROM pg_proc"
                            + " WHERE pronamespace = current_schema()::regnamespace")) {
                        while (rs.next()) {
                            functions.add(rs.getString(1));
                        }
                    }
                    for (String function : functions) {
                        st.executeUpdate("DROP FUNCTION " + function);
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot clear the test database", e);
        }
        clock = new TestClock();
        ids = new TestIds();
        injector = null;
    }

    /** Names of the tables in this database (lower-case, as KFP names them). */
    public Set<String> tables(Connection c) throws SQLException {
        Set<String> names = new LinkedHashSet<>();
        DatabaseMetaData md = c.getMetaData();
        try (ResultSet rs = md.getTables(c.getCatalog(), c.getSchema(), "%", new String[] {"TABLE"})) {
            while (rs.next()) {
                names.add(rs.getString("TABLE_NAME"));
            }
        }
        return names;
    }

    /** Runs an INSERT/UPDATE/DELETE with {@code ?} binds; returns the row count. */
    public int update(String sql, Object... args) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = prepare(c, sql, args)) {
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    /** The rows of a query, each as a list of column values. */
    public List<List<Object>> query(String sql, Object... args) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = prepare(c, sql, args);
             ResultSet rs = ps.executeQuery()) {
            List<List<Object>> rows = new ArrayList<>();
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<Object> row = new ArrayList<>(n);
                for (int i = 1; i <= n; i++) {
                    row.add(rs.getObject(i));
                }
                rows.add(row);
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    /** The single value of a one-row, one-column query. */
    public Object queryValue(String sql, Object... args) {
        List<List<Object>> rows = query(sql, args);
        if (rows.size() != 1 || rows.get(0).size() != 1) {
            throw new IllegalStateException(sql + " returned " + rows);
        }
        return rows.get(0).get(0);
    }

    /**
     * The run counters of migration 41 ({@code run_counts}), key (Namespace, ExperimentUUID,
     * StorageState, State) → count, leaving out counters at 0 (they are kept when a key empties).
     */
    public Map<List<String>, Long> runCounts() {
        return counts("SELECT \"Namespace\", \"ExperimentUUID\", \"StorageState\", \"State\", \"RunCount\""
                + " FROM run_counts WHERE \"RunCount\" <> 0");
    }

    /** What {@link #runCounts()} must be: the runs of run_details counted by the same key (NULL State as ''). */
    public Map<List<String>, Long> runCountsOfRunDetails() {
        return counts("SELECT \"Namespace\", \"ExperimentUUID\", \"StorageState\", COALESCE(\"State\", ''), COUNT(*)"
                + " FROM run_details GROUP BY \"Namespace\", \"ExperimentUUID\", \"StorageState\", COALESCE(\"State\", '')");
    }

    private Map<List<String>, Long> counts(String sql) {
        Map<List<String>, Long> counts = new TreeMap<>(java.util.Comparator.comparing(Object::toString));
        for (List<Object> row : query(sql)) {
            counts.put(row.subList(0, 4).stream().map(String::valueOf).toList(), ((Number) row.get(4)).longValue());
        }
        return counts;
    }

    public long count(String table) {
        return ((Number) queryValue("SELECT COUNT(*) FROM " + table)).longValue();
    }

    private static PreparedStatement prepare(Connection c, String sql, Object... args) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        for (int i = 0; i < args.length; i++) {
            ps.setObject(i + 1, args[i]);
        }
        return ps;
    }

    @Override
    public void close() {
        dataSource.close();
        database.drop().run();
    }

    @Override
    public String toString() {
        return backend.id();
    }
}
