package kfp.server.service;

import com.google.inject.Inject;
import com.google.protobuf.Empty;
import io.grpc.stub.StreamObserver;
import kfp.server.proto.v1beta1.ReportScheduledWorkflowRequest;
import kfp.server.proto.v1beta1.ReportServiceGrpc;
import kfp.server.proto.v1beta1.ReportWorkflowRequest;

/** {@code api.ReportService} (v1beta1), on gRPC and {@code /apis/v1beta1/{workflows,scheduledworkflows}}: the persistence agent's reports. */
final class ReportServiceV1 extends ReportServiceGrpc.ReportServiceImplBase {

    private final Reports reports;

    @Inject
    ReportServiceV1(Reports reports) {
        this.reports = reports;
    }

    @Override
    public void reportWorkflowV1(ReportWorkflowRequest request, StreamObserver<Empty> out) {
        reports.reportWorkflow(request.getWorkflow());
        Calls.done(out);
    }

    @Override
    public void reportScheduledWorkflowV1(ReportScheduledWorkflowRequest request, StreamObserver<Empty> out) {
        reports.reportScheduledWorkflow(request.getScheduledWorkflow());
        Calls.done(out);
    }
}
