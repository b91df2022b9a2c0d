package kfp.bench;

import com.google.inject.Guice;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import kfp.store.Schema;
import kfp.store.api.ExecutionCacheStore;
import kfp.store.dialect.Dialect;
import kfp.store.guice.CacheStoreModule;
import kfp.store.guice.StoreOptions;
import kfp.store.migration.SchemaMigrations;

/**
 * Execution cache lookup latency with a large table: seeds {@code --rows} entries (default 1,000,000)
 * into a dedicated database ({@code kfp_bench_cache} on MySQL/MariaDB, schema {@code kfp_bench_cache}
 * on PostgreSQL), then times single-threaded {@link ExecutionCacheStore#getExecutionCache} calls
 * through the real store (90% hits, 10% misses) and prints a markdown table of p50, p95 and p99.
 *
 * <p>Servers come from the test variables ({@code KFP_TEST_MYSQL_URL}, {@code _USER}, {@code _PASSWORD},
 * {@code KFP_TEST_POSTGRESQL_URL} …, see {@code .ci/test-databases.env}). A seeded table is reused
 * when it already has the rows; {@code --reseed} starts over. Not a test: run it by hand.
 */
public final class CacheLookupBench {

    private static final int SEED_BATCH = 5_000;

    private CacheLookupBench() {
    }

    public static void main(String[] args) throws Exception {
        int rows = 1_000_000;
        int lookups = 20_000;
        boolean reseed = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--rows" -> rows = Integer.parseInt(args[++i]);
                case "--lookups" -> lookups = Integer.parseInt(args[++i]);
                case "--reseed" -> reseed = true;
                default -> throw new IllegalArgumentException("usage: [--rows N] [--lookups N] [--reseed]");
            }
        }
        List<String> table = new ArrayList<>();
        table.add("| database | rows | lookups | p50 (ms) | p95 (ms) | p99 (ms) | max (ms) |");
        table.add("|---|---:|---:|---:|---:|---:|---:|");
        for (String vendor : List.of("mysql", "postgresql")) {
            Bench.Server server = Bench.Server.fromEnvironment(vendor);
            if (server == null) {
                continue;
            }
            try (HikariDataSource ds = server.database("kfp_bench_cache").open("bench")) {
                Dialect dialect = Dialect.fromProductName(Bench.productName(ds));
                SchemaMigrations.migrate(ds, dialect, Schema.CACHEDB);
                seed(ds, dialect, rows, reseed);
                ExecutionCacheStore store = Guice.createInjector(new CacheStoreModule(StoreOptions.using(ds)))
                        .getInstance(ExecutionCacheStore.class);
                double[] ms = time(store, rows, lookups);
                table.add(String.format("| %s (%s) | %,d | %,d | %.3f | %.3f | %.3f | %.3f |", dialect.databaseId(),
                        Bench.version(ds), rows, lookups, percentile(ms, 50), percentile(ms, 95), percentile(ms, 99),
                        ms[ms.length - 1]));
            }
        }
        table.forEach(System.out::println);
    }

    /** Fills execution_caches with {@code rows} entries shaped like KFP's (64-hex keys, a template, an output). */
    static void seed(HikariDataSource ds, Dialect dialect, int rows, boolean reseed) throws Exception {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            long present;
            try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM execution_caches")) {
                rs.next();
                present = rs.getLong(1);
            }
            if (present == rows && !reseed) {
                System.err.printf("%s: reusing %,d seeded rows%n", dialect.databaseId(), present);
                return;
            }
            st.execute(dialect == Dialect.POSTGRESQL ? "TRUNCATE execution_caches RESTART IDENTITY" : "TRUNCATE TABLE execution_caches");
            long start = System.nanoTime();
            long now = System.currentTimeMillis() / 1000;
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO execution_caches (\"ExecutionCacheKey\","
                    + " \"ExecutionTemplate\", \"ExecutionOutput\", \"MaxCacheStaleness\", \"StartedAtInSec\", \"EndedAtInSec\")"
                    + " VALUES (?, ?, ?, ?, ?, ?)")) {
                SplittableRandom random = new SplittableRandom(1);
                for (int i = 0; i < rows; i++) {
                    long started = now - random.nextLong(30L * 24 * 3600); // the last 30 days
                    ps.setString(1, key(i));
                    ps.setString(2, "{\"name\":\"step-" + i + "\",\"container\":{\"image\":\"python:3.9\","
                            + "\"command\":[\"python\",\"-c\"],\"args\":[\"train(" + i + ")\"]},"
                            + "\"outputs\":{\"parameters\":[{\"name\":\"accuracy\",\"valueFrom\":{\"path\":\"/tmp/acc\"}}]}}");
                    ps.setString(3, "{\"pipelines.kubeflow.org/metadata_execution_id\":\"" + i + "\","
                            + "\"workflows.argoproj.io/outputs\":\"{\\\"parameters\\\":[{\\\"name\\\":\\\"accuracy\\\","
                            + "\\\"value\\\":\\\"0.9\\\"}]}\"}");
                    ps.setLong(4, i % 10 == 0 ? 7L * 24 * 3600 : -1);
                    ps.setLong(5, started);
                    ps.setLong(6, started);
                    ps.addBatch();
                    if ((i + 1) % SEED_BATCH == 0 || i + 1 == rows) {
                        ps.executeBatch();
                        c.commit();
                    }
                }
            }
            c.setAutoCommit(true);
            st.execute(dialect == Dialect.POSTGRESQL ? "ANALYZE execution_caches" : "ANALYZE TABLE execution_caches");
            System.err.printf("%s: seeded %,d rows in %.1f s%n", dialect.databaseId(), rows, (System.nanoTime() - start) / 1e9);
        }
    }

    /** Lookup latencies in milliseconds, sorted; after a warm-up of a tenth as many calls. */
    static double[] time(ExecutionCacheStore store, int rows, int lookups) {
        SplittableRandom random = new SplittableRandom(2);
        for (int i = 0; i < lookups / 10; i++) {
            store.getExecutionCache(key(random.nextInt(rows)), -1, -1);
        }
        double[] ms = new double[lookups];
        int hits = 0;
        for (int i = 0; i < lookups; i++) {
            boolean miss = random.nextInt(10) == 0;
            String key = miss ? key(rows + random.nextInt(rows)) : key(random.nextInt(rows));
            long t0 = System.nanoTime();
            boolean hit = store.getExecutionCache(key, 30L * 24 * 3600, 60L * 24 * 3600).isPresent();
            ms[i] = (System.nanoTime() - t0) / 1e6;
            hits += hit ? 1 : 0;
        }
        System.err.printf("%,d lookups, %,d hits%n", lookups, hits);
        Arrays.sort(ms);
        return ms;
    }

    private static double percentile(double[] sorted, int p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }

    /** The i-th entry's key: 64 hex digits, as KFP's SHA-256 keys. */
    static String key(int i) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(("bench-" + i).getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
