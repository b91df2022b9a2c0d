package kfp.server.convert;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.Struct;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import kfp.server.proto.v1beta1.Parameter;
import kfp.server.proto.v1beta1.Relationship;
import kfp.server.proto.v1beta1.ResourceKey;
import kfp.server.proto.v1beta1.ResourceReference;
import kfp.server.proto.v1beta1.ResourceType;
import kfp.store.api.Pipeline;
import kfp.store.api.PipelineVersion;

/**
 * Pipelines and pipeline versions between the store's rows and the v2beta1 and v1beta1 messages.
 * Requests become rows with KFP's name rules: a missing name falls back to the display name and
 * the other way round (v1 has only a name, which is both).
 */
public final class PipelineConverter {

    private static final ObjectMapper JSON = new ObjectMapper();

    private PipelineConverter() {
    }

    /** What a v2 create request may set (id, times and status are the store's). */
    public static Pipeline fromApi(kfp.server.proto.v2beta1.Pipeline p) {
        String name = p.getName().isEmpty() ? p.getDisplayName() : p.getName();
        String displayName = p.getDisplayName().isEmpty() ? name : p.getDisplayName();
        return Pipeline.newPipeline(name, displayName, p.getDescription(), p.getNamespace(), p.getTagsMap());
    }

    /** v1: the name is the display name too; the namespace is the NAMESPACE reference's id. */
    public static Pipeline fromApi(kfp.server.proto.v1beta1.Pipeline p) {
        return Pipeline.newPipeline(p.getName(), p.getName(), p.getDescription(),
                referenced(p.getResourceReferencesList(), ResourceType.NAMESPACE), Map.of());
    }

    /** The spec and its URL are filled in by the caller once fetched. */
    public static PipelineVersion fromApi(kfp.server.proto.v2beta1.PipelineVersion v, String pipelineId) {
        String name = v.getName().isEmpty() ? v.getDisplayName() : v.getName();
        String displayName = v.getDisplayName().isEmpty() ? name : v.getDisplayName();
        return PipelineVersion.newVersion(pipelineId, name, displayName, v.getDescription(), "",
                v.getPackageUrl().getPipelineUrl(), v.getCodeSourceUrl(), v.getTagsMap());
    }

    /** v1: the parent is the PIPELINE reference's id (KFP reads the OWNER one; the relationship is not checked here). */
    public static PipelineVersion fromApi(kfp.server.proto.v1beta1.PipelineVersion v) {
        return PipelineVersion.newVersion(referenced(v.getResourceReferencesList(), ResourceType.PIPELINE),
                v.getName(), v.getName(), v.getDescription(), "", v.getPackageUrl().getPipelineUrl(),
                v.getCodeSourceUrl(), Map.of());
    }

    private static String referenced(List<ResourceReference> refs, ResourceType type) {
        return refs.stream().filter(r -> r.getKey().getType() == type)
                .map(r -> r.getKey().getId()).findFirst().orElse("");
    }

    public static kfp.server.proto.v2beta1.Pipeline toApi(Pipeline p) {
        return kfp.server.proto.v2beta1.Pipeline.newBuilder()
                .setPipelineId(p.uuid())
                .setName(p.name())
                .setDisplayName(p.displayName())
                .setDescription(p.description())
                .setCreatedAt(Timestamps.ofSeconds(p.createdAtInSec()))
                .setNamespace(p.namespace())
                .putAllTags(p.tags())
                .build();
    }

