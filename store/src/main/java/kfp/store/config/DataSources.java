package kfp.store.config;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens the connection pool for a {@link DatabaseConfig}.
 *
 * <p>Before the pool starts, one plain connection proves the settings: an unreachable server and a
 * database that does not exist yet are retried with back-off until {@code INITCONNECTIONTIMEOUT}
 * (in Kubernetes the database server starts next to the servers, and a Job creates the databases
 * once it answers); a refused login or a bad TLS setting fails at once. Either way the failure is
 * one {@link ConfigurationException} line naming the setting.
 */
public final class DataSources {

    private static final Logger LOG = LoggerFactory.getLogger(DataSources.class);

    private DataSources() {
    }

    public static HikariDataSource open(DatabaseConfig config, String poolName) {
        awaitDatabase(config);
        HikariConfig hc = new HikariConfig();
        hc.setPoolName(poolName);
        hc.setJdbcUrl(config.jdbcUrl());
        hc.setUsername(config.user());
        hc.setPassword(config.password());
        hc.setDataSourceProperties(config.connectionProperties());
        hc.setConnectionInitSql(config.connectionInitSql());
        hc.setMaximumPoolSize(config.poolSize());
        hc.setMinimumIdle(Math.min(2, config.poolSize()));
        hc.setConnectionTimeout(10_000);
        hc.setValidationTimeout(5_000);
        Duration lifetime = config.maxLifetime();
        if (lifetime.isZero()) {
            hc.setMaxLifetime(0); // Go's 0: connections are never retired for age
        } else {
            // Hikari replaces a shorter one with its 30-minute default; the settings refuse it first
            hc.setMaxLifetime(Math.max(lifetime.toMillis(), DatabaseConfig.MIN_CONNECTION_LIFETIME.toMillis()));
        }
        hc.setIdleTimeout(hc.getMaxLifetime() == 0 ? 600_000 : Math.min(600_000, hc.getMaxLifetime() - 1_000));
        hc.setKeepaliveTime(hc.getMaxLifetime() == 0 || hc.getMaxLifetime() > 60_000 ? 30_000 : 0);
        hc.setInitializationFailTimeout(1);
        return new HikariDataSource(hc);
    }

    /** Connects once, retrying only while the server is unreachable or the database not yet created. */
    static void awaitDatabase(DatabaseConfig config) {
        Properties props = config.connectionProperties();
        if (config.user() != null) {
            props.setProperty("user", config.user());
        }
        if (config.password() != null) {
            props.setProperty("password", config.password());
        }
        long deadline = System.nanoTime() + config.initConnectionTimeout().toNanos();
        long backoffMillis = 250;
        while (true) {
            try (Connection c = DriverManager.getConnection(config.jdbcUrl(), props)) {
                return;
            } catch (SQLException e) {
                boolean missing = isMissingDatabase(e);
                if (!missing && !isUnreachable(e)) {
                    throw new ConfigurationException(explain(config, e), e);
                }
                if (System.nanoTime() + backoffMillis * 1_000_000L > deadline) {
                    SettingNames s = config.settings();
                    long waited = config.initConnectionTimeout().toSeconds();
                    throw new ConfigurationException(missing
                            ? "database '" + config.dbName() + "' still does not exist after " + waited + "s (check "
                                    + s.dbName() + "; databases are created at deployment, see manifests/): " + rootMessage(e)
                            : "cannot reach " + config.describe() + " within " + waited + "s (check " + s.host() + " and "
                                    + s.port() + "): " + rootMessage(e), e);
                }
                LOG.warn("{} {} ({}); retrying in {} ms", config.describe(),
                        missing ? "does not exist yet" : "is not reachable yet", rootMessage(e), backoffMillis);
                sleep(backoffMillis);
                backoffMillis = Math.min(backoffMillis * 2, 10_000);
            }
        }
    }

    /** SQLSTATE class 08 is "connection exception": the server was not there to answer. */
    private static boolean isUnreachable(SQLException e) {
        String state = e.getSQLState();
        return state != null && state.startsWith("08") && !isTlsFailure(e);
    }

    private static boolean isTlsFailure(SQLException e) {
        String m = rootMessage(e).toLowerCase();
        return m.contains("ssl") || m.contains("certificate") || m.contains("tls");
    }

    /** PostgreSQL 3D000, MySQL 1049 (unknown database), H2 90146 (database not found, IFEXISTS). */
    private static boolean isMissingDatabase(SQLException e) {
        return "3D000".equals(e.getSQLState()) || e.getErrorCode() == 1049 || e.getErrorCode() == 90146;
    }

    private static String explain(DatabaseConfig config, SQLException e) {
        SettingNames s = config.settings();
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        if (state.startsWith("28") || e.getErrorCode() == 1045) {
            return "cannot log in to " + config.describe() + " (check " + s.user() + " and " + s.password() + "): "
                    + rootMessage(e);
        }
        if (isTlsFailure(e)) {
            return "TLS to " + config.describe() + " failed (check " + s.extraParams() + "): " + rootMessage(e);
        }
        return "cannot connect to " + config.describe() + ": " + rootMessage(e);
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        String message = e.getMessage();
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
            if (t.getMessage() != null) {
                message = e.getMessage() + " (" + t.getMessage() + ")";
            }
        }
        return DatabaseConfig.firstLine(message).replaceAll("\\s+", " ").trim();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            throw new ConfigurationException("interrupted while waiting for the database");
        }
    }
}
