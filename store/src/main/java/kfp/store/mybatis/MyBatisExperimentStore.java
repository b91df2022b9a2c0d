package kfp.store.mybatis;

import com.google.inject.Inject;
import com.google.inject.Singleton;
import java.util.Map;
import kfp.store.api.AlreadyExistsException;
import kfp.store.api.Clock;
import kfp.store.api.DefaultExperimentStore;
import kfp.store.api.Experiment;
import kfp.store.api.ExperimentStore;
import kfp.store.api.FilterContext;
import kfp.store.api.IdGenerator;
import kfp.store.api.ListOptions;
import kfp.store.api.ListResult;
import kfp.store.api.NotFoundException;
import kfp.store.api.ResourceReferenceStore;
import kfp.store.api.ResourceType;
import kfp.store.api.StorageState;
import kfp.store.mybatis.dynamic.ListEngine;
import kfp.store.mybatis.dynamic.ListModels;
import kfp.store.mybatis.dynamic.Scope;
import kfp.store.mybatis.dynamic.Tables;
import kfp.store.mybatis.mapper.ExperimentMapper;

/** {@link ExperimentStore} over {@code mappers/ExperimentMapper.xml}. */
@Singleton
@Transactional
public class MyBatisExperimentStore implements ExperimentStore {

    private final ExperimentMapper mapper;
    private final ListEngine lists;
    private final DefaultExperimentStore defaults;
    private final ResourceReferenceStore references;
    private final Clock clock;
    private final IdGenerator ids;

    @Inject
    MyBatisExperimentStore(ExperimentMapper mapper, ListEngine lists, DefaultExperimentStore defaults,
            ResourceReferenceStore references, Clock clock, IdGenerator ids) {
        this.mapper = mapper;
        this.lists = lists;
        this.defaults = defaults;
        this.references = references;
        this.clock = clock;
        this.ids = ids;
    }

    @Override
    public Experiment createExperiment(Experiment e) {
        Limits.required("experiment name", e.name());
        StringColumn.EXPERIMENT_NAME.check(e.name());
        StringColumn.EXPERIMENT_DESCRIPTION.check(e.description());
        StringColumn.EXPERIMENT_NAMESPACE.check(e.namespace());
        Experiment created = new Experiment(ids.newId(), e.name(), e.description(), clock.nowSeconds(), 0,
                e.namespace(), e.storageState());
        SqlErrors.insertUnique(() -> mapper.insertExperiment(created), ex -> new AlreadyExistsException(
                "Failed to create a new experiment. The name " + e.name() + " already exists. Please specify a new name", ex));
        return created;
    }

    @Override
    public Experiment getExperiment(String id) {
        Experiment e = mapper.selectExperiment(id);
        if (e == null) {
            throw notFound(id);
        }
        return e;
    }

    @Override
    public Experiment getExperimentByNameNamespace(String name, String namespace) {
        Experiment e = mapper.selectExperimentByName(name, namespace == null ? "" : namespace);
        if (e == null) {
            throw new NotFoundException("Experiment " + name + " in namespace '" + namespace + "' not found");
        }
        return e;
    }

    @Override
    @Transactional(isolation = Transactional.Isolation.REPEATABLE_READ)
    public ListResult<Experiment> listExperiments(FilterContext context, ListOptions options) {
        Scope scope = Scope.of(context, Map.of(ResourceType.NAMESPACE, Tables.EXPERIMENTS.namespace));
        return lists.query(ListModels.EXPERIMENTS, options, scope)
                .execute(mapper::selectExperimentPage, mapper::countExperiments, mapper::selectExperimentsByIds,
                        Experiment::uuid);
    }

    @Override
    public void archiveExperiment(String id) {
        if (mapper.updateStorageState(id, StorageState.ARCHIVED.name()) == 0) {
            throw notFound(id);
        }
        long now = clock.nowSeconds();
        // the lock order shared with run creation and single-run changes: experiment, runs, counters
        mapper.lockRunsByReference(id);
        mapper.lockRunsByExperiment(id);
        mapper.archiveRunsByReference(id, now);
        mapper.archiveRunsByExperiment(id, now);
        mapper.disableJobsByReference(id, now);
        mapper.disableJobsByExperiment(id, now);
    }

    @Override
    public void unarchiveExperiment(String id) {
        if (mapper.updateStorageState(id, StorageState.AVAILABLE.name()) == 0) {
            throw notFound(id);
        }
    }

    @Override
    public void deleteExperiment(String id) {
        if (mapper.deleteExperiment(id) == 0) {
            throw notFound(id);
        }
        defaults.unsetDefaultExperimentIdIfIdMatches(id);
        // KFP passes type Run here and so leaves the experiment's references behind (docs/kfp-compatibility.md#experiment-references)
        references.deleteResourceReferences(id, ResourceType.EXPERIMENT);
    }

    @Override
    public void setLastRunTimestamp(String experimentId, long runCreatedAtInSec) {
        if (mapper.updateLastRunCreatedAt(experimentId, runCreatedAtInSec) == 0) {
            throw notFound(experimentId);
        }
    }

    private static NotFoundException notFound(String id) {
        return new NotFoundException("Experiment " + id + " not found");
    }
}
