package kfp.server.service;

import com.google.inject.Inject;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import kfp.server.convert.RunMetricConverter;
import kfp.server.errors.ApiErrors;
import kfp.server.proto.v1beta1.ReportRunMetricsRequest;
import kfp.server.proto.v1beta1.ReportRunMetricsResponse;
import kfp.server.proto.v1beta1.ReportRunMetricsResponse.ReportRunMetricResult;
import kfp.server.proto.v1beta1.RunMetric;
import kfp.server.proto.v1beta1.RunServiceGrpc;
import kfp.store.api.RunStore;

/**
 * {@code api.RunService} (v1beta1), on gRPC and {@code /apis/v1beta1/runs}: so far the run metrics
 * the persistence agent reports; the other methods answer Unimplemented.
 */
final class RunServiceV1 extends RunServiceGrpc.RunServiceImplBase {

    private final RunStore runs;

    @Inject
    RunServiceV1(RunStore runs) {
        this.runs = runs;
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