    /**
     * {@code pipeline_spec} is the stored spec as a Struct; a stored text that does not parse
     * (written by another server) is reported in {@code error}, as KFP does, not as a failed call.
     */
    public static kfp.server.proto.v2beta1.PipelineVersion toApi(PipelineVersion v) {
        var b = kfp.server.proto.v2beta1.PipelineVersion.newBuilder()
                .setPipelineId(v.pipelineId())
                .setPipelineVersionId(v.uuid())
                .setName(v.name())
                .setDisplayName(v.displayName())
                .setDescription(v.description())
                .setCreatedAt(Timestamps.ofSeconds(v.createdAtInSec()))
                .setCodeSourceUrl(v.codeSourceUrl())
                .putAllTags(v.tags());
        if (!v.pipelineSpecUri().isEmpty()) {
            b.setPackageUrl(kfp.server.proto.v2beta1.Url.newBuilder().setPipelineUrl(v.pipelineSpecUri()));
        }
        try {
            Struct spec = PipelineSpecs.toStruct(v.pipelineSpec());
            if (spec != null) {
                b.setPipelineSpec(spec);
            }
        } catch (StatusRuntimeException e) {
            b.setError(com.google.rpc.Status.newBuilder().setCode(io.grpc.Status.Code.INTERNAL.value())
                    .setMessage("the stored pipeline spec of version " + v.uuid() + " cannot be read"));
        }
        return b.build();
    }

    /** v1 pipeline with its default (latest ready) version, which may be absent. */
    public static kfp.server.proto.v1beta1.Pipeline toApiV1(Pipeline p, PipelineVersion latest) {
        var b = kfp.server.proto.v1beta1.Pipeline.newBuilder()
                .setId(p.uuid())
                .setCreatedAt(Timestamps.ofSeconds(p.createdAtInSec()))
                .setName(p.name())
                .setDescription(p.description());
        if (!p.namespace().isEmpty()) {
            b.addResourceReferences(ResourceReference.newBuilder()
                    .setKey(ResourceKey.newBuilder().setType(ResourceType.NAMESPACE).setId(p.namespace()))
                    .setRelationship(Relationship.OWNER));
        }
        if (latest != null) {
            kfp.server.proto.v1beta1.PipelineVersion version = toApiV1(latest);
            b.setDefaultVersion(version).addAllParameters(version.getParametersList());
            if (version.hasPackageUrl()) {
                b.setUrl(version.getPackageUrl());
            }
        }
        return b.build();
    }

    /**
     * v1 version. {@code package_url} is the URL the spec came from, else the code source URL
     * (KFP sent the code source URL only: docs/kfp-compatibility.md#v1-package-url).
     */
    public static kfp.server.proto.v1beta1.PipelineVersion toApiV1(PipelineVersion v) {
        var b = kfp.server.proto.v1beta1.PipelineVersion.newBuilder()
                .setId(v.uuid())
                .setName(v.name())
                .setCreatedAt(Timestamps.ofSeconds(v.createdAtInSec()))
                .addAllParameters(parametersV1(v.parameters()))
                .setDescription(v.description())
                .setCodeSourceUrl(v.codeSourceUrl());
        String url = !v.pipelineSpecUri().isEmpty() ? v.pipelineSpecUri() : v.codeSourceUrl();
        if (!url.isEmpty()) {
            b.setPackageUrl(kfp.server.proto.v1beta1.Url.newBuilder().setPipelineUrl(url));
        }
        if (!v.pipelineId().isEmpty()) {
            b.addResourceReferences(ResourceReference.newBuilder()
                    .setKey(ResourceKey.newBuilder().setType(ResourceType.PIPELINE).setId(v.pipelineId()))
                    .setRelationship(Relationship.OWNER));
        }
        return b.build();
    }

    /** The stored {@code [{"name":..,"value":..}]} of a version; anything unreadable is no parameters. */
    static List<Parameter> parametersV1(String json) {
        if (json == null || json.isBlank()) {
            return List.of();
        }
        try {
            JsonNode params = JSON.readTree(json);
            if (!params.isArray()) {
                return List.of();
            }
            List<Parameter> out = new java.util.ArrayList<>();
            for (JsonNode p : params) {
                out.add(Parameter.newBuilder().setName(p.path("name").asText("")).setValue(p.path("value").asText("")).build());
            }
            return out;
        } catch (IOException e) {
            return List.of();
        }
    }
}
