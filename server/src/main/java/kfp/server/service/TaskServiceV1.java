package kfp.server.service;

import com.google.inject.Inject;
import io.grpc.stub.StreamObserver;
import kfp.server.convert.ListRequests;
import kfp.server.convert.TaskConverter;
import kfp.server.proto.v1beta1.CreateTaskRequest;
import kfp.server.proto.v1beta1.ListTasksRequest;
import kfp.server.proto.v1beta1.ListTasksResponse;
import kfp.server.proto.v1beta1.ResourceType;
import kfp.server.proto.v1beta1.Task;
import kfp.server.proto.v1beta1.TaskServiceGrpc;
import kfp.store.api.FilterContext;
import kfp.store.api.ListResult;
import kfp.store.api.TaskStore;

/**
 * {@code api.TaskService}, on gRPC and {@code /apis/v1alpha1/tasks}: the v2 cache's index. The
 * launcher creates a task per executed step; the driver looks one up by fingerprint, pipeline
 * name and namespace, newest first, one per page (served by {@code task_cache_lookup_index}).
 */
final class TaskServiceV1 extends TaskServiceGrpc.TaskServiceImplBase {

    private final TaskStore tasks;

    @Inject
    TaskServiceV1(TaskStore tasks) {
        this.tasks = tasks;
    }

    /**
     * The run must exist (NotFound). The task keeps the namespace the launcher sent (the pod's),
     * which the lookups filter on: as in KFP, an experiment of the shared namespace, the only one
     * in single-user mode, has no namespace to compare it with.
     */
    @Override
    public void createTaskV1(CreateTaskRequest request, StreamObserver<Task> out) {
        Calls.reply(out, TaskConverter.toApiV1(tasks.createTask(TaskConverter.fromApiCreate(request.getTask()))));
    }

    /** A pipeline reference scopes the list to that pipeline name; other references are ignored, as in KFP. */
    @Override
    public void listTasksV1(ListTasksRequest request, StreamObserver<ListTasksResponse> out) {
        FilterContext context = request.hasResourceReferenceKey()
                && request.getResourceReferenceKey().getType() == ResourceType.PIPELINE
                ? FilterContext.of(kfp.store.api.ResourceType.PIPELINE, request.getResourceReferenceKey().getId())
                : FilterContext.NONE;
        ListResult<kfp.store.api.Task> page = tasks.listTasks(context, ListRequests.options(
                request.getPageSize(), request.getSortBy(), request.getFilter(), request.getPageToken()));
        ListTasksResponse.Builder response = ListTasksResponse.newBuilder()
                .setTotalSize(page.totalSize())
                .setNextPageToken(page.nextPageToken());
        page.items().forEach(t -> response.addTasks(TaskConverter.toApiV1(t)));
        Calls.reply(out, response.build());
    }
}
