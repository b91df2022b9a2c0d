package kfp.server.config;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import kfp.store.config.ConfigurationException;
import kfp.store.config.GoDuration;

/**
 * The API server's own settings, under KFP's names where KFP has one: flags {@code --httpPortFlag}
 * and {@code --rpcPortFlag} (Go style {@code :8888}), environment {@code MULTIUSER},
 * {@code COMMIT_SHA}, {@code TAG_NAME}. Ours: {@code --migrate} (default true; false starts only
 * on a schema that is already current) and {@code --shutdownTimeout} (how long in-flight calls may
 * finish after SIGTERM). Other flags of KFP's command line are accepted and ignored.
 */
public record ServerSettings(int httpPort, int rpcPort, boolean migrate, Duration shutdownTimeout,
                             String commitSha, String tagName) {

    public static final int DEFAULT_HTTP_PORT = 8888;
    public static final int DEFAULT_RPC_PORT = 8887;
    public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(20);

    /** Settings for tests and tools: the given ports, migration on, the default shutdown timeout. */
    public static ServerSettings of(int httpPort, int rpcPort, String commitSha, String tagName) {
        return new ServerSettings(httpPort, rpcPort, true, DEFAULT_SHUTDOWN_TIMEOUT, commitSha, tagName);
    }

    /** Multi-user mode is a later step: until then this server serves a single user only. */
    public boolean multiUser() {
        return false;
    }

    public static ServerSettings from(String[] args, Map<String, String> env) {
        String multiUser = env.getOrDefault("MULTIUSER", "false").trim();
        if (multiUser.equalsIgnoreCase("true")) {
            throw new ConfigurationException("MULTIUSER=true is not supported yet: this server runs in single-user mode"
                    + " (unset MULTIUSER or set it to false)");
        }
        int http = DEFAULT_HTTP_PORT;
        int rpc = DEFAULT_RPC_PORT;
        boolean migrate = true;
        Duration shutdown = DEFAULT_SHUTDOWN_TIMEOUT;
        for (String arg : args) {
            String flag = arg.replaceFirst("^--?", "");
            int eq = flag.indexOf('=');
            String name = eq < 0 ? flag : flag.substring(0, eq);
            String value = eq < 0 ? "" : flag.substring(eq + 1);
            switch (name) {
                case "httpPortFlag" -> http = port("--httpPortFlag", value);
                case "rpcPortFlag" -> rpc = port("--rpcPortFlag", value);
                case "migrate" -> migrate = bool("--migrate", eq < 0 ? "true" : value);
                case "shutdownTimeout" -> shutdown = duration("--shutdownTimeout", value);
                default -> { } // KFP's other flags (--config, --sampleconfig, --logtostderr, ...)
            }
        }
        return new ServerSettings(http, rpc, migrate, shutdown,
                env.getOrDefault("COMMIT_SHA", "unknown"),
                env.getOrDefault("TAG_NAME", "unknown"));
    }

    private static int port(String flag, String value) {
        String digits = value.startsWith(":") ? value.substring(1) : value;
        try {
            int p = Integer.parseInt(digits);
            if (p < 0 || p > 65535) {
                throw new NumberFormatException();
            }
            return p;
        } catch (NumberFormatException e) {
            throw new ConfigurationException(flag + "=" + value + " is not a port (example: :8888)");
        }
    }

    private static boolean bool(String flag, String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true", "1" -> true;
            case "false", "0" -> false;
            default -> throw new ConfigurationException(flag + "=" + value + " is not true or false");
        };
    }

    private static Duration duration(String flag, String value) {
        return GoDuration.parse(flag, value);
    }
}
