package kfp.server.service;

import com.google.inject.Inject;
import com.google.protobuf.Empty;
import io.grpc.stub.StreamObserver;
import kfp.server.convert.ListRequests;
import kfp.server.convert.PipelineSpecs;
import kfp.server.convert.RunConverter;
import kfp.server.errors.ApiErrors;
import kfp.server.proto.v2beta1.ArchiveRunRequest;
import kfp.server.proto.v2beta1.CreateRunRequest;
import kfp.server.proto.v2beta1.DeleteRunRequest;
import kfp.server.proto.v2beta1.GetRunRequest;
import kfp.server.proto.v2beta1.ListRunsRequest;
import kfp.server.proto.v2beta1.ListRunsResponse;
import kfp.server.proto.v2beta1.RetryRunRequest;
import kfp.server.proto.v2beta1.Run;
import kfp.server.proto.v2beta1.RunServiceGrpc;
import kfp.server.proto.v2beta1.TerminateRunRequest;
import kfp.server.proto.v2beta1.UnarchiveRunRequest;
import kfp.store.api.ListResult;
import kfp.store.api.ResourceType;

/** {@code kubeflow.pipelines.backend.api.v2beta1.RunService}, on gRPC and {@code /apis/v2beta1/runs}. */
final class RunServiceV2 extends RunServiceGrpc.RunServiceImplBase {

    private final Runs runs;

    @Inject
    RunServiceV2(Runs runs) {
        this.runs = runs;
    }

    /** The deprecated {@code experiment_id} beside the run is ignored, as KFP does; the run's own one counts. */
    @Override
    public void createRun(CreateRunRequest request, StreamObserver<Run> out) {
        Run api = request.getRun();
        if (api.getPluginsOutputCount() > 0) {
            throw ApiErrors.aborted("plugins_output is written by the server, not by a run's creator");
        }
        kfp.store.api.Run r = RunConverter.fromApi(api);
        if (api.hasPipelineSpec()) {
            r.pipelineSpecManifest = PipelineSpecs.toManifest(api.getPipelineSpec());
        }
        Calls.reply(out, RunConverter.toApi(runs.create(r, api.getPipelineVersionReference().getPipelineId(),
                api.getPipelineVersionReference().getPipelineVersionId(), "run display_name")));
    }

    @Override
    public void getRun(GetRunRequest request, StreamObserver<Run> out) {
        Calls.reply(out, RunConverter.toApi(runs.get(Calls.required(request.getRunId(), "run_id"))));
    }

    /** By experiment when {@code experiment_id} is given; {@code namespace} is single-user's one namespace. */
    @Override
    public void listRuns(ListRunsRequest request, StreamObserver<ListRunsResponse> out) {
        ListResult<kfp.store.api.Run> page = runs.list(
                request.getExperimentId().isEmpty() ? ResourceType.NAMESPACE : ResourceType.EXPERIMENT,
                request.getExperimentId(), ListRequests.options(
                        request.getPageSize(), request.getSortBy(), request.getFilter(), request.getPageToken()));
        ListRunsResponse.Builder response = ListRunsResponse.newBuilder()
                .setTotalSize(page.totalSize())
                .setNextPageToken(page.nextPageToken());
        page.items().forEach(r -> response.addRuns(RunConverter.toApi(r)));
        Calls.reply(out, response.build());
    }

    @Override
    public void archiveRun(ArchiveRunRequest request, StreamObserver<Empty> out) {
        runs.archive(Calls.required(request.getRunId(), "run_id"));
        Calls.done(out);
    }

    @Override
    public void unarchiveRun(UnarchiveRunRequest request, StreamObserver<Empty> out) {
        runs.unarchive(Calls.required(request.getRunId(), "run_id"));
        Calls.done(out);
    }

    @Override
    public void deleteRun(DeleteRunRequest request, StreamObserver<Empty> out) {
        runs.delete(Calls.required(request.getRunId(), "run_id"));
        Calls.done(out);
    }

    @Override
    public void terminateRun(TerminateRunRequest request, StreamObserver<Empty> out) {
        runs.terminate(Calls.required(request.getRunId(), "run_id"));
        Calls.done(out);
    }

    @Override
    public void retryRun(RetryRunRequest request, StreamObserver<Empty> out) {
        runs.retry(Calls.required(request.getRunId(), "run_id"));
        Calls.done(out);
    }
}
