package kfp.bench;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.UUID;
import kfp.store.Schema;
import kfp.store.api.ExecutionCacheStore;
import kfp.store.api.ExperimentStore;
import kfp.store.api.FilterContext;
import kfp.store.api.ListOptions;
import kfp.store.api.ListResult;
import kfp.store.api.PipelineStore;
import kfp.store.api.ResourceType;
import kfp.store.api.Run;
import kfp.store.api.RunStore;
import kfp.store.dialect.Dialect;
import kfp.store.guice.CacheStoreModule;
import kfp.store.guice.StoreModule;
import kfp.store.guice.StoreOptions;
import kfp.store.migration.SchemaMigrations;

/**
 * ListRuns and friends with many runs: {@code seed} fills a dedicated database
 * ({@code kfp_bench_runs_<profile>_<n>} on MySQL/MariaDB, a schema of that name on PostgreSQL) with
 * batched JDBC inserts; {@code measure} times the store calls (warm, p50/p99) next to (a) KFP's
 * earlier aggregate-then-paginate shape and (b) the lower bound (the page's ids by index, then those
 * rows and their children by key), and prints one markdown table per database. Not a test.
 *
 * <pre>java -cp "bench/target/classes:bench/target/lib/*" kfp.bench.RunsBench seed|measure|all \
 *     [--profile scale|wide] [--runs N] [--db mysql,postgresql] [--rounds N]</pre>
 */
public final class RunsBench {

    /** Long text per run, in characters: pipeline spec, workflow spec, pipeline and workflow runtime manifests. */
    enum Profile {
        SCALE(2_000, 0, 1_000, 500), // ~4 KB with the 0.5 KB state history
        WIDE(20_000, 20_000, 10_000, 10_000);

        final int pipelineSpec;
        final int workflowSpec;
        final int pipelineRuntime;
        final int workflowRuntime;

        Profile(int pipelineSpec, int workflowSpec, int pipelineRuntime, int workflowRuntime) {
            this.pipelineSpec = pipelineSpec;
            this.workflowSpec = workflowSpec;
            this.pipelineRuntime = pipelineRuntime;
            this.workflowRuntime = workflowRuntime;
        }
    }

    static final String NAMESPACE = "bench";
    static final int EXPERIMENTS = 20;
    static final int PIPELINES = 20;
    static final int VERSIONS_PER_PIPELINE = 10;
    static final String BIG_EXPERIMENT = experimentId(0);
    static final long YEAR = 365L * 24 * 3600;
    static final long EPOCH = 1_735_689_600L; // 2025-01-01: creation times spread over the year after it
    static final String[] STATES = {"SUCCEEDED", "SUCCEEDED", "SUCCEEDED", "SUCCEEDED", "SUCCEEDED", "SUCCEEDED",
        "FAILED", "FAILED", "RUNNING", "CANCELED"};
    static final String[] METRICS = {"accuracy", "loss", "f1"};
    /**
     * Child payloads, in characters each: the issue's "3 resource references (~300 B payloads), 5
     * tasks (~1 KB payloads)" read as per-run totals, the reading its "~4 KB of long text per run,
     * so a database stays under ~8 GB" at 1M runs allows (1 KB per task measured 29.7 KB per run
     * on MariaDB with its indexes: 30 GB at 1M).
     */
    static final int REFERENCE_PAYLOAD = 100;
    static final int TASK_PAYLOAD = 200;
    static final int CHUNK = 1_000;
    static final String EXPERIMENT_INDEX = "idx_run_details_experimentuuid_createdat_storagestate";
    static final String METRIC_INDEX = "idx_run_metrics_name_numbervalue_runuuid";
    static final int JVM_WARM_UP_CALLS = 1_000;
    static final String UI_DEFAULT_FILTER = filter("storage_state", "NOT_EQUALS", "ARCHIVED");
    static final String RUNNING_FILTER = filter("state", "EQUALS", "RUNNING");
    /** The UI's default run list: the big experiment's runs that are not archived, newest first, 20 a page. */
    static final FilterContext UI_DEFAULT_SCOPE = FilterContext.of(ResourceType.EXPERIMENT, BIG_EXPERIMENT);
    static final ListOptions UI_DEFAULT_PAGE = ListOptions.firstPage(20).withSortBy("created_at desc")
            .withFilter(UI_DEFAULT_FILTER);

    private RunsBench() {
    }

