package kfp.server;

import java.util.Map;
import kfp.store.config.ConfigurationException;

/**
 * The API server's own settings, under KFP's names: flag {@code --httpPortFlag} (Go style
 * {@code :8888}), environment {@code MULTIUSER}, {@code COMMIT_SHA}, {@code TAG_NAME}. Other flags
 * of KFP's command line are accepted and ignored.
 */
public record ServerSettings(int httpPort, boolean multiUser, String commitSha, String tagName) {

    public static ServerSettings from(String[] args, Map<String, String> env) {
        int http = 8888;
        for (String arg : args) {
            if (arg.startsWith("--httpPortFlag=")) {
                http = port("--httpPortFlag", arg.substring("--httpPortFlag=".length()));
            }
        }
        return new ServerSettings(http,
                Boolean.parseBoolean(env.getOrDefault("MULTIUSER", "false")),
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
}
