package kfp.store.api;

import java.util.Objects;

/**
 * One row of {@code resource_references}: {@code resource} (e.g. a run) relates to
 * {@code reference} (e.g. its experiment). At most one reference per (resource, reference type).
 * Shared by the run, job and experiment stores.
 */
public record ResourceReference(
        String resourceUuid,
        ResourceType resourceType,
        String referenceUuid,
        String referenceName,
        ResourceType referenceType,
        Relationship relationship) {

    public ResourceReference {
        Objects.requireNonNull(resourceUuid, "resourceUuid");
        Objects.requireNonNull(resourceType, "resourceType");
        Objects.requireNonNull(referenceUuid, "referenceUuid");
        referenceName = referenceName == null ? "" : referenceName;
        Objects.requireNonNull(referenceType, "referenceType");
        Objects.requireNonNull(relationship, "relationship");
    }

    /** A reference as the run and job stores write them: no name. */
    public static ResourceReference of(String resourceUuid, ResourceType resourceType, String referenceUuid,
            ResourceType referenceType, Relationship relationship) {
        return new ResourceReference(resourceUuid, resourceType, referenceUuid, "", referenceType, relationship);
    }

    /** The referenced object, as a filter context would name it. */
    public ReferenceKey referenceKey() {
        return new ReferenceKey(referenceType, referenceUuid);
    }
}
