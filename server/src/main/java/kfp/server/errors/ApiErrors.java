package kfp.server.errors;

import com.google.protobuf.Any;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.ProtoUtils;
import java.io.IOException;
import kfp.store.api.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a call fails, in one place. Services throw store exceptions (from the stores, or their own
 * {@code kfp.store.api} ones) or the errors made here; {@link #toStatus} turns whatever a call
 * threw into the gRPC status the caller sees, on both transports.
 *
 * <p>A caller's error carries, as KFP's do, one detail: a {@code google.rpc.Status} with the
 * user-facing message (gRPC trailer {@code grpc-status-details-bin}; {@code details} in the JSON
 * body). A request the server could not read (malformed JSON, an unknown field, a wrong enum)
 * is InvalidArgument without details, as grpc-gateway answers it. Anything unexpected is logged
 * here and answered as Internal with a generic message: no exception text or stack leaves the
 * server.
 */
public final class ApiErrors {

    private static final Logger LOG = LoggerFactory.getLogger(ApiErrors.class);

    /** Trailer of the rich status ({@code grpc-status-details-bin}). */
    public static final Metadata.Key<com.google.rpc.Status> DETAILS =
            ProtoUtils.keyForProto(com.google.rpc.Status.getDefaultInstance());

    static final String INTERNAL_MESSAGE = "Internal error";

    private ApiErrors() {
    }

    public static StatusRuntimeException invalidArgument(String message) {
        return userError(Status.Code.INVALID_ARGUMENT, message);
    }

    public static StatusRuntimeException notFound(String message) {
        return userError(Status.Code.NOT_FOUND, message);
    }

    /** KFP's "bad request" (e.g. deleting the default experiment): Aborted, HTTP 409. */
    public static StatusRuntimeException aborted(String message) {
        return userError(Status.Code.ABORTED, message);
    }

    /** A body over a size limit: ResourceExhausted (an upload answers it 413). */
    public static StatusRuntimeException tooLarge(String message) {
        return userError(Status.Code.RESOURCE_EXHAUSTED, message);
    }

    public static StatusRuntimeException unavailable(String message) {
        return userError(Status.Code.UNAVAILABLE, message);
    }

    /** A status with the caller-facing detail attached. */
    public static StatusRuntimeException userError(Status.Code code, String message) {
        Metadata trailers = new Metadata();
        trailers.put(DETAILS, details(code, message));
        return Status.fromCode(code).withDescription(message).asRuntimeException(trailers);
    }

    /**
     * The status of a failed call; adds the detail trailer to {@code trailers}. Never null.
     */
    public static Status toStatus(Throwable cause, Metadata trailers) {
        if (cause instanceof StoreException e) {
            Status.Code code = codeOf(e.code());
            if (code == Status.Code.INTERNAL) {
                return internal(e, trailers);
            }
            trailers.put(DETAILS, details(code, e.getMessage()));
            return Status.fromCode(code).withDescription(e.getMessage());
        }
        if (cause instanceof StatusRuntimeException || cause instanceof StatusException) {
            Status status = Status.fromThrowable(cause);
            Metadata own = Status.trailersFromThrowable(cause);
            if (own != null && own.containsKey(DETAILS) && !trailers.containsKey(DETAILS)) {
                trailers.put(DETAILS, own.get(DETAILS));
            }
            if (status.getCode() == Status.Code.UNKNOWN || status.getCode() == Status.Code.INTERNAL) {
                return internal(cause, trailers);
            }
            return status.withCause(null);
        }
        if (cause instanceof IOException) { // the request message could not be read (JSON or protobuf)
            return Status.INVALID_ARGUMENT.withDescription(firstLine(cause.getMessage()));
        }
        return internal(cause, trailers);
    }

    private static Status internal(Throwable cause, Metadata trailers) {
        LOG.error("call failed", cause);
        trailers.removeAll(DETAILS);
        trailers.put(DETAILS, details(Status.Code.INTERNAL, INTERNAL_MESSAGE));
        return Status.INTERNAL.withDescription(INTERNAL_MESSAGE);
    }

    static Status.Code codeOf(StoreException.Code code) {
        return switch (code) {
            case NOT_FOUND -> Status.Code.NOT_FOUND;
            case ALREADY_EXISTS -> Status.Code.ALREADY_EXISTS;
            case INVALID_ARGUMENT -> Status.Code.INVALID_ARGUMENT;
            case ABORTED -> Status.Code.ABORTED;
            case UNAVAILABLE -> Status.Code.UNAVAILABLE;
            case INTERNAL -> Status.Code.INTERNAL;
        };
    }

    /** {@code google.rpc.Status} whose only detail is a {@code google.rpc.Status} with the message (KFP's shape). */
    static com.google.rpc.Status details(Status.Code code, String message) {
        com.google.rpc.Status inner = com.google.rpc.Status.newBuilder()
                .setCode(code.value()).setMessage(message == null ? "" : message).build();
        return inner.toBuilder().addDetails(Any.pack(inner)).build();
    }

    private static String firstLine(String message) {
        if (message == null || message.isBlank()) {
            return "the request body is not valid JSON for this call";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
