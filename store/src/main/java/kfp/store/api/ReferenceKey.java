package kfp.store.api;

import java.util.Objects;

/** A resource named by type and id: the object a list is scoped to, or the target of a reference. */
public record ReferenceKey(ResourceType type, String id) {

    public ReferenceKey {
        Objects.requireNonNull(type, "type");
        id = id == null ? "" : id;
    }
}
