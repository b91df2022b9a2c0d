package kfp.server.service;

import com.google.inject.Inject;
import com.google.protobuf.Empty;
import com.google.protobuf.Message;
import io.grpc.stub.StreamObserver;
import java.util.Map;
import kfp.server.convert.ListRequests;
import kfp.server.convert.PipelineConverter;
import kfp.server.errors.ApiErrors;
import kfp.server.proto.v1beta1.CreatePipelineRequest;
import kfp.server.proto.v1beta1.CreatePipelineVersionRequest;
import kfp.server.proto.v1beta1.DeletePipelineRequest;
import kfp.server.proto.v1beta1.DeletePipelineVersionRequest;
import kfp.server.proto.v1beta1.GetPipelineByNameRequest;
import kfp.server.proto.v1beta1.GetPipelineRequest;
import kfp.server.proto.v1beta1.GetPipelineVersionRequest;
import kfp.server.proto.v1beta1.GetPipelineVersionTemplateRequest;
import kfp.server.proto.v1beta1.GetTemplateRequest;
import kfp.server.proto.v1beta1.GetTemplateResponse;
import kfp.server.proto.v1beta1.ListPipelineVersionsRequest;
import kfp.server.proto.v1beta1.ListPipelineVersionsResponse;
import kfp.server.proto.v1beta1.ListPipelinesRequest;
import kfp.server.proto.v1beta1.ListPipelinesResponse;
import kfp.server.proto.v1beta1.Pipeline;
import kfp.server.proto.v1beta1.PipelineServiceGrpc;
import kfp.server.proto.v1beta1.PipelineVersion;
import kfp.server.proto.v1beta1.ResourceType;
import kfp.server.proto.v1beta1.UpdatePipelineDefaultVersionRequest;
import kfp.store.api.ListResult;
import kfp.store.api.PipelineAndVersion;

/**
 * {@code api.PipelineService} (v1beta1), on gRPC and {@code /apis/v1beta1/pipelines},
 * {@code /apis/v1beta1/pipeline_versions}, and the v1beta1 multipart uploads. A v1 pipeline
 * carries its latest ready version as {@code default_version}.
 */
final class PipelineServiceV1 extends PipelineServiceGrpc.PipelineServiceImplBase implements PipelineUploads {

    private final Pipelines pipelines;

    @Inject
    PipelineServiceV1(Pipelines pipelines) {
        this.pipelines = pipelines;
    }

    /** A pipeline and its first version from {@code url.pipeline_url}. */
    @Override
    public void createPipelineV1(CreatePipelineRequest request, StreamObserver<Pipeline> out) {
        Pipeline p = request.getPipeline();
        Calls.required(p.getUrl().getPipelineUrl(), "pipeline.url.pipeline_url");
        PipelineAndVersion created = pipelines.createFromUrl(PipelineConverter.fromApi(p), p.getUrl().getPipelineUrl(), Map.of());
        Calls.reply(out, PipelineConverter.toApiV1(created.pipeline(), created.version()));
    }

    @Override
    public void getPipelineV1(GetPipelineRequest request, StreamObserver<Pipeline> out) {
        String id = Calls.required(request.getId(), "id");
        kfp.store.api.Pipeline p = pipelines.get(id);
        Calls.reply(out, PipelineConverter.toApiV1(p, pipelines.latestVersionOrNull(id)));
    }

    @Override
    public void getPipelineByNameV1(GetPipelineByNameRequest request, StreamObserver<Pipeline> out) {
        PipelineAndVersion found = pipelines.getByNameV1(request.getName(), request.getNamespace());
        Calls.reply(out, PipelineConverter.toApiV1(found.pipeline(), found.version()));
    }

    /** {@code resource_reference_key} may only name a namespace (KFP: anything else is 400). */
    @Override
    public void listPipelinesV1(ListPipelinesRequest request, StreamObserver<ListPipelinesResponse> out) {
        String namespace = ListRequests.scopeV1(request.hasResourceReferenceKey(), request.getResourceReferenceKey(),
                "pipelines", kfp.store.api.ResourceType.NAMESPACE).id();
        ListResult<PipelineAndVersion> page = pipelines.listV1(namespace, ListRequests.options(
                request.getPageSize(), request.getSortBy(), request.getFilter(), request.getPageToken()));
        ListPipelinesResponse.Builder response = ListPipelinesResponse.newBuilder()
                .setTotalSize(page.totalSize())
                .setNextPageToken(page.nextPageToken());
        page.items().forEach(p -> response.addPipelines(PipelineConverter.toApiV1(p.pipeline(), p.version())));
        Calls.reply(out, response.build());
    }

    /** v1 has no cascade flag: a pipeline with versions is refused, as in v2 without cascade. */
    @Override
    public void deletePipelineV1(DeletePipelineRequest request, StreamObserver<Empty> out) {
        pipelines.delete(Calls.required(request.getId(), "id"), false);
        Calls.done(out);
    }

