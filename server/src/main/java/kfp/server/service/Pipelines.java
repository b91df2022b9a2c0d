package kfp.server.service;

import com.google.inject.Inject;
import com.google.inject.Singleton;
import java.util.Map;
import kfp.server.convert.PipelineFiles;
import kfp.server.convert.PipelineSpecs;
import kfp.server.errors.ApiErrors;
import kfp.store.api.FilterContext;
import kfp.store.api.ListOptions;
import kfp.store.api.ListResult;
import kfp.store.api.NotFoundException;
import kfp.store.api.Pipeline;
import kfp.store.api.PipelineAndVersion;
import kfp.store.api.PipelineStatus;
import kfp.store.api.PipelineStore;
import kfp.store.api.PipelineVersion;
import kfp.store.api.ResourceType;

/**
 * The pipeline rules both API versions and both transports share (gRPC and REST creates, uploads,
 * creates from a URL): namespaces as single-user mode has them, KFP's name fallbacks, the file
 * checked as KFP checks it (v2 IR or an Argo Workflow) before anything is written. The store checks
 * lengths, tags, duplicates and unknown ids. A pipeline created with its first version appears
 * with it or not at all.
 */
@Singleton
final class Pipelines {

    private final PipelineStore store;
    private final PipelineUrls urls;

    @Inject
    Pipelines(PipelineStore store, PipelineUrls urls) {
        this.store = store;
        this.urls = urls;
    }

    /** A pipeline without a version (v2 CreatePipeline). */
    Pipeline create(Pipeline requested) {
        if (requested.name().isEmpty()) {
            throw ApiErrors.invalidArgument("pipeline name is required (name or display_name)");
        }
        return store.createPipeline(inNamespace(requested, requested.namespace()));
    }

    /** A pipeline and its first version from a file at {@code url} (v2 CreatePipelineAndVersion, v1 CreatePipeline). */
    PipelineAndVersion createFromUrl(Pipeline requested, String url, Map<String, String> versionTags) {
        Calls.required(url, "pipeline_url");
        PipelineUrls.File file = urls.fetch(url);
        PipelineVersion version = PipelineVersion.newVersion("", "", "", requested.description(), "", url, "", versionTags);
        return createWithFile(requested, version, file.name(), file.content());
    }

    /**
     * A pipeline and its first version from a file's bytes. Names: the request's name, else its
     * display name, else the file name ({@code fileName}; from a URL its last segment), else the v2
     * spec's name; the version takes the pipeline's name, display name and description.
     */
    PipelineAndVersion createWithFile(Pipeline requested, PipelineVersion version, String fileName, byte[] content) {
        String text = PipelineFiles.read(fileName, content);
        PipelineSpecs.Template template = PipelineSpecs.inspect(text, "the pipeline file");
        String name = firstNonEmpty(requested.name(), requested.displayName(), fileName, template.v2Name());
        if (name.isEmpty()) {
            throw ApiErrors.invalidArgument("pipeline name is required (name or display_name)");
        }
        String displayName = requested.displayName().isEmpty() ? name : requested.displayName();
        Pipeline pipeline = Pipeline.newPipeline(name, displayName, requested.description(),
                Namespaces.of(requested.namespace()), requested.tags());
        PipelineVersion first = withSpec(new PipelineVersion("", 0, name, displayName, "", "", PipelineStatus.CREATING,
                version.codeSourceUrl(), requested.description(), "", version.pipelineSpecUri(), version.tags()),
                text, template);
        PipelineAndVersion created = store.createPipelineAndPipelineVersion(pipeline, first);
        try {
            store.updatePipelineVersionStatus(created.version().uuid(), PipelineStatus.READY);
            store.updatePipelineStatus(created.pipeline().uuid(), PipelineStatus.READY);
        } catch (RuntimeException e) {
            deleteQuietly(created.pipeline().uuid(), e); // neither half stays behind
            throw e;
        }
        return new PipelineAndVersion(created.pipeline().withStatus(PipelineStatus.READY),
                created.version().withStatus(PipelineStatus.READY));
    }

    /** A version from a file at its {@code pipelineSpecUri} (v2 CreatePipelineVersion, v1 CreatePipelineVersion). */
    PipelineVersion createVersionFromUrl(PipelineVersion requested) {
        Calls.required(requested.pipelineSpecUri(), "package_url.pipeline_url");
        Calls.required(requested.pipelineId(), "pipeline_id");
        if (requested.name().isEmpty()) {
            throw ApiErrors.invalidArgument("pipeline version name is required (name or display_name)");
        }
        PipelineUrls.File file = urls.fetch(requested.pipelineSpecUri());
        return createVersionWithFile(requested, file.name(), file.content());
    }

