package kfp.cache;

import com.google.inject.Inject;
import com.google.inject.Singleton;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.ServerPort;
import com.linecorp.armeria.server.VirtualHostBuilder;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
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
        HttpService healthz = (ctx, req) -> HttpResponse.of(java.util.concurrent.CompletableFuture.supplyAsync(() -> {
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
        sb.service("/mutate", admission).service("/healthz", healthz).service("/metrics", prometheus);
        if (settings.httpPort() >= 0) {
            sb.port(new ServerPort(settings.httpPort(), com.linecorp.armeria.common.SessionProtocol.HTTP));
            VirtualHostBuilder plain = sb.virtualHost(settings.httpPort());
            plain.service("/healthz", healthz).service("/metrics", prometheus);
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
        return server.activeLocalPort(com.linecorp.armeria.common.SessionProtocol.HTTPS);
    }
}
