package kfp.cache;

import com.google.inject.Inject;
import com.google.inject.Singleton;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.SessionProtocol;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.ServerPort;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.concurrent.CompletableFuture;
import kfp.store.api.ExecutionCacheStore;
import kfp.store.api.StoreException;

/**
 * The cache server: HTTPS on {@code --listen_port} with {@code /mutate}, {@code /healthz} and
 * {@code /metrics} (Prometheus text), optionally {@code /healthz} and {@code /metrics} over plain HTTP
 * on {@code --http_port}; the pod watcher and the expiry task run beside it.
 */
@Singleton
public final class CacheServer {

    private final Server server;
    private final PodWatcher watcher;
    private final ExpiryTask expiry;

    @Inject
    CacheServer(CacheSettings settings, AdmissionService admission, PodWatcher watcher, ExpiryTask expiry,
                PrometheusMeterRegistry metrics, ExecutionCacheStore store) {
        this.watcher = watcher;
        this.expiry = expiry;
        HttpService healthz = (ctx, req) -> HttpResponse.of(CompletableFuture.supplyAsync(() -> {
            try {
                store.getExecutionCache("healthz", -1, -1); // one indexed read: the database answers
                return HttpResponse.of(HttpStatus.OK, MediaType.JSON_UTF_8, "{\"status\":\"ok\"}");
            } catch (StoreException e) {
                return HttpResponse.of(HttpStatus.SERVICE_UNAVAILABLE, MediaType.PLAIN_TEXT_UTF_8, e.getMessage());
            }
        }, ctx.blockingTaskExecutor()));
        HttpService prometheus = (ctx, req) -> HttpResponse.of(HttpStatus.OK,
                MediaType.parse("text/plain; version=0.0.4; charset=utf-8"), metrics.scrape());

        ServerBuilder sb = Server.builder().meterRegistry(metrics).https(settings.listenPort());
        if (settings.tlsSelfSigned()) {
            sb.tlsSelfSigned();
        } else {
            settings.checkTlsFiles();
            sb.tls(settings.tlsCert().toFile(), settings.tlsKey().toFile());
        }
        // the webhook only over TLS, as the API server calls it; probes and scrapes on either port
        sb.service("/mutate", admission.decorate((delegate, ctx, req) -> ctx.sessionProtocol().isTls()
                ? delegate.serve(ctx, req)
                : HttpResponse.of(HttpStatus.NOT_FOUND, MediaType.PLAIN_TEXT_UTF_8, "/mutate is served over HTTPS only\n")));
        sb.service("/healthz", healthz).service("/metrics", prometheus);
        if (settings.httpPort() >= 0) {
            sb.port(new ServerPort(settings.httpPort(), SessionProtocol.HTTP));
        }
        this.server = sb.build();
    }

    public void start() {
        server.start().join();
        watcher.start();
        expiry.start();
    }

    public void stop() {
        watcher.close();
        expiry.close();
        server.stop().join();
    }

    /** The bound HTTPS port (useful when configured as 0). */
    public int httpsPort() {
        return server.activeLocalPort(SessionProtocol.HTTPS);
    }

    /** The bound plain HTTP port of {@code --http_port}. */
    int httpPort() {
        return server.activeLocalPort(SessionProtocol.HTTP);
    }
}
