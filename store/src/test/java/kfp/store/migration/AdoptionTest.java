package kfp.store.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import kfp.store.Schema;
import kfp.store.api.FilterContext;
import kfp.store.api.ListOptions;
import kfp.store.api.ListResult;
import kfp.store.api.Run;
import kfp.store.api.RunStore;
import kfp.store.config.ConfigurationException;
import kfp.store.guice.StoreModule;
import kfp.store.guice.StoreOptions;
import kfp.store.mybatis.SqlErrors;
import kfp.store.mybatis.mapper.MapperCatalog;
import kfp.store.testing.OnEachDatabase;
import kfp.store.testing.StoreTest;
import kfp.store.testing.TestDatabase;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.io.TempDir;

/**
 * A database that KFP's Go server created (KFP's tables, no Flyway history) is adopted in place:
 * baselined at the KFP version it matches and brought forward by migrations that only add. Every
 * row, column value and index KFP left is still there, unchanged, afterwards.
 */
@StoreTest(schemas = {})
class AdoptionTest {

    private static final String TASK = "INSERT INTO tasks (\"UUID\", \"Namespace\", \"PipelineName\", \"RunUUID\", \"PodName\", "
            + "\"MLMDExecutionID\", \"CreatedTimestamp\", \"Fingerprint\") VALUES (?, '', '', ?, ?, '', ?, '')";
    private static final String CACHE = "INSERT INTO execution_caches (\"ExecutionCacheKey\", \"ExecutionTemplate\", "
            + "\"ExecutionOutput\", \"MaxCacheStaleness\", \"StartedAtInSec\", \"EndedAtInSec\") VALUES (?, 't', ?, -1, ?, ?)";

    @TempDir
    Path temp;

    @OnEachDatabase
    void kfpCreatedDatabaseIsAdoptedAndKeepsItsRows(TestDatabase db) {
        // KFP's tables as a pre-GC KFP release leaves them: version 1's DDL, and no history table
        kfpDatabase(db, Schema.MLPIPELINE, "1");
        db.update("INSERT INTO experiments (\"UUID\", \"Name\", \"Description\", \"CreatedAtInSec\","
                + " \"LastRunCreatedAtInSec\", \"Namespace\", \"StorageState\") VALUES (?, ?, ?, ?, ?, ?, ?)",
                "e1", "Default", "kept", 5L, 0L, "", "AVAILABLE");

        assertThat(SchemaMigrations.adoptedVersion(db.dataSource(), Schema.MLPIPELINE)).isEqualTo("1");
        SchemaMigrations.migrate(db.dataSource(), db.dialect(), Schema.MLPIPELINE);

        assertThat(db.queryValue("SELECT \"Description\" FROM experiments WHERE \"UUID\" = ?", "e1")).isEqualTo("kept");
        assertThat(db.queryValue("SELECT \"NameLower\" FROM experiments WHERE \"UUID\" = ?", "e1")).isEqualTo("default");
        assertThat(db.queryValue("SELECT COUNT(*) FROM flyway_schema_history WHERE \"type\" = 'BASELINE' AND \"version\" = '1'"))
                .isIn(1, 1L);
        // a second start finds nothing to do
        assertThat(SchemaMigrations.migrate(db.dataSource(), db.dialect(), Schema.MLPIPELINE).migrationsExecuted).isZero();
    }

