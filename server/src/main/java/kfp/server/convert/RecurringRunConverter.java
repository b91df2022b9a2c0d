package kfp.server.convert;

import com.google.protobuf.Timestamp;
import kfp.server.proto.v2beta1.CronSchedule;
import kfp.server.proto.v2beta1.PeriodicSchedule;
import kfp.server.proto.v2beta1.PipelineVersionReference;
import kfp.server.proto.v2beta1.RecurringRun;
import kfp.server.proto.v2beta1.RuntimeConfig;
import kfp.server.proto.v2beta1.Trigger;
import kfp.store.api.Job;

/**
 * Recurring runs ({@code jobs} rows) and the v2beta1 {@code RecurringRun} and v1beta1 {@code Job}
 * messages. A trigger's start and end times are kept only when the request set them (null
 * columns otherwise), as KFP does.
 */
public final class RecurringRunConverter {

    private RecurringRunConverter() {
    }

    /** What a v2 create request may set, the pipeline source left to the caller. */
    public static Job fromApi(RecurringRun api) {
        Job j = new Job();
        j.displayName = api.getDisplayName();
        j.description = api.getDescription();
        j.experimentId = api.getExperimentId();
        j.serviceAccount = api.getServiceAccount();
        j.maxConcurrency = api.getMaxConcurrency();
        j.noCatchup = api.getNoCatchup();
        j.enabled = api.getMode() == RecurringRun.Mode.ENABLE;
        RunConverter.setRuntimeConfig(j, api.getRuntimeConfig());
        setTrigger(j, api.getTrigger());
        j.pluginsInput = api.getPluginsInputCount() == 0 ? null : RunConverter.pluginsInputJson(api.getPluginsInputMap());
        return j;
    }

    /** What a v1 create request may set, the references and pipeline id left to the caller. */
    public static Job fromApiV1(kfp.server.proto.v1beta1.Job api) {
        Job j = new Job();
        j.displayName = api.getName();
        j.description = api.getDescription();
        j.serviceAccount = api.getServiceAccount();
        j.maxConcurrency = api.getMaxConcurrency();
        j.noCatchup = api.getNoCatchup();
        j.enabled = api.getEnabled() || api.getMode() == kfp.server.proto.v1beta1.Job.Mode.ENABLED;
        RunConverter.setPipelineSpecV1(j, api.getPipelineSpec());
        kfp.server.proto.v1beta1.Trigger t = api.getTrigger();
        if (t.hasCronSchedule()) {
            var c = t.getCronSchedule();
            setCron(j, c.getCron(), c.hasStartTime() ? c.getStartTime() : null, c.hasEndTime() ? c.getEndTime() : null);
        } else if (t.hasPeriodicSchedule()) {
            var p = t.getPeriodicSchedule();
            setPeriodic(j, p.getIntervalSecond(), p.hasStartTime() ? p.getStartTime() : null,
                    p.hasEndTime() ? p.getEndTime() : null);
        }
        return j;
    }

    private static void setTrigger(Job j, Trigger t) {
        if (t.hasCronSchedule()) {
            CronSchedule c = t.getCronSchedule();
            setCron(j, c.getCron(), c.hasStartTime() ? c.getStartTime() : null, c.hasEndTime() ? c.getEndTime() : null);
        } else if (t.hasPeriodicSchedule()) {
            PeriodicSchedule p = t.getPeriodicSchedule();
            setPeriodic(j, p.getIntervalSecond(), p.hasStartTime() ? p.getStartTime() : null,
                    p.hasEndTime() ? p.getEndTime() : null);
        }
    }

    private static void setCron(Job j, String cron, Timestamp start, Timestamp end) {
        j.schedule = cron;
        j.cronScheduleStartTimeInSec = start == null ? null : start.getSeconds();
        j.cronScheduleEndTimeInSec = end == null ? null : end.getSeconds();
    }

    private static void setPeriodic(Job j, long interval, Timestamp start, Timestamp end) {
        j.intervalSecond = interval;
        j.periodicScheduleStartTimeInSec = start == null ? null : start.getSeconds();
        j.periodicScheduleEndTimeInSec = end == null ? null : end.getSeconds();
    }

    /** True when the job has a cron trigger (a non-empty schedule). */
    public static boolean hasCron(Job j) {
        return j.schedule != null && !j.schedule.isEmpty();
    }

    /** True when the job has a periodic trigger (an interval). */
    public static boolean hasPeriodic(Job j) {
        return j.intervalSecond != null && j.intervalSecond != 0;
    }

