package kfp.server.config;

import java.time.Duration;
import java.util.Map;
import kfp.store.config.ConfigurationException;

/**
 * How pipeline files named by URL are downloaded (create a pipeline or version from a URL): KFP's
 * {@code PIPELINE_URL_TIMEOUT} (whole seconds, default 30) bounds the whole download, headers and
 * body; the body is limited to KFP's 32 MiB. Only http and https URLs are fetched. As KFP, a value
 * under one second means the default; unlike KFP, one that is not a number stops start-up.
 */
public record PipelineUrlSettings(Duration timeout) {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    public static PipelineUrlSettings defaults() {
        return new PipelineUrlSettings(DEFAULT_TIMEOUT);
    }

    /** A value that is not a whole number stops start-up. */
    public static PipelineUrlSettings from(Map<String, String> env) {
        String value = env.getOrDefault("PIPELINE_URL_TIMEOUT", "").trim();
        if (value.isEmpty()) {
            return defaults();
        }
        try {
            long seconds = Long.parseLong(value);
            return seconds < 1 ? defaults() : new PipelineUrlSettings(Duration.ofSeconds(seconds));
        } catch (NumberFormatException e) {
            throw new ConfigurationException("PIPELINE_URL_TIMEOUT=" + value + " is not a whole number of seconds");
        }
    }
}