    /** The latest ready version's spec text. */
    @Override
    public void getTemplate(GetTemplateRequest request, StreamObserver<GetTemplateResponse> out) {
        kfp.store.api.PipelineVersion latest = pipelines.latestVersion(Calls.required(request.getId(), "id"));
        Calls.reply(out, GetTemplateResponse.newBuilder().setTemplate(latest.pipelineSpec()).build());
    }

    /** The parent is the version's PIPELINE reference. */
    @Override
    public void createPipelineVersionV1(CreatePipelineVersionRequest request, StreamObserver<PipelineVersion> out) {
        PipelineVersion v = request.getVersion();
        Calls.required(v.getPackageUrl().getPipelineUrl(), "version.package_url.pipeline_url");
        kfp.store.api.PipelineVersion requested = PipelineConverter.fromApi(v);
        Calls.required(requested.pipelineId(), "version.resource_references (PIPELINE)");
        Calls.reply(out, PipelineConverter.toApiV1(pipelines.createVersionFromUrl(requested)));
    }

    @Override
    public void getPipelineVersionV1(GetPipelineVersionRequest request, StreamObserver<PipelineVersion> out) {
        Calls.reply(out, PipelineConverter.toApiV1(pipelines.getVersion(Calls.required(request.getVersionId(), "version_id"))));
    }

    /** {@code resource_key} must name the PIPELINE whose versions are listed. */
    @Override
    public void listPipelineVersionsV1(ListPipelineVersionsRequest request, StreamObserver<ListPipelineVersionsResponse> out) {
        if (request.getResourceKey().getType() != ResourceType.PIPELINE) {
            throw ApiErrors.invalidArgument("pipeline versions are listed by resource_key.type PIPELINE");
        }
        ListResult<kfp.store.api.PipelineVersion> page = pipelines.listVersions(
                Calls.required(request.getResourceKey().getId(), "resource_key.id"), ListRequests.options(
                        request.getPageSize(), request.getSortBy(), request.getFilter(), request.getPageToken()));
        ListPipelineVersionsResponse.Builder response = ListPipelineVersionsResponse.newBuilder()
                .setTotalSize(page.totalSize())
                .setNextPageToken(page.nextPageToken());
        page.items().forEach(v -> response.addVersions(PipelineConverter.toApiV1(v)));
        Calls.reply(out, response.build());
    }

    @Override
    public void deletePipelineVersionV1(DeletePipelineVersionRequest request, StreamObserver<Empty> out) {
        pipelines.deleteVersion(Calls.required(request.getVersionId(), "version_id"));
        Calls.done(out);
    }

    @Override
    public void getPipelineVersionTemplate(GetPipelineVersionTemplateRequest request,
                                           StreamObserver<GetTemplateResponse> out) {
        kfp.store.api.PipelineVersion v = pipelines.getVersion(Calls.required(request.getVersionId(), "version_id"));
        Calls.reply(out, GetTemplateResponse.newBuilder().setTemplate(v.pipelineSpec()).build());
    }

    /** The deprecated default version column, kept for old readers; both must exist. */
    @Override
    public void updatePipelineDefaultVersionV1(UpdatePipelineDefaultVersionRequest request, StreamObserver<Empty> out) {
        pipelines.setDefaultVersion(Calls.required(request.getPipelineId(), "pipeline_id"),
                Calls.required(request.getVersionId(), "version_id"));
        Calls.done(out);
    }

    @Override
    public String apiVersion() {
        return "v1beta1";
    }

    /** v1 upload: {@code name}, {@code description}, {@code namespace} (KFP also reads v2's others). */
    @Override
    public Message uploadPipeline(Upload upload) {
        kfp.store.api.Pipeline requested = kfp.store.api.Pipeline.newPipeline(upload.param("name"),
                upload.param("display_name"), upload.param("description"), upload.param("namespace"), Map.of());
        kfp.store.api.PipelineVersion version = kfp.store.api.PipelineVersion.newVersion("", "", "", "", "", "",
                upload.param("code_source_url"), Map.of());
        PipelineAndVersion created = pipelines.createWithFile(requested, version, upload.fileName(), upload.content());
        return PipelineConverter.toApiV1(created.pipeline(), created.version());
    }

    @Override
    public Message uploadPipelineVersion(Upload upload) {
        kfp.store.api.PipelineVersion requested = kfp.store.api.PipelineVersion.newVersion(upload.param("pipelineid"),
                upload.param("name"), upload.param("display_name"), upload.param("description"), "", "",
                upload.param("code_source_url"), Map.of());
        return PipelineConverter.toApiV1(pipelines.createVersionWithFile(requested, upload.fileName(), upload.content()));
    }
}
