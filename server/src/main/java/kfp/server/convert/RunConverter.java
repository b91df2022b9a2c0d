package kfp.server.convert;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.protobuf.util.JsonFormat;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import kfp.server.proto.v1beta1.Parameter;
import kfp.server.proto.v1beta1.PipelineRuntime;
import kfp.server.proto.v1beta1.PipelineSpec;
import kfp.server.proto.v1beta1.RunDetail;
import kfp.server.proto.v2beta1.PipelineTaskDetail;
import kfp.server.proto.v2beta1.PipelineVersionReference;
import kfp.server.proto.v2beta1.RunDetails;
import kfp.server.proto.v2beta1.RuntimeConfig;
import kfp.server.proto.v2beta1.RuntimeState;
import kfp.server.proto.v2beta1.RuntimeStatus;
import kfp.store.api.ResourceType;
import kfp.store.api.Run;
import kfp.store.api.RunDefinition;
import kfp.store.api.RunMetric;
import kfp.store.api.RuntimeStates;
import kfp.store.api.StateChange;
import kfp.store.api.Task;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs between the store's row and the v2beta1 {@code Run} and v1beta1 {@code Run}/{@code RunDetail}
 * messages, and the parts runs and recurring runs share (runtime config, v1 pipeline spec and
 * parameters, v1 references). Stored JSON columns the server did not write itself (a legacy row,
 * another writer) are read leniently: what does not parse is left out of the answer, not an error.
 */
public final class RunConverter {

