package kfp.server.convert;

import java.util.regex.Pattern;
import kfp.server.errors.ApiErrors;
import kfp.server.proto.v1beta1.RunMetric;

/**
 * A reported run metric (v1 {@code RunMetric}) as the run store takes it, with KFP's checks of
 * the name and node id. Sizes and finite values are the store's checks.
 */
public final class RunMetricConverter {

    /** KFP's metric name pattern: a letter, then up to 63 of letters, digits, '-' and '_', not ending in either. */
    private static final Pattern NAME = Pattern.compile("^[a-zA-Z]([-_a-zA-Z0-9]{0,62}[a-zA-Z0-9])?$");
    private static final int MAX_NODE_ID = 128;

    private RunMetricConverter() {
    }

    /**
     * The store's metric; InvalidArgument (as KFP words it) for a name that does not match the
     * pattern or an empty or over-long node id. An unset value is 0, the format its enum name.
     */
    public static kfp.store.api.RunMetric fromApi(String runId, RunMetric m) {
        if (!NAME.matcher(m.getName()).matches()) {
            throw ApiErrors.invalidArgument("metric.name '" + m.getName() + "' doesn't match with the pattern");
        }
        if (m.getNodeId().isEmpty()) {
            throw ApiErrors.invalidArgument("metric.node_id must not be empty");
        }
        if (m.getNodeId().length() > MAX_NODE_ID) {
            throw ApiErrors.invalidArgument("metric.node_id must not be longer than " + MAX_NODE_ID + " characters");
        }
        return new kfp.store.api.RunMetric(runId, m.getNodeId(), m.getName(), m.getNumberValue(),
                m.getFormat() == RunMetric.Format.UNRECOGNIZED ? RunMetric.Format.UNSPECIFIED.name() : m.getFormat().name());
    }
}
