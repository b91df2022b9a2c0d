package kfp.server.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.inject.Inject;
import com.google.protobuf.Empty;
import com.google.protobuf.Message;
import io.grpc.stub.StreamObserver;
import java.util.Map;
import kfp.server.convert.ListRequests;
import kfp.server.convert.PipelineConverter;
import kfp.server.errors.ApiErrors;
import kfp.server.proto.v2beta1.CreatePipelineAndVersionRequest;
import kfp.server.proto.v2beta1.CreatePipelineRequest;
import kfp.server.proto.v2beta1.CreatePipelineVersionRequest;
import kfp.server.proto.v2beta1.DeletePipelineRequest;
import kfp.server.proto.v2beta1.DeletePipelineVersionRequest;
import kfp.server.proto.v2beta1.GetPipelineByNameRequest;
import kfp.server.proto.v2beta1.GetPipelineRequest;
import kfp.server.proto.v2beta1.GetPipelineVersionRequest;
import kfp.server.proto.v2beta1.ListPipelineVersionsRequest;
import kfp.server.proto.v2beta1.ListPipelineVersionsResponse;
import kfp.server.proto.v2beta1.ListPipelinesRequest;
import kfp.server.proto.v2beta1.ListPipelinesResponse;
import kfp.server.proto.v2beta1.Pipeline;
import kfp.server.proto.v2beta1.PipelineServiceGrpc;
import kfp.server.proto.v2beta1.PipelineVersion;
import kfp.server.proto.v2beta1.UpdatePipelineRequest;
import kfp.server.proto.v2beta1.UpdatePipelineVersionRequest;
import kfp.store.api.ListResult;

/**
 * {@code kubeflow.pipelines.backend.api.v2beta1.PipelineService}, on gRPC and
 * {@code /apis/v2beta1/pipelines}, and the v2beta1 multipart uploads.
 */
final class PipelineServiceV2 extends PipelineServiceGrpc.PipelineServiceImplBase implements PipelineUploads {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Pipelines pipelines;

    @Inject
    PipelineServiceV2(Pipelines pipelines) {
        this.pipelines = pipelines;
    }

    @Override
    public void createPipeline(CreatePipelineRequest request, StreamObserver<Pipeline> out) {
        Calls.reply(out, PipelineConverter.toApi(pipelines.create(PipelineConverter.fromApi(request.getPipeline()))));
    }

    /** Only {@code package_url} and {@code tags} of the version are read; it takes the pipeline's names. */
    @Override
    public void createPipelineAndVersion(CreatePipelineAndVersionRequest request, StreamObserver<Pipeline> out) {
        PipelineVersion v = request.getPipelineVersion();
        Calls.reply(out, PipelineConverter.toApi(pipelines.createFromUrl(PipelineConverter.fromApi(request.getPipeline()),
                v.getPackageUrl().getPipelineUrl(), v.getTagsMap()).pipeline()));
    }

    @Override
    public void getPipeline(GetPipelineRequest request, StreamObserver<Pipeline> out) {
        Calls.reply(out, PipelineConverter.toApi(pipelines.get(Calls.required(request.getPipelineId(), "pipeline_id"))));
    }

    @Override
    public void getPipelineByName(GetPipelineByNameRequest request, StreamObserver<Pipeline> out) {
        Calls.reply(out, PipelineConverter.toApi(pipelines.getByName(request.getName(), request.getNamespace())));
    }

    @Override
    public void listPipelines(ListPipelinesRequest request, StreamObserver<ListPipelinesResponse> out) {
        ListResult<kfp.store.api.Pipeline> page = pipelines.list(request.getNamespace(), ListRequests.options(
                request.getPageSize(), request.getSortBy(), request.getFilter(), request.getPageToken()));
        ListPipelinesResponse.Builder response = ListPipelinesResponse.newBuilder()
                .setTotalSize(page.totalSize())
                .setNextPageToken(page.nextPageToken());
        page.items().forEach(p -> response.addPipelines(PipelineConverter.toApi(p)));
        Calls.reply(out, response.build());
    }

    @Override
    public void deletePipeline(DeletePipelineRequest request, StreamObserver<Empty> out) {
        pipelines.delete(Calls.required(request.getPipelineId(), "pipeline_id"), request.getCascade());
        Calls.done(out);
    }

    @Override
    public void updatePipeline(UpdatePipelineRequest request, StreamObserver<Pipeline> out) {
        Pipeline p = request.getPipeline();
        Calls.reply(out, PipelineConverter.toApi(pipelines.update(Calls.required(p.getPipelineId(), "pipeline.pipeline_id"),
                p.getDisplayName(), ClearTags.tags(p.getTagsMap()))));
    }

