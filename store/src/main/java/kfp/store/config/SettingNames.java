package kfp.store.config;

/**
 * The names under which a deployment sets each connection parameter, so an error can point at
 * the setting to fix. The API server uses KFP's environment variables; the cache server its flags.
 */
public record SettingNames(String driver, String host, String port, String user, String password,
                           String dbName, String extraParams) {

    public static SettingNames apiServer(DatabaseConfig.Vendor vendor) {
        String p = vendor == DatabaseConfig.Vendor.POSTGRESQL ? "DBCONFIG_POSTGRESQLCONFIG_" : "DBCONFIG_MYSQLCONFIG_";
        return new SettingNames("DBDRIVERNAME", p + "HOST", p + "PORT", p + "USER", p + "PASSWORD",
                p + "DBNAME", p + "EXTRAPARAMS");
    }

    public static final SettingNames CACHE_SERVER = new SettingNames("--db_driver", "--db_host", "--db_port",
            "--db_user", "--db_password", "--db_name", "--db_extra_params");

    /** For databases given directly by JDBC URL (tests, benchmarks). */
    public static final SettingNames JDBC_URL = new SettingNames("jdbc url", "jdbc url", "jdbc url", "user",
            "password", "jdbc url", "jdbc url");
}
