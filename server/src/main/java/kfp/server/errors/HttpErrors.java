package kfp.server.errors;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.TypeRegistry;
import com.google.protobuf.util.JsonFormat;
import com.linecorp.armeria.common.HttpStatus;
import io.grpc.Status;

/**
 * The HTTP side of an error: grpc-gateway's gRPC-code → HTTP status table and its JSON body,
 * {@code google.rpc.Status} printed with proto field names ({@code {"code":5,"message":"...",
 * "details":[{"@type":"type.googleapis.com/google.rpc.Status",...}]}}).
 */
public final class HttpErrors {

    private static final JsonFormat.Printer JSON = JsonFormat.printer()
            .usingTypeRegistry(TypeRegistry.newBuilder().add(com.google.rpc.Status.getDescriptor()).build())
            .preservingProtoFieldNames()
            .omittingInsignificantWhitespace();

    private HttpErrors() {
    }

    /** grpc-gateway v2's {@code HTTPStatusFromCode}. */
    public static HttpStatus httpStatus(Status.Code code) {
        return switch (code) {
            case OK -> HttpStatus.OK;
            case CANCELLED -> HttpStatus.valueOf(499);
            case INVALID_ARGUMENT, FAILED_PRECONDITION, OUT_OF_RANGE -> HttpStatus.BAD_REQUEST;
            case DEADLINE_EXCEEDED -> HttpStatus.GATEWAY_TIMEOUT;
            case NOT_FOUND -> HttpStatus.NOT_FOUND;
            case ALREADY_EXISTS, ABORTED -> HttpStatus.CONFLICT;
            case PERMISSION_DENIED -> HttpStatus.FORBIDDEN;
            case RESOURCE_EXHAUSTED -> HttpStatus.TOO_MANY_REQUESTS;
            case UNIMPLEMENTED -> HttpStatus.NOT_IMPLEMENTED;
            case UNAVAILABLE -> HttpStatus.SERVICE_UNAVAILABLE;
            case UNAUTHENTICATED -> HttpStatus.UNAUTHORIZED;
            case UNKNOWN, INTERNAL, DATA_LOSS -> HttpStatus.INTERNAL_SERVER_ERROR;
        };
    }

    /** The JSON body of a failed call: {@code rich} when the call carried one, else code and message only. */
    public static String body(Status status, com.google.rpc.Status rich) {
        com.google.rpc.Status body = rich != null ? rich
                : com.google.rpc.Status.newBuilder().setCode(status.getCode().value())
                        .setMessage(status.getDescription() == null ? "" : status.getDescription()).build();
        try {
            return JSON.print(body);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("google.rpc.Status is always printable", e);
        }
    }

    /** The body of a failure outside any call (routing, a malformed query): code and message. */
    public static String body(Status.Code code, String message) {
        return body(Status.fromCode(code).withDescription(message), null);
    }
}
