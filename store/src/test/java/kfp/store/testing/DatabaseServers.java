package kfp.store.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.EnumMap;
import java.util.Map;
import java.util.UUID;
import org.opentest4j.TestAbortedException;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.JdbcDatabaseContainer;
import org.testcontainers.containers.MariaDBContainer;
import org.testcontainers.containers.PostgreSQLContainer;

/**
 * The database servers the tests use, found once per JVM, and the per-class databases made on them.
 */
final class DatabaseServers {

    /** A server: an admin URL (MySQL: no database; PostgreSQL: the test database) and credentials. */
    record Server(String url, String user, String password, String origin) {
    }

    private static final Map<Backend, Server> SERVERS = new EnumMap<>(Backend.class);
    private static final Map<Backend, String> MISSING = new EnumMap<>(Backend.class);

    private DatabaseServers() {
    }

    /** The server for a backend, or null when none is configured or startable (see {@link #whyMissing}). */
    static synchronized Server server(Backend backend) {
        if (backend == Backend.H2 || SERVERS.containsKey(backend) || MISSING.containsKey(backend)) {
            return SERVERS.get(backend);
        }
        String url = backend.setting("url", null);
        if (url != null) {
            SERVERS.put(backend, new Server(url, backend.setting("user", "root"), backend.setting("password", ""),
                    "KFP_TEST_" + backend.name() + "_URL"));
        } else if (dockerAvailable()) {
            SERVERS.put(backend, startContainer(backend));
        } else {
            MISSING.put(backend, backend.id() + " not configured: set KFP_TEST_" + backend.name()
                    + "_URL (and _USER, _PASSWORD), or run a Docker engine for Testcontainers");
        }
        return SERVERS.get(backend);
    }

    /** Fails (required) or aborts (skips) the test when the backend has no server. */
    static void requireServer(Backend backend) {
        if (backend != Backend.H2 && server(backend) == null) {
            String why = whyMissing(backend);
            if (backend.required()) {
                throw new AssertionError(why + " (required by KFP_TEST_REQUIRE)");
            }
            throw new TestAbortedException(why);
        }
    }

    static synchronized String whyMissing(Backend backend) {
        return MISSING.get(backend);
    }

    private static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (Throwable t) {
            return false;
        }
    }

    private static Server startContainer(Backend backend) {
        JdbcDatabaseContainer<?> c = backend == Backend.MYSQL
                ? new MariaDBContainer<>("mariadb:10.11").withUsername("root").withPassword("")
                : new PostgreSQLContainer<>("postgres:16");
        c.start(); // stopped by Testcontainers' reaper when the JVM exits
        String url = backend == Backend.MYSQL
                ? "jdbc:mysql://" + c.getHost() + ":" + c.getMappedPort(3306) + "/"
                : c.getJdbcUrl();
        return new Server(url, c.getUsername(), c.getPassword(), "Testcontainers " + c.getDockerImageName());
    }

    /** A new, empty database for one test class, and how to drop it. */
    record ClassDatabase(String url, String user, String password, Runnable drop) {
    }

    static ClassDatabase create(Backend backend, String testClass) {
        String name = "kfp_t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        if (backend == Backend.H2) {
            String url = kfp.store.config.DatabaseConfig.h2MemoryUrl(name);
            return new ClassDatabase(url, "sa", "", () -> execute(url, "sa", "", "SHUTDOWN"));
        }
        Server s = server(backend);
        if (backend == Backend.MYSQL) {
            execute(s.url(), s.user(), s.password(),
                    "CREATE DATABASE " + name + " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
            String base = s.url().endsWith("/") ? s.url() : s.url() + "/";
            int q = base.indexOf('?');
            String url = q < 0 ? base + name : base.substring(0, q) + name + base.substring(q);
            return new ClassDatabase(url, s.user(), s.password(),
                    () -> execute(s.url(), s.user(), s.password(), "DROP DATABASE IF EXISTS " + name));
        }
        execute(s.url(), s.user(), s.password(), "CREATE SCHEMA " + name);
        String url = s.url() + (s.url().contains("?") ? "&" : "?") + "currentSchema=" + name;
        return new ClassDatabase(url, s.user(), s.password(),
                () -> execute(s.url(), s.user(), s.password(), "DROP SCHEMA IF EXISTS " + name + " CASCADE"));
    }

    static void execute(String url, String user, String password, String sql) {
        try (Connection c = DriverManager.getConnection(url, user, password); Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + " on " + url + " failed: " + e.getMessage(), e);
        }
    }
}
