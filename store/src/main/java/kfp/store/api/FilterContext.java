package kfp.store.api;

import java.util.Optional;

/**
 * What a list is scoped to before the caller's filter applies (KFP's FilterContext): nothing, a
 * namespace, an experiment, a recurring run, a run, a pipeline... The API layer decides: in
 * single-user mode an empty namespace means {@link #NONE}; in multi-user mode an empty id still
 * filters on {@code ''}.
 */
public record FilterContext(ReferenceKey referenceKey) {

    public static final FilterContext NONE = new FilterContext(null);

    public static FilterContext of(ResourceType type, String id) {
        return new FilterContext(new ReferenceKey(type, id));
    }

    public Optional<ReferenceKey> key() {
        return Optional.ofNullable(referenceKey);
    }

    /** True when the context is a reference of this type. */
    public boolean is(ResourceType type) {
        return referenceKey != null && referenceKey.type() == type;
    }
}