    /** KFP: the URL, the path's pipeline id and the body's are all required (the body's is not compared). */
    @Override
    public void createPipelineVersion(CreatePipelineVersionRequest request, StreamObserver<PipelineVersion> out) {
        PipelineVersion v = request.getPipelineVersion();
        Calls.required(v.getPackageUrl().getPipelineUrl(), "pipeline_version.package_url.pipeline_url");
        Calls.required(v.getPipelineId(), "pipeline_version.pipeline_id");
        String pipelineId = Calls.required(request.getPipelineId(), "pipeline_id");
        Calls.reply(out, PipelineConverter.toApi(pipelines.createVersionFromUrl(PipelineConverter.fromApi(v, pipelineId))));
    }

    /** By version id only; the path's pipeline id is not checked (KFP). */
    @Override
    public void getPipelineVersion(GetPipelineVersionRequest request, StreamObserver<PipelineVersion> out) {
        Calls.reply(out, PipelineConverter.toApi(pipelines.getVersion(
                Calls.required(request.getPipelineVersionId(), "pipeline_version_id"))));
    }

    @Override
    public void listPipelineVersions(ListPipelineVersionsRequest request, StreamObserver<ListPipelineVersionsResponse> out) {
        ListResult<kfp.store.api.PipelineVersion> page = pipelines.listVersions(request.getPipelineId(), ListRequests.options(
                request.getPageSize(), request.getSortBy(), request.getFilter(), request.getPageToken()));
        ListPipelineVersionsResponse.Builder response = ListPipelineVersionsResponse.newBuilder()
                .setTotalSize(page.totalSize())
                .setNextPageToken(page.nextPageToken());
        page.items().forEach(v -> response.addPipelineVersions(PipelineConverter.toApi(v)));
        Calls.reply(out, response.build());
    }

    @Override
    public void deletePipelineVersion(DeletePipelineVersionRequest request, StreamObserver<Empty> out) {
        Calls.required(request.getPipelineId(), "pipeline_id");
        pipelines.deleteVersion(Calls.required(request.getPipelineVersionId(), "pipeline_version_id"));
        Calls.done(out);
    }

    @Override
    public void updatePipelineVersion(UpdatePipelineVersionRequest request, StreamObserver<PipelineVersion> out) {
        PipelineVersion v = request.getPipelineVersion();
        String id = Calls.required(v.getPipelineVersionId(), "pipeline_version.pipeline_version_id");
        Calls.required(v.getPipelineId(), "pipeline_version.pipeline_id");
        Calls.reply(out, PipelineConverter.toApi(pipelines.updateVersion(id, v.getDisplayName(), ClearTags.tags(v.getTagsMap()))));
    }

    @Override
    public String apiVersion() {
        return "v2beta1";
    }

    @Override
    public Message uploadPipeline(Upload upload) {
        kfp.store.api.Pipeline requested = kfp.store.api.Pipeline.newPipeline(upload.param("name"),
                upload.param("display_name"), upload.param("description"), upload.param("namespace"), tags(upload));
        kfp.store.api.PipelineVersion version = kfp.store.api.PipelineVersion.newVersion("", "", "", "", "", "",
                upload.param("code_source_url"), Map.of());
        return PipelineConverter.toApi(pipelines.createWithFile(requested, version, upload.fileName(), upload.content()).pipeline());
    }

    @Override
    public Message uploadPipelineVersion(Upload upload) {
        kfp.store.api.PipelineVersion requested = kfp.store.api.PipelineVersion.newVersion(upload.param("pipelineid"),
                upload.param("name"), upload.param("display_name"), upload.param("description"), "", "",
                upload.param("code_source_url"), tags(upload));
        return PipelineConverter.toApi(pipelines.createVersionWithFile(requested, upload.fileName(), upload.content()));
    }

    /** {@code tags} is a JSON object of strings (KFP: the same message for any other text). */
    private static Map<String, String> tags(Upload upload) {
        String json = upload.param("tags");
        if (json.isEmpty()) {
            return Map.of();
        }
        String problem = "tags must be a JSON object with string keys and values, e.g. {\"team\":\"ml\"}";
        JsonNode node;
        try {
            node = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw ApiErrors.invalidArgument(problem);
        }
        if (node == null || !node.isObject()) {
            throw ApiErrors.invalidArgument(problem);
        }
        Map<String, String> tags = new java.util.TreeMap<>();
        for (var e : (Iterable<Map.Entry<String, JsonNode>>) node::fields) {
            if (!e.getValue().isTextual()) {
                throw ApiErrors.invalidArgument(problem);
            }
            tags.put(e.getKey(), e.getValue().asText());
        }
        return tags;
    }
}
