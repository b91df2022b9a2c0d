package kfp.server.convert;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import kfp.server.errors.ApiErrors;
import kfp.store.api.RuntimeStates;
import kfp.store.api.Task;

/**
 * An Argo Workflow as the persistence agent reports it (its JSON, as Kubernetes serves it), read
 * into what the run store records: the run's id and state, its recurring run, and a task per node.
 * What cannot be read, or lacks a name, namespace, UID or run id label, is InvalidArgument (the
 * agent does not retry it).
 */
public final class Workflows {

    /** KFP's label holding the id of the run a workflow executes. */
    public static final String RUN_ID_LABEL = "pipeline/runid";
    /** The scheduled epoch the ScheduledWorkflow controller gives a workflow it starts. */
    static final String SCHEDULED_EPOCH_LABEL = "scheduledworkflows.kubeflow.org/workflowEpoch";
    /** The retry generation a retried workflow carries (the fence of the run's retry claim). */
    static final String RETRY_GENERATION_ANNOTATION = "pipelines.kubeflow.org/retry-generation";
    private static final String SWF_API_VERSION = "kubeflow.org/v1beta1";
    private static final String SWF_KIND = "ScheduledWorkflow";
    private static final ObjectMapper JSON = new ObjectMapper();

    private Workflows() {
    }

    /**
     * A reported workflow. {@code state} is the v2 run state of the Argo phase, CANCELING while a
     * terminated workflow ({@code activeDeadlineSeconds: 0}) has not finished; {@code final_} is
     * true for Succeeded, Failed and Error; times are epoch seconds (0 when unset).
     */
    public record Report(String name, String namespace, String uid, String runId, String scheduledWorkflowUid,
                         long createdAtInSec, long scheduledAtInSec, long finishedAtInSec, long retryGeneration,
                         String state, boolean isFinal, String manifest, String specManifest, List<Task> tasks) {
    }

    public static Report read(String workflowJson) {
        JsonNode wf = parse(workflowJson, "workflow");
        JsonNode meta = wf.path("metadata");
        String name = requiredText(meta, "name", "The workflow must have a name");
        String namespace = requiredText(meta, "namespace", "The workflow must have a namespace");
        String uid = requiredText(meta, "uid", "The workflow must have a UID");
        String runId = meta.path("labels").path(RUN_ID_LABEL).asText("");
        if (runId.isEmpty()) {
            throw ApiErrors.invalidArgument("Workflow[" + name + "] missing the Run ID label");
        }
        JsonNode status = wf.path("status");
        String phase = status.path("phase").asText("");
        boolean isFinal = phase.equals("Succeeded") || phase.equals("Failed") || phase.equals("Error");
        JsonNode deadline = wf.path("spec").path("activeDeadlineSeconds");
        String state = !isFinal && deadline.isNumber() && deadline.asLong() == 0
                ? RuntimeStates.CANCELING : RuntimeStates.toV2(phase);
        long created = seconds(meta.path("creationTimestamp"), "metadata.creationTimestamp");
        long scheduled = number(meta.path("labels").path(SCHEDULED_EPOCH_LABEL));
        ObjectNode spec = ((ObjectNode) wf).deepCopy();
        spec.remove("status");
        return new Report(name, namespace, uid, runId, scheduledWorkflowUid(meta), created, scheduled,
                seconds(status.path("finishedAt"), "status.finishedAt"),
                number(meta.path("annotations").path(RETRY_GENERATION_ANNOTATION)),
                state, isFinal, workflowJson, spec.toString(), tasks(wf, name, namespace, runId, created));
    }

    /** The UID of the ScheduledWorkflow owning the workflow (a recurring run's id), or "". */
    private static String scheduledWorkflowUid(JsonNode meta) {
        for (JsonNode owner : meta.path("ownerReferences")) {
            if (SWF_API_VERSION.equals(owner.path("apiVersion").asText()) && SWF_KIND.equals(owner.path("kind").asText())
                    && !owner.path("uid").asText("").isEmpty()) {
                return owner.path("uid").asText();
            }
        }
        return "";
    }

