package kfp.server.service;

import com.google.inject.Inject;
import com.google.inject.Singleton;
import kfp.server.errors.ApiErrors;
import kfp.store.api.Experiment;
import kfp.store.api.ExperimentStore;
import kfp.store.api.FilterContext;
import kfp.store.api.ListOptions;
import kfp.store.api.ListResult;
import kfp.store.api.ResourceType;

/**
 * The experiment rules both API versions share: namespaces as single-user mode has them, the
 * default experiment kept, everything else checked by the store (empty or over-long names,
 * duplicates, unknown ids, filters and page tokens).
 */
@Singleton
final class Experiments {

    private final ExperimentStore store;
    private final DefaultExperiment defaultExperiment;

    @Inject
    Experiments(ExperimentStore store, DefaultExperiment defaultExperiment) {
        this.store = store;
        this.defaultExperiment = defaultExperiment;
    }

    /**
     * A list scoped to an experiment: NotFound when the page is empty and the experiment does not
     * exist. A page with items needs no second query (docs/kfp-compatibility.md#list-in-experiment).
     */
    static <T> ListResult<T> inExperiment(ExperimentStore store, String experimentId, ListResult<T> page) {
        if (page.items().isEmpty()) {
            store.getExperiment(experimentId);
        }
        return page;
    }

    Experiment create(Experiment requested, String nameField) {
        Calls.required(requested.name(), nameField);
        return store.createExperiment(Experiment.newExperiment(requested.name(), requested.description(),
                Namespaces.of(requested.namespace())));
    }

    Experiment get(String id) {
        return store.getExperiment(id);
    }

    /** Single-user: the shared namespace, as KFP lists it. */
    ListResult<Experiment> list(String namespace, ListOptions options) {
        return store.listExperiments(FilterContext.of(ResourceType.NAMESPACE, Namespaces.of(namespace)), options);
    }

    void delete(String id) {
        if (id.equals(defaultExperiment.id())) {
            throw ApiErrors.aborted("Experiment " + id + " is the default experiment and cannot be deleted");
        }
        store.deleteExperiment(id);
    }

    void archive(String id) {
        store.archiveExperiment(id);
    }

    void unarchive(String id) {
        store.unarchiveExperiment(id);
    }
}
