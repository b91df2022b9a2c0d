package kfp.store.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import kfp.store.config.DatabaseConfig.Vendor;
import org.junit.jupiter.api.Test;

/** KFP's settings read the way KFP's manifests set them; bad values stop start-up with one line. */
class DatabaseConfigTest {

    @Test
    void noDriverMeansEmbeddedH2InADataDirectory() {
        DatabaseConfig c = DatabaseConfig.fromApiServerEnvironment(Map.of());
        assertThat(c.vendor()).isEqualTo(Vendor.H2);
        assertThat(c.jdbcUrl()).isEqualTo("jdbc:h2:file:./data/mlpipeline;DATABASE_TO_LOWER=TRUE;LOCK_TIMEOUT=10000");
        assertThat(DatabaseConfig.fromApiServerEnvironment(Map.of("DBCONFIG_H2CONFIG_PATH", "/var/kfp/db")).jdbcUrl())
                .startsWith("jdbc:h2:file:/var/kfp/db;");
    }

    @Test
    void mysqlFromKfpVariables() {
        DatabaseConfig c = DatabaseConfig.fromApiServerEnvironment(Map.of(
                "DBDRIVERNAME", "mysql",
                "DBCONFIG_MYSQLCONFIG_HOST", "db.example",
                "DBCONFIG_MYSQLCONFIG_PORT", "3307",
                "DBCONFIG_MYSQLCONFIG_USER", "kfp",
                "DBCONFIG_MYSQLCONFIG_PASSWORD", "secret",
                "DBCONFIG_MYSQLCONFIG_DBNAME", "pipelines",
                "DBCONFIG_MYSQLCONFIG_GROUPCONCATMAXLEN", "1048576",
                "DBCONFIG_MYSQLCONFIG_EXTRAPARAMS", "{\"tls\":\"skip-verify\",\"connectTimeout\":\"3000\"}",
                "DBCONFIG_CONMAXLIFETIME", "5m"));
        assertThat(c.vendor()).isEqualTo(Vendor.MYSQL);
        assertThat(c.jdbcUrl()).isEqualTo("jdbc:mysql://db.example:3307/pipelines");
        assertThat(c.user()).isEqualTo("kfp");
        assertThat(c.password()).isEqualTo("secret");
        assertThat(c.maxLifetime()).isEqualTo(Duration.ofMinutes(5));
        assertThat(c.connectionProperties())
                .containsEntry("sslMode", "REQUIRED")
                .containsEntry("connectTimeout", "3000")     // extra params override our defaults
                .containsEntry("characterEncoding", "UTF-8");
        assertThat(c.connectionInitSql()).contains("ANSI_QUOTES").contains("group_concat_max_len = 1048576");
        assertThat(c.describe()).doesNotContain("secret");
    }

    @Test
    void mysqlDefaultsAreKfpDefaults() {
        DatabaseConfig c = DatabaseConfig.fromApiServerEnvironment(Map.of("DBDRIVERNAME", "mysql"));
        assertThat(c.jdbcUrl()).isEqualTo("jdbc:mysql://mysql:3306/mlpipeline");
        assertThat(c.user()).isEqualTo("root");
        assertThat(c.password()).isEmpty();
        assertThat(c.maxLifetime()).isEqualTo(Duration.ofSeconds(120));
        assertThat(c.initConnectionTimeout()).isEqualTo(Duration.ofMinutes(6));
    }

    @Test
    void postgresqlDriverNamesAndSslmode() {
        for (String driver : new String[] {"pgx", "postgres", "postgresql", "PGX"}) {
            DatabaseConfig c = DatabaseConfig.fromApiServerEnvironment(Map.of(
                    "DBDRIVERNAME", driver,
                    "DBCONFIG_POSTGRESQLCONFIG_EXTRAPARAMS", "{\"sslmode\":\"verify-full\",\"sslrootcert\":\"/certs/ca.crt\"}"));
            assertThat(c.vendor()).isEqualTo(Vendor.POSTGRESQL);
            assertThat(c.jdbcUrl()).isEqualTo("jdbc:postgresql://postgresql:5432/mlpipeline");
            assertThat(c.user()).isEqualTo("user");
            assertThat(c.connectionProperties()).containsEntry("sslmode", "verify-full")
                    .containsEntry("sslrootcert", "/certs/ca.crt");
        }
    }