    /** A version of an existing pipeline; names: the request's, else the file name, else the v2 spec's name. */
    PipelineVersion createVersionWithFile(PipelineVersion requested, String fileName, byte[] content) {
        Calls.required(requested.pipelineId(), "pipelineid");
        String text = PipelineFiles.read(fileName, content);
        PipelineSpecs.Template template = PipelineSpecs.inspect(text, "the pipeline file");
        String name = firstNonEmpty(requested.name(), requested.displayName(), fileName, template.v2Name());
        String displayName = requested.displayName().isEmpty() ? name : requested.displayName();
        PipelineVersion version = withSpec(new PipelineVersion("", 0, name, displayName, "", requested.pipelineId(),
                PipelineStatus.READY, requested.codeSourceUrl(), requested.description(), "",
                requested.pipelineSpecUri(), requested.tags()), text, template);
        return store.createPipelineVersion(version); // NotFound for an unknown pipeline, AlreadyExists for a taken name
    }

    private static PipelineVersion withSpec(PipelineVersion v, String text, PipelineSpecs.Template template) {
        return new PipelineVersion(v.uuid(), v.createdAtInSec(), v.name(), v.displayName(), template.parametersJson(),
                v.pipelineId(), v.status(), v.codeSourceUrl(), v.description(), text, v.pipelineSpecUri(), v.tags());
    }

    Pipeline get(String id) {
        return store.getPipeline(id);
    }

    /** Single-user: the name in the shared namespace, whatever namespace the request names. */
    Pipeline getByName(String name, String namespace) {
        return store.getPipelineByNameAndNamespace(Calls.required(name, "name"), Namespaces.of(namespace));
    }

    PipelineAndVersion getByNameV1(String name, String namespace) {
        return store.getPipelineByNameAndNamespaceV1(Calls.required(name, "name"), Namespaces.of(namespace));
    }

    ListResult<Pipeline> list(String namespace, ListOptions options) {
        return store.listPipelines(FilterContext.of(ResourceType.NAMESPACE, Namespaces.of(namespace)), options);
    }

    ListResult<PipelineAndVersion> listV1(String namespace, ListOptions options) {
        return store.listPipelinesV1(FilterContext.of(ResourceType.NAMESPACE, Namespaces.of(namespace)), options);
    }

    /** The latest ready version, or null when the pipeline has none. */
    PipelineVersion latestVersionOrNull(String pipelineId) {
        try {
            return store.getLatestPipelineVersion(pipelineId);
        } catch (NotFoundException e) {
            return null;
        }
    }

    PipelineVersion latestVersion(String pipelineId) {
        store.getPipeline(pipelineId); // an unknown pipeline is NotFound as a pipeline
        return store.getLatestPipelineVersion(pipelineId);
    }

    /** Display name unless empty; tags unless null (an empty map clears them). */
    Pipeline update(String id, String displayName, Map<String, String> tags) {
        store.getPipeline(id);
        store.updatePipelineFields(id, displayName, tags);
        return store.getPipeline(id);
    }

    PipelineVersion updateVersion(String id, String displayName, Map<String, String> tags) {
        store.getPipelineVersion(id);
        store.updatePipelineVersionFields(id, displayName, tags);
        return store.getPipelineVersion(id);
    }

    /**
     * KFP's rule: a pipeline with a ready version is deleted only with {@code cascade} (else
     * InvalidArgument naming a version); with it, its versions go first.
     */
    void delete(String id, boolean cascade) {
        store.getPipeline(id);
        PipelineVersion latest = latestVersionOrNull(id);
        if (latest != null && !cascade) {
            throw ApiErrors.invalidArgument("pipeline " + id + " has versions (e.g. " + latest.uuid()
                    + "): delete them first or set cascade=true");
        }
        store.deletePipeline(id); // its versions and all tags go with it, in one transaction
    }

    /** Both must exist; the version must belong to the pipeline. */
    void setDefaultVersion(String pipelineId, String versionId) {
        store.getPipeline(pipelineId);
        PipelineVersion v = store.getPipelineVersion(versionId);
        if (!v.pipelineId().equals(pipelineId)) {
            throw ApiErrors.invalidArgument("pipeline version " + versionId + " is not a version of pipeline " + pipelineId);
        }
        store.updatePipelineDefaultVersion(pipelineId, versionId);
    }

    PipelineVersion getVersion(String id) {
        return store.getPipelineVersion(id);
    }

    ListResult<PipelineVersion> listVersions(String pipelineId, ListOptions options) {
        return store.listPipelineVersions(Calls.required(pipelineId, "pipeline_id"), options);
    }

    void deleteVersion(String id) {
        store.deletePipelineVersion(id); // NotFound for an unknown id
    }

    private static Pipeline inNamespace(Pipeline p, String namespace) {
        return Pipeline.newPipeline(p.name(), p.displayName(), p.description(), Namespaces.of(namespace), p.tags());
    }

    private static String firstNonEmpty(String... values) {
        for (String v : values) {
            if (v != null && !v.isEmpty()) {
                return v;
            }
        }
        return "";
    }

    private void deleteQuietly(String pipelineId, RuntimeException cause) {
        try {
            store.deletePipeline(pipelineId);
        } catch (RuntimeException e) {
            cause.addSuppressed(e);
        }
    }
}