    /**
     * A KFP master database: the GC columns, a GC index its operator created by hand, two rows for
     * one pod that KFP's unguarded task upsert raced into (docs/kfp-compatibility.md#unique-task-pod)
     * and the launcher's cache tasks without a pod name, several per run. Every row, value and
     * index stays; the pod key holds from now on for named pods only.
     */
    @OnEachDatabase
    void kfpMasterDatabaseKeepsEveryTaskRowAndIndex(TestDatabase db) {
        kfpDatabase(db, Schema.MLPIPELINE, "2");
        db.update("CREATE INDEX idx_run_gc_lifecycle ON run_details (\"StorageState\", \"FinishedAtInSec\")");
        insertRun(db, "r1");
        insertRun(db, "r2");
        db.update(TASK, "t-old", "r1", "pod-a", 1L);
        db.update(TASK, "t-new", "r1", "pod-a", 2L);
        db.update(TASK, "t-other", "r1", "pod-b", 1L);
        db.update(TASK, "t-cached-1", "r1", "", 3L);
        db.update(TASK, "t-cached-2", "r1", "", 3L);
        db.update(TASK, "t-cached-3", "r2", "", 4L);
        Snapshot before = Snapshot.of(db, Map.of("tasks", "UUID", "run_details", "UUID"));

        assertThat(SchemaMigrations.adoptedVersion(db.dataSource(), Schema.MLPIPELINE)).isEqualTo("2");
        SchemaMigrations.migrate(db.dataSource(), db.dialect(), Schema.MLPIPELINE);

        before.assertKeptIn(Snapshot.of(db, Map.of("tasks", "UUID", "run_details", "UUID")));
        assertThat(db.count("tasks")).isEqualTo(6);
        // the older raced row stays, outside the key
        assertThat(db.queryValue("SELECT \"PodKeyExemption\" FROM tasks WHERE \"UUID\" = 't-old'")).isEqualTo("t-old");
        assertThat(db.queryValue("SELECT \"PodKeyExemption\" FROM tasks WHERE \"UUID\" = 't-new'")).isEqualTo("");
        assertThatThrownBy(() -> db.update(TASK, "t-again", "r1", "pod-a", 3L))
                .satisfies(e -> assertThat(SqlErrors.classify(db.dialect(), SqlErrors.sqlException(e)))
                        .isEqualTo(SqlErrors.Failure.DUPLICATE_KEY));
        db.update(TASK, "t-cached-4", "r1", "", 5L); // KFP's Go server writes them so too
        assertThat(db.count("tasks")).isEqualTo(7);
    }

    /**
     * A KFP cache database with two rows for one key (KFP checked, then inserted): both stay, KFP's
     * idx_cache_key stays as KFP created it, and our own key beside it refuses a new duplicate.
     */
    @OnEachDatabase
    void kfpCacheDatabaseKeepsEveryRowAndKfpsIndex(TestDatabase db) {
        kfpDatabase(db, Schema.CACHEDB, "1");
        db.update(CACHE, "k1", "older", 1L, 1L);
        db.update(CACHE, "k1", "newer", 2L, 2L);
        db.update(CACHE, "k2", "only", 1L, 1L);
        Snapshot before = Snapshot.of(db, Map.of("execution_caches", "ID"));

        assertThat(SchemaMigrations.adoptedVersion(db.dataSource(), Schema.CACHEDB)).isEqualTo("1");
        SchemaMigrations.migrate(db.dataSource(), db.dialect(), Schema.CACHEDB);

        before.assertKeptIn(Snapshot.of(db, Map.of("execution_caches", "ID")));
        assertThat(db.count("execution_caches")).isEqualTo(3);
        assertThatThrownBy(() -> db.update(CACHE, "k2", "again", 3L, 3L))
                .satisfies(e -> assertThat(SqlErrors.classify(db.dialect(), SqlErrors.sqlException(e)))
                        .isEqualTo(SqlErrors.Failure.DUPLICATE_KEY));
    }

