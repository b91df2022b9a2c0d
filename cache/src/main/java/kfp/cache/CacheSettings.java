package kfp.cache;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import kfp.store.config.ConfigurationException;
import kfp.store.config.DatabaseConfig;
import kfp.store.config.GoDuration;
import kfp.store.config.SettingNames;

/**
 * The cache server's settings under KFP's names (README, "Cache server"): its command-line
 * flags ({@code --db_driver}, {@code --db_host}, …, {@code --listen_port}, Go style: {@code -name=value},
 * {@code --name=value} or {@code --name value}) and the four variables it reads
 * ({@code DEFAULT_CACHE_STALENESS}, {@code MAXIMUM_CACHE_STALENESS}, {@code CACHE_IMAGE},
 * {@code CACHE_NODE_RESTRICTIONS}).
 *
 * <p>Ours: {@code --db_driver=h2} with {@code --db_h2_path} (embedded H2, for local use),
 * {@code --tls_dir} (KFP's fixed {@code /etc/webhook/certs}), {@code --tls_self_signed} (a certificate
 * made at start-up, for local use), {@code --tls_secret} with {@code --webhook_config} (the certificate
 * kept in a Secret of the server's namespace, made there when missing, its CA written into the
 * webhook configuration: see {@link WebhookCertificate}), {@code --http_port} (plain HTTP for the
 * probes and /metrics), {@code --expiry_interval} (how often entries past the maximum staleness are
 * deleted).
 */