    public static void main(String[] args) throws Exception {
        String command = args.length > 0 ? args[0] : "";
        Profile profile = Profile.SCALE;
        int runs = 10_000;
        int rounds = 50;
        int aggregateRounds = 3;
        List<String> databases = List.of("mysql", "postgresql");
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--profile" -> profile = Profile.valueOf(args[++i].toUpperCase(Locale.ROOT));
                case "--runs" -> runs = Integer.parseInt(args[++i].replace("_", "").replace(",", ""));
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--aggregate-rounds" -> aggregateRounds = Integer.parseInt(args[++i]);
                case "--db" -> databases = List.of(args[++i].split(","));
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (!List.of("seed", "measure", "all").contains(command)) {
            System.err.println("usage: RunsBench seed|measure|all [--profile scale|wide] [--runs N]"
                    + " [--db mysql,postgresql] [--rounds N] [--aggregate-rounds N]");
            System.exit(2);
        }
        String name = dataSet(profile, runs);
        for (String db : databases) {
            Bench.Server server = Bench.Server.fromEnvironment(db);
            if (server == null) {
                continue;
            }
            Bench.Server bench = server.database(name);
            try (HikariDataSource ds = bench.open("bench")) {
                Dialect dialect = migrate(ds);
                if (!command.equals("measure")) {
                    new Seeder(profile, runs, dialect).seed(bench);
                }
                if (!command.equals("seed")) {
                    Injector injector = Guice.createInjector(new StoreModule(StoreOptions.using(ds)));
                    Measurement m = new Measurement(injector, ds, dialect, profile, runs, rounds, aggregateRounds);
                    m.run();
                    m.cacheLookup(server, rounds);
                    System.out.println();
                    System.out.printf("### %s (%s), %s profile, %,d runs, %s%n%n", dialect.databaseId(), Bench.version(ds),
                            profile.name().toLowerCase(Locale.ROOT), runs, java.time.LocalDate.now());
                    m.table().forEach(System.out::println);
                    System.out.flush();
                }
            }
        }
    }

    /** The database (MySQL) or schema (PostgreSQL) holding the data set of {@code runs} runs of {@code profile}. */
    static String dataSet(Profile profile, int runs) {
        return "kfp_bench_runs_" + profile.name().toLowerCase(Locale.ROOT) + "_" + runs;
    }

    /** Migrates a data set to the current schema; prints what a data set seeded before a new migration paid for it. */
    static Dialect migrate(HikariDataSource ds) throws SQLException {
        Dialect dialect = Dialect.fromProductName(Bench.productName(ds));
        long migrating = System.nanoTime();
        var migrated = SchemaMigrations.migrate(ds, dialect, Schema.MLPIPELINE);
        if (migrated.migrationsExecuted > 0) {
            System.err.printf("%s: %d migrations to version %s in %.1f s%n", dialect.databaseId(),
                    migrated.migrationsExecuted, migrated.targetSchemaVersion, (System.nanoTime() - migrating) / 1e9);
        }
        return dialect;
    }

    static String experimentId(int e) {
        return String.format("bench-exp-%02d", e);
    }

    static String pipelineId(int p) {
        return String.format("bench-pipeline-%02d", p);
    }

    static String versionId(int p, int v) {
        return String.format("bench-pipeline-%02d-v%02d", p, v);
    }

    static String filter(String key, String operation, String value) {
        return "{\"predicates\":[{\"key\":\"" + key + "\",\"operation\":\"" + operation + "\",\"string_value\":\"" + value + "\"}]}";
    }

    /** The i-th run: everything the seeder writes and the measurement looks up is derived from i. */
    static final class SeedRun {
        final String uuid;
        final int experiment;
        final long createdAt;
        final String state;
        final boolean archived;
        final int pipeline;
        final int version;

        SeedRun(int i) {
            SplittableRandom r = new SplittableRandom(0x5eed_0000_0000L + i);
            uuid = new UUID(r.nextLong(), r.nextLong()).toString();
            experiment = i % 2 == 0 ? 0 : 1 + r.nextInt(EXPERIMENTS - 1); // one experiment holds half the runs
            createdAt = EPOCH + r.nextLong(YEAR);
            state = STATES[r.nextInt(STATES.length)];
            archived = r.nextInt(10) == 0;
            pipeline = r.nextInt(PIPELINES);
            version = r.nextInt(VERSIONS_PER_PIPELINE);
        }
    }

    /** Batched inserts in transactions of {@link #CHUNK} runs with their children; resumes after the last full chunk. */
    static final class Seeder {
        private final Profile profile;
        private final int runs;
        private final Dialect dialect;
        private final String noise;
        private final SplittableRandom random = new SplittableRandom(42);

        Seeder(Profile profile, int runs, Dialect dialect) {
            this.profile = profile;
            this.runs = runs;
            this.dialect = dialect;
            // A pool of random characters; each value is a random slice of it, so values do not compress.
            char[] alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".toCharArray();
            char[] pool = new char[4 << 20];
            SplittableRandom r = new SplittableRandom(7);
            for (int i = 0; i < pool.length; i++) {
                pool[i] = alphabet[r.nextInt(alphabet.length)];
            }
            noise = new String(pool);
        }

