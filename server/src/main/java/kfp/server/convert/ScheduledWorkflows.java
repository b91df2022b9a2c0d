package kfp.server.convert;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kfp.server.errors.ApiErrors;
import kfp.store.api.JobSchedule;

/**
 * A ScheduledWorkflow (KFP's CRD) as the persistence agent reports it, read into what the job
 * store writes over the recurring run: name, mode, the latest condition, concurrency, catch-up,
 * the trigger and the workflow's parameters. A body that cannot be read or lacks a name,
 * namespace or UID is InvalidArgument.
 */
public final class ScheduledWorkflows {

    private static final String V1 = "kubeflow.org/v1beta1";
    private static final String V2 = "kubeflow.org/v2beta1";
    private static final String KIND = "ScheduledWorkflow";
    private static final ObjectMapper JSON = new ObjectMapper();

    private ScheduledWorkflows() {
    }

    public static JobSchedule read(String scheduledWorkflowJson) {
        JsonNode swf = Workflows.parse(scheduledWorkflowJson, "scheduled workflow");
        JsonNode meta = swf.path("metadata");
        JobSchedule s = new JobSchedule();
        s.name = Workflows.requiredText(meta, "name", "The resource must have a name");
        Workflows.requiredText(meta, "namespace", "The resource must have a namespace");
        s.uuid = Workflows.requiredText(meta, "uid", "The resource must have a UID");
        JsonNode spec = swf.path("spec");
        s.enabled = spec.path("enabled").asBoolean(false);
        JsonNode conditions = swf.path("status").path("conditions");
        s.conditions = conditions.isArray() && conditions.size() > 0
                ? conditions.get(conditions.size() - 1).path("type").asText("") : "NO_STATUS";
        s.maxConcurrency = spec.path("maxConcurrency").asLong(0);
        s.noCatchup = spec.path("noCatchup").asBoolean(false);
        JsonNode cron = spec.path("trigger").path("cronSchedule");
        JsonNode periodic = spec.path("trigger").path("periodicSchedule");
        s.cronScheduleStartTimeInSec = optionalSeconds(cron.path("startTime"), "cronSchedule.startTime");
        s.cronScheduleEndTimeInSec = optionalSeconds(cron.path("endTime"), "cronSchedule.endTime");
        s.schedule = cron.path("cron").asText("");
        s.periodicScheduleStartTimeInSec = optionalSeconds(periodic.path("startTime"), "periodicSchedule.startTime");
        s.periodicScheduleEndTimeInSec = optionalSeconds(periodic.path("endTime"), "periodicSchedule.endTime");
        s.intervalSecond = periodic.path("intervalSecond").asLong(0);
        JsonNode workflow = spec.path("workflow");
        if (workflow.isObject()) {
            String apiVersion = swf.path("apiVersion").asText("");
            boolean kind = KIND.equals(swf.path("kind").asText(""));
            if (kind && apiVersion.startsWith(V1)) {
                s.parameters = v1Parameters(workflow.path("parameters"));
            } else if (kind && apiVersion.startsWith(V2)) {
                s.runtimeParameters = v2Parameters(workflow.path("parameters"));
            } else {
                throw ApiErrors.invalidArgument("ScheduledWorkflow " + s.name + " must have apiVersion " + V1 + " or " + V2
                        + " and kind " + KIND);
            }
        }
        return s;
    }

    /** v1: the parameters as the list they are, {@code [{"name":…,"value":…}]}. */
    private static String v1Parameters(JsonNode parameters) {
        ArrayNode list = JSON.createArrayNode();
        for (JsonNode p : parameters) {
            ObjectNode o = list.addObject();
            o.put("name", p.path("name").asText(""));
            if (p.hasNonNull("value")) {
                o.put("value", p.path("value").asText());
            }
        }
        return list.toString();
    }

    /** v2: each parameter's value is JSON; the column holds the object of name to value. */
    private static String v2Parameters(JsonNode parameters) {
        ObjectNode map = JSON.createObjectNode();
        for (JsonNode p : parameters) {
            String name = p.path("name").asText("");
            if (p.path("value").asText("").isEmpty()) {
                throw ApiErrors.invalidArgument("parameter " + name + " of the scheduled workflow has no value");
            }
            try {
                map.set(name, JSON.readTree(p.path("value").asText("")));
            } catch (JsonProcessingException e) {
                throw ApiErrors.invalidArgument("parameter " + name + " of the scheduled workflow is not JSON: "
                        + e.getOriginalMessage());
            }
        }
        return map.toString();
    }

    private static Long optionalSeconds(JsonNode time, String field) {
        return time.isMissingNode() || time.isNull() ? null : Workflows.seconds(time, field);
    }
}