public record CacheSettings(DatabaseConfig database, String namespaceToWatch, double kubeClientQps, int kubeClientBurst,
                            Path tlsCert, Path tlsKey, boolean tlsSelfSigned, String tlsSecret, String webhookConfig,
                            int listenPort, int httpPort,
                            long defaultStalenessSeconds, long maximumStalenessSeconds, String cacheImage,
                            boolean nodeRestrictions, Duration expiryInterval) {

    static final String DEFAULT_CACHE_IMAGE = "ghcr.io/containerd/busybox";

    private static final Set<String> BOOLEAN_FLAGS = Set.of("tls_self_signed");
    private static final Set<String> FLAGS = Set.of("db_driver", "db_host", "db_port", "db_name", "db_user",
            "db_password", "db_group_concat_max_len", "db_extra_params", "namespace_to_watch", "kube_client_qps",
            "kube_client_burst", "tls_cert_filename", "tls_key_filename", "listen_port",
            "db_h2_path", "tls_dir", "tls_self_signed", "tls_secret", "webhook_config", "http_port", "expiry_interval");

    public static CacheSettings from(String[] args, Map<String, String> env) {
        Map<String, String> flags = parseFlags(args);
        DatabaseConfig database = database(flags, env);
        Path tlsDir = Path.of(flags.getOrDefault("tls_dir", "/etc/webhook/certs"));
        boolean selfSigned = parseBool("--tls_self_signed", flags.getOrDefault("tls_self_signed", "false"));
        String tlsSecret = flags.get("tls_secret");
        String webhookConfig = flags.get("webhook_config");
        if (tlsSecret != null && (tlsSecret.isBlank() || selfSigned)) {
            throw new ConfigurationException(selfSigned ? "--tls_secret and --tls_self_signed exclude each other"
                    : "--tls_secret needs the name of a Secret");
        }
        if (tlsSecret != null && (webhookConfig == null || webhookConfig.isBlank())) {
            throw new ConfigurationException("--tls_secret needs --webhook_config, the MutatingWebhookConfiguration"
                    + " that gets the certificate's CA");
        }
        return new CacheSettings(database,
                flags.getOrDefault("namespace_to_watch", "kubeflow"),
                parseDouble(flags, "kube_client_qps", 5),
                parseInt(flags, "kube_client_burst", 10, 0, Integer.MAX_VALUE),
                tlsDir.resolve(flags.getOrDefault("tls_cert_filename", "cert.pem")),
                tlsDir.resolve(flags.getOrDefault("tls_key_filename", "key.pem")),
                selfSigned, tlsSecret, webhookConfig,
                parseInt(flags, "listen_port", 8443, 0, 65535),
                parseInt(flags, "http_port", -1, -1, 65535),
                staleness(env, "DEFAULT_CACHE_STALENESS"),
                staleness(env, "MAXIMUM_CACHE_STALENESS"),
                env.getOrDefault("CACHE_IMAGE", DEFAULT_CACHE_IMAGE),
                env.containsKey("CACHE_NODE_RESTRICTIONS") && parseBool("CACHE_NODE_RESTRICTIONS", env.get("CACHE_NODE_RESTRICTIONS")),
                GoDuration.parse("--expiry_interval", flags.getOrDefault("expiry_interval", "1m")));
    }

    /** Fails unless the certificate and key can be read (or come from elsewhere: made at start-up, a Secret). */
    void checkTlsFiles() {
        if (!tlsSelfSigned && tlsSecret == null && (!Files.isReadable(tlsCert) || !Files.isReadable(tlsKey))) {
            throw new ConfigurationException("cannot read the TLS certificate " + tlsCert + " and key " + tlsKey
                    + " (check --tls_cert_filename, --tls_key_filename and --tls_dir; --tls_secret keeps one in a Secret;"
                    + " --tls_self_signed makes one for local use)");
        }
    }

    private static DatabaseConfig database(Map<String, String> flags, Map<String, String> env) {
        String driver = flags.getOrDefault("db_driver", "mysql").trim().toLowerCase(Locale.ROOT);
        DatabaseConfig.Vendor vendor = switch (driver) {
            case "mysql" -> DatabaseConfig.Vendor.MYSQL;
            case "pgx", "postgres", "postgresql" -> DatabaseConfig.Vendor.POSTGRESQL;
            case "h2" -> DatabaseConfig.Vendor.H2;
            default -> throw new ConfigurationException("--db_driver=" + driver
                    + " is not supported (use mysql, pgx or postgresql; h2 for local use)");
        };
        DatabaseConfig.Builder b = DatabaseConfig.builder(vendor, SettingNames.CACHE_SERVER);
        b.initConnectionTimeout(GoDuration.parse("INITCONNECTIONTIMEOUT", env.getOrDefault("INITCONNECTIONTIMEOUT", "6m")));
        if (vendor == DatabaseConfig.Vendor.H2) {
            return b.jdbcUrl(DatabaseConfig.h2FileUrl(flags.getOrDefault("db_h2_path", "./data/cachedb"))).build();
        }
        boolean pg = vendor == DatabaseConfig.Vendor.POSTGRESQL;
        if (pg && !flags.containsKey("db_user")) {
            throw new ConfigurationException("--db_user is required with --db_driver=" + driver);
        }
        return b.host(flags.getOrDefault("db_host", pg ? "postgres" : "mysql"))
                .port(parseInt(flags, "db_port", pg ? 5432 : 3306, 1, 65535))
                .dbName(flags.getOrDefault("db_name", "cachedb"))
                .user(flags.getOrDefault("db_user", "root"))
                .password(flags.getOrDefault("db_password", ""))
                .groupConcatMaxLen(parseInt(flags, "db_group_concat_max_len", 4194304, 1, Integer.MAX_VALUE))
                .extraParamsJson(flags.get("db_extra_params"))
                .build();
    }

    /** Go's flag syntax: one or two dashes, {@code name=value} or {@code name value}; booleans may stand alone. */
    static Map<String, String> parseFlags(String[] args) {
        Map<String, String> flags = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("-") || arg.equals("-") || arg.equals("--")) {
                throw new ConfigurationException("unexpected argument '" + arg + "' (flags look like --db_host=mysql)");
            }
            String body = arg.startsWith("--") ? arg.substring(2) : arg.substring(1);
            int eq = body.indexOf('=');
            String name = eq < 0 ? body : body.substring(0, eq);
            if (!FLAGS.contains(name)) {
                throw new ConfigurationException("flag provided but not defined: -" + name);
            }
            String value;
            if (eq >= 0) {
                value = body.substring(eq + 1);
            } else if (BOOLEAN_FLAGS.contains(name)) {
                value = "true";
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                throw new ConfigurationException("flag needs an argument: -" + name);
            }
            flags.put(name, value);
        }
        return flags;
    }

    /** KFP: a staleness that does not parse means no limit (-1). */
    private static long staleness(Map<String, String> env, String name) {
        return env.containsKey(name) ? Staleness.toSeconds(env.get(name)) : -1;
    }

    /** Go's strconv.ParseBool. */
    static boolean parseBool(String name, String value) {
        return switch (value) {
            case "1", "t", "T", "TRUE", "true", "True" -> true;
            case "0", "f", "F", "FALSE", "false", "False" -> false;
            default -> throw new ConfigurationException(name + "=" + value + " is not a boolean (true or false)");
        };
    }

    private static int parseInt(Map<String, String> flags, String name, int fallback, int min, int max) {
        String v = flags.get(name);
        if (v == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(v.trim());
            if (n < min || n > max) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new ConfigurationException("--" + name + "=" + v + " is not a whole number from " + min + " to " + max);
        }
    }

    private static double parseDouble(Map<String, String> flags, String name, double fallback) {
        String v = flags.get(name);
        if (v == null) {
            return fallback;
        }
        try {
            return Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            throw new ConfigurationException("--" + name + "=" + v + " is not a number");
        }
    }
}
