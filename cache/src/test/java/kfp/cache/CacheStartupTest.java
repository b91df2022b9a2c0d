package kfp.cache;

import static org.assertj.core.api.Assertions.assertThat;

import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.MediaType;
import java.net.ServerSocket;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import kfp.store.config.DatabaseConfig;
import kfp.store.config.SettingNames;
import kfp.store.guice.StoreOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import kfp.store.dialect.Dialect;
import kfp.store.testing.MainProcess;
import kfp.store.testing.OnEachDatabase;
import kfp.store.testing.StoreTest;
import kfp.store.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Start-up: bad flags, a port in use or an unusable database end the real main (as a process) with
 * one stderr line and exit 1; the listener is up before the database is.
 */
@StoreTest(schemas = {})
class CacheStartupTest {

    @OnEachDatabase
    void anUnusableDatabaseIsOneLine(TestDatabase db, @TempDir Path dir) throws Exception {
        List<String> args = new ArrayList<>(List.of("--tls_self_signed", "--listen_port=0"));
        String expected;
        String heldH2 = null;
        if (db.dialect() == Dialect.H2) {
            String path = dir.resolve("cachedb").toString();
            heldH2 = path; // another server has it open
            args.addAll(List.of("--db_driver=h2", "--db_h2_path=" + path));
            expected = "kfp-cache-server: cannot connect to H2 jdbc:h2:file:" + path;
        } else {
            URI uri = URI.create(db.config().jdbcUrl().substring("jdbc:".length()));
            boolean pg = db.dialect() == Dialect.POSTGRESQL;
            String name = uri.getPath().substring(1);
            args.addAll(List.of("--db_driver=" + (pg ? "pgx" : "mysql"), "--db_host", uri.getHost(),
                    "--db_port=" + uri.getPort(), "--db_name=" + name, "--db_user=kfp_no_such_user", "--db_password=wrong"));
            if (pg) {
                args.add("--db_extra_params={\"sslmode\":\"disable\"}");
            }
            expected = "kfp-cache-server: cannot log in to " + (pg ? "PostgreSQL" : "MySQL") + " database '" + name
                    + "' at " + uri.getHost() + ":" + uri.getPort() + " as user 'kfp_no_such_user'"
                    + " (check --db_user and --db_password)";
        }
        MainProcess.assertFailsWithOneLine(CacheServerMain.class, args, Map.of(), dir, heldH2, expected);
    }

    @Test
    void badFlagsAreOneLine(@TempDir Path dir) throws Exception {
        assertOneLine(dir, List.of("--no_such_flag=1"), Map.of(), "kfp-cache-server: flag provided but not defined: -no_such_flag");
        assertOneLine(dir, List.of("--db_driver=oracle"), Map.of(),
                "kfp-cache-server: --db_driver=oracle is not supported (use mysql, pgx or postgresql; h2 for local use)");
        assertOneLine(dir, List.of("--db_driver=pgx", "--db_user=u"), Map.of(),
                "kfp-cache-server: --db_extra_params must set sslmode");
        assertOneLine(dir, List.of("--db_driver=pgx"), Map.of(), "kfp-cache-server: --db_user is required with --db_driver=pgx");
        assertOneLine(dir, List.of("--listen_port=http"), Map.of(),
                "kfp-cache-server: --listen_port=http is not a whole number from 0 to 65535");
        assertOneLine(dir, List.of("--db_driver=h2"), Map.of("CACHE_NODE_RESTRICTIONS", "maybe"),
                "kfp-cache-server: CACHE_NODE_RESTRICTIONS=maybe is not a boolean (true or false)");
        assertOneLine(dir, List.of("--db_driver=h2", "--db_h2_path=" + dir.resolve("db"), "--tls_dir=" + dir, "--listen_port=0"),
                Map.of(), "kfp-cache-server: cannot read the TLS certificate " + dir.resolve("cert.pem"));
    }

    @Test
    void aPortInUseIsOneLineNamingIt(@TempDir Path dir) throws Exception {
        try (ServerSocket taken = new ServerSocket(0)) {
            assertOneLine(dir, List.of("--db_driver=h2", "--db_h2_path=" + dir.resolve("db"), "--tls_self_signed",
                    "--listen_port=" + taken.getLocalPort()), Map.of(),
                    "kfp-cache-server: port " + taken.getLocalPort() + " is already in use (check --listen_port)");
        }
    }

