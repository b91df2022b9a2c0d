package kfp.bench;

import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import kfp.store.config.DataSources;
import kfp.store.config.DatabaseConfig;

/** What the benchmarks share: their dedicated databases and the server's name for the tables. */
final class Bench {

    private Bench() {
    }

    /** A database server from the test variables ({@code KFP_TEST_MYSQL_URL}, {@code _USER}, {@code _PASSWORD} …). */
    record Server(String url, String user, String password) {

        /** The server of {@code vendor} ({@code mysql}, {@code postgresql}), or null (and why, on stderr) if unset. */
        static Server fromEnvironment(String vendor) {
            String prefix = "KFP_TEST_" + vendor.toUpperCase(java.util.Locale.ROOT);
            String url = System.getenv(prefix + "_URL");
            if (url == null) {
                System.err.println("skipping " + vendor + ": " + prefix + "_URL is not set");
                return null;
            }
            return new Server(url, System.getenv(prefix + "_USER"), System.getenv(prefix + "_PASSWORD"));
        }

        /** The same server, in the benchmark database {@code name} (created if absent). */
        Server database(String name) throws SQLException {
            return new Server(prepareDatabase(url, user, password, name), user, password);
        }

        HikariDataSource open(String poolName) {
            return DataSources.open(DatabaseConfig.forJdbcUrl(url, user, password), poolName);
        }
    }

    /**
     * Creates the database {@code name} (MySQL) or the schema {@code name} (PostgreSQL) if absent;
     * returns its JDBC URL. {@code name} is the benchmark's own constant, never user input.
     */
    private static String prepareDatabase(String url, String user, String password, String name) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, user, password); Statement st = c.createStatement()) {
            if (url.startsWith("jdbc:postgresql:")) {
                st.execute("CREATE SCHEMA IF NOT EXISTS " + name);
                return url + (url.contains("?") ? "&" : "?") + "currentSchema=" + name;
            }
            st.execute("CREATE DATABASE IF NOT EXISTS " + name + " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
            return url.replaceAll("/[^/?]*(\\?.*)?$", "/" + name + "$1");
        }
    }

    static String productName(HikariDataSource ds) throws SQLException {
        try (Connection c = ds.getConnection()) {
            return c.getMetaData().getDatabaseProductName();
        }
    }

    static String version(HikariDataSource ds) throws SQLException {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT VERSION()")) {
            rs.next();
            return rs.getString(1).replaceAll(" on .*|,.*", ""); // PostgreSQL appends its build platform
        }
    }

    /** One call of an interleaved measurement; {@code round} lets every call of a round use the same input. */
    interface RoundCall {
        Object call(int round) throws Exception;
    }

    /**
     * Nanoseconds of each call, single-threaded: {@code warmUp} rounds, then {@code timed} rounds,
     * each round making every call once in order, so that noise on the machine hits them alike.
     */
    static long[][] interleaved(List<RoundCall> calls, int warmUp, int timed) throws Exception {
        for (int i = 0; i < warmUp; i++) {
            for (RoundCall c : calls) {
                c.call(i);
            }
        }
        long[][] times = new long[calls.size()][timed];
        for (int i = 0; i < timed; i++) {
            for (int k = 0; k < calls.size(); k++) {
                long t0 = System.nanoTime();
                calls.get(k).call(i);
                times[k][i] = System.nanoTime() - t0;
            }
        }
        return times;
    }

    /** Heap bytes allocated per call, by the API server's threads and by all threads of the JVM. */
    record Allocation(long server, long total) {
    }

    /**
     * Heap bytes allocated per call over {@code calls} calls: by the server's threads (Armeria's
     * event loops and blocking executor, named {@code armeria-}) and by the whole JVM (with the
     * clients, which must then run on threads of their own). Netty's pooled buffers are reused,
     * not allocated, so what this counts is the copies made on the heap.
     */
    static Allocation allocatedPerCall(RoundCall call, int calls) throws Exception {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long[] before = allocated(threads);
        for (int i = 0; i < calls; i++) {
            call.call(i);
        }
        long[] after = allocated(threads);
        return new Allocation((after[0] - before[0]) / calls, (after[1] - before[1]) / calls);
    }

    /** {server threads, all threads}; a thread that ended meanwhile counts nothing. */
    private static long[] allocated(com.sun.management.ThreadMXBean threads) {
        long[] ids = threads.getAllThreadIds();
        long[] bytes = threads.getThreadAllocatedBytes(ids);
        java.lang.management.ThreadInfo[] info = threads.getThreadInfo(ids);
        long server = 0;
        long total = 0;
        for (int i = 0; i < ids.length; i++) {
            if (bytes[i] > 0 && info[i] != null) {
                total += bytes[i];
                server += info[i].getThreadName().startsWith("armeria-") ? bytes[i] : 0;
            }
        }
        return new long[] {server, total};
    }

    /** The p-th percentile of {@code nanos}, in milliseconds. */
    static double percentile(long[] nanos, int p) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, index)] / 1e6;
    }

    /** The body of a 200 answer; anything else stops the benchmark. */
    static String get(HttpClient http, HttpRequest request) throws Exception {
        HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException(request.uri() + " answered " + r.statusCode() + ": " + r.body());
        }
        return r.body();
    }

    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }
}
