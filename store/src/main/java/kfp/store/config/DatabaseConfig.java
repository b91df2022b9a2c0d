package kfp.store.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Where the store's database is and how to open it, resolved from KFP's settings.
 *
 * <p>The API server reads KFP's environment variables ({@link #fromApiServerEnvironment}); the cache
 * server builds one from its flags; tests and benchmarks give a JDBC URL ({@link #forJdbcUrl}).
 * With no driver configured the API server runs on embedded H2 in a data directory.
 */
public final class DatabaseConfig {

    public enum Vendor { H2, MYSQL, POSTGRESQL }

    /** Session settings every MySQL/MariaDB connection gets; the mappers rely on ANSI_QUOTES. */
    static final String MYSQL_SQL_MODE =
            "ANSI_QUOTES,STRICT_ALL_TABLES,ONLY_FULL_GROUP_BY,NO_ZERO_IN_DATE,NO_ZERO_DATE,"
                    + "ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Vendor vendor;
    private final String host;
    private final int port;
    private final String user;
    private final String password;
    private final String dbName;
    private final Map<String, String> extraParams;
    private final long groupConcatMaxLen;
    private final Duration maxLifetime;
    private final Duration initConnectionTimeout;
    private final int poolSize;
    private final String jdbcUrl;
    private final SettingNames settings;

    private DatabaseConfig(Builder b) {
        this.vendor = b.vendor;
        this.host = b.host;
        this.port = b.port;
        this.user = b.user;
        this.password = b.password;
        this.dbName = b.dbName;
        this.extraParams = Map.copyOf(b.extraParams);
        this.groupConcatMaxLen = b.groupConcatMaxLen;
        this.maxLifetime = b.maxLifetime;
        this.initConnectionTimeout = b.initConnectionTimeout;
        this.poolSize = b.poolSize;
        this.settings = b.settings;
        this.jdbcUrl = b.jdbcUrl != null ? b.jdbcUrl : buildUrl();
    }

    /**
     * The API server's database from KFP's variables: {@code DBDRIVERNAME} ({@code mysql}, {@code pgx},
     * {@code postgres}, {@code postgresql}; unset means embedded H2), {@code DBCONFIG_MYSQLCONFIG_*},
     * {@code DBCONFIG_POSTGRESQLCONFIG_*}, {@code DBCONFIG_CONMAXLIFETIME}, {@code INITCONNECTIONTIMEOUT};
     * ours: {@code DBCONFIG_POOLSIZE} and {@code DBCONFIG_H2CONFIG_PATH} (default {@code ./data/mlpipeline}).
     */
    public static DatabaseConfig fromApiServerEnvironment(Map<String, String> env) {
        String driver = env.getOrDefault("DBDRIVERNAME", "").trim().toLowerCase(Locale.ROOT);
        Vendor vendor = switch (driver) {
            case "" , "h2" -> Vendor.H2;
            case "mysql" -> Vendor.MYSQL;
            case "pgx", "postgres", "postgresql" -> Vendor.POSTGRESQL;
            default -> throw new ConfigurationException("DBDRIVERNAME=" + driver
                    + " is not supported (use mysql, pgx or postgresql; leave unset for embedded H2)");
        };
        Builder b = new Builder(vendor, SettingNames.apiServer(vendor));
        b.maxLifetime = connectionLifetime(env.getOrDefault("DBCONFIG_CONMAXLIFETIME", "120s"));
        b.initConnectionTimeout = GoDuration.parse("INITCONNECTIONTIMEOUT", env.getOrDefault("INITCONNECTIONTIMEOUT", "6m"));
        b.poolSize = parseInt(env, "DBCONFIG_POOLSIZE", 10);
        switch (vendor) {
            case H2 -> b.jdbcUrl = h2FileUrl(env.getOrDefault("DBCONFIG_H2CONFIG_PATH", "./data/mlpipeline"));
            case MYSQL -> {
                String p = "DBCONFIG_MYSQLCONFIG_";
                b.host = env.getOrDefault(p + "HOST", "mysql");
                b.port = parseInt(env, p + "PORT", 3306);
                b.user = env.getOrDefault(p + "USER", "root");
                b.password = env.getOrDefault(p + "PASSWORD", "");
                b.dbName = env.getOrDefault(p + "DBNAME", "mlpipeline");
                b.groupConcatMaxLen = parseInt(env, p + "GROUPCONCATMAXLEN", 4194304);
                b.extraParams = parseExtraParams(p + "EXTRAPARAMS", env.get(p + "EXTRAPARAMS"));
            }
            case POSTGRESQL -> {
                String p = "DBCONFIG_POSTGRESQLCONFIG_";
                b.host = env.getOrDefault(p + "HOST", "postgresql");
                b.port = parseInt(env, p + "PORT", 5432);
                b.user = env.getOrDefault(p + "USER", "user");
                b.password = env.getOrDefault(p + "PASSWORD", "password");
                b.dbName = env.getOrDefault(p + "DBNAME", "mlpipeline");
                b.extraParams = parseExtraParams(p + "EXTRAPARAMS", env.getOrDefault(p + "EXTRAPARAMS", "{}"));
            }
        }
        return b.build();
    }

    /** The pool retires connections no sooner than this (HikariCP's floor); 0 means never. */
    public static final Duration MIN_CONNECTION_LIFETIME = Duration.ofSeconds(30);

    /**
     * {@code DBCONFIG_CONMAXLIFETIME}: a Go duration, 0 for connections that never expire, else at
     * least {@link #MIN_CONNECTION_LIFETIME}. A shorter one is refused rather than silently raised.
     */
    private static Duration connectionLifetime(String text) {
        Duration d = GoDuration.parse("DBCONFIG_CONMAXLIFETIME", text);
        if (!d.isZero() && d.compareTo(MIN_CONNECTION_LIFETIME) < 0) {
            throw new ConfigurationException("DBCONFIG_CONMAXLIFETIME=" + text + " is shorter than the pool's minimum of "
                    + MIN_CONNECTION_LIFETIME.toSeconds() + "s (use 30s or more, or 0 for no limit)");
        }
        return d;
    }

    /** A database given directly by JDBC URL (tests, benchmarks, tools). */
    public static DatabaseConfig forJdbcUrl(String jdbcUrl, String user, String password) {
        Vendor vendor = jdbcUrl.startsWith("jdbc:h2:") ? Vendor.H2
                : jdbcUrl.startsWith("jdbc:mysql:") || jdbcUrl.startsWith("jdbc:mariadb:") ? Vendor.MYSQL
                : jdbcUrl.startsWith("jdbc:postgresql:") ? Vendor.POSTGRESQL
                : null;
        if (vendor == null) {
            throw new ConfigurationException("jdbc url " + jdbcUrl + " is not an H2, MySQL or PostgreSQL url");
        }
        Builder b = new Builder(vendor, SettingNames.JDBC_URL);
        b.jdbcUrl = jdbcUrl;
        b.user = user;
        b.password = password;
        b.initConnectionTimeout = Duration.ofSeconds(5);
        return b.build();
    }

    /** Starts a configuration from explicit values (the cache server's flags). */
    public static Builder builder(Vendor vendor, SettingNames settings) {
        return new Builder(vendor, settings);
    }

    /**
     * H2 settings the mappers rely on: unquoted names fold to lower case as on PostgreSQL, and a
     * writer waits for a lock as long as on the server databases instead of H2's default second.
     */
    private static final String H2_OPTIONS = ";DATABASE_TO_LOWER=TRUE;LOCK_TIMEOUT=10000";

    public static String h2FileUrl(String path) {
        return "jdbc:h2:file:" + path + H2_OPTIONS;
    }

    /** An in-memory H2 database that lives until the JVM ends or it is shut down. */
    public static String h2MemoryUrl(String name) {
        return "jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1" + H2_OPTIONS;
    }

    private String buildUrl() {
        return switch (vendor) {
            case H2 -> throw new IllegalStateException("H2 is configured by url");
            case MYSQL -> "jdbc:mysql://" + host + ":" + port + "/" + dbName;
            case POSTGRESQL -> "jdbc:postgresql://" + host + ":" + port + "/" + dbName;
        };
    }

    /** Driver properties: our fixed session settings, then the deployment's extra parameters. */
    public Properties connectionProperties() {
        Properties props = new Properties();
        if (vendor == Vendor.MYSQL) {
            props.setProperty("characterEncoding", "UTF-8"); // utf8mb4 on the wire (KFP used 3-byte utf8)
            props.setProperty("connectionCollation", "utf8mb4_bin");
            props.setProperty("useAffectedRows", "false");   // UPDATE counts mean rows matched
            props.setProperty("rewriteBatchedStatements", "true");
            props.setProperty("cachePrepStmts", "true");
            props.setProperty("useLocalSessionState", "true"); // no round trip to re-read autocommit/isolation
            props.setProperty("prepStmtCacheSize", "250");
            props.setProperty("tcpKeepAlive", "true");
            props.setProperty("connectTimeout", "10000");
            // catalog reads from information_schema: the default parses SHOW CREATE TABLE, which
            // ANSI_QUOTES changes, and then foreign keys silently go missing
            props.setProperty("useInformationSchema", "true");
            extraParams.forEach((k, v) -> mysqlExtraParam(props, k, v));
        } else if (vendor == Vendor.POSTGRESQL) {
            props.setProperty("reWriteBatchedInserts", "true");
            props.setProperty("tcpKeepAlive", "true");
            props.setProperty("connectTimeout", "10");
            props.putAll(extraParams); // libpq names (sslmode, sslrootcert, …) are pgjdbc names too
        }
        return props;
    }

    /**
     * KFP's MySQL extra params are Go driver DSN parameters; the ones with a Connector/J meaning are
     * mapped. {@code tls} was checked by {@link #mysqlSslMode} when the configuration was built.
     */
    private static void mysqlExtraParam(Properties props, String key, String value) {
        switch (key) {
            case "tls" -> props.setProperty("sslMode", mysqlSslMode("tls", value));
            // Go-only DSN parameters whose effect is built in here
            case "charset", "parseTime", "loc", "allowNativePasswords", "clientFoundRows" -> { }
            default -> props.setProperty(key, value);
        }
    }

    /**
     * Connector/J's {@code sslMode} for the Go MySQL driver's {@code tls} value, read as that driver
     * reads it: its boolean spellings ({@code 1}, {@code true}, {@code TRUE}, {@code True} verify the
     * server's certificate and host name; {@code 0}, {@code false}, {@code FALSE}, {@code False} and
     * the empty string mean no TLS), {@code skip-verify} and {@code preferred} in any case. Any other
     * value names a TLS configuration a Go program registers in code, which KFP never does: the Go
     * driver refuses to connect, and so does this one, at start-up, instead of connecting in plain text.
     */
    static String mysqlSslMode(String setting, String value) {
        switch (value) {
            case "1", "true", "TRUE", "True" -> {
                return "VERIFY_IDENTITY";
            }
            case "0", "false", "FALSE", "False", "" -> {
                return "DISABLED";
            }
            default -> { }
        }
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "skip-verify" -> "REQUIRED";
            case "preferred" -> "PREFERRED";
            default -> throw new ConfigurationException(setting + ": tls=\"" + value + "\" is not a TLS mode"
                    + " (use true, false, skip-verify or preferred; 1 and 0 also work)");
        };
    }

    /** SQL each new pooled connection runs before use, or null. */
    public String connectionInitSql() {
        if (vendor != Vendor.MYSQL) {
            return null;
        }
        return "SET SESSION sql_mode = '" + MYSQL_SQL_MODE + "', group_concat_max_len = " + groupConcatMaxLen;
    }

    /** Where the database is, without the password, for messages. */
    public String describe() {
        return switch (vendor) {
            case H2 -> "H2 " + jdbcUrl;
            case MYSQL -> "MySQL database '" + dbName() + "' at " + hostPort() + " as user '" + user + "'";
            case POSTGRESQL -> "PostgreSQL database '" + dbName() + "' at " + hostPort() + " as user '" + user + "'";
        };
    }

    private String hostPort() {
        return host != null ? host + ":" + port : jdbcUrl;
    }

    private static Map<String, String> parseExtraParams(String setting, String json) {
        Map<String, String> params = new LinkedHashMap<>();
        if (json == null || json.isBlank()) {
            return params;
        }
        JsonNode node;
        try {
            node = JSON.readTree(json);
        } catch (Exception e) {
            throw new ConfigurationException(setting + " is not valid JSON: " + firstLine(e.getMessage()));
        }
        if (node == null || !node.isObject()) {
            throw new ConfigurationException(setting + " must be a JSON object of strings, got: " + json);
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isValueNode() || e.getValue().isNull()) {
                throw new ConfigurationException(setting + ": value of \"" + e.getKey() + "\" must be a string");
            }
            params.put(e.getKey(), e.getValue().asText());
        }
        return params;
    }

    private static int parseInt(Map<String, String> env, String name, int fallback) {
        String v = env.get(name);
        if (v == null || v.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new ConfigurationException(name + "=" + v + " is not a whole number");
        }
    }

    static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    public Vendor vendor() {
        return vendor;
    }

    public String jdbcUrl() {
        return jdbcUrl;
    }

    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

    public String dbName() {
        return dbName != null ? dbName : jdbcUrl;
    }

    public Duration maxLifetime() {
        return maxLifetime;
    }

    public Duration initConnectionTimeout() {
        return initConnectionTimeout;
    }

    public int poolSize() {
        return poolSize;
    }

    public SettingNames settings() {
        return settings;
    }

    /** Explicit values; the cache server fills it from its flags. */
    public static final class Builder {
        private final Vendor vendor;
        private final SettingNames settings;
        private String host;
        private int port;
        private String user;
        private String password = "";
        private String dbName;
        private Map<String, String> extraParams = new LinkedHashMap<>();
        private long groupConcatMaxLen = 4194304;
        private Duration maxLifetime = Duration.ofSeconds(120);
        private Duration initConnectionTimeout = Duration.ofMinutes(6);
        private int poolSize = 10;
        private String jdbcUrl;

        private Builder(Vendor vendor, SettingNames settings) {
            this.vendor = vendor;
            this.settings = settings;
        }

        public Builder host(String host) { this.host = host; return this; }
        public Builder port(int port) { this.port = port; return this; }
        public Builder user(String user) { this.user = user; return this; }
        public Builder password(String password) { this.password = password; return this; }
        public Builder dbName(String dbName) { this.dbName = dbName; return this; }
        public Builder extraParamsJson(String json) { this.extraParams = parseExtraParams(settings.extraParams(), json); return this; }
        public Builder groupConcatMaxLen(long n) { this.groupConcatMaxLen = n; return this; }
        public Builder maxLifetime(Duration d) { this.maxLifetime = d; return this; }
        public Builder initConnectionTimeout(Duration d) { this.initConnectionTimeout = d; return this; }
        public Builder poolSize(int n) { this.poolSize = n; return this; }
        public Builder jdbcUrl(String url) { this.jdbcUrl = url; return this; }

        public DatabaseConfig build() {
            if (vendor == Vendor.POSTGRESQL && jdbcUrl == null && !extraParams.containsKey("sslmode")) {
                throw new ConfigurationException(settings.extraParams() + " must set sslmode, e.g. {\"sslmode\":\"disable\"}"
                        + " for local development or {\"sslmode\":\"verify-full\"} for production");
            }
            if (poolSize < 1) {
                throw new ConfigurationException("pool size must be at least 1, got " + poolSize);
            }
            if (vendor == Vendor.MYSQL && extraParams.containsKey("tls")) {
                mysqlSslMode(settings.extraParams(), extraParams.get("tls"));
            }
            return new DatabaseConfig(this);
        }
    }
}