    /**
     * The ports are bound before the database is reached and migrated: while it is awaited the server
     * is live but not ready and the webhook answers 503; once the store is ready all three answer;
     * readiness turns false again when the database stops answering, liveness does not.
     */
    @Test
    void listensBeforeTheDatabaseIsReadyAndReadinessFollowsTheDatabase() throws Exception {
        String name = "cache_later_" + UUID.randomUUID().toString().replace("-", "");
        int https = freePort();
        int http = freePort();
        CacheSettings settings = CacheSettings.from(new String[] {"--db_driver=h2", "--tls_self_signed",
                "--listen_port=" + https, "--http_port=" + http}, Map.of());
        DatabaseConfig later = DatabaseConfig.builder(DatabaseConfig.Vendor.H2, SettingNames.JDBC_URL)
                .jdbcUrl("jdbc:h2:mem:" + name + ";IFEXISTS=TRUE").user("sa").initConnectionTimeout(Duration.ofSeconds(60)).build();
        CompletableFuture<CacheServer> started = CompletableFuture.supplyAsync(() ->
                CacheServerMain.start(settings, StoreOptions.connect(later), CacheServerFixture::nowhere));
        WebClient plain = WebClient.builder("http://127.0.0.1:" + http).responseTimeoutMillis(20_000).build();
        WebClient tls = WebClient.builder("https://127.0.0.1:" + https).factory(ClientFactory.insecure())
                .responseTimeoutMillis(20_000).build();
        awaitStatus(plain, "/healthz", 200);
        assertThat(status(plain, "/readyz")).isEqualTo(503);
        assertThat(status(tls, "/readyz")).isEqualTo(503);
        assertThat(tls.execute(HttpRequest.of(HttpMethod.POST, "/mutate", MediaType.JSON, "{}")).aggregate().join().status().code())
                .isEqualTo(503);
        assertThat(started).isNotDone();

        CacheServer server;
        try (Connection creator = DriverManager.getConnection("jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1", "sa", "")) {
            server = started.get(60, TimeUnit.SECONDS);
            try {
                assertThat(status(plain, "/readyz")).isEqualTo(200);
                assertThat(tls.execute(HttpRequest.of(HttpMethod.POST, "/mutate", MediaType.JSON,
                        CacheServerFixture.review(null, "kubeflow", CacheServerFixture.kfpPod(CacheServerFixture.TEMPLATE)).toString()))
                        .aggregate().join().status().code()).isEqualTo(200);

                creator.createStatement().execute("SHUTDOWN"); // the database is gone; IFEXISTS keeps it from reappearing empty
                awaitStatus(plain, "/readyz", 503);
                assertThat(status(plain, "/healthz")).isEqualTo(200);
            } finally {
                server.stop();
            }
        }
    }

    /** Stop closes the server's connection pool once no call can use it: no session is left open. */
    @Test
    void stopClosesTheConnectionPool() throws Exception {
        String name = "cache_stop_" + UUID.randomUUID().toString().replace("-", "");
        CacheSettings settings = CacheSettings.from(new String[] {"--db_driver=h2", "--tls_self_signed",
                "--listen_port=" + freePort()}, Map.of());
        DatabaseConfig config = DatabaseConfig.builder(DatabaseConfig.Vendor.H2, SettingNames.JDBC_URL)
                .jdbcUrl("jdbc:h2:mem:" + name).user("sa").build();
        try (Connection observer = DriverManager.getConnection("jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1", "sa", "")) {
            CacheServer server = CacheServerMain.start(settings, StoreOptions.connect(config), CacheServerFixture::nowhere);
            assertThat(sessions(observer)).isGreaterThan(1);
            server.stop();
            assertThat(sessions(observer)).as("only the observer's own session").isEqualTo(1);
        }
    }

    private static int sessions(Connection c) throws java.sql.SQLException {
        try (var rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM INFORMATION_SCHEMA.SESSIONS")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static void awaitStatus(WebClient client, String path, int expected) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        int last = -1;
        while (System.nanoTime() < deadline) {
            try {
                last = status(client, path);
                if (last == expected) {
                    return;
                }
            } catch (RuntimeException notListeningYet) {
                // retry
            }
            Thread.sleep(100);
        }
        throw new AssertionError(path + " answered " + last + ", not " + expected);
    }

    private static int status(WebClient client, String path) {
        return client.get(path).aggregate().join().status().code();
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static void assertOneLine(Path dir, List<String> args, Map<String, String> env, String expected) throws Exception {
        MainProcess.assertFailsWithOneLine(CacheServerMain.class, args, env, dir, null, expected);
    }
}
