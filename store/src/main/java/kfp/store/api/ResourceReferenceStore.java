package kfp.store.api;

import java.util.List;

/**
 * The {@code resource_references} table (KFP's deprecated v1 relationships, still written and read).
 *
 * <p>{@link #createResourceReferences} and {@link #deleteResourceReferences} are what the run,
 * job and experiment stores call inside their own transactions (they join it; called alone, each
 * runs in its own).
 */
public interface ResourceReferenceStore {

    /**
     * The reference of {@code resourceId} (of {@code resourceType}) to its {@code referenceType}.
     *
     * @throws NotFoundException when there is none
     */
    ResourceReference getResourceReference(String resourceId, ResourceType resourceType, ResourceType referenceType);

    /**
     * Stores references after checking that each referenced experiment, job (or recurring run), run,
     * pipeline or pipeline version exists (namespaces always exist). Nothing is stored if one check
     * fails.
     *
     * @throws NotFoundException "&lt;ReferenceType&gt; &lt;id&gt; not found" for a missing referenced object
     * @throws AlreadyExistsException when the resource already has a reference of that type
     */
    void createResourceReferences(List<ResourceReference> references);

    /** Removes the references of {@code id} (as resource of {@code type}) and those to it (as reference of {@code type}). */
    void deleteResourceReferences(String id, ResourceType type);
}