    @Test
    void postgresqlWithoutSslmodeIsRefused() {
        assertThatThrownBy(() -> DatabaseConfig.fromApiServerEnvironment(Map.of("DBDRIVERNAME", "pgx")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("DBCONFIG_POSTGRESQLCONFIG_EXTRAPARAMS must set sslmode");
    }

    @Test
    void unknownDriverNamesTheSetting() {
        assertThatThrownBy(() -> DatabaseConfig.fromApiServerEnvironment(Map.of("DBDRIVERNAME", "sqlite")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("DBDRIVERNAME=sqlite is not supported");
    }

    @Test
    void malformedExtraParamsNameTheSetting() {
        assertThatThrownBy(() -> DatabaseConfig.fromApiServerEnvironment(Map.of(
                "DBDRIVERNAME", "mysql", "DBCONFIG_MYSQLCONFIG_EXTRAPARAMS", "{tls: true")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("DBCONFIG_MYSQLCONFIG_EXTRAPARAMS is not valid JSON");
        assertThatThrownBy(() -> DatabaseConfig.fromApiServerEnvironment(Map.of(
                "DBDRIVERNAME", "mysql", "DBCONFIG_MYSQLCONFIG_EXTRAPARAMS", "[\"tls\"]")))
                .hasMessageStartingWith("DBCONFIG_MYSQLCONFIG_EXTRAPARAMS must be a JSON object");
        assertThatThrownBy(() -> DatabaseConfig.fromApiServerEnvironment(Map.of(
                "DBDRIVERNAME", "mysql", "DBCONFIG_MYSQLCONFIG_EXTRAPARAMS", "{\"tls\":{\"a\":1}}")))
                .hasMessageContaining("value of \"tls\" must be a string");
    }

    @Test
    void badNumbersAndDurationsNameTheSetting() {
        assertThatThrownBy(() -> DatabaseConfig.fromApiServerEnvironment(Map.of(
                "DBDRIVERNAME", "mysql", "DBCONFIG_MYSQLCONFIG_PORT", "33o6")))
                .hasMessage("DBCONFIG_MYSQLCONFIG_PORT=33o6 is not a whole number");
        assertThatThrownBy(() -> DatabaseConfig.fromApiServerEnvironment(Map.of("DBCONFIG_CONMAXLIFETIME", "2 minutes")))
                .hasMessageStartingWith("DBCONFIG_CONMAXLIFETIME=2 minutes is not a duration");
    }

    @Test
    void goDurations() {
        assertThat(GoDuration.parse("x", "120s")).isEqualTo(Duration.ofSeconds(120));
        assertThat(GoDuration.parse("x", "1h30m")).isEqualTo(Duration.ofMinutes(90));
        assertThat(GoDuration.parse("x", "1.5h")).isEqualTo(Duration.ofMinutes(90));
        assertThat(GoDuration.parse("x", "250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(GoDuration.parse("x", "0")).isEqualTo(Duration.ZERO);
        assertThatThrownBy(() -> GoDuration.parse("x", "10")).isInstanceOf(ConfigurationException.class);
        assertThatThrownBy(() -> GoDuration.parse("x", "s")).isInstanceOf(ConfigurationException.class);
    }

    @Test
    void unreachableServerIsRetriedUntilTheTimeoutThenNamesHostAndPort() {
        // port 1 on loopback: nothing listens, the connection is refused at once
        DatabaseConfig mysql = DatabaseConfig.fromApiServerEnvironment(Map.of(
                "DBDRIVERNAME", "mysql", "DBCONFIG_MYSQLCONFIG_HOST", "127.0.0.1", "DBCONFIG_MYSQLCONFIG_PORT", "1",
                "INITCONNECTIONTIMEOUT", "1s"));
        long start = System.nanoTime();
        assertThatThrownBy(() -> DataSources.open(mysql, "t"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("cannot reach MySQL database 'mlpipeline' at 127.0.0.1:1 as user 'root' within 1s")
                .hasMessageContaining("check DBCONFIG_MYSQLCONFIG_HOST and DBCONFIG_MYSQLCONFIG_PORT")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(500));

        DatabaseConfig pg = DatabaseConfig.fromApiServerEnvironment(Map.of(
                "DBDRIVERNAME", "pgx", "DBCONFIG_POSTGRESQLCONFIG_HOST", "127.0.0.1", "DBCONFIG_POSTGRESQLCONFIG_PORT", "1",
                "DBCONFIG_POSTGRESQLCONFIG_EXTRAPARAMS", "{\"sslmode\":\"disable\"}", "INITCONNECTIONTIMEOUT", "1s"));
        assertThatThrownBy(() -> DataSources.open(pg, "t"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("check DBCONFIG_POSTGRESQLCONFIG_HOST and DBCONFIG_POSTGRESQLCONFIG_PORT");
    }
}
