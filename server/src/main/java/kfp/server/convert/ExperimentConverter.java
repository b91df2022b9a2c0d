package kfp.server.convert;

import kfp.server.proto.v1beta1.Relationship;
import kfp.server.proto.v1beta1.ResourceKey;
import kfp.server.proto.v1beta1.ResourceReference;
import kfp.server.proto.v1beta1.ResourceType;
import kfp.store.api.Experiment;
import kfp.store.api.StorageState;

/** Experiments between the store's row and the v2beta1 and v1beta1 messages. */
public final class ExperimentConverter {

    private ExperimentConverter() {
    }

    /** What a v2 create request may set: name, description, namespace (the id and times are the store's). */
    public static Experiment fromApi(kfp.server.proto.v2beta1.Experiment e, String namespace) {
        return Experiment.newExperiment(e.getDisplayName(), e.getDescription(), namespace);
    }

    public static Experiment fromApi(kfp.server.proto.v1beta1.Experiment e, String namespace) {
        return Experiment.newExperiment(e.getName(), e.getDescription(), namespace);
    }

    public static kfp.server.proto.v2beta1.Experiment toApi(Experiment e) {
        return kfp.server.proto.v2beta1.Experiment.newBuilder()
                .setExperimentId(e.uuid())
                .setDisplayName(e.name())
                .setDescription(e.description())
                .setCreatedAt(Timestamps.ofSeconds(e.createdAtInSec()))
                .setNamespace(e.namespace())
                .setStorageState(e.storageState() == StorageState.ARCHIVED
                        ? kfp.server.proto.v2beta1.Experiment.StorageState.ARCHIVED
                        : kfp.server.proto.v2beta1.Experiment.StorageState.AVAILABLE)
                .setLastRunCreatedAt(Timestamps.ofSeconds(e.lastRunCreatedAtInSec()))
                .build();
    }

    /** v1 carries the namespace as an owner reference, always present (its id may be empty). */
    public static kfp.server.proto.v1beta1.Experiment toApiV1(Experiment e) {
        return kfp.server.proto.v1beta1.Experiment.newBuilder()
                .setId(e.uuid())
                .setName(e.name())
                .setDescription(e.description())
                .setCreatedAt(Timestamps.ofSeconds(e.createdAtInSec()))
                .addResourceReferences(ResourceReference.newBuilder()
                        .setKey(ResourceKey.newBuilder().setType(ResourceType.NAMESPACE).setId(e.namespace()))
                        .setRelationship(Relationship.OWNER))
                .setStorageState(e.storageState() == StorageState.ARCHIVED
                        ? kfp.server.proto.v1beta1.Experiment.StorageState.STORAGESTATE_ARCHIVED
                        : kfp.server.proto.v1beta1.Experiment.StorageState.STORAGESTATE_AVAILABLE)
                .build();
    }

    /** The namespace a v1 experiment names through its NAMESPACE reference, or {@code ""}. */
    public static String namespaceOf(kfp.server.proto.v1beta1.Experiment e) {
        return e.getResourceReferencesList().stream()
                .filter(r -> r.getKey().getType() == ResourceType.NAMESPACE)
                .map(r -> r.getKey().getId())
                .findFirst().orElse("");
    }
}
