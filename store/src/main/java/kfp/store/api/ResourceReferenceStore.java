package kfp.store.api;

import java.util.Collection;
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

    /** {@link #deleteResourceReferences(String, ResourceType)} for several objects of one type at once (run GC). */
    void deleteResourceReferences(Collection<String> ids, ResourceType type);

    /** The references the given objects of {@code resourceType} hold, read by key (a list page's runs or jobs). */
    List<ResourceReference> listResourceReferences(ResourceType resourceType, Collection<String> resourceIds);

    /**
     * The existence check {@link #createResourceReferences} makes, for an object a resource names
     * without a reference row (a run's pipeline and pipeline version). A namespace always exists
     * (namespaces are not stored in the database).
     *
     * @throws NotFoundException "&lt;type&gt; &lt;id&gt; not found"
     */
    void requireExists(ResourceType type, String id);
}
