package kfp.server;

import com.google.inject.Inject;
import com.linecorp.armeria.server.Server;

/**
 * The KFP API server's HTTP listener. Routes grow with the stores they serve; for now the
 * healthz endpoints KFP's probes and persistence agent call.
 */
public final class ApiServer {

    private final Server server;

    @Inject
    ApiServer(ServerSettings settings) {
        this.server = Server.builder()
                .http(settings.httpPort())
                .service("/apis/v1beta1/healthz", new HealthzService(settings, false))
                .service("/apis/v2beta1/healthz", new HealthzService(settings, true))
                .build();
    }

    public void start() {
        server.start().join();
    }

    public void stop() {
        server.stop().join();
    }

    /** The bound HTTP port (useful when configured as 0). */
    public int httpPort() {
        return server.activeLocalPort();
    }
}