    /**
     * A database an earlier build of this project migrated, with the bodies of mlpipeline 20 and
     * cachedb 2 that deleted rows and changed KFP's idx_cache_key, and on PostgreSQL 22 and 40
     * without CONCURRENTLY (all kept under superseded/): start-up
     * accepts those exact checksums, then restores KFP's non-unique idx_cache_key, drops the old
     * pod key that refused several tasks without a pod name, and validates.
     */
    @OnEachDatabase
    void databaseMigratedWithSupersededBodiesIsUpgraded(TestDatabase db) {
        Flyway old = oldBuild(db, Schema.MLPIPELINE, "43");
        old.migrate();
        Flyway oldCache = oldBuild(db, Schema.CACHEDB, "3");
        oldCache.migrate();
        insertRun(db, "r1");
        db.update(TASK, "t1", "r1", "", 1L);
        assertThatThrownBy(() -> db.update(TASK, "t2", "r1", "", 1L)).isInstanceOf(IllegalStateException.class);
        db.update(CACHE, "k1", "out", 1L, 1L);
        assertThat(indexes(db, "execution_caches").get("idx_cache_key")).startsWith("unique");

        assertThatThrownBy(() -> SchemaMigrations.validate(db.dataSource(), db.dialect(), Schema.MLPIPELINE))
                .isInstanceOf(ConfigurationException.class); // 44 and 45 are pending
        SchemaMigrations.migrate(db.dataSource(), db.dialect(), Schema.MLPIPELINE);
        SchemaMigrations.migrate(db.dataSource(), db.dialect(), Schema.CACHEDB);
        SchemaMigrations.validate(db.dataSource(), db.dialect(), Schema.MLPIPELINE);
        SchemaMigrations.validate(db.dataSource(), db.dialect(), Schema.CACHEDB);

        assertThat(indexes(db, "tasks")).doesNotContainKey("uk_tasks_runuuid_podname")
                .containsKey("uk_tasks_runuuid_podname_exemption");
        assertThat(indexes(db, "execution_caches").get("idx_cache_key")).isEqualTo("ExecutionCacheKey");
        db.update(TASK, "t2", "r1", "", 1L);
        db.update(TASK, "t3", "r1", "pod-a", 1L);
        assertThatThrownBy(() -> db.update(TASK, "t4", "r1", "pod-a", 1L)).isInstanceOf(IllegalStateException.class);
        assertThat(db.count("tasks")).isEqualTo(3);
        assertThatThrownBy(() -> db.update(CACHE, "k1", "again", 2L, 2L)).isInstanceOf(IllegalStateException.class);
    }

    /** Only the listed old bodies are accepted: any other changed checksum still stops start-up. */
    @OnEachDatabase
    void anUnlistedChecksumMismatchStillFails(TestDatabase db) {
        oldBuild(db, Schema.MLPIPELINE, "43").migrate();
        db.update("UPDATE flyway_schema_history SET \"checksum\" = 12345 WHERE \"version\" = '21'");
        assertThatThrownBy(() -> SchemaMigrations.migrate(db.dataSource(), db.dialect(), Schema.MLPIPELINE))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("21");
    }

    /**
     * Filters answer byte-wise on an adopted database too: on MySQL KFP's tables keep their
     * case-insensitive collation (here utf8mb4_general_ci, MariaDB's default, as KFP's Go server
     * leaves them), yet 'succeeded' does not match 'Succeeded', as on PostgreSQL and H2. The server
     * is started on the database through the store module, which migrates it.
     */
    @OnEachDatabase
    void filtersAnswerTheSameOnAnAdoptedDatabase(TestDatabase db) {
        kfpDatabase(db, Schema.MLPIPELINE, "2");
        String run = "INSERT INTO run_details (\"UUID\", \"DisplayName\", \"Name\", \"Description\", \"Namespace\", "
                + "\"ExperimentUUID\", \"StorageState\", \"ServiceAccount\", \"PipelineId\", \"PipelineName\", "
                + "\"CreatedAtInSec\", \"Conditions\", \"State\", \"PipelineRuntimeManifest\", \"WorkflowRuntimeManifest\") "
                + "VALUES (?, '', '', '', ?, 'e1', ?, '', '', '', ?, ?, ?, '', '')";
        db.update(run, "r1", "team", "AVAILABLE", 1L, "Succeeded", "SUCCEEDED");
        db.update(run, "r2", "Team", "AVAILABLE", 2L, "succeeded", "succeeded");
        db.update(run, "r3", "team", "available", 3L, "SUCCEEDED", "Succeeded");
        db.update(run, "r4", "other", "ARCHIVED", 4L, "Running", "RUNNING");

        SchemaMigrations.migrate(db.dataSource(), db.dialect(), Schema.MLPIPELINE);
        RunStore runs = com.google.inject.Guice.createInjector(new StoreModule(StoreOptions.using(db.dataSource())
                .withMigration(StoreOptions.Migration.NONE).withClock(db.clock()).withIds(db.ids())))
                .getInstance(RunStore.class);
        Map<String, List<String>> probes = new LinkedHashMap<>();
        probes.put(probe("status", "EQUALS", "\"succeeded\""), List.of("r2"));
        probes.put(probe("status", "NOT_EQUALS", "\"Succeeded\""), List.of("r2", "r3", "r4"));
        probes.put(probe("status", "IN", "[\"SUCCEEDED\",\"running\"]"), List.of("r3"));
        probes.put(probe("state", "EQUALS", "\"SUCCEEDED\""), List.of("r1"));
        probes.put(probe("namespace", "EQUALS", "\"team\""), List.of("r1", "r3"));
        probes.put(probe("namespace", "IN", "[\"Team\"]"), List.of("r2"));
        probes.put(probe("storage_state", "EQUALS", "\"AVAILABLE\""), List.of("r1", "r2"));
        probes.put(probe("storage_state", "NOT_EQUALS", "\"available\""), List.of("r1", "r2", "r4"));
        assertProbes(runs, probes);

        // a change of case only is a change of key for the run counters too
        db.update("UPDATE run_details SET \"State\" = 'Succeeded' WHERE \"UUID\" = 'r1'");
        assertProbes(runs, Map.of(probe("state", "EQUALS", "\"SUCCEEDED\""), List.of(),
                probe("state", "IN", "[\"Succeeded\"]"), List.of("r1", "r3")));
    }

