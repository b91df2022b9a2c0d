package kfp.tools;

import com.zaxxer.hikari.HikariDataSource;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import kfp.store.config.ConfigurationException;
import kfp.store.config.DataSources;
import kfp.store.config.DatabaseConfig;

/**
 * A source or target database named on the command line: a JDBC URL (user and password from
 * {@code KFP_DB_<ROLE>_USER} and {@code KFP_DB_<ROLE>_PASSWORD}), or {@code env:<PREFIX>}, KFP's own
 * variables ({@code DBDRIVERNAME}, {@code DBCONFIG_MYSQLCONFIG_*}, …) read with that prefix, as the
 * API server reads them. A password never comes from the command line.
 */
record Endpoint(String role, DatabaseConfig config) {

    /** user:password@ in the authority, or a password parameter (?password=, &password=, ;password=). */
    private static final Pattern PASSWORD_IN_URL =
            Pattern.compile("(?i)(//[^/@?;]*:[^/@?;]*@)|([?&;]password=)");

    static Endpoint parse(String role, String spec, Map<String, String> env) {
        if (spec == null || spec.isBlank()) {
            throw new ConfigurationException("--" + (role.equals("SOURCE") ? "from" : "to") + " is required");
        }
        if (spec.startsWith("env:")) {
            String prefix = spec.substring("env:".length());
            Map<String, String> kfp = new HashMap<>();
            env.forEach((k, v) -> {
                if (k.startsWith(prefix)) {
                    kfp.put(k.substring(prefix.length()), v);
                }
            });
            return new Endpoint(role, DatabaseConfig.fromApiServerEnvironment(kfp));
        }
        if (!spec.startsWith("jdbc:")) {
            throw new ConfigurationException(role.toLowerCase(Locale.ROOT) + " '" + spec
                    + "' is neither a JDBC URL (jdbc:…) nor env:<PREFIX> (KFP's variables)");
        }
        if (PASSWORD_IN_URL.matcher(spec).find()) {
            throw new ConfigurationException(role.toLowerCase(Locale.ROOT) + " URL holds a password: give it in KFP_DB_"
                    + role + "_PASSWORD instead (a command line is visible to every user of the machine)");
        }
        String user = env.get("KFP_DB_" + role + "_USER");
        if (user == null && spec.startsWith("jdbc:h2:")) {
            user = "sa"; // H2's usual administrator, which owns an embedded database
        }
        String password = env.getOrDefault("KFP_DB_" + role + "_PASSWORD", "");
        return new Endpoint(role, DatabaseConfig.forJdbcUrl(spec, user, password));
    }

    HikariDataSource open() {
        return DataSources.open(config, "kfp-db-" + role.toLowerCase(Locale.ROOT));
    }

    String describe() {
        return config.describe();
    }
}
