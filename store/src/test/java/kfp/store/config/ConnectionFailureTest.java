package kfp.store.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.HashMap;
import java.util.Map;
import kfp.store.testing.OnEachDatabase;
import kfp.store.testing.StoreTest;
import kfp.store.testing.TestDatabase;

/** Against each real server: a refused login fails at once and a missing database is waited for, each ending in one line naming the setting. */
@StoreTest(schemas = {})
class ConnectionFailureTest {

    @OnEachDatabase
    void refusedLoginNamesTheCredentialSettings(TestDatabase db) {
        // an unknown user: refused everywhere, also where the server trusts loopback passwords
        DatabaseConfig wrong = switch (db.dialect()) {
            case H2 -> DatabaseConfig.forJdbcUrl(db.config().jdbcUrl(), "sa", "wrong-password");
            default -> fromEnvironment(db, Map.of("USER", "kfp_no_such_user", "PASSWORD", "wrong-password"));
        };
        assertThatThrownBy(() -> DataSources.open(wrong, "t"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("cannot log in to ")
                .hasMessageContaining("(check " + wrong.settings().user() + " and " + wrong.settings().password() + ")")
                .hasMessageNotContaining("wrong-password")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    /**
     * A database the deployment has not created yet is waited for, as an unreachable server is:
     * where the test user may create one (H2, MySQL) it appears while the connection waits and is
     * used; on PostgreSQL (the test role may not create databases) the wait ends at
     * INITCONNECTIONTIMEOUT with one line naming the database setting.
     */
    @OnEachDatabase
    void missingDatabaseIsAwaitedUntilTheConnectionTimeout(TestDatabase db) throws Exception {
        String name = "kfp_later_" + java.util.UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        DatabaseConfig missing = switch (db.dialect()) {
            case H2 -> DatabaseConfig.builder(DatabaseConfig.Vendor.H2, SettingNames.JDBC_URL)
                    .jdbcUrl("jdbc:h2:mem:" + name + ";IFEXISTS=TRUE").user("sa").initConnectionTimeout(Duration.ofSeconds(20)).build();
            case MYSQL -> fromEnvironment(db, Map.of("DBNAME", name), "20s");
            case POSTGRESQL -> fromEnvironment(db, Map.of("DBNAME", name), "4s");
        };
        long start = System.nanoTime();
        CompletableFuture<Void> opened = CompletableFuture.runAsync(() -> DataSources.open(missing, "t").close());
        Thread.sleep(1500);
        assertThat(opened).as("still waiting for the database").isNotDone();
        switch (db.dialect()) {
            case H2 -> {
                // a second in-memory connection creates it; it lives until the test shuts it down
                try (Connection creator = DriverManager.getConnection("jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1", "sa", "")) {
                    opened.get(30, TimeUnit.SECONDS);
                    creator.createStatement().execute("SHUTDOWN");
                }
            }
            case MYSQL -> {
                try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
                    st.execute("CREATE DATABASE " + name);
                }
                try {
                    opened.get(30, TimeUnit.SECONDS);
                } finally {
                    try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
                        st.execute("DROP DATABASE " + name);
                    }
                }
            }
            case POSTGRESQL -> {
                assertThatThrownBy(() -> opened.get(30, TimeUnit.SECONDS))
                        .cause()
                        .isInstanceOf(ConfigurationException.class)
                        .hasMessageStartingWith("database '" + name + "' still does not exist after 4s (check "
                                + missing.settings().dbName() + ";")
                        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
            }
        }
    }

    /** The API server's settings for the class database's server, with some values replaced. */
    private static DatabaseConfig fromEnvironment(TestDatabase db, Map<String, String> overrides) {
        return fromEnvironment(db, overrides, "6m");
    }

    private static DatabaseConfig fromEnvironment(TestDatabase db, Map<String, String> overrides, String initTimeout) {
        DatabaseConfig real = db.config();
        URI uri = URI.create(real.jdbcUrl().substring("jdbc:".length()));
        boolean pg = db.dialect() == kfp.store.dialect.Dialect.POSTGRESQL;
        String prefix = pg ? "DBCONFIG_POSTGRESQLCONFIG_" : "DBCONFIG_MYSQLCONFIG_";
        Map<String, String> env = new HashMap<>();
        env.put("DBDRIVERNAME", pg ? "pgx" : "mysql");
        env.put(prefix + "HOST", uri.getHost());
        env.put(prefix + "PORT", String.valueOf(uri.getPort()));
        env.put(prefix + "USER", real.user());
        env.put(prefix + "PASSWORD", real.password());
        env.put(prefix + "DBNAME", uri.getPath().substring(1));
        if (pg) {
            env.put(prefix + "EXTRAPARAMS", "{\"sslmode\":\"disable\"}");
        }
        overrides.forEach((k, v) -> env.put(prefix + k, v));
        env.put("INITCONNECTIONTIMEOUT", initTimeout);
        return DatabaseConfig.fromApiServerEnvironment(env);
    }
}