    public static RecurringRun toApi(Job j) {
        RecurringRun.Builder b = RecurringRun.newBuilder()
                .setRecurringRunId(j.uuid)
                .setDisplayName(j.displayName)
                .setDescription(j.description)
                .setServiceAccount(j.serviceAccount)
                .setMaxConcurrency(j.maxConcurrency)
                .setTrigger(trigger(j))
                .setMode(j.enabled ? RecurringRun.Mode.ENABLE : RecurringRun.Mode.DISABLE)
                .setCreatedAt(Timestamps.ofSeconds(j.createdAtInSec))
                .setUpdatedAt(Timestamps.ofSeconds(j.updatedAtInSec))
                .setStatus(j.enabled ? RecurringRun.Status.ENABLED : RecurringRun.Status.DISABLED)
                .setNoCatchup(j.noCatchup)
                .setNamespace(j.namespace)
                .setExperimentId(j.experimentId);
        if (j.pipelineVersionId.isEmpty() && !j.pipelineId.isEmpty()
                && (j.pipelineSpecManifest == null || j.pipelineSpecManifest.isEmpty())) {
            // not pinned: each run takes the pipeline's latest version when it starts
            b.setPipelineVersionReference(PipelineVersionReference.newBuilder().setPipelineId(j.pipelineId));
        } else {
            RunConverter.setPipelineSource(j, b::setPipelineVersionReference, b::setPipelineSpec);
        }
        RuntimeConfig config = RunConverter.runtimeConfig(j);
        if (!config.equals(RuntimeConfig.getDefaultInstance())) {
            b.setRuntimeConfig(config);
        }
        RunConverter.mergeJson(b, "plugins_input", j.pluginsInput, j.uuid);
        return b.build();
    }

    /** Always a trigger, empty when the job has none ({@code "trigger": {}}). */
    private static Trigger trigger(Job j) {
        Trigger.Builder t = Trigger.newBuilder();
        if (hasCron(j)) {
            CronSchedule.Builder c = CronSchedule.newBuilder().setCron(j.schedule);
            if (j.cronScheduleStartTimeInSec != null) {
                c.setStartTime(Timestamps.ofSeconds(j.cronScheduleStartTimeInSec));
            }
            if (j.cronScheduleEndTimeInSec != null) {
                c.setEndTime(Timestamps.ofSeconds(j.cronScheduleEndTimeInSec));
            }
            t.setCronSchedule(c);
        } else if (hasPeriodic(j)) {
            PeriodicSchedule.Builder p = PeriodicSchedule.newBuilder().setIntervalSecond(j.intervalSecond);
            if (j.periodicScheduleStartTimeInSec != null) {
                p.setStartTime(Timestamps.ofSeconds(j.periodicScheduleStartTimeInSec));
            }
            if (j.periodicScheduleEndTimeInSec != null) {
                p.setEndTime(Timestamps.ofSeconds(j.periodicScheduleEndTimeInSec));
            }
            t.setPeriodicSchedule(p);
        }
        return t.build();
    }

    /** v1: the mode is input only (not sent back); {@code enabled} and the stored status are. */
    public static kfp.server.proto.v1beta1.Job toApiV1(Job j) {
        kfp.server.proto.v1beta1.Job.Builder b = kfp.server.proto.v1beta1.Job.newBuilder()
                .setId(j.uuid)
                .setName(j.displayName)
                .setDescription(j.description)
                .setPipelineSpec(RunConverter.pipelineSpecV1(j))
                .addAllResourceReferences(RunConverter.referencesV1(j, ""))
                .setServiceAccount(j.serviceAccount)
                .setMaxConcurrency(j.maxConcurrency)
                .setCreatedAt(Timestamps.ofSeconds(j.createdAtInSec))
                .setUpdatedAt(Timestamps.ofSeconds(j.updatedAtInSec))
                .setStatus(j.conditions == null ? "" : j.conditions)
                .setEnabled(j.enabled)
                .setNoCatchup(j.noCatchup);
        return b.setTrigger(triggerV1(j)).build();
    }

    private static kfp.server.proto.v1beta1.Trigger triggerV1(Job j) {
        kfp.server.proto.v1beta1.Trigger.Builder t = kfp.server.proto.v1beta1.Trigger.newBuilder();
        if (hasCron(j)) {
            kfp.server.proto.v1beta1.CronSchedule.Builder c = kfp.server.proto.v1beta1.CronSchedule.newBuilder()
                    .setCron(j.schedule);
            if (j.cronScheduleStartTimeInSec != null) {
                c.setStartTime(Timestamps.ofSeconds(j.cronScheduleStartTimeInSec));
            }
            if (j.cronScheduleEndTimeInSec != null) {
                c.setEndTime(Timestamps.ofSeconds(j.cronScheduleEndTimeInSec));
            }
            t.setCronSchedule(c);
        } else if (hasPeriodic(j)) {
            kfp.server.proto.v1beta1.PeriodicSchedule.Builder p = kfp.server.proto.v1beta1.PeriodicSchedule.newBuilder()
                    .setIntervalSecond(j.intervalSecond);
            if (j.periodicScheduleStartTimeInSec != null) {
                p.setStartTime(Timestamps.ofSeconds(j.periodicScheduleStartTimeInSec));
            }
            if (j.periodicScheduleEndTimeInSec != null) {
                p.setEndTime(Timestamps.ofSeconds(j.periodicScheduleEndTimeInSec));
            }
            t.setPeriodicSchedule(p);
        }
        return t.build();
    }
}
