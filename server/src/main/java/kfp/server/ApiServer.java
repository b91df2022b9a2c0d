package kfp.server;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.TypeLiteral;
import io.grpc.BindableService;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import java.util.Set;
import kfp.server.config.PipelineUrlSettings;
import kfp.server.config.ServerSettings;
import kfp.server.execution.RecordingExecutionModule;
import kfp.server.service.DefaultExperiment;
import kfp.server.service.PipelineUploads;
import kfp.server.service.ServicesModule;
import kfp.server.transport.ApiTransport;
import kfp.server.transport.Readiness;
import kfp.store.api.DBStatusStore;
import kfp.store.api.StoreLifecycle;
import kfp.store.guice.StoreModule;
import kfp.store.guice.StoreOptions;

/**
 * The API server's life: {@link #listen} binds both ports (healthz answers, API calls are
 * Unavailable), {@link #connect} connects and migrates the database and creates the default
 * experiment (API calls are served from then on), {@link #stop} stops accepting, lets in-flight
 * calls finish and closes the pool.
 */
public final class ApiServer {

    private final ApiTransport transport;
    private final Readiness readiness;
    private final DeferredStores stores;
    private final Injector api;
    private volatile StoreLifecycle lifecycle;
    private boolean stopped;

    private ApiServer(ServerSettings settings, PipelineUrlSettings urlSettings, StoreOptions storeOptions) {
        this.readiness = new Readiness();
        this.stores = new DeferredStores(new StoreModule(storeOptions));
        PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        this.api = Guice.createInjector(stores, new ServicesModule(), new RecordingExecutionModule(), new AbstractModule() {
            @Override
            protected void configure() {
                bind(ServerSettings.class).toInstance(settings);
                bind(PipelineUrlSettings.class).toInstance(urlSettings);
            }
        });
        Set<BindableService> services = api.getInstance(Key.get(new TypeLiteral<Set<BindableService>>() { }));
        Set<PipelineUploads> uploads = api.getInstance(Key.get(new TypeLiteral<Set<PipelineUploads>>() { }));
        this.transport = new ApiTransport(settings, List.copyOf(services), readiness, metrics, List.copyOf(uploads));
    }

    /** Listens on both ports; nothing touches the database yet. A port in use fails here. */
    public static ApiServer listen(ServerSettings settings, StoreOptions storeOptions) {
        return listen(settings, PipelineUrlSettings.from(System.getenv()), storeOptions);
    }

    /** As {@link #listen(ServerSettings, StoreOptions)}, with how pipeline URLs are fetched. */
    public static ApiServer listen(ServerSettings settings, PipelineUrlSettings urlSettings, StoreOptions storeOptions) {
        ApiServer server = new ApiServer(settings, urlSettings, storeOptions);
        server.transport.start();
        return server;
    }

    /** {@link #listen} and {@link #connect}: a server serving the API, or an exception (and nothing left running). */
    public static ApiServer start(ServerSettings settings, StoreOptions storeOptions) {
        return start(settings, PipelineUrlSettings.from(System.getenv()), storeOptions);
    }

    /** As {@link #start(ServerSettings, StoreOptions)}, with how pipeline URLs are fetched. */
    public static ApiServer start(ServerSettings settings, PipelineUrlSettings urlSettings, StoreOptions storeOptions) {
        ApiServer server = listen(settings, urlSettings, storeOptions);
        try {
            server.connect();
        } catch (RuntimeException e) {
            server.stop();
            throw e;
        }
        return server;
    }

    /**
     * Connects (waiting up to INITCONNECTIONTIMEOUT for a database that is not reachable yet),
     * migrates unless disabled, builds the stores, makes sure the default experiment exists, and
     * then serves API calls.
     */
    public void connect() {
        Injector storeInjector = stores.open();
        lifecycle = storeInjector.getInstance(StoreLifecycle.class);
        api.getInstance(DefaultExperiment.class).ensure();
        DBStatusStore status = storeInjector.getInstance(DBStatusStore.class);
        readiness.ready(status::haveSamplesLoaded); // one single-row read
    }

    /** Graceful stop: {@code /readyz} turns 503, in-flight calls finish (bounded), then the pool closes. */
    public synchronized void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        readiness.stopping();
        transport.stop();
        if (lifecycle != null) {
            lifecycle.close();
        }
    }

    public int httpPort() {
        return transport.httpPort();
    }

    public int rpcPort() {
        return transport.rpcPort();
    }
}
