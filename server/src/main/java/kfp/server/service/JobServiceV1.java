package kfp.server.service;

import com.google.inject.Inject;
import com.google.protobuf.Empty;
import io.grpc.stub.StreamObserver;
import kfp.server.convert.ListRequests;
import kfp.server.convert.RecurringRunConverter;
import kfp.server.convert.RunConverter;
import kfp.server.proto.v1beta1.CreateJobRequest;
import kfp.server.proto.v1beta1.DeleteJobRequest;
import kfp.server.proto.v1beta1.DisableJobRequest;
import kfp.server.proto.v1beta1.EnableJobRequest;
import kfp.server.proto.v1beta1.GetJobRequest;
import kfp.server.proto.v1beta1.Job;
import kfp.server.proto.v1beta1.JobServiceGrpc;
import kfp.server.proto.v1beta1.ListJobsRequest;
import kfp.server.proto.v1beta1.ListJobsResponse;
import kfp.server.proto.v1beta1.ResourceType;
import kfp.store.api.ListResult;

/** {@code api.JobService} (v1beta1 recurring runs), on gRPC and {@code /apis/v1beta1/jobs}. */
final class JobServiceV1 extends JobServiceGrpc.JobServiceImplBase {

    private final RecurringRuns recurringRuns;

    @Inject
    JobServiceV1(RecurringRuns recurringRuns) {
        this.recurringRuns = recurringRuns;
    }

    /** Experiment and pipeline version from the references; a pipeline id alone is pinned to its latest version now. */
    @Override
    public void createJob(CreateJobRequest request, StreamObserver<Job> out) {
        Job api = request.getJob();
        kfp.store.api.Job j = RecurringRunConverter.fromApiV1(api);
        var refs = api.getResourceReferencesList();
        j.experimentId = RunConverter.referenced(refs, ResourceType.EXPERIMENT);
        String pipelineId = RunConverter.pipelineIdV1(api.getPipelineSpec(), refs);
        Calls.reply(out, RecurringRunConverter.toApiV1(recurringRuns.create(j, pipelineId,
                RunConverter.referenced(refs, ResourceType.PIPELINE_VERSION), true, "job name")));
    }

    @Override
    public void getJob(GetJobRequest request, StreamObserver<Job> out) {
        Calls.reply(out, RecurringRunConverter.toApiV1(recurringRuns.get(Calls.required(request.getId(), "id"))));
    }

    /** {@code resource_reference_key}: a namespace (single-user: all) or an experiment. */
    @Override
    public void listJobs(ListJobsRequest request, StreamObserver<ListJobsResponse> out) {
        ListRequests.Scope scope = ListRequests.scopeV1(request.hasResourceReferenceKey(), request.getResourceReferenceKey(),
                "jobs", kfp.store.api.ResourceType.NAMESPACE, kfp.store.api.ResourceType.EXPERIMENT);
        ListResult<kfp.store.api.Job> page = recurringRuns.list(scope.type(), scope.id(), ListRequests.options(
                request.getPageSize(), request.getSortBy(), request.getFilter(), request.getPageToken()));
        ListJobsResponse.Builder response = ListJobsResponse.newBuilder()
                .setTotalSize(page.totalSize())
                .setNextPageToken(page.nextPageToken());
        page.items().forEach(j -> response.addJobs(RecurringRunConverter.toApiV1(j)));
        Calls.reply(out, response.build());
    }

    @Override
    public void enableJob(EnableJobRequest request, StreamObserver<Empty> out) {
        recurringRuns.setEnabled(Calls.required(request.getId(), "id"), true);
        Calls.done(out);
    }

    @Override
    public void disableJob(DisableJobRequest request, StreamObserver<Empty> out) {
        recurringRuns.setEnabled(Calls.required(request.getId(), "id"), false);
        Calls.done(out);
    }

    @Override
    public void deleteJob(DeleteJobRequest request, StreamObserver<Empty> out) {
        recurringRuns.delete(Calls.required(request.getId(), "id"));
        Calls.done(out);
    }
}
