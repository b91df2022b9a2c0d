package kfp.server.transport;

import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.server.ServerErrorHandler;
import com.linecorp.armeria.server.ServiceConfig;
import com.linecorp.armeria.server.ServiceRequestContext;
import io.grpc.Status;
import kfp.server.errors.HttpErrors;

/**
 * Failures before a call reaches a service, as grpc-gateway answers them: an unknown route is
 * {@code 404 {"code":5,"message":"Not Found"}}, a known path with another verb
 * {@code 501 {"code":12,"message":"Method Not Allowed"}}, a query or path value that does not
 * fit its field 400. Everything else keeps Armeria's default.
 */
final class RouteErrors implements ServerErrorHandler {

    @Override
    public HttpResponse onServiceException(ServiceRequestContext ctx, Throwable cause) {
        return null; // Armeria's default, which renders through renderStatus below
    }

    @Override
    public AggregatedHttpResponse renderStatus(ServiceRequestContext ctx, ServiceConfig config, RequestHeaders headers,
                                               HttpStatus status, String description, Throwable cause) {
        return switch (status.code()) {
            case 404 -> json(HttpStatus.NOT_FOUND, Status.Code.NOT_FOUND, "Not Found");
            case 405 -> json(HttpStatus.NOT_IMPLEMENTED, Status.Code.UNIMPLEMENTED, "Method Not Allowed");
            case 400 -> json(HttpStatus.BAD_REQUEST, Status.Code.INVALID_ARGUMENT, badRequest(description, cause));
            case 413 -> json(status, Status.Code.RESOURCE_EXHAUSTED, "the request is too large");
            case 503 -> json(status, Status.Code.UNAVAILABLE, "Service Unavailable");
            default -> null;
        };
    }

    private static String badRequest(String description, Throwable cause) {
        Throwable root = cause;
        while (root != null && root.getCause() != null) {
            root = root.getCause();
        }
        if (root instanceof NumberFormatException e) {
            return "a query or path parameter is not a number: " + e.getMessage();
        }
        if (root != null && root.getMessage() != null) {
            return root.getMessage().lines().findFirst().orElse("Bad Request");
        }
        return description != null ? description : "Bad Request";
    }

    private static AggregatedHttpResponse json(HttpStatus http, Status.Code code, String message) {
        return AggregatedHttpResponse.of(http, MediaType.JSON_UTF_8, HttpErrors.body(code, message));
    }
}
