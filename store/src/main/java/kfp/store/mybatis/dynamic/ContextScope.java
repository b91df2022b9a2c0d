package kfp.store.mybatis.dynamic;

import kfp.store.api.FilterContext;

/**
 * A filter context as the values of a statement that writes its scope in its own XML (the run and
 * recurring-run lists read it as {@code q.scope}): the experiment, or the namespace, or another
 * resource the listed rows reference through {@code resource_references} (a recurring run's
 * runs; {@code referenceType} is the stored type name). At most one is set; none for a list of everything.
 */
public record ContextScope(String experimentId, String namespace, String referenceType, String referenceId) {

    public static final ContextScope NONE = new ContextScope(null, null, null, null);

    public static ContextScope of(FilterContext context) {
        return context.key().map(k -> switch (k.type()) {
            case EXPERIMENT -> new ContextScope(k.id(), null, null, null);
            case NAMESPACE -> new ContextScope(null, k.id(), null, null);
            default -> new ContextScope(null, null, k.type().stored(), k.id());
        }).orElse(NONE);
    }

    public String getExperimentId() {
        return experimentId;
    }

    public String getNamespace() {
        return namespace;
    }

    public String getReferenceType() {
        return referenceType;
    }

    public String getReferenceId() {
        return referenceId;
    }
}
