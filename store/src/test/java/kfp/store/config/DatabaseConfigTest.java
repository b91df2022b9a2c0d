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

    /** KFP's tls parameter as the Go MySQL driver reads it: its spellings, and nothing else. */
    @Test
    void mysqlTlsSpellingsOfTheGoDriver() {
        Map<String, String> accepted = new java.util.LinkedHashMap<>();
        for (String on : new String[] {"true", "TRUE", "True", "1"}) {
            accepted.put(on, "VERIFY_IDENTITY");
        }
        for (String off : new String[] {"false", "FALSE", "False", "0", ""}) {
            accepted.put(off, "DISABLED");
        }
        for (String skip : new String[] {"skip-verify", "SKIP-VERIFY", "Skip-Verify"}) {
            accepted.put(skip, "REQUIRED");
        }
        for (String preferred : new String[] {"preferred", "PREFERRED", "Preferred"}) {
            accepted.put(preferred, "PREFERRED");
        }
        accepted.forEach((tls, sslMode) -> assertThat(mysqlWithTls(tls).connectionProperties())
                .as("tls=" + tls).containsEntry("sslMode", sslMode));
    }

    /** Anything else would be a TLS configuration registered in Go code: refused at start-up, never plain text. */
    @Test
    void mysqlTlsValuesTheGoDriverRefusesStopStartUp() {
        for (String tls : new String[] {"tRUE", "yes", "on", "true ", " true", "2", "verify-full", "skip_verify",
                "required", "custom"}) {
            assertThatThrownBy(() -> mysqlWithTls(tls))
                    .as("tls=" + tls)
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessage("DBCONFIG_MYSQLCONFIG_EXTRAPARAMS: tls=\"" + tls + "\" is not a TLS mode"
                            + " (use true, false, skip-verify or preferred; 1 and 0 also work)");
        }
        assertThatThrownBy(() -> DatabaseConfig.builder(Vendor.MYSQL, SettingNames.CACHE_SERVER)
                .extraParamsJson("{\"tls\":\"yes\"}").build())
                .hasMessageStartingWith("--db_extra_params: tls=\"yes\" is not a TLS mode");
    }

    private static DatabaseConfig mysqlWithTls(String tls) {
        String json = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode().put("tls", tls).toString();
        return DatabaseConfig.fromApiServerEnvironment(Map.of("DBDRIVERNAME", "mysql", "DBCONFIG_MYSQLCONFIG_EXTRAPARAMS", json));
    }

    /** HikariCP cannot retire connections sooner than 30s; a shorter setting is refused, not raised silently. */
    @Test
    void connectionLifetimeIsZeroOrAtLeastThirtySeconds() {
        assertThat(DatabaseConfig.fromApiServerEnvironment(Map.of("DBCONFIG_CONMAXLIFETIME", "30s")).maxLifetime())
                .isEqualTo(Duration.ofSeconds(30));
        assertThat(DatabaseConfig.fromApiServerEnvironment(Map.of("DBCONFIG_CONMAXLIFETIME", "0s")).maxLifetime())
                .isZero();
        for (String tooShort : new String[] {"10s", "29.5s", "500ms"}) {
            assertThatThrownBy(() -> DatabaseConfig.fromApiServerEnvironment(Map.of("DBCONFIG_CONMAXLIFETIME", tooShort)))
                    .as(tooShort)
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessage("DBCONFIG_CONMAXLIFETIME=" + tooShort
                            + " is shorter than the pool's minimum of 30s (use 30s or more, or 0 for no limit)");
        }
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
