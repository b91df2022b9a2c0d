package kfp.cache;

/** The pod labels, annotations and environment names KFP's cache server and its pipelines agree on. */
final class PodLabels {

    static final String CACHE_ENABLED = "pipelines.kubeflow.org/cache_enabled";
    static final String REUSED_FROM_CACHE = "pipelines.kubeflow.org/reused_from_cache";
    static final String EXECUTION_CACHE_KEY = "pipelines.kubeflow.org/execution_cache_key";
    static final String CACHE_ID = "pipelines.kubeflow.org/cache_id";
    static final String ARGO_OUTPUTS = "workflows.argoproj.io/outputs";
    static final String ARGO_COMPLETED = "workflows.argoproj.io/completed";
    static final String METADATA_WRITTEN = "pipelines.kubeflow.org/metadata_written";
    static final String METADATA_EXECUTION_ID = "pipelines.kubeflow.org/metadata_execution_id";
    static final String MAX_CACHE_STALENESS = "pipelines.kubeflow.org/max_cache_staleness";
    static final String SDK_TYPE = "pipelines.kubeflow.org/pipeline-sdk-type";
    static final String V2_COMPONENT = "pipelines.kubeflow.org/v2_component";
    static final String TFX_ENTRYPOINT_SUFFIX = "tfx/orchestration/kubeflow/container_entrypoint.py";
    static final String ARGO_TEMPLATE_ENV = "ARGO_TEMPLATE";

    private PodLabels() {
    }
}