    private static final Logger LOG = LoggerFactory.getLogger(RunConverter.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonFormat.Parser LENIENT = JsonFormat.parser().ignoringUnknownFields();

    private RunConverter() {
    }

    // ---- v2beta1 ----

    /**
     * What a v2 create request may set. The pipeline source is left to the caller (it must be
     * resolved against the stores); the id, times and state are the server's.
     */
    public static Run fromApi(kfp.server.proto.v2beta1.Run api) {
        Run r = new Run();
        r.displayName = api.getDisplayName();
        r.description = api.getDescription();
        r.experimentId = api.getExperimentId();
        r.serviceAccount = api.getServiceAccount();
        r.recurringRunId = api.getRecurringRunId();
        setRuntimeConfig(r, api.getRuntimeConfig());
        r.pluginsInput = api.getPluginsInputCount() == 0 ? null : pluginsInputJson(api.getPluginsInputMap());
        return r;
    }

    /** v2 runtime config into the definition's columns: parameters as a JSON object, the pipeline root. */
    public static void setRuntimeConfig(RunDefinition d, RuntimeConfig config) {
        if (config.getParametersCount() > 0) {
            ObjectNode params = JsonNodeFactory.instance.objectNode();
            config.getParametersMap().forEach((k, v) -> params.set(k, PipelineSpecs.toJsonNode(v)));
            d.runtimeParameters = params.toString();
        }
        d.pipelineRoot = config.getPipelineRoot();
    }

    /** The runtime config of a definition; v1 parameters become string values. Empty when there is none. */
    public static RuntimeConfig runtimeConfig(RunDefinition d) {
        RuntimeConfig.Builder b = RuntimeConfig.newBuilder().putAllParameters(runtimeParameters(d));
        if (b.getParametersCount() == 0) {
            v1Parameters(d).forEach(p -> b.putParameters(p.getName(), Value.newBuilder().setStringValue(p.getValue()).build()));
        }
        return b.setPipelineRoot(nz(d.pipelineRoot)).build();
    }

    /** The stored v2 runtime parameters ({@code {"name": value}}); empty when there are none. */
    private static Map<String, Value> runtimeParameters(RunDefinition d) {
        JsonNode params = readJson(d.runtimeParameters, d.uuid, "runtime parameters");
        Map<String, Value> out = new LinkedHashMap<>();
        if (params != null && params.isObject()) {
            params.fields().forEachRemaining(e -> out.put(e.getKey(), PipelineSpecs.toValue(e.getValue())));
        }
        return out;
    }

    public static kfp.server.proto.v2beta1.Run toApi(Run r) {
        kfp.server.proto.v2beta1.Run.Builder b = kfp.server.proto.v2beta1.Run.newBuilder()
                .setExperimentId(r.experimentId)
                .setRunId(r.uuid)
                .setDisplayName(r.displayName)
                .setStorageState(RuntimeStates.ARCHIVED_STATES.contains(r.storageState)
                        ? kfp.server.proto.v2beta1.Run.StorageState.ARCHIVED
                        : kfp.server.proto.v2beta1.Run.StorageState.AVAILABLE)
                .setDescription(r.description)
                .setServiceAccount(r.serviceAccount)
                .setCreatedAt(Timestamps.ofSeconds(r.createdAtInSec))
                .setScheduledAt(Timestamps.ofSeconds(r.scheduledAtInSec))
                .setFinishedAt(Timestamps.ofSeconds(r.finishedAtInSec))
                .setState(state(r.state))
                .setRecurringRunId(r.recurringRunId);
        setPipelineSource(r, b::setPipelineVersionReference, b::setPipelineSpec);
        RuntimeConfig config = runtimeConfig(r);
        if (!config.equals(RuntimeConfig.getDefaultInstance())) {
            b.setRuntimeConfig(config);
        }
        r.stateHistory.forEach(s -> b.addStateHistory(status(s)));
        RunDetails details = runDetails(r);
        if (!details.equals(RunDetails.getDefaultInstance())) {
            b.setRunDetails(details);
        }
        mergeJson(b, "plugins_input", r.pluginsInput, r.uuid);
        mergeJson(b, "plugins_output", r.pluginsOutput, r.uuid);
        return b.build();
    }

    /** A version reference when the definition names a version, else its stored spec (if any). */
    public static void setPipelineSource(RunDefinition d, Consumer<PipelineVersionReference> reference,
            Consumer<Struct> spec) {
        if (!d.pipelineVersionId.isEmpty()) {
            reference.accept(PipelineVersionReference.newBuilder()
                    .setPipelineId(d.pipelineId).setPipelineVersionId(d.pipelineVersionId).build());
            return;
        }
        Struct s = storedSpec(d);
        if (s != null) {
            spec.accept(s);
        }
    }

    private static Struct storedSpec(RunDefinition d) {
        try {
            return PipelineSpecs.toStruct(d.pipelineSpecManifest);
        } catch (RuntimeException e) { // a stored text that is not YAML: answered without it
            LOG.warn("pipeline spec of {} is not readable: {}", d.uuid, e.getMessage());
            return null;
        }
    }

    private static RunDetails runDetails(Run r) {
        RunDetails.Builder b = RunDetails.newBuilder()
                .setPipelineContextId(r.pipelineContextId)
                .setPipelineRunContextId(r.pipelineRunContextId);
        r.tasks.forEach(t -> b.addTaskDetails(taskDetail(t)));
        return b.build();
    }

    static PipelineTaskDetail taskDetail(Task t) {
        PipelineTaskDetail.Builder b = PipelineTaskDetail.newBuilder()
                .setRunId(nz(t.runId))
                .setTaskId(nz(t.uuid))
                .setDisplayName(nz(t.name))
                .setCreateTime(Timestamps.ofSeconds(t.createdTimestamp))
                .setStartTime(Timestamps.ofSeconds(t.startedTimestamp))
                .setEndTime(Timestamps.ofSeconds(t.finishedTimestamp))
                .setState(state(t.state))
                .setParentTaskId(nz(t.parentTaskId))
                .setPodName(nz(t.podName)); // KFP left it empty: docs/kfp-compatibility.md#task-pod-name
        try {
            if (t.mlmdExecutionId != null && !t.mlmdExecutionId.isEmpty()) {
                b.setExecutionId(Long.parseLong(t.mlmdExecutionId));
            }
        } catch (NumberFormatException e) {
            LOG.warn("task {}: execution id '{}' is not a number", t.uuid, t.mlmdExecutionId);
        }
        mergeJson(b, "inputs", t.mlmdInputs, t.uuid);
        mergeJson(b, "outputs", t.mlmdOutputs, t.uuid);
        t.stateHistory.forEach(s -> b.addStateHistory(status(s)));
        t.childrenPods.forEach(p -> b.addChildTasks(PipelineTaskDetail.ChildTask.newBuilder().setPodName(p)));
        return b.build();
    }

    /** A history entry; its time only when set (as KFP sends it). */
    private static RuntimeStatus status(StateChange s) {
        RuntimeStatus.Builder b = RuntimeStatus.newBuilder().setState(state(s.state()));
        if (s.updateTimeInSec() > 0) {
            b.setUpdateTime(Timestamps.ofSeconds(s.updateTimeInSec()));
        }
        return b.build();
    }

    static RuntimeState state(String stored) {
        return RuntimeState.valueOf(RuntimeStates.toV2(stored));
    }

    // ---- v1beta1 ----

    /** What a v1 create request may set, with its references and pipeline spec left to the caller. */
    public static Run fromApiV1(kfp.server.proto.v1beta1.Run api) {
        Run r = new Run();
        r.displayName = api.getName();
        r.description = api.getDescription();
        r.serviceAccount = api.getServiceAccount();
        setPipelineSpecV1(r, api.getPipelineSpec());
        return r;
    }

    /** A v1 pipeline spec's manifests and parameters into the definition (the pipeline id is resolved by the caller). */
    public static void setPipelineSpecV1(RunDefinition d, PipelineSpec spec) {
        d.pipelineSpecManifest = emptyToNull(spec.getPipelineManifest());
        d.workflowSpecManifest = emptyToNull(spec.getWorkflowManifest());
        if (spec.getParametersCount() > 0) {
            ArrayNode params = JsonNodeFactory.instance.arrayNode();
            spec.getParametersList().forEach(p -> params.addObject().put("name", p.getName()).put("value", p.getValue()));
            d.parameters = params.toString();
        }
        if (spec.hasRuntimeConfig()) {
            setRuntimeConfig(d, RuntimeConfig.newBuilder()
                    .putAllParameters(spec.getRuntimeConfig().getParametersMap())
                    .setPipelineRoot(spec.getRuntimeConfig().getPipelineRoot()).build());
        }
    }

    /** The id a v1 request names through a reference of this type, or {@code ""}. */
    public static String referenced(List<kfp.server.proto.v1beta1.ResourceReference> refs,
            kfp.server.proto.v1beta1.ResourceType type) {
        return refs.stream().filter(ref -> ref.getKey().getType() == type)
                .map(ref -> ref.getKey().getId()).findFirst().orElse("");
    }

    /** The pipeline a v1 run or job names: {@code pipeline_spec.pipeline_id}, else its PIPELINE reference. */
    public static String pipelineIdV1(kfp.server.proto.v1beta1.PipelineSpec spec,
            List<kfp.server.proto.v1beta1.ResourceReference> refs) {
        return spec.getPipelineId().isEmpty()
                ? referenced(refs, kfp.server.proto.v1beta1.ResourceType.PIPELINE) : spec.getPipelineId();
    }

    public static RunDetail toApiRunDetail(Run r) {
        return RunDetail.newBuilder()
                .setRun(toApiV1(r))
                .setPipelineRuntime(PipelineRuntime.newBuilder()
                        .setPipelineManifest(r.pipelineRuntimeManifest)
                        .setWorkflowManifest(r.workflowRuntimeManifest))
                .build();
    }

    public static kfp.server.proto.v1beta1.Run toApiV1(Run r) {
        kfp.server.proto.v1beta1.Run.Builder b = kfp.server.proto.v1beta1.Run.newBuilder()
                .setId(r.uuid)
                .setName(r.displayName)
                .setStorageState(RuntimeStates.ARCHIVED_STATES.contains(r.storageState)
                        ? kfp.server.proto.v1beta1.Run.StorageState.STORAGESTATE_ARCHIVED
                        : kfp.server.proto.v1beta1.Run.StorageState.STORAGESTATE_AVAILABLE)
                .setDescription(r.description)
                .setPipelineSpec(pipelineSpecV1(r))
                .addAllResourceReferences(referencesV1(r, r.recurringRunId))
                .setServiceAccount(r.serviceAccount)
                .setCreatedAt(Timestamps.ofSeconds(r.createdAtInSec))
                .setScheduledAt(Timestamps.ofSeconds(r.scheduledAtInSec))
                .setFinishedAt(Timestamps.ofSeconds(r.finishedAtInSec))
                .setStatus(nz(r.conditions));
        r.metrics.forEach(m -> b.addMetrics(metric(m)));
        return b.build();
    }

    public static PipelineSpec pipelineSpecV1(RunDefinition d) {
        PipelineSpec.Builder b = PipelineSpec.newBuilder()
                .setPipelineId(d.pipelineId)
                .setPipelineName(d.pipelineName)
                .setPipelineManifest(nz(d.pipelineSpecManifest))
                .setWorkflowManifest(nz(d.workflowSpecManifest))
                .addAllParameters(v1Parameters(d));
        Map<String, Value> params = runtimeParameters(d);
        if (!params.isEmpty() || d.pipelineRoot != null && !d.pipelineRoot.isEmpty()) {
            b.setRuntimeConfig(PipelineSpec.RuntimeConfig.newBuilder().putAllParameters(params).setPipelineRoot(nz(d.pipelineRoot)));
        }
        return b.build();
    }

    /**
     * The references v1 shows, synthesized from the fields: experiment and namespace (owners), then
     * the creator: the recurring run if any, else the pipeline version, else the pipeline.
     */
    public static List<kfp.server.proto.v1beta1.ResourceReference> referencesV1(RunDefinition d, String recurringRunId) {
        List<kfp.server.proto.v1beta1.ResourceReference> refs = new ArrayList<>();
        if (!d.experimentId.isEmpty()) {
            refs.add(reference(kfp.server.proto.v1beta1.ResourceType.EXPERIMENT, d.experimentId,
                    nameOf(d, ResourceType.EXPERIMENT), kfp.server.proto.v1beta1.Relationship.OWNER));
        }
        if (!d.namespace.isEmpty()) {
            refs.add(reference(kfp.server.proto.v1beta1.ResourceType.NAMESPACE, d.namespace, d.namespace,
                    kfp.server.proto.v1beta1.Relationship.OWNER));
        }
        if (recurringRunId != null && !recurringRunId.isEmpty()) {
            refs.add(reference(kfp.server.proto.v1beta1.ResourceType.JOB, recurringRunId, nameOf(d, ResourceType.JOB),
                    kfp.server.proto.v1beta1.Relationship.CREATOR));
        } else if (!d.pipelineVersionId.isEmpty()) {
            refs.add(reference(kfp.server.proto.v1beta1.ResourceType.PIPELINE_VERSION, d.pipelineVersionId,
                    d.pipelineName, kfp.server.proto.v1beta1.Relationship.CREATOR));
        } else if (!d.pipelineId.isEmpty()) {
            refs.add(reference(kfp.server.proto.v1beta1.ResourceType.PIPELINE, d.pipelineId, d.pipelineName,
                    kfp.server.proto.v1beta1.Relationship.CREATOR));
        }
        return refs;
    }

    private static String nameOf(RunDefinition d, ResourceType type) {
        return d.resourceReferences.stream().filter(ref -> ref.referenceType() == type)
                .map(kfp.store.api.ResourceReference::referenceName).findFirst().orElse("");
    }

    private static kfp.server.proto.v1beta1.ResourceReference reference(kfp.server.proto.v1beta1.ResourceType type,
            String id, String name, kfp.server.proto.v1beta1.Relationship relationship) {
        return kfp.server.proto.v1beta1.ResourceReference.newBuilder()
                .setKey(kfp.server.proto.v1beta1.ResourceKey.newBuilder().setType(type).setId(id))
                .setName(nz(name))
                .setRelationship(relationship)
                .build();
    }

    static kfp.server.proto.v1beta1.RunMetric metric(RunMetric m) {
        kfp.server.proto.v1beta1.RunMetric.Builder b = kfp.server.proto.v1beta1.RunMetric.newBuilder()
                .setName(nz(m.name))
                .setNodeId(nz(m.nodeId));
        if (m.numberValue != null) {
            b.setNumberValue(m.numberValue);
        }
        try {
            b.setFormat(m.format == null || m.format.isEmpty()
                    ? kfp.server.proto.v1beta1.RunMetric.Format.UNSPECIFIED
                    : kfp.server.proto.v1beta1.RunMetric.Format.valueOf(m.format));
        } catch (IllegalArgumentException e) { // a format this server does not know: sent as unspecified
            b.setFormat(kfp.server.proto.v1beta1.RunMetric.Format.UNSPECIFIED);
        }
        return b.build();
    }

    /** The stored v1 parameters ({@code [{"name":…,"value":…}]}); empty when there are none. */
    static List<Parameter> v1Parameters(RunDefinition d) {
        JsonNode params = readJson(d.parameters, d.uuid, "parameters");
        List<Parameter> out = new ArrayList<>();
        if (params != null && params.isArray()) {
            params.forEach(p -> out.add(Parameter.newBuilder()
                    .setName(p.path("name").asText()).setValue(p.path("value").asText()).build()));
        }
        return out;
    }

    // ---- shared ----

    /** The JSON the stores keep for {@code plugins_input} (a map of Structs). */
    public static String pluginsInputJson(Map<String, Struct> plugins) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        plugins.forEach((k, v) -> o.set(k, PipelineSpecs.toJsonNode(Value.newBuilder().setStructValue(v).build())));
        return o.toString();
    }

    /** Sets {@code field} of {@code b} from stored proto JSON; text that does not fit is logged and left out. */
    public static void mergeJson(Message.Builder b, String field, String stored, String owner) {
        if (stored == null || stored.isBlank()) {
            return;
        }
        Message.Builder scratch = b.getDefaultInstanceForType().newBuilderForType();
        try {
            LENIENT.merge("{\"" + field + "\":" + stored + "}", scratch);
            b.mergeFrom(scratch.build());
        } catch (InvalidProtocolBufferException | RuntimeException e) {
            LOG.warn("{} of {} is not readable: {}", field, owner, e.getMessage());
        }
    }

    private static JsonNode readJson(String text, String owner, String what) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            LOG.warn("{} of {} are not JSON: {}", what, owner, e.getOriginalMessage());
            return null;
        }
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