        String text(int chars) {
            int at = random.nextInt(noise.length() - chars);
            return noise.substring(at, at + chars);
        }

        String json(String key, int size) {
            return "{\"" + key + "\":\"" + text(Math.max(0, size - key.length() - 7)) + "\"}";
        }

        void seed(Bench.Server bench) throws SQLException {
            String url = bench.url() + (bench.url().contains("?") ? "&" : "?")
                    + (dialect == Dialect.POSTGRESQL ? "reWriteBatchedInserts=true" : "rewriteBatchedStatements=true");
            // A pool of its own for the driver's batch rewriting (multi-row INSERTs); it sets the session's sql_mode.
            try (HikariDataSource seeding = new Bench.Server(url, bench.user(), bench.password()).open("seed");
                 Connection c = seeding.getConnection(); Statement st = c.createStatement()) {
                int present;
                try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM run_details WHERE \"UUID\" NOT LIKE 'create-%'")) {
                    rs.next();
                    present = rs.getInt(1);
                }
                if (present >= runs) {
                    System.err.printf("%s: %,d runs already seeded%n", dialect.databaseId(), present);
                    analyze(st);
                    return;
                }
                c.setAutoCommit(false);
                if (present == 0) {
                    seedExperimentsAndPipelines(c);
                }
                int from = present - present % CHUNK;
                if (from != present) { // a chunk is one transaction, so this only follows a foreign writer
                    throw new IllegalStateException(present + " runs present, not a multiple of " + CHUNK + ": drop the database");
                }
                long start = System.nanoTime();
                try (PreparedStatement run = c.prepareStatement(insert("run_details", "UUID", "DisplayName", "Name",
                        "Description", "Namespace", "ExperimentUUID", "StorageState", "ServiceAccount", "PipelineId",
                        "PipelineVersionId", "PipelineName", "PipelineSpecManifest", "WorkflowSpecManifest", "Parameters",
                        "RuntimeParameters", "PipelineRoot", "CreatedAtInSec", "ScheduledAtInSec", "FinishedAtInSec",
                        "Conditions", "State", "StateHistory", "PipelineRuntimeManifest", "WorkflowRuntimeManifest",
                        "ArchivedAtInSec"));
                     PreparedStatement ref = c.prepareStatement(insert("resource_references", "ResourceUUID",
                             "ResourceType", "ReferenceUUID", "ReferenceName", "ReferenceType", "Relationship", "Payload"));
                     PreparedStatement task = c.prepareStatement(insert("tasks", "UUID", "Namespace", "PipelineName",
                             "RunUUID", "PodName", "MLMDExecutionID", "CreatedTimestamp", "StartedTimestamp",
                             "FinishedTimestamp", "Fingerprint", "Name", "State", "Payload"));
                     PreparedStatement metric = c.prepareStatement(insert("run_metrics", "RunUUID", "NodeID", "Name",
                             "NumberValue", "Format", "Payload"))) {
                    for (int i = from; i < runs; i++) {
                        addRun(i, run, ref, task, metric);
                        if ((i + 1) % CHUNK == 0 || i + 1 == runs) {
                            run.executeBatch();
                            ref.executeBatch();
                            task.executeBatch();
                            metric.executeBatch();
                            c.commit();
                            if ((i + 1) % 50_000 == 0) {
                                System.err.printf("%s: %,d runs (%.0f s)%n", dialect.databaseId(), i + 1, (System.nanoTime() - start) / 1e9);
                            }
                        }
                    }
                }
                c.setAutoCommit(true);
                analyze(st);
                System.err.printf("%s: seeded %,d runs in %.1f s%n", dialect.databaseId(), runs - from, (System.nanoTime() - start) / 1e9);
            }
        }

        /**
         * Statistics; on PostgreSQL also the visibility map, which index-only scans need (autovacuum
         * sets it on a live server).
         */
        private void analyze(Statement st) throws SQLException {
            for (String table : List.of("run_details", "resource_references", "tasks", "run_metrics", "experiments",
                    "pipelines", "pipeline_versions")) {
                st.execute(dialect == Dialect.POSTGRESQL ? "VACUUM ANALYZE " + table : "ANALYZE TABLE " + table);
            }
        }

        private void addRun(int i, PreparedStatement run, PreparedStatement ref, PreparedStatement task,
                            PreparedStatement metric) throws SQLException {
            SeedRun s = new SeedRun(i);
            boolean finished = !s.state.equals("RUNNING");
            long finishedAt = finished ? s.createdAt + 60 + random.nextInt(7200) : 0;
            int k = 1;
            run.setString(k++, s.uuid);
            run.setString(k++, "run " + i);
            run.setString(k++, "run-" + i);
            run.setString(k++, "benchmark run " + i);
            run.setString(k++, NAMESPACE);
            run.setString(k++, experimentId(s.experiment));
            run.setString(k++, s.archived ? "ARCHIVED" : "AVAILABLE");
            run.setString(k++, "pipeline-runner");
            run.setString(k++, pipelineId(s.pipeline));
            run.setString(k++, versionId(s.pipeline, s.version));
            run.setString(k++, "pipeline " + s.pipeline);
            run.setString(k++, json("pipelineSpec", profile.pipelineSpec));
            run.setString(k++, profile.workflowSpec == 0 ? null : json("workflow", profile.workflowSpec));
            run.setString(k++, "[]");
            run.setString(k++, "{\"lr\":\"" + random.nextDouble() + "\"}");
            run.setString(k++, "minio://mlpipeline/v2/artifacts");
            run.setLong(k++, s.createdAt);
            run.setLong(k++, s.createdAt);
            run.setLong(k++, finishedAt);
            run.setString(k++, s.state.equals("SUCCEEDED") ? "Succeeded" : s.state.equals("RUNNING") ? "Running" : "Failed");
            run.setString(k++, s.state);
            run.setString(k++, "[{\"update_time\":\"" + text(440) + "\",\"state\":\"" + s.state + "\"}]");
            run.setString(k++, json("pipelineRuntime", profile.pipelineRuntime));
            run.setString(k++, json("workflowRuntime", profile.workflowRuntime));
            run.setLong(k, s.archived ? finishedAt : 0);
            run.addBatch();
            String[][] refs = {
                {experimentId(s.experiment), "experiment " + s.experiment, "Experiment", "Owner"},
                {NAMESPACE, NAMESPACE, "Namespace", "Owner"},
                {versionId(s.pipeline, s.version), "version " + s.version, "PipelineVersion", "Creator"},
            };
            for (String[] r : refs) {
                ref.setString(1, s.uuid);
                ref.setString(2, "Run");
                ref.setString(3, r[0]);
                ref.setString(4, r[1]);
                ref.setString(5, r[2]);
                ref.setString(6, r[3]);
                ref.setString(7, json("reference", REFERENCE_PAYLOAD));
                ref.addBatch();
            }
            for (int t = 0; t < 5; t++) {
                task.setString(1, s.uuid + "-t" + t);
                task.setString(2, NAMESPACE);
                task.setString(3, "pipeline " + s.pipeline);
                task.setString(4, s.uuid);
                task.setString(5, "run-" + i + "-pod-" + t);
                task.setString(6, Integer.toString(i * 5 + t));
                task.setLong(7, s.createdAt + t);
                task.setLong(8, s.createdAt + t);
                task.setLong(9, finishedAt);
                task.setString(10, text(64));
                task.setString(11, "step-" + t);
                task.setString(12, s.state);
                task.setString(13, json("task", TASK_PAYLOAD));
                task.addBatch();
            }
            for (String name : METRICS) {
                metric.setString(1, s.uuid);
                metric.setString(2, "node-train");
                metric.setString(3, name);
                metric.setDouble(4, random.nextDouble());
                metric.setString(5, "RAW");
                metric.setString(6, json("metric", 100));
                metric.addBatch();
            }
        }

        private void seedExperimentsAndPipelines(Connection c) throws SQLException {
            try (PreparedStatement e = c.prepareStatement(insert("experiments", "UUID", "Name", "Description",
                    "CreatedAtInSec", "LastRunCreatedAtInSec", "Namespace", "StorageState"))) {
                for (int i = 0; i < EXPERIMENTS; i++) {
                    e.setString(1, experimentId(i));
                    e.setString(2, "experiment " + i);
                    e.setString(3, "benchmark experiment");
                    e.setLong(4, EPOCH - 1000 + i);
                    e.setLong(5, EPOCH + YEAR);
                    e.setString(6, NAMESPACE);
                    e.setString(7, "AVAILABLE");
                    e.addBatch();
                }
                e.executeBatch();
            }
            try (PreparedStatement p = c.prepareStatement(insert("pipelines", "UUID", "CreatedAtInSec", "Name",
                    "DisplayName", "Description", "Parameters", "Status", "DefaultVersionId", "Namespace"));
                 PreparedStatement v = c.prepareStatement(insert("pipeline_versions", "UUID", "CreatedAtInSec", "Name",
                         "DisplayName", "Parameters", "PipelineId", "Status", "CodeSourceUrl", "Description",
                         "PipelineSpec", "PipelineSpecURI"))) {
                for (int i = 0; i < PIPELINES; i++) {
                    p.setString(1, pipelineId(i));
                    p.setLong(2, EPOCH - 2000 + i);
                    p.setString(3, "pipeline " + i);
                    p.setString(4, "pipeline " + i);
                    p.setString(5, "benchmark pipeline");
                    p.setString(6, "[]");
                    p.setString(7, "READY");
                    p.setString(8, versionId(i, VERSIONS_PER_PIPELINE - 1));
                    p.setString(9, "");
                    p.addBatch();
                }
                p.executeBatch();
                for (int i = 0; i < PIPELINES; i++) {
                    for (int j = 0; j < VERSIONS_PER_PIPELINE; j++) {
                        v.setString(1, versionId(i, j));
                        v.setLong(2, EPOCH - 1500 + j);
                        v.setString(3, "version " + j);
                        v.setString(4, "version " + j);
                        v.setString(5, "[]");
                        v.setString(6, pipelineId(i));
                        v.setString(7, "READY");
                        v.setString(8, "");
                        v.setString(9, "");
                        v.setString(10, json("pipelineSpec", profile.pipelineSpec));
                        v.setString(11, "");
                        v.addBatch();
                    }
                }
                v.executeBatch();
            }
        }

        private static String insert(String table, String... columns) {
            return "INSERT INTO " + table + " (\"" + String.join("\", \"", columns) + "\") VALUES ("
                    + String.join(", ", Collections.nCopies(columns.length, "?")) + ")";
        }
    }

    /** One scenario's timings, with its lower bound (b) and aggregate shape (a) where they apply. */
    record Row(String scenario, double[] ours, double[] lowerBound, double[] aggregate, boolean aggregateCapped,
               String note) {
        Row(String scenario, double[] ours, double[] lowerBound, double[] aggregate, String note) {
            this(scenario, ours, lowerBound, aggregate, false, note);
        }
    }

    /**
     * The statement timeout of (a): at 100k wide runs one call can take minutes on this machine. A
     * call stopped by it is shown as "> timeout" and its ratio as a lower bound.
     */
    static final int AGGREGATE_TIMEOUT_SECONDS = 120;

    static final class Measurement {
        private final RunStore runs;
        private final ExperimentStore experiments;
        private final PipelineStore pipelines;
        private final HikariDataSource ds;
        private final Dialect dialect;
        private final int n;
        private final int rounds;
        private final int aggregateRounds;
        private final List<Row> rows = new ArrayList<>();
        private boolean aggregateTimedOut;

        Measurement(Injector injector, HikariDataSource ds, Dialect dialect, Profile profile, int n, int rounds,
                    int aggregateRounds) {
            this.runs = injector.getInstance(RunStore.class);
            this.experiments = injector.getInstance(ExperimentStore.class);
            this.pipelines = injector.getInstance(PipelineStore.class);
            this.ds = ds;
            this.dialect = dialect;
            this.n = n;
            this.rounds = rounds;
            this.aggregateRounds = aggregateRounds;
        }

        void run() throws Exception {
            FilterContext big = UI_DEFAULT_SCOPE;
            FilterContext namespace = FilterContext.of(ResourceType.NAMESPACE, NAMESPACE);
            ListOptions uiDefault = UI_DEFAULT_PAGE;
            String bigScope = "\"ExperimentUUID\" = '" + BIG_EXPERIMENT + "' AND \"StorageState\" <> 'ARCHIVED'";
            String byCreated = "\"CreatedAtInSec\" DESC, \"UUID\" DESC";

            // The JVM's warm-up before the first scenario (the per-scenario warm-up is too short
            // for the JIT to compile the list path, which the first table row would otherwise show).
            for (int i = 0; i < JVM_WARM_UP_CALLS; i++) {
                runs.listRuns(i % 2 == 0 ? big : namespace, uiDefault);
                lowerBound(bigScope, byCreated, null, EXPERIMENT_INDEX);
            }

            listScenario("ListRuns UI default (big experiment, not archived, created_at desc)", big, uiDefault,
                    bigScope, byCreated, null, EXPERIMENT_INDEX);

            // A page 100,000 rows deep (or 80% into the big experiment when it holds fewer): reached page by page.
            int depth = Math.min(100_000, (int) (n / 2 * 0.9 * 0.8));
            String token = "";
            int reached = 0;
            while (reached < depth) {
                int size = Math.min(200, depth - reached);
                ListOptions o = token.isEmpty() ? new ListOptions(size, uiDefault.sortBy(), uiDefault.filter(), "")
                        : new ListOptions(size, "", "", token); // a token carries its sort and filter
                ListResult<Run> page = runs.listRuns(big, o);
                reached += page.items().size();
                token = page.nextPageToken();
                if (token.isEmpty()) {
                    throw new IllegalStateException("the big experiment ended after " + reached + " runs");
                }
            }
            String deepToken = token;
            long deepCreated = runs.listRuns(big, new ListOptions(1, "", "", deepToken)).items().get(0).createdAtInSec;
            rows.add(new Row(String.format("ListRuns page %,d rows deep via token", reached),
                    time(() -> runs.listRuns(big, new ListOptions(20, "", "", deepToken)), rounds),
                    time(() -> lowerBound(bigScope + " AND \"CreatedAtInSec\" <= " + deepCreated, byCreated, null, EXPERIMENT_INDEX), rounds),
                    null, ""));

            listScenario("ListRuns all runs of the namespace, created_at desc", namespace,
                    ListOptions.firstPage(20).withSortBy("created_at desc"),
                    "\"Namespace\" = '" + NAMESPACE + "'", byCreated, null, "idx_run_details_namespace_createdat_storagestate");
            listScenario("ListRuns sort by metric:accuracy desc (big experiment, not archived)", big,
                    uiDefault.withSortBy("metric:accuracy desc"), bigScope, null, "accuracy", null);
            listScenario("ListRuns filter state = RUNNING (namespace, created_at desc)", namespace,
                    ListOptions.firstPage(20).withSortBy("created_at desc").withFilter(RUNNING_FILTER),
                    "\"Namespace\" = '" + NAMESPACE + "' AND \"State\" = 'RUNNING'", byCreated, null,
                    "idx_run_details_namespace_state_createdat");

            SplittableRandom r = new SplittableRandom(3);
            rows.add(new Row("GetRun", time(() -> runs.getRun(new SeedRun(r.nextInt(n)).uuid), rounds * 4),
                    time(() -> byKeys(List.of(new SeedRun(r.nextInt(n)).uuid)), rounds * 4), null, ""));

            createRuns();

            rows.add(new Row("ListExperiments (namespace, first page)", time(() -> experiments.listExperiments(
                    namespace, ListOptions.firstPage(20).withSortBy("created_at desc")), rounds), null, null, ""));
            rows.add(new Row("ListPipelines with latest version (v1, first page)", time(() -> pipelines.listPipelinesV1(
                    FilterContext.NONE, ListOptions.firstPage(20)), rounds), null, null, ""));
        }

        /** A ListRuns scenario through the store, its lower bound (b) and KFP's aggregate shape (a). */
        private void listScenario(String name, FilterContext context, ListOptions options, String where, String orderBy,
                                  String metric, String index) throws Exception {
            int expected = runs.listRuns(context, options).items().size();
            double[] ours = time(() -> runs.listRuns(context, options), rounds);
            double[] lower = time(() -> lowerBound(where, orderBy, metric, index), rounds);
            aggregateTimedOut = false;
            double[] aggregate = aggregateRounds == 0 ? null // --aggregate-rounds 0: (a) not timed
                    : time(() -> aggregate(where, orderBy, metric, expected), aggregateRounds);
            rows.add(new Row(name, ours, lower, aggregate, aggregateTimedOut,
                    aggregateTimedOut ? "(a) stopped by its " + AGGREGATE_TIMEOUT_SECONDS + " s timeout" : ""));
        }

        private void createRuns() {
            List<String> created = new ArrayList<>();
            SplittableRandom r = new SplittableRandom(4);
            double[] ms = time(() -> {
                Run run = new Run();
                run.uuid = "create-" + UUID.randomUUID();
                run.displayName = "created " + created.size();
                run.namespace = NAMESPACE;
                run.experimentId = experimentId(1 + r.nextInt(EXPERIMENTS - 1));
                run.pipelineSpecManifest = "{\"spec\":\"" + Long.toHexString(r.nextLong()).repeat(100) + "\"}";
                run.createdAtInSec = EPOCH + YEAR;
                run.state = "PENDING";
                runs.createRun(run);
                created.add(run.uuid);
                return run;
            }, rounds * 4);
            double total = Arrays.stream(ms).sum();
            rows.add(new Row("CreateRun (one thread)", ms, null, null,
                    String.format("%.0f runs/s", ms.length / (total / 1000))));
            created.forEach(runs::deleteRun);
        }

        /**
         * (b) The page's ids by index alone (on MySQL the index is named: its planner may pick a
         * worse one), then those rows and their children by primary key.
         */
        private int lowerBound(String where, String orderBy, String metric, String index) throws SQLException {
            List<String> ids = new ArrayList<>();
            boolean mysql = dialect == Dialect.MYSQL;
            String hint = index != null && mysql ? " FORCE INDEX (" + index + ")" : "";
            String sql = metric == null
                    ? "SELECT \"UUID\" FROM run_details" + hint + " WHERE " + where + " ORDER BY " + orderBy + " LIMIT 21"
                    // the metric's index in order (migration 42), each entry's run by key; one node per metric here
                    : "SELECT " + (mysql ? "STRAIGHT_JOIN " : "") + "m.\"RunUUID\" FROM run_metrics m"
                            + (mysql ? " FORCE INDEX (" + METRIC_INDEX + ")" : "")
                            + " JOIN run_details rd ON rd.\"UUID\" = m.\"RunUUID\""
                            + " WHERE m.\"Name\" = '" + metric + "' AND m.\"NumberValue\" IS NOT NULL AND " + qualify(where, "rd")
                            + " ORDER BY m.\"NumberValue\" DESC, m.\"RunUUID\"" + (mysql ? "" : " COLLATE \"C\"")
                            + " DESC LIMIT 21";
            try (Connection c = ds.getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
            return byKeys(ids.subList(0, Math.min(20, ids.size())));
        }

        /** Rows and children of the given runs by key; returns the number of values read. */
        private int byKeys(List<String> ids) throws SQLException {
            if (ids.isEmpty()) {
                return 0;
            }
            String in = String.join(",", Collections.nCopies(ids.size(), "?"));
            int values = 0;
            try (Connection c = ds.getConnection()) {
                for (String sql : List.of("SELECT * FROM run_details WHERE \"UUID\" IN (" + in + ")",
                        "SELECT * FROM resource_references WHERE \"ResourceType\" = 'Run' AND \"ResourceUUID\" IN (" + in + ")",
                        "SELECT * FROM tasks WHERE \"RunUUID\" IN (" + in + ")",
                        "SELECT * FROM run_metrics WHERE \"RunUUID\" IN (" + in + ")")) {
                    try (PreparedStatement ps = c.prepareStatement(sql)) {
                        for (int i = 0; i < ids.size(); i++) {
                            ps.setString(i + 1, ids.get(i));
                        }
                        try (ResultSet rs = ps.executeQuery()) {
                            int columns = rs.getMetaData().getColumnCount();
                            while (rs.next()) {
                                for (int i = 1; i <= columns; i++) {
                                    rs.getObject(i);
                                    values++;
                                }
                            }
                        }
                    }
                }
            }
            return values;
        }

        /**
         * (a) KFP's earlier shape: every run the filter matches, grouped with all its columns while its
         * children's payloads are aggregated (three layers), then sorted and paged; and the count.
         */
        private int aggregate(String where, String orderBy, String metric, int expected) throws SQLException {
            String columns = RUN_COLUMNS.stream().map(col -> "rd.\"" + col + "\"").reduce((x, y) -> x + ", " + y).orElseThrow();
            String outer = columns.replace("rd.", "withmetrics.");
            String agg = dialect == Dialect.POSTGRESQL
                    ? "'[' || COALESCE(string_agg(%s, ','), '') || ']'"
                    : "CONCAT('[', COALESCE(GROUP_CONCAT(%s SEPARATOR ','), ''), ']')";
            String sql = "SELECT " + outer + ", withmetrics.tasks, withmetrics.metrics, withmetrics.sortvalue, "
                    + agg.formatted("rr.\"Payload\"") + " AS refs FROM ("
                    + " SELECT " + columns.replace("rd.", "withtasks.") + ", withtasks.tasks, "
                    + agg.formatted("m.\"Payload\"") + " AS metrics, MAX(CASE WHEN m.\"Name\" = '"
                    + (metric == null ? "" : metric) + "' THEN m.\"NumberValue\" END) AS sortvalue FROM ("
                    + "  SELECT " + columns + ", " + agg.formatted("t.\"Payload\"") + " AS tasks"
                    + "    FROM (SELECT * FROM run_details WHERE " + where + ") rd"
                    + "    LEFT JOIN tasks t ON t.\"RunUUID\" = rd.\"UUID\""
                    + "   GROUP BY " + columns + ") withtasks"
                    + "  LEFT JOIN run_metrics m ON m.\"RunUUID\" = withtasks.\"UUID\""
                    + "  GROUP BY " + columns.replace("rd.", "withtasks.") + ", withtasks.tasks) withmetrics"
                    + " LEFT JOIN resource_references rr ON rr.\"ResourceType\" = 'Run' AND rr.\"ResourceUUID\" = withmetrics.\"UUID\""
                    + " GROUP BY " + outer + ", withmetrics.tasks, withmetrics.metrics, withmetrics.sortvalue"
                    + " ORDER BY " + (metric == null ? qualify(orderBy, "withmetrics")
                            : "withmetrics.sortvalue DESC, withmetrics.\"UUID\" DESC")
                    + " LIMIT 21";
            int read = 0;
            try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
                st.setQueryTimeout(AGGREGATE_TIMEOUT_SECONDS);
                try (ResultSet rs = st.executeQuery(sql)) {
                    while (rs.next()) {
                        read++;
                    }
                }
                try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM run_details WHERE " + where)) {
                    rs.next();
                }
            } catch (SQLException e) {
                if (e instanceof SQLTimeoutException || "57014".equals(e.getSQLState())) { // PostgreSQL: query_canceled
                    aggregateTimedOut = true;
                    return -1;
                }
                throw e;
            }
            if (Math.min(read, 20) != expected) {
                throw new IllegalStateException("aggregate shape read " + read + " rows, the store " + expected);
            }
            return read;
        }

        void cacheLookup(Bench.Server server, int rounds) throws Exception {
            try (HikariDataSource cache = server.database("kfp_bench_cache").open("bench-cache")) {
                SchemaMigrations.migrate(cache, dialect, Schema.CACHEDB);
                CacheLookupBench.seed(cache, dialect, 1_000_000, false);
                ExecutionCacheStore store = Guice.createInjector(new CacheStoreModule(StoreOptions.using(cache)))
                        .getInstance(ExecutionCacheStore.class);
                double[] ms = CacheLookupBench.time(store, 1_000_000, rounds * 100);
                rows.add(new Row("Cache lookup, 1,000,000 cache rows (90% hits)", ms, null, null, ""));
            }
        }

        List<String> table() {
            List<String> out = new ArrayList<>();
            out.add("| scenario | N | p50 (ms) | p99 (ms) | (b) lower bound p50 | × (b) | (a) aggregate p50 | (a) ÷ ours | note |");
            out.add("|---|---:|---:|---:|---:|---:|---:|---:|---|");
            for (Row row : rows) {
                double p50 = percentile(row.ours, 50);
                String lower = row.lowerBound == null ? "—" : String.format("%.2f", percentile(row.lowerBound, 50));
                String lowerRatio = row.lowerBound == null ? "—" : String.format("%.2f", p50 / percentile(row.lowerBound, 50));
                String capped = row.aggregateCapped ? "> " : "";
                String agg = row.aggregate == null ? "—" : capped + String.format("%.1f", percentile(row.aggregate, 50));
                String aggRatio = row.aggregate == null ? "—" : capped + String.format("%.0f", percentile(row.aggregate, 50) / p50);
                String note = row.ours.length < rounds ? (row.note + " " + row.ours.length + " calls").trim() : row.note;
                out.add(String.format("| %s | %,d | %.2f | %.2f | %s | %s | %s | %s | %s |", row.scenario, n, p50,
                        percentile(row.ours, 99), lower, lowerRatio, agg, aggRatio, note));
            }
            return out;
        }
    }

    /** Prefixes each quoted column name in {@code sql} with a table alias. */
    static String qualify(String sql, String alias) {
        return sql.replaceAll("\"(\\w+)\"", alias + ".\"$1\"");
    }

    static final List<String> RUN_COLUMNS = List.of("UUID", "DisplayName", "Name", "Description", "Namespace",
            "ExperimentUUID", "JobUUID", "StorageState", "ServiceAccount", "PipelineId", "PipelineVersionId",
            "PipelineName", "PipelineSpecManifest", "WorkflowSpecManifest", "Parameters", "RuntimeParameters",
            "PipelineRoot", "CreatedAtInSec", "ScheduledAtInSec", "FinishedAtInSec", "Conditions", "State",
            "StateHistory", "PluginsInput", "PluginsOutput", "PipelineRuntimeManifest", "WorkflowRuntimeManifest",
            "PipelineContextId", "PipelineRunContextId", "RetryGeneration", "RetryClaimedAtInSec", "ArchivedAtInSec");

    interface Call {
        Object call() throws Exception;
    }

    /** How long one scenario's timed calls may take before it stops early (after at least 5). */
    static final long BUDGET_NANOS = 10_000_000_000L;

    /**
     * Wall-clock milliseconds of each call, sorted, after as many warm-up calls (so the JIT has
     * compiled the path; one when fewer than 10 calls are asked, as for the slow aggregate shape).
     * A slow scenario stops after {@link #BUDGET_NANOS} (warm-up and timed calls each), with at
     * least 5 timed calls; the table then names the number of calls. A first call slower than the
     * budget is its own warm-up and the only sample (the aggregate shape at 100k wide runs).
     */
    static double[] time(Call call, int rounds) {
        try {
            long start = System.nanoTime();
            call.call();
            long first = System.nanoTime() - start;
            if (first > BUDGET_NANOS) {
                return new double[] {first / 1e6};
            }
            for (int i = 1; i < (rounds < 10 ? 1 : rounds) && System.nanoTime() - start < BUDGET_NANOS; i++) {
                call.call();
            }
            double[] ms = new double[rounds];
            int done = 0;
            start = System.nanoTime();
            while (done < rounds && (done < 5 || System.nanoTime() - start < BUDGET_NANOS)) {
                long t0 = System.nanoTime();
                call.call();
                ms[done++] = (System.nanoTime() - t0) / 1e6;
            }
            ms = Arrays.copyOf(ms, done);
            Arrays.sort(ms);
            return ms;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static double percentile(double[] sorted, int p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }
}
