package kfp.server.service;

import com.google.inject.Inject;
import com.google.protobuf.Empty;
import io.grpc.stub.StreamObserver;
import kfp.server.convert.ExperimentConverter;
import kfp.server.convert.ListRequests;
import kfp.server.proto.v1beta1.ArchiveExperimentRequest;
import kfp.server.proto.v1beta1.CreateExperimentRequest;
import kfp.server.proto.v1beta1.DeleteExperimentRequest;
import kfp.server.proto.v1beta1.Experiment;
import kfp.server.proto.v1beta1.ExperimentServiceGrpc;
import kfp.server.proto.v1beta1.GetExperimentRequest;
import kfp.server.proto.v1beta1.ListExperimentsRequest;
import kfp.server.proto.v1beta1.ListExperimentsResponse;
import kfp.server.proto.v1beta1.UnarchiveExperimentRequest;
import kfp.store.api.ListResult;

/** {@code api.ExperimentService} (v1beta1), on gRPC and {@code /apis/v1beta1/experiments}. */
final class ExperimentServiceV1 extends ExperimentServiceGrpc.ExperimentServiceImplBase {

    private final Experiments experiments;

    @Inject
    ExperimentServiceV1(Experiments experiments) {
        this.experiments = experiments;
    }

    @Override
    public void createExperimentV1(CreateExperimentRequest request, StreamObserver<Experiment> out) {
        Experiment e = request.getExperiment();
        Calls.reply(out, ExperimentConverter.toApiV1(experiments.create(
                ExperimentConverter.fromApi(e, ExperimentConverter.namespaceOf(e)), "experiment name")));
    }

    @Override
    public void getExperimentV1(GetExperimentRequest request, StreamObserver<Experiment> out) {
        Calls.reply(out, ExperimentConverter.toApiV1(experiments.get(Calls.required(request.getId(), "id"))));
    }

    /** {@code resource_reference_key} may only name a namespace (KFP: anything else is 400). */
    @Override
    public void listExperimentsV1(ListExperimentsRequest request, StreamObserver<ListExperimentsResponse> out) {
        String namespace = ListRequests.scopeV1(request.hasResourceReferenceKey(), request.getResourceReferenceKey(),
                "experiments", kfp.store.api.ResourceType.NAMESPACE).id();
        ListResult<kfp.store.api.Experiment> page = experiments.list(namespace, ListRequests.options(
                request.getPageSize(), request.getSortBy(), request.getFilter(), request.getPageToken()));
        ListExperimentsResponse.Builder response = ListExperimentsResponse.newBuilder()
                .setTotalSize(page.totalSize())
                .setNextPageToken(page.nextPageToken());
        page.items().forEach(e -> response.addExperiments(ExperimentConverter.toApiV1(e)));
        Calls.reply(out, response.build());
    }

    @Override
    public void archiveExperimentV1(ArchiveExperimentRequest request, StreamObserver<Empty> out) {
        experiments.archive(Calls.required(request.getId(), "id"));
        Calls.done(out);
    }

    @Override
    public void unarchiveExperimentV1(UnarchiveExperimentRequest request, StreamObserver<Empty> out) {
        experiments.unarchive(Calls.required(request.getId(), "id"));
        Calls.done(out);
    }

    @Override
    public void deleteExperimentV1(DeleteExperimentRequest request, StreamObserver<Empty> out) {
        experiments.delete(Calls.required(request.getId(), "id"));
        Calls.done(out);
    }
}
