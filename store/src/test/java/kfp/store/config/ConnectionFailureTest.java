package kfp.store.config;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import kfp.store.testing.OnEachDatabase;
import kfp.store.testing.StoreTest;
import kfp.store.testing.TestDatabase;

/** Against each real server: a refused login and a missing database fail at once, in one line naming the setting. */
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
                .satisfies(e -> org.assertj.core.api.Assertions.assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @OnEachDatabase
    void missingDatabaseNamesTheDatabaseSetting(TestDatabase db) {
        DatabaseConfig missing = switch (db.dialect()) {
            case H2 -> DatabaseConfig.forJdbcUrl("jdbc:h2:mem:kfp_missing;IFEXISTS=TRUE", "sa", "");
            default -> fromEnvironment(db, Map.of("DBNAME", "kfp_no_such_database"));
        };
        assertThatThrownBy(() -> DataSources.open(missing, "t"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("does not exist")
                .hasMessageContaining("check " + missing.settings().dbName());
    }

    /** The API server's settings for the class database's server, with some values replaced. */
    private static DatabaseConfig fromEnvironment(TestDatabase db, Map<String, String> overrides) {
        DatabaseConfig real = db.config();
        URI uri = URI.create(real.jdbcUrl().substring("jdbc:".length()));
        boolean pg = db.dialect() == kfp.store.mybatis.Dialect.POSTGRESQL;
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
        return DatabaseConfig.fromApiServerEnvironment(env);
    }
}
