package kfp.server.service;

import com.google.inject.Inject;
import com.google.protobuf.Empty;
import io.grpc.stub.StreamObserver;
import kfp.server.convert.ExperimentConverter;
import kfp.server.convert.ListRequests;
import kfp.server.proto.v2beta1.ArchiveExperimentRequest;
import kfp.server.proto.v2beta1.CreateExperimentRequest;
import kfp.server.proto.v2beta1.DeleteExperimentRequest;
import kfp.server.proto.v2beta1.Experiment;
import kfp.server.proto.v2beta1.ExperimentServiceGrpc;
import kfp.server.proto.v2beta1.GetExperimentRequest;
import kfp.server.proto.v2beta1.ListExperimentsRequest;
import kfp.server.proto.v2beta1.ListExperimentsResponse;
import kfp.server.proto.v2beta1.UnarchiveExperimentRequest;
import kfp.store.api.ListResult;

/** {@code kubeflow.pipelines.backend.api.v2beta1.ExperimentService}, on gRPC and {@code /apis/v2beta1/experiments}. */
final class ExperimentServiceV2 extends ExperimentServiceGrpc.ExperimentServiceImplBase {

    private final Experiments experiments;

    @Inject
    ExperimentServiceV2(Experiments experiments) {
        this.experiments = experiments;
    }

    @Override
    public void createExperiment(CreateExperimentRequest request, StreamObserver<Experiment> out) {
        Experiment e = request.getExperiment();
        Calls.reply(out, ExperimentConverter.toApi(experiments.create(
                ExperimentConverter.fromApi(e, e.getNamespace()), "experiment display_name")));
    }

    @Override
    public void getExperiment(GetExperimentRequest request, StreamObserver<Experiment> out) {
        Calls.reply(out, ExperimentConverter.toApi(experiments.get(Calls.required(request.getExperimentId(), "experiment_id"))));
    }

    @Override
    public void listExperiments(ListExperimentsRequest request, StreamObserver<ListExperimentsResponse> out) {
        ListResult<kfp.store.api.Experiment> page = experiments.list(request.getNamespace(), ListRequests.options(
                request.getPageSize(), request.getSortBy(), request.getFilter(), request.getPageToken()));
        ListExperimentsResponse.Builder response = ListExperimentsResponse.newBuilder()
                .setTotalSize(page.totalSize())
                .setNextPageToken(page.nextPageToken());
        page.items().forEach(e -> response.addExperiments(ExperimentConverter.toApi(e)));
        Calls.reply(out, response.build());
    }

    @Override
    public void archiveExperiment(ArchiveExperimentRequest request, StreamObserver<Empty> out) {
        experiments.archive(Calls.required(request.getExperimentId(), "experiment_id"));
        Calls.done(out);
    }

    @Override
    public void unarchiveExperiment(UnarchiveExperimentRequest request, StreamObserver<Empty> out) {
        experiments.unarchive(Calls.required(request.getExperimentId(), "experiment_id"));
        Calls.done(out);
    }

    @Override
    public void deleteExperiment(DeleteExperimentRequest request, StreamObserver<Empty> out) {
        experiments.delete(Calls.required(request.getExperimentId(), "experiment_id"));
        Calls.done(out);
    }
}