    private static void assertProbes(RunStore runs, Map<String, List<String>> probes) {
        probes.forEach((filter, expected) -> {
            ListResult<Run> page = runs.listRuns(FilterContext.NONE, ListOptions.firstPage(10).withSortBy("created_at").withFilter(filter));
            assertThat(page.items()).as(filter).extracting(r -> r.uuid).containsExactlyElementsOf(expected);
            assertThat(page.totalSize()).as(filter + " total_size").isEqualTo(expected.size());
        });
    }

    private static String probe(String key, String op, String value) {
        String field = value.startsWith("[") ? "string_values\":{\"values\":" + value + "}" : "string_value\":" + value;
        return "{\"predicates\":[{\"key\":\"" + key + "\",\"operation\":\"" + op + "\",\"" + field + "}]}";
    }

    @OnEachDatabase
    void cacheSchemaSharesADatabaseWithTheApiSchema(TestDatabase db) {
        SchemaMigrations.migrate(db.dataSource(), db.dialect(), Schema.MLPIPELINE);
        // the cache's tables are absent: its history starts empty despite the API's tables being there
        assertThat(SchemaMigrations.adoptedVersion(db.dataSource(), Schema.CACHEDB)).isEqualTo("0");
        SchemaMigrations.migrate(db.dataSource(), db.dialect(), Schema.CACHEDB);
        assertThat(db.count("execution_caches")).isZero();
        assertThat(db.count("experiments")).isZero();
    }

    /**
     * KFP's tables up to {@code version} (our copy of KFP's DDL) and no history table, as KFP leaves
     * them; on MySQL with the case-insensitive collation KFP's tables get from the database's
     * default (utf8mb4_general_ci on MariaDB) instead of our utf8mb4_bin.
     */
    private void kfpDatabase(TestDatabase db, Schema schema, String version) {
        String location = SchemaMigrations.location(db.dialect(), schema);
        if (db.databaseId().equals("mysql")) {
            Path dir = copyOfMigrations(db, schema, "kfp");
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    Files.writeString(f, Files.readString(f).replace("utf8mb4_bin", "utf8mb4_general_ci"));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            location = "filesystem:" + dir;
        }
        Flyway.configure().dataSource(db.dataSource()).table("kfp_setup_history")
                .locations(location)
                .target(version).placeholderReplacement(false).load().migrate();
        db.update("DROP TABLE kfp_setup_history");
    }

    private static void insertRun(TestDatabase db, String id) {
        db.update("INSERT INTO run_details (\"UUID\", \"DisplayName\", \"Name\", \"Description\", \"Namespace\", "
                + "\"ExperimentUUID\", \"StorageState\", \"ServiceAccount\", \"PipelineId\", \"PipelineName\", "
                + "\"CreatedAtInSec\", \"Conditions\", \"PipelineRuntimeManifest\", \"WorkflowRuntimeManifest\") "
                + "VALUES (?, '', '', '', '', 'e1', 'AVAILABLE', '', '', '', 0, 'Running', '', '')", id);
    }

