package kfp.store.guice;

import kfp.store.Schema;
import kfp.store.api.DBStatusStore;
import kfp.store.api.DefaultExperimentStore;
import kfp.store.api.ExperimentStore;
import kfp.store.api.JobStore;
import kfp.store.api.PipelineStore;
import kfp.store.api.ResourceReferenceStore;
import kfp.store.api.RunCounters;
import kfp.store.api.RunStore;
import kfp.store.api.StoreLifecycle;
import kfp.store.api.TaskStore;
import kfp.store.mybatis.MyBatisDBStatusStore;
import kfp.store.mybatis.MyBatisDefaultExperimentStore;
import kfp.store.mybatis.MyBatisExperimentStore;
import kfp.store.mybatis.MyBatisJobStore;
import kfp.store.mybatis.MyBatisPipelineStore;
import kfp.store.mybatis.MyBatisResourceReferenceStore;
import kfp.store.mybatis.MyBatisRunCounters;
import kfp.store.mybatis.MyBatisRunStore;
import kfp.store.mybatis.MyBatisTaskStore;
import kfp.store.mybatis.dynamic.ListEngine;

/** The API server's stores over the {@code mlpipeline} database. Exposes only store interfaces. */
public final class StoreModule extends BaseStoreModule {

    public StoreModule(StoreOptions options) {
        super(Schema.MLPIPELINE, options);
    }

    @Override
    protected void bindStores() {
        bind(DBStatusStore.class).to(MyBatisDBStatusStore.class);
        bind(DefaultExperimentStore.class).to(MyBatisDefaultExperimentStore.class);
        bind(ListEngine.class);
        bind(ResourceReferenceStore.class).to(MyBatisResourceReferenceStore.class);
        bind(ExperimentStore.class).to(MyBatisExperimentStore.class);
        bind(PipelineStore.class).to(MyBatisPipelineStore.class);
        bind(JobStore.class).to(MyBatisJobStore.class);
        bind(RunStore.class).to(MyBatisRunStore.class);
        bind(RunCounters.class).to(MyBatisRunCounters.class);
        bind(TaskStore.class).to(MyBatisTaskStore.class);
        expose(DBStatusStore.class);
        expose(DefaultExperimentStore.class);
        expose(ResourceReferenceStore.class);
        expose(ExperimentStore.class);
        expose(PipelineStore.class);
        expose(JobStore.class);
        expose(RunStore.class);
        expose(RunCounters.class);
        expose(TaskStore.class);
        bind(StoreLifecycle.class).to(lifecycleOf(Schema.MLPIPELINE)); // the API server's, unqualified
        expose(StoreLifecycle.class);
    }
}
