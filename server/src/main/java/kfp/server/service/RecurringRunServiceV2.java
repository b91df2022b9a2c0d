package kfp.server.service;

import com.google.inject.Inject;
import com.google.protobuf.Empty;
import io.grpc.stub.StreamObserver;
import kfp.server.convert.ListRequests;
import kfp.server.convert.PipelineSpecs;
import kfp.server.convert.RecurringRunConverter;
import kfp.server.proto.v2beta1.CreateRecurringRunRequest;
import kfp.server.proto.v2beta1.DeleteRecurringRunRequest;
import kfp.server.proto.v2beta1.DisableRecurringRunRequest;
import kfp.server.proto.v2beta1.EnableRecurringRunRequest;
import kfp.server.proto.v2beta1.GetRecurringRunRequest;
import kfp.server.proto.v2beta1.ListRecurringRunsRequest;
import kfp.server.proto.v2beta1.ListRecurringRunsResponse;
import kfp.server.proto.v2beta1.RecurringRun;
import kfp.server.proto.v2beta1.RecurringRunServiceGrpc;
import kfp.store.api.Job;
import kfp.store.api.ListResult;
import kfp.store.api.ResourceType;

/** {@code kubeflow.pipelines.backend.api.v2beta1.RecurringRunService}, on gRPC and {@code /apis/v2beta1/recurringruns}. */
final class RecurringRunServiceV2 extends RecurringRunServiceGrpc.RecurringRunServiceImplBase {

    private final RecurringRuns recurringRuns;

    @Inject
    RecurringRunServiceV2(RecurringRuns recurringRuns) {
        this.recurringRuns = recurringRuns;
    }

    @Override
    public void createRecurringRun(CreateRecurringRunRequest request, StreamObserver<RecurringRun> out) {
        RecurringRun api = request.getRecurringRun();
        Job j = RecurringRunConverter.fromApi(api);
        if (api.hasPipelineSpec()) {
            j.pipelineSpecManifest = PipelineSpecs.toManifest(api.getPipelineSpec());
        }
        Calls.reply(out, RecurringRunConverter.toApi(recurringRuns.create(j, api.getPipelineVersionReference().getPipelineId(),
                api.getPipelineVersionReference().getPipelineVersionId(), false, "recurring run display_name")));
    }

    @Override
    public void getRecurringRun(GetRecurringRunRequest request, StreamObserver<RecurringRun> out) {
        Calls.reply(out, RecurringRunConverter.toApi(recurringRuns.get(Calls.required(request.getRecurringRunId(),
                "recurring_run_id"))));
    }

    @Override
    public void listRecurringRuns(ListRecurringRunsRequest request, StreamObserver<ListRecurringRunsResponse> out) {
        ListResult<Job> page = recurringRuns.list(
                request.getExperimentId().isEmpty() ? ResourceType.NAMESPACE : ResourceType.EXPERIMENT,
                request.getExperimentId(), ListRequests.options(
                        request.getPageSize(), request.getSortBy(), request.getFilter(), request.getPageToken()));
        ListRecurringRunsResponse.Builder response = ListRecurringRunsResponse.newBuilder()
                .setTotalSize(page.totalSize())
                .setNextPageToken(page.nextPageToken());
        page.items().forEach(j -> response.addRecurringRuns(RecurringRunConverter.toApi(j)));
        Calls.reply(out, response.build());
    }

    @Override
    public void enableRecurringRun(EnableRecurringRunRequest request, StreamObserver<Empty> out) {
        recurringRuns.setEnabled(Calls.required(request.getRecurringRunId(), "recurring_run_id"), true);
        Calls.done(out);
    }

    @Override
    public void disableRecurringRun(DisableRecurringRunRequest request, StreamObserver<Empty> out) {
        recurringRuns.setEnabled(Calls.required(request.getRecurringRunId(), "recurring_run_id"), false);
        Calls.done(out);
    }

    /** {@code propagation_policy} concerns the ScheduledWorkflow's dependents, which are the execution's business. */
    @Override
    public void deleteRecurringRun(DeleteRecurringRunRequest request, StreamObserver<Empty> out) {
        recurringRuns.delete(Calls.required(request.getRecurringRunId(), "recurring_run_id"));
        Calls.done(out);
    }
}