    /** Flyway over today's migrations with the superseded bodies put back, as an earlier build had them. */
    private Flyway oldBuild(TestDatabase db, Schema schema, String target) {
        String folder = db.databaseId() + "/" + schema.folder();
        Path dir = copyOfMigrations(db, schema, "old");
        try {
            copy(Path.of(getClass().getClassLoader().getResource("superseded/" + folder).toURI()), dir);
        } catch (URISyntaxException | IOException e) {
            throw new IllegalStateException(e);
        }
        return Flyway.configure().dataSource(db.dataSource()).table(schema.historyTable())
                .configuration(Map.of("flyway.postgresql.transactional.lock", "false"))
                .locations("filesystem:" + dir).target(target).placeholderReplacement(false)
                .baselineOnMigrate(true).baselineVersion("0").load();
    }

    /** A copy of today's migrations of {@code schema} in a folder of its own. */
    private Path copyOfMigrations(TestDatabase db, Schema schema, String name) {
        String folder = db.databaseId() + "/" + schema.folder();
        Path dir = temp.resolve(name).resolve(folder);
        try {
            copy(Path.of(getClass().getClassLoader().getResource(MapperCatalog.ROOT + folder).toURI()), dir);
        } catch (URISyntaxException | IOException e) {
            throw new IllegalStateException(e);
        }
        return dir;
    }

    private static void copy(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : files.toList()) {
                Files.copy(f, to.resolve(f.getFileName().toString()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    /** A table's indexes: name to "unique " (when unique) and its columns, comma-separated. */
    static Map<String, String> indexes(TestDatabase db, String table) {
        Map<String, List<String>> columns = new TreeMap<>();
        Map<String, Boolean> unique = new TreeMap<>();
        try (Connection c = db.dataSource().getConnection()) {
            DatabaseMetaData md = c.getMetaData();
            try (ResultSet rs = md.getIndexInfo(c.getCatalog(), c.getSchema(), table, false, false)) {
                while (rs.next()) {
                    String name = rs.getString("INDEX_NAME");
                    if (name == null) {
                        continue;
                    }
                    if (name.matches(".*_INDEX_[0-9A-F]+")) {
                        continue; // H2's own index behind a constraint, renamed or merged as H2 sees fit
                    }
                    // the primary key's name: H2 numbers it anew when the table changes
                    name = name.toLowerCase(java.util.Locale.ROOT).matches("primary(_key_.*)?|.*_pkey") ? "PRIMARY" : name;
                    columns.computeIfAbsent(name, k -> new ArrayList<>()).add(rs.getString("COLUMN_NAME"));
                    unique.put(name, !rs.getBoolean("NON_UNIQUE"));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        Map<String, String> out = new TreeMap<>();
        columns.forEach((name, cols) -> out.put(name, (unique.get(name) ? "unique " : "") + String.join(",", cols)));
        return out;
    }

    /** Every row (by key), column value and index of some tables. */
    record Snapshot(Map<String, Map<Object, Map<String, Object>>> rows, Map<String, Map<String, String>> indexes) {

        static Snapshot of(TestDatabase db, Map<String, String> keyByTable) {
            Map<String, Map<Object, Map<String, Object>>> rows = new TreeMap<>();
            Map<String, Map<String, String>> indexes = new TreeMap<>();
            keyByTable.forEach((table, key) -> {
                rows.put(table, rowsOf(db, table, key));
                indexes.put(table, AdoptionTest.indexes(db, table));
            });
            return new Snapshot(rows, indexes);
        }

        private static Map<Object, Map<String, Object>> rowsOf(TestDatabase db, String table, String key) {
            Map<Object, Map<String, Object>> out = new TreeMap<>();
            try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT * FROM " + table)) {
                int n = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int i = 1; i <= n; i++) {
                        row.put(rs.getMetaData().getColumnLabel(i), rs.getObject(i));
                    }
                    out.put(String.valueOf(row.get(key)), row);
                }
            } catch (SQLException e) {
                throw new UncheckedIOException(new IOException(e));
            }
            return out;
        }

        /** Every row, value and index of this snapshot is in {@code after}, unchanged. */
        void assertKeptIn(Snapshot after) {
            rows.forEach((table, byKey) -> {
                assertThat(after.rows.get(table).keySet()).as(table + " rows").containsAll(byKey.keySet());
                byKey.forEach((key, row) -> assertThat(after.rows.get(table).get(key))
                        .as(table + " row " + key).containsAllEntriesOf(row));
            });
            indexes.forEach((table, byName) ->
                    assertThat(after.indexes.get(table)).as(table + " indexes").containsAllEntriesOf(byName));
        }
    }
}
