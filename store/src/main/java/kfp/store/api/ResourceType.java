package kfp.store.api;

import java.util.Arrays;

/**
 * The kinds of resources in {@code resource_references} (ResourceType and ReferenceType columns),
 * with the exact strings KFP stores ({@code pipeline} is lower-case in KFP's data).
 */
public enum ResourceType {
    NAMESPACE("Namespace"),
    EXPERIMENT("Experiment"),
    JOB("Job"),
    RECURRING_RUN("RecurringRun"),
    RUN("Run"),
    PIPELINE("pipeline"),
    PIPELINE_VERSION("PipelineVersion");

    private final String stored;

    ResourceType(String stored) {
        this.stored = stored;
    }

    /** The value in the database. */
    public String stored() {
        return stored;
    }

    public static ResourceType fromStored(String value) {
        return Arrays.stream(values()).filter(t -> t.stored.equals(value)).findFirst()
                .orElseThrow(() -> new InvalidArgumentException("unknown resource type '" + value + "'"));
    }
}
