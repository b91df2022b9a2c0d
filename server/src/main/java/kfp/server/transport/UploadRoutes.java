package kfp.server.transport;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.ContentTooLargeException;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.QueryParams;
import com.linecorp.armeria.common.multipart.AggregatedBodyPart;
import com.linecorp.armeria.common.multipart.Multipart;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;
import io.grpc.Metadata;
import io.grpc.Status;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import kfp.server.convert.PipelineFiles;
import kfp.server.errors.ApiErrors;
import kfp.server.errors.HttpErrors;
import kfp.server.service.PipelineUploads;

/**
 * KFP's multipart upload routes ({@code /apis/<version>/pipelines/upload} and {@code /upload_version}):
 * the file in form field {@code uploadfile}, everything else in query parameters. This class only
 * reads the form and writes the answer; the pipeline service creates. The answer is the created
 * message as JSON (proto names, zero values omitted); errors are the API's {@code google.rpc.Status}
 * bodies (KFP's own upload errors were another shape, which its swagger does not describe), and a
 * file over 32 MiB is 413.
 */
final class UploadRoutes {

    static final String FILE_FIELD = "uploadfile";

    /** Room for the form's boundaries and headers around a file of the largest size. */
    static final long MAX_REQUEST_BYTES = PipelineFiles.MAX_BYTES + (1 << 20);

    private static final JsonFormat.Printer JSON = JsonFormat.printer().preservingProtoFieldNames()
            .omittingInsignificantWhitespace();

    private UploadRoutes() {
    }

    static HttpService pipeline(PipelineUploads uploads, Readiness readiness) {
        return route(uploads::uploadPipeline, readiness);
    }

    static HttpService version(PipelineUploads uploads, Readiness readiness) {
        return route(uploads::uploadPipelineVersion, readiness);
    }

    private static HttpService route(Function<PipelineUploads.Upload, Message> create, Readiness readiness) {
        return (ctx, req) -> {
            if (!readiness.isReady()) {
                return error(Status.Code.UNAVAILABLE, "the API server is not ready yet");
            }
            MediaType type = req.contentType();
            if (type == null || !type.is(MediaType.MULTIPART_FORM_DATA)) {
                return error(Status.Code.INVALID_ARGUMENT, "the pipeline file must be sent as multipart/form-data"
                        + " in field " + FILE_FIELD);
            }
            CompletableFuture<HttpResponse> answer = Multipart.from(req).aggregate()
                    .thenApplyAsync(form -> {
                        AggregatedBodyPart file = form.field(FILE_FIELD);
                        if (file == null) {
                            return error(Status.Code.INVALID_ARGUMENT, "the request has no file in form field " + FILE_FIELD);
                        }
                        return call(create, new PipelineUploads.Upload(file.filename() == null ? "" : file.filename(),
                                file.content().array(), query(ctx)));
                    }, ctx.blockingTaskExecutor()) // the stores block on JDBC
                    .exceptionally(UploadRoutes::failed);
            return HttpResponse.of(answer);
        };
    }

    private static Map<String, String> query(ServiceRequestContext ctx) {
        QueryParams params = ctx.query() == null ? QueryParams.of() : QueryParams.fromQueryString(ctx.query());
        Map<String, String> first = new HashMap<>();
        params.names().forEach(n -> first.put(n, params.get(n)));
        return first;
    }

    private static HttpResponse call(Function<PipelineUploads.Upload, Message> create, PipelineUploads.Upload upload) {
        Message created;
        try {
            created = create.apply(upload);
        } catch (RuntimeException e) {
            return failed(e);
        }
        try {
            return HttpResponse.of(HttpStatus.OK, MediaType.JSON_UTF_8, JSON.print(created));
        } catch (InvalidProtocolBufferException e) {
            return failed(e);
        }
    }

    private static HttpResponse failed(Throwable cause) {
        Throwable t = cause;
        while (t instanceof java.util.concurrent.CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof ContentTooLargeException) {
            return error(Status.Code.RESOURCE_EXHAUSTED, "the request is larger than the 32 MiB pipeline file it may carry");
        }
        Metadata trailers = new Metadata();
        Status status = ApiErrors.toStatus(t, trailers);
        return respond(status, trailers.get(ApiErrors.DETAILS));
    }

    private static HttpResponse error(Status.Code code, String message) {
        return failed(ApiErrors.userError(code, message));
    }

    /** grpc-gateway's table, except that a file over the limit is 413 (Payload Too Large). */
    private static HttpResponse respond(Status status, com.google.rpc.Status rich) {
        HttpStatus http = status.getCode() == Status.Code.RESOURCE_EXHAUSTED
                ? HttpStatus.REQUEST_ENTITY_TOO_LARGE : HttpErrors.httpStatus(status.getCode());
        return AggregatedHttpResponse.of(http, MediaType.JSON_UTF_8, HttpErrors.body(status, rich)).toHttpResponse();
    }
}