    /**
     * A task per node of {@code status.nodes}, by node id order (repeatable): the node's pod as
     * Argo names it, its display name, phase and times, its children; created at the workflow's
     * creation time, as KFP records it. A time a node does not have yet is 0
     * (docs/kfp-compatibility.md#node-times).
     */
    static List<Task> tasks(JsonNode wf, String name, String namespace, String runId, long created) {
        Map<String, JsonNode> nodes = new TreeMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = wf.path("status").path("nodes").fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            nodes.put(e.getKey(), e.getValue());
        }
        List<Task> tasks = new ArrayList<>(nodes.size());
        for (Map.Entry<String, JsonNode> e : nodes.entrySet()) {
            JsonNode node = e.getValue();
            Task t = new Task();
            t.runId = runId;
            t.namespace = namespace;
            t.podName = podName(wf, name, node.path("id").asText(e.getKey()), node);
            t.name = node.path("displayName").asText("");
            t.state = RuntimeStates.toV2(node.path("phase").asText(""));
            t.startedTimestamp = seconds(node.path("startedAt"), "startedAt of node " + e.getKey());
            t.finishedTimestamp = seconds(node.path("finishedAt"), "finishedAt of node " + e.getKey());
            t.createdTimestamp = created;
            for (JsonNode child : node.path("children")) {
                t.childrenPods.add(child.asText());
            }
            tasks.add(t);
        }
        return tasks;
    }

    /**
     * The pod of a node as Argo names it: the node id under pod name format v1; the workflow's
     * name for its root node; otherwise {@code <workflow>-<template>-<hash>} (just
     * {@code <workflow>-<hash>} for inline templates), the hash being the node id's last part.
     */
    static String podName(JsonNode wf, String workflowName, String nodeId, JsonNode node) {
        if ("v1".equals(wf.path("apiVersion").asText())
                || "v1".equals(wf.path("metadata").path("annotations").path("workflows.argoproj.io/pod-name-format").asText())) {
            return nodeId;
        }
        String nodeName = node.path("name").asText("");
        if (workflowName.equals(nodeName)) {
            return workflowName;
        }
        String hash = nodeId.substring(nodeId.lastIndexOf('-') + 1);
        String prefix = nodeName.contains(".inline") ? workflowName
                : workflowName + "-" + node.path("templateName").asText("");
        return prefix + "-" + hash;
    }

    /** A JSON object from the string a report carries; anything else is InvalidArgument. */
    public static JsonNode parse(String json, String what) {
        if (json == null || json.isBlank()) {
            throw ApiErrors.invalidArgument("Could not unmarshal " + what + ": the body is empty");
        }
        try {
            JsonNode node = JSON.readTree(json);
            if (node == null || !node.isObject()) {
                throw ApiErrors.invalidArgument("Could not unmarshal " + what + ": not a JSON object");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw ApiErrors.invalidArgument("Could not unmarshal " + what + ": " + e.getOriginalMessage());
        }
    }

    static String requiredText(JsonNode parent, String field, String message) {
        String value = parent.path(field).asText("");
        if (value.isEmpty()) {
            throw ApiErrors.invalidArgument(message);
        }
        return value;
    }

    /** Epoch seconds of a Kubernetes time (RFC 3339); absent or null is 0. */
    static long seconds(JsonNode time, String field) {
        if (time.isMissingNode() || time.isNull() || time.asText().isEmpty()) {
            return 0;
        }
        try {
            return Math.max(Instant.parse(time.asText()).getEpochSecond(), 0);
        } catch (DateTimeParseException e) {
            throw ApiErrors.invalidArgument(field + " is not an RFC 3339 time: " + time.asText());
        }
    }

    /** A label's or annotation's integer; absent or unreadable is 0 (as KFP reads them). */
    static long number(JsonNode value) {
        try {
            return value.isMissingNode() ? 0 : Long.parseLong(value.asText().trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
