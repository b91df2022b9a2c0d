package kfp.server.service;

import com.google.inject.Inject;
import com.google.protobuf.Empty;
import io.grpc.stub.StreamObserver;
import kfp.server.proto.v2beta1.ReportScheduledWorkflowRequest;
import kfp.server.proto.v2beta1.ReportServiceGrpc;
import kfp.server.proto.v2beta1.ReportWorkflowRequest;

/** {@code kubeflow.pipelines.backend.api.v2beta1.ReportService}, on gRPC and {@code /apis/v2beta1/{workflows,scheduledworkflows}}. */
final class ReportServiceV2 extends ReportServiceGrpc.ReportServiceImplBase {

    private final Reports reports;

    @Inject
    ReportServiceV2(Reports reports) {
        this.reports = reports;
    }

    @Override
    public void reportWorkflow(ReportWorkflowRequest request, StreamObserver<Empty> out) {
        reports.reportWorkflow(request.getWorkflow());
        Calls.done(out);
    }

    @Override
    public void reportScheduledWorkflow(ReportScheduledWorkflowRequest request, StreamObserver<Empty> out) {
        reports.reportScheduledWorkflow(request.getScheduledWorkflow());
        Calls.done(out);
    }
}
