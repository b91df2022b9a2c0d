package kfp.store.api;

/** Status of a pipeline or pipeline version, stored verbatim. Only READY ones are visible to reads and lists. */
public enum PipelineStatus {
    CREATING,
    READY,
    DELETING
}
