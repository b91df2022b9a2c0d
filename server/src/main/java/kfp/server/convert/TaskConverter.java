package kfp.server.convert;

import kfp.server.errors.ApiErrors;
import kfp.store.api.Task;

/**
 * Tasks between the store's row and the v1 {@code Task} the v2 launcher writes and the driver's
 * cache lookup reads: id, namespace, pipeline name, run, MLMD execution, times and fingerprint.
 */
public final class TaskConverter {

    private static final String NAMESPACED_PREFIX = "namespace/";

    private TaskConverter() {
    }

    /**
     * The task a CreateTaskV1 request stores, with KFP's checks (InvalidArgument): no id, and a
     * pipeline name, run id, MLMD execution id, fingerprint and creation time; a pipeline name
     * of the form {@code namespace/<ns>/pipeline/<name>} must agree with a given namespace. The
     * launcher names no pod: the task's pod name is empty, as in KFP.
     */
    public static Task fromApiCreate(kfp.server.proto.v1beta1.Task t) {
        if (!t.getId().isEmpty()) {
            throw ApiErrors.invalidArgument("Invalid task: Id should not be set");
        }
        required(t.getPipelineName(), "PipelineName");
        if (t.getPipelineName().startsWith(NAMESPACED_PREFIX)) {
            String[] parts = t.getPipelineName().split("/", 4);
            if (parts.length != 4) {
                throw ApiErrors.invalidArgument("invalid PipelineName for namespaced pipelines, need to follow"
                        + " 'namespace/${namespace}/pipeline/${pipelineName}': " + t.getPipelineName());
            }
            if (!t.getNamespace().isEmpty() && !parts[1].equals(t.getNamespace())) {
                throw ApiErrors.invalidArgument("the namespace " + parts[1] + " extracted from pipelineName is not equal"
                        + " to the namespace " + t.getNamespace() + " in task");
            }
        }
        required(t.getRunId(), "RunID");
        required(t.getMlmdExecutionID(), "MlmdExecutionID");
        required(t.getFingerprint(), "FingerPrint");
        if (!t.hasCreatedAt()) {
            throw ApiErrors.invalidArgument("Invalid task: must specify CreatedAt");
        }
        Task task = new Task();
        task.namespace = t.getNamespace();
        task.pipelineName = t.getPipelineName();
        task.runId = t.getRunId();
        task.podName = "";
        task.mlmdExecutionId = t.getMlmdExecutionID();
        task.createdTimestamp = Timestamps.seconds(t.getCreatedAt());
        task.finishedTimestamp = Timestamps.seconds(t.getFinishedAt());
        task.fingerprint = t.getFingerprint();
        return task;
    }

    public static kfp.server.proto.v1beta1.Task toApiV1(Task t) {
        return kfp.server.proto.v1beta1.Task.newBuilder()
                .setId(t.uuid)
                .setNamespace(nullToEmpty(t.namespace))
                .setPipelineName(nullToEmpty(t.pipelineName))
                .setRunId(nullToEmpty(t.runId))
                .setMlmdExecutionID(nullToEmpty(t.mlmdExecutionId))
                .setCreatedAt(Timestamps.ofSeconds(t.createdTimestamp))
                .setFinishedAt(Timestamps.ofSeconds(t.finishedTimestamp))
                .setFingerprint(nullToEmpty(t.fingerprint))
                .build();
    }

    private static void required(String value, String name) {
        if (value.isEmpty()) {
            throw ApiErrors.invalidArgument("Invalid task: must specify " + name);
        }
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
