package kfp.server.service;

import com.google.inject.Inject;
import com.google.protobuf.Empty;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import kfp.server.convert.ListRequests;
import kfp.server.convert.RunConverter;
import kfp.server.convert.RunMetricConverter;
import kfp.server.errors.ApiErrors;
import kfp.server.proto.v1beta1.ArchiveRunRequest;
import kfp.server.proto.v1beta1.CreateRunRequest;
import kfp.server.proto.v1beta1.DeleteRunRequest;
import kfp.server.proto.v1beta1.GetRunRequest;
import kfp.server.proto.v1beta1.ListRunsRequest;
import kfp.server.proto.v1beta1.ListRunsResponse;
import kfp.server.proto.v1beta1.ReportRunMetricsRequest;
import kfp.server.proto.v1beta1.ReportRunMetricsResponse.ReportRunMetricResult;
import kfp.server.proto.v1beta1.ReportRunMetricsResponse;
import kfp.server.proto.v1beta1.ResourceType;
import kfp.server.proto.v1beta1.RetryRunRequest;
import kfp.server.proto.v1beta1.Run;
import kfp.server.proto.v1beta1.RunDetail;
import kfp.server.proto.v1beta1.RunMetric;
import kfp.server.proto.v1beta1.RunServiceGrpc;
import kfp.server.proto.v1beta1.TerminateRunRequest;
import kfp.server.proto.v1beta1.UnarchiveRunRequest;
import kfp.store.api.ListResult;
import kfp.store.api.RunStore;

/**
 * {@code api.RunService} (v1beta1), on gRPC and {@code /apis/v1beta1/runs}: the UI's and SDK's v1
 * run calls, and the run metrics the persistence agent reports.
 */
final class RunServiceV1 extends RunServiceGrpc.RunServiceImplBase {

    private final Runs rules;
    private final RunStore runs;

    @Inject
    RunServiceV1(Runs rules, RunStore runs) {
        this.rules = rules;
        this.runs = runs;
    }

    /**
     * The experiment, pipeline version, pipeline and recurring run come from the resource
     * references; the pipeline id also from {@code pipeline_spec.pipeline_id}.
     */
    @Override
    public void createRunV1(CreateRunRequest request, StreamObserver<RunDetail> out) {
        Run api = request.getRun();
        kfp.store.api.Run r = RunConverter.fromApiV1(api);
        var refs = api.getResourceReferencesList();
        r.experimentId = RunConverter.referenced(refs, ResourceType.EXPERIMENT);
        r.recurringRunId = RunConverter.referenced(refs, ResourceType.JOB);
        String pipelineId = RunConverter.pipelineIdV1(api.getPipelineSpec(), refs);
        Calls.reply(out, RunConverter.toApiRunDetail(rules.create(r, pipelineId,
                RunConverter.referenced(refs, ResourceType.PIPELINE_VERSION), "run name")));
    }

    @Override
    public void getRunV1(GetRunRequest request, StreamObserver<RunDetail> out) {
        Calls.reply(out, RunConverter.toApiRunDetail(rules.get(Calls.required(request.getRunId(), "run_id"))));
    }

    /** {@code resource_reference_key}: a namespace (single-user: all runs), an experiment or a recurring run (JOB). */
    @Override
    public void listRunsV1(ListRunsRequest request, StreamObserver<ListRunsResponse> out) {
        ListRequests.Scope scope = ListRequests.scopeV1(request.hasResourceReferenceKey(), request.getResourceReferenceKey(),
                "runs", kfp.store.api.ResourceType.NAMESPACE, kfp.store.api.ResourceType.EXPERIMENT, kfp.store.api.ResourceType.JOB);
        ListResult<kfp.store.api.Run> page = rules.list(scope.type(), scope.id(), ListRequests.options(
                request.getPageSize(), request.getSortBy(), request.getFilter(), request.getPageToken()));
        ListRunsResponse.Builder response = ListRunsResponse.newBuilder()
                .setTotalSize(page.totalSize())
                .setNextPageToken(page.nextPageToken());
        page.items().forEach(r -> response.addRuns(RunConverter.toApiV1(r)));
        Calls.reply(out, response.build());
    }

    @Override
    public void archiveRunV1(ArchiveRunRequest request, StreamObserver<Empty> out) {
        rules.archive(Calls.required(request.getId(), "id"));
        Calls.done(out);
    }

    @Override
    public void unarchiveRunV1(UnarchiveRunRequest request, StreamObserver<Empty> out) {
        rules.unarchive(Calls.required(request.getId(), "id"));
        Calls.done(out);
    }

    @Override
    public void deleteRunV1(DeleteRunRequest request, StreamObserver<Empty> out) {
        rules.delete(Calls.required(request.getId(), "id"));
        Calls.done(out);
    }

    @Override
    public void terminateRunV1(TerminateRunRequest request, StreamObserver<Empty> out) {
        rules.terminate(Calls.required(request.getRunId(), "run_id"));
        Calls.done(out);
    }

    @Override
    public void retryRunV1(RetryRunRequest request, StreamObserver<Empty> out) {
        rules.retry(Calls.required(request.getRunId(), "run_id"));
        Calls.done(out);
    }

    /**
     * An unknown run fails the call (NotFound); otherwise each metric is stored on its own and
     * answered in input order: OK, INVALID_ARGUMENT (KFP's name and node checks, the store's size
     * and finite-value checks), DUPLICATE_REPORTING (the first report of a node's metric stays),
     * or INTERNAL_ERROR.
     */
    @Override
    public void reportRunMetricsV1(ReportRunMetricsRequest request, StreamObserver<ReportRunMetricsResponse> out) {
        String runId = Calls.required(request.getRunId(), "run_id");
        runs.getRun(runId);
        ReportRunMetricsResponse.Builder response = ReportRunMetricsResponse.newBuilder();
        for (RunMetric metric : request.getMetricsList()) {
            ReportRunMetricResult.Builder result = ReportRunMetricResult.newBuilder()
                    .setMetricName(metric.getName())
                    .setMetricNodeId(metric.getNodeId());
            try {
                runs.createMetric(RunMetricConverter.fromApi(runId, metric));
                result.setStatus(ReportRunMetricResult.Status.OK);
            } catch (RuntimeException e) {
                Status status = ApiErrors.toStatus(e, new Metadata());
                result.setStatus(switch (status.getCode()) {
                    case INVALID_ARGUMENT -> ReportRunMetricResult.Status.INVALID_ARGUMENT;
                    case ALREADY_EXISTS -> ReportRunMetricResult.Status.DUPLICATE_REPORTING;
                    default -> ReportRunMetricResult.Status.INTERNAL_ERROR;
                }).setMessage(status.getDescription() == null ? "" : status.getDescription());
            }
            response.addResults(result);
        }
        Calls.reply(out, response.build());
    }
}
