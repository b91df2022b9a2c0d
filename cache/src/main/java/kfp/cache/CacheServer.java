package kfp.cache;

import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.SessionProtocol;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.ServerPort;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import kfp.store.api.ExecutionCacheStore;
import kfp.store.api.StoreLifecycle;
import kfp.store.api.StoreException;
import kfp.store.config.ConfigurationException;

/**
 * The cache server's listener: HTTPS on {@code --listen_port} with {@code /mutate}, the probes and
 * {@code /metrics} (Prometheus text), optionally the probes and {@code /metrics} over plain HTTP on
 * {@code --http_port}. It listens before the database is connected and migrated, so a long
 * migration is not mistaken for a dead server:
 * <ul>
 *   <li>{@code /healthz} (liveness) answers 200 while the process serves;</li>
 *   <li>{@code /readyz} (readiness) answers 200 once the store is ready and the database answers a
 *       read, 503 before and whenever the database does not;</li>
 *   <li>{@code /mutate} answers 503 until the store is ready (the webhook's failurePolicy Ignore then
 *       admits the pod unchanged).</li>
 * </ul>
 * The pod watcher and the expiry task start with the store.
 */
public final class CacheServer {

    /** What serves once the store is ready. */
    record Store(ExecutionCacheStore store, AdmissionService admission, PodWatcher watcher, ExpiryTask expiry,
                 StoreLifecycle lifecycle) {
    }

    private final CacheSettings settings;
    private final Server server;
    private final AtomicReference<Store> ready = new AtomicReference<>();

    CacheServer(CacheSettings settings, WebhookCertificate.Material tls, PrometheusMeterRegistry metrics) {
        this.settings = settings;
        HttpService healthz = (ctx, req) -> HttpResponse.of(HttpStatus.OK, MediaType.JSON_UTF_8, "{\"status\":\"ok\"}");
        HttpService readyz = (ctx, req) -> {
            Store s = ready.get();
            if (s == null) {
                return HttpResponse.of(HttpStatus.SERVICE_UNAVAILABLE, MediaType.PLAIN_TEXT_UTF_8,
                        "starting: connecting to and migrating " + settings.database().describe() + "\n");
            }
            return HttpResponse.of(CompletableFuture.supplyAsync(() -> {
                try {
                    s.store().getExecutionCache("readyz", -1, -1); // one indexed read: the database answers
                    return HttpResponse.of(HttpStatus.OK, MediaType.JSON_UTF_8, "{\"status\":\"ready\"}");
                } catch (StoreException e) {
                    return HttpResponse.of(HttpStatus.SERVICE_UNAVAILABLE, MediaType.PLAIN_TEXT_UTF_8, e.getMessage() + "\n");
                }
            }, ctx.blockingTaskExecutor()));
        };
        HttpService prometheus = (ctx, req) -> HttpResponse.of(HttpStatus.OK,
                MediaType.parse("text/plain; version=0.0.4; charset=utf-8"), metrics.scrape());
        // the webhook only over TLS, as the API server calls it, and only once the store is ready
        HttpService mutate = (ctx, req) -> {
            if (!ctx.sessionProtocol().isTls()) {
                return HttpResponse.of(HttpStatus.NOT_FOUND, MediaType.PLAIN_TEXT_UTF_8, "/mutate is served over HTTPS only\n");
            }
            Store s = ready.get();
            return s == null
                    ? HttpResponse.of(HttpStatus.SERVICE_UNAVAILABLE, MediaType.PLAIN_TEXT_UTF_8, "starting\n")
                    : s.admission().serve(ctx, req);
        };

        ServerBuilder sb = Server.builder().meterRegistry(metrics).https(settings.listenPort());
        if (tls != null) {
            sb.tls(tls.key(), tls.cert(), tls.ca());
        } else if (settings.tlsSelfSigned()) {
            sb.tlsSelfSigned();
        } else {
            settings.checkTlsFiles();
            sb.tls(settings.tlsCert().toFile(), settings.tlsKey().toFile());
        }
        sb.service("/mutate", mutate).service("/healthz", healthz).service("/readyz", readyz).service("/metrics", prometheus);
        if (settings.httpPort() >= 0) {
            sb.port(new ServerPort(settings.httpPort(), SessionProtocol.HTTP));
        }
        this.server = sb.build();
    }

    /** Binds the ports; a port in use is one line naming it. */
    void listen() {
        try {
            server.start().join();
        } catch (RuntimeException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                // java.net's BindException, or the same errno from Netty's native transport
                if (t instanceof BindException
                        || t instanceof IOException && String.valueOf(t.getMessage()).contains("Address already in use")) {
                    throw new ConfigurationException(portInUse(), e);
                }
            }
            throw e;
        }
    }

    /** The store is ready: the webhook, readiness, the pod watcher and the expiry task start. */
    void serve(Store store) {
        ready.set(store);
        store.watcher().start();
        store.expiry().start();
    }

    public void stop() {
        Store s = ready.getAndSet(null);
        if (s != null) {
            s.watcher().close();
            s.expiry().close();
        }
        server.stop().join();
        if (s != null) {
            s.lifecycle().close(); // the pool, once no call can use it
        }
    }

    /** The store once serving (tests read what the server wrote). */
    ExecutionCacheStore store() {
        return ready.get().store();
    }

    /** The bound HTTPS port (useful when configured as 0). */
    public int httpsPort() {
        return server.activeLocalPort(SessionProtocol.HTTPS);
    }

    /** The bound plain HTTP port of {@code --http_port}. */
    int httpPort() {
        return server.activeLocalPort(SessionProtocol.HTTP);
    }

    private String portInUse() {
        List<String> taken = new ArrayList<>();
        if (inUse(settings.listenPort())) {
            taken.add("port " + settings.listenPort() + " is already in use (check --listen_port)");
        }
        if (settings.httpPort() > 0 && inUse(settings.httpPort())) {
            taken.add("port " + settings.httpPort() + " is already in use (check --http_port)");
        }
        return taken.isEmpty() ? "a port is already in use (check --listen_port and --http_port)" : String.join("; ", taken);
    }

    private static boolean inUse(int port) {
        if (port <= 0) {
            return false;
        }
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress(port));
            return false;
        } catch (IOException e) {
            return true;
        }
    }
}
