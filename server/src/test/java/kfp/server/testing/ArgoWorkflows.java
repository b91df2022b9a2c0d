package kfp.server.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/**
 * Argo Workflows and KFP ScheduledWorkflows in the JSON the persistence agent reports (the objects
 * as the Kubernetes API serves them): a KFP v2 pipeline's workflow with a DAG root node and one
 * executor pod node, the run id label, and, for a recurring run's workflow, the owner reference.
 */
public final class ArgoWorkflows {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ObjectNode wf = JSON.createObjectNode();

    private ArgoWorkflows(String name, String runId, Instant created) {
        wf.put("apiVersion", "argoproj.io/v1alpha1").put("kind", "Workflow");
        ObjectNode meta = wf.putObject("metadata");
        meta.put("name", name).put("namespace", "kubeflow").put("uid", "uid-" + name)
                .put("resourceVersion", "4711").put("generation", 2).put("creationTimestamp", created.toString());
        meta.putObject("labels").put("pipeline/runid", runId).put("pipelines.kubeflow.org/v2_component", "true");
        meta.putObject("annotations").put("pipelines.kubeflow.org/run_name", "nightly");
        ObjectNode spec = wf.putObject("spec");
        spec.put("entrypoint", "entrypoint").put("serviceAccountName", "pipeline-runner");
        spec.putArray("templates").addObject().put("name", "entrypoint").putObject("dag");
        spec.putObject("podMetadata").putObject("labels").put("pipeline/runid", runId);
        wf.putObject("status");
    }

    /** A workflow of run {@code runId}, created at {@code created}, not started yet (no status). */
    public static ArgoWorkflows of(String name, String runId, Instant created) {
        return new ArgoWorkflows(name, runId, created);
    }

    /** The phase with the root DAG node and the executor node in that phase; finished phases get finishedAt. */
    public ArgoWorkflows phase(String phase, Instant started, Instant finished) {
        String name = wf.at("/metadata/name").asText();
        ObjectNode status = wf.putObject("status");
        status.put("phase", phase).put("startedAt", started.toString()).put("progress", "1/2");
        if (finished == null) {
            status.putNull("finishedAt");
        } else {
            status.put("finishedAt", finished.toString());
        }
        ObjectNode nodes = status.putObject("nodes");
        ObjectNode root = nodes.putObject(name);
        root.put("id", name).put("name", name).put("displayName", name).put("type", "DAG")
                .put("templateName", "entrypoint").put("phase", phase).put("startedAt", started.toString());
        root.putArray("children").add(name + "-3034414238");
        ObjectNode pod = nodes.putObject(name + "-3034414238");
        pod.put("id", name + "-3034414238").put("name", name + ".print-msg").put("displayName", "print-msg")
                .put("type", "Pod").put("templateName", "system-container-executor").put("phase", phase)
                .put("startedAt", started.toString());
        if (finished != null) {
            root.put("finishedAt", finished.toString());
            pod.put("finishedAt", finished.toString());
        } else {
            root.putNull("finishedAt");
            pod.putNull("finishedAt");
        }
        return this;
    }

    /** Terminated by KFP: {@code activeDeadlineSeconds: 0}. */
    public ArgoWorkflows terminated() {
        ((ObjectNode) wf.get("spec")).put("activeDeadlineSeconds", 0);
        return this;
    }

    /** Started by the ScheduledWorkflow with this UID (a recurring run's id). */
    public ArgoWorkflows ownedBy(String scheduledWorkflowUid) {
        ObjectNode meta = (ObjectNode) wf.get("metadata");
        meta.putArray("ownerReferences").addObject().put("apiVersion", "kubeflow.org/v1beta1")
                .put("kind", "ScheduledWorkflow").put("name", "nightly").put("uid", scheduledWorkflowUid)
                .put("controller", true).put("blockOwnerDeletion", true);
        ((ObjectNode) meta.get("labels")).put("scheduledworkflows.kubeflow.org/scheduledWorkflowName", "nightly")
                .put("scheduledworkflows.kubeflow.org/workflowEpoch", "1767225600")
                .put("scheduledworkflows.kubeflow.org/isOwnedByScheduledWorkflow", "true");
        return this;
    }

    public ArgoWorkflows retryGeneration(long generation) {
        ((ObjectNode) wf.at("/metadata/annotations")).put("pipelines.kubeflow.org/retry-generation", Long.toString(generation));
        return this;
    }

    public ArgoWorkflows without(String metadataField) {
        ((ObjectNode) wf.get("metadata")).remove(metadataField);
        return this;
    }

    /** The workflow's JSON (what ReportWorkflowRequest.workflow carries). */
    public String json() {
        return wf.toString();
    }

    /** The REST body: the workflow's JSON as a JSON string. */
    public String restBody() {
        return JSON.getNodeFactory().textNode(json()).toString();
    }

    /** A KFP ScheduledWorkflow (v2) with this UID: disabled, a cron trigger, one parameter. */
    public static String scheduledWorkflow(String uid, boolean enabled, String condition) {
        ObjectNode swf = JSON.createObjectNode();
        swf.put("apiVersion", "kubeflow.org/v2beta1").put("kind", "ScheduledWorkflow");
        swf.putObject("metadata").put("name", "nightly").put("namespace", "kubeflow").put("uid", uid)
                .put("creationTimestamp", "2026-01-01T00:00:00Z");
        ObjectNode spec = swf.putObject("spec");
        spec.put("enabled", enabled).put("maxConcurrency", 3).put("noCatchup", true);
        spec.putObject("trigger").putObject("cronSchedule").put("cron", "0 0 * * * *")
                .put("startTime", "2026-01-01T00:00:00Z");
        spec.putObject("workflow").putArray("parameters").addObject().put("name", "lr").put("value", "0.5");
        swf.putObject("status").putArray("conditions").addObject().put("type", condition).put("status", "True");
        return swf.toString();
    }
}
