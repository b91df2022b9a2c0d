package kfp.store.api;

/**
 * A row of {@code experiments}. On create only name, description, namespace and storage state are
 * read; the store sets the id and timestamps.
 */
public record Experiment(
        String uuid,
        String name,
        String description,
        long createdAtInSec,
        long lastRunCreatedAtInSec,
        String namespace,
        StorageState storageState) {

    public Experiment {
        uuid = uuid == null ? "" : uuid;
        name = name == null ? "" : name;
        description = description == null ? "" : description;
        namespace = namespace == null ? "" : namespace;
        storageState = storageState == null ? StorageState.AVAILABLE : storageState;
    }

    /** What a caller passes to create an experiment. */
    public static Experiment newExperiment(String name, String description, String namespace) {
        return new Experiment("", name, description, 0, 0, namespace, StorageState.AVAILABLE);
    }
}
