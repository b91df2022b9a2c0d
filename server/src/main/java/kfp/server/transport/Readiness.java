package kfp.server.transport;

import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.HttpService;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import kfp.server.errors.ApiErrors;

/**
 * Whether the server may serve API calls. It listens before the database is connected and
 * migrated; until then every API call answers Unavailable (HTTP 503) and {@code /readyz} 503.
 * Once ready, {@code /readyz} is 200 while the database answers a cheap check, 503 when it does not
 * or while the server shuts down. {@code /apis/v1beta1/healthz} does not look here: it is the
 * liveness probe and answers whenever the process serves.
 */
public final class Readiness {

    private static final Duration CHECK_TIMEOUT = Duration.ofSeconds(3);

    private volatile Runnable databaseCheck; // null until ready
    private volatile boolean stopping;

    /** API calls are served from now on; {@code databaseCheck} throws when the database does not answer. */
    public void ready(Runnable databaseCheck) {
        this.databaseCheck = databaseCheck;
    }

    /** Shutting down: {@code /readyz} answers 503 so that no new traffic is routed here. */
    public void stopping() {
        stopping = true;
    }

    public boolean isReady() {
        return databaseCheck != null;
    }

    /** Refuses calls before the server is ready. */
    ServerInterceptor interceptor() {
        return new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                              ServerCallHandler<Q, R> next) {
                if (isReady()) {
                    return next.startCall(call, headers);
                }
                Metadata trailers = new Metadata();
                Status status = ApiErrors.toStatus(ApiErrors.unavailable(
                        "the server is starting: the database is not ready yet"), trailers);
                call.close(status, trailers);
                return new ServerCall.Listener<>() {
                };
            }
        };
    }

    /** {@code GET /readyz}. */
    HttpService readyz() {
        return (ctx, req) -> {
            Runnable check = databaseCheck;
            if (check == null || stopping) {
                return text(HttpStatus.SERVICE_UNAVAILABLE, stopping ? "stopping" : "starting");
            }
            return HttpResponse.of(CompletableFuture.runAsync(check, ctx.blockingTaskExecutor())
                    .orTimeout(CHECK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                    .handle((ok, failure) -> failure == null ? text(HttpStatus.OK, "ready")
                            : text(HttpStatus.SERVICE_UNAVAILABLE, "database unavailable")));
        };
    }

    private static HttpResponse text(HttpStatus status, String state) {
        return HttpResponse.of(status, MediaType.JSON_UTF_8, "{\"status\":\"" + state + "\"}");
    }
}
