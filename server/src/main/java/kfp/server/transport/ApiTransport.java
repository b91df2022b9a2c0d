package kfp.server.transport;

import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.SessionProtocol;
import com.linecorp.armeria.common.grpc.GrpcJsonMarshaller;
import com.linecorp.armeria.common.grpc.GrpcMeterIdPrefixFunction;
import com.linecorp.armeria.common.metric.MeterIdPrefixFunction;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.ServerPort;
import com.linecorp.armeria.server.grpc.GrpcService;
import com.linecorp.armeria.server.grpc.HttpJsonTranscodingOptions;
import com.linecorp.armeria.server.grpc.HttpJsonTranscodingQueryParamMatchRule;
import com.linecorp.armeria.server.logging.AccessLogWriter;
import com.linecorp.armeria.server.metric.MetricCollectingService;
import io.grpc.BindableService;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.stream.Stream;
import kfp.server.config.ServerSettings;
import kfp.server.errors.ApiErrors;
import kfp.server.service.PipelineUploads;
import kfp.store.config.ConfigurationException;

/**
 * The two listeners of KFP's API server over one implementation per KFP service: gRPC (port
 * {@code --rpcPortFlag}, 8887) and HTTP/JSON transcoded from the protos' {@code google.api.http}
 * rules (port {@code --httpPortFlag}, 8888). Both ports serve the same routes; KFP's in-cluster
 * callers use 8887 for gRPC and everything else 8888.
 *
 * <p>Beside the API: KFP's healthz handlers, {@code /readyz}, {@code /metrics} (Prometheus), gRPC
 * reflection, one access-log line per request, JSON error bodies for unknown routes and verbs,
 * and a graceful stop (in-flight calls finish within {@code --shutdownTimeout}).
 */
public final class ApiTransport {

    /** Metric name of API calls: {@code kfp_api_requests_total}, {@code kfp_api_total_duration_seconds}, ... */
    static final String METRIC = "kfp.api";

    /** On stop, the server ends once no call has been in flight for this long (or at the shutdown timeout). */
    private static final Duration QUIET_PERIOD = Duration.ofMillis(200);

    private final ServerSettings settings;
    private final Server server;

    public ApiTransport(ServerSettings settings, List<BindableService> services, Readiness readiness,
                        PrometheusMeterRegistry metrics) {
        this(settings, services, readiness, metrics, List.of());
    }

    /** With KFP's multipart upload routes, one pair per API version ({@link UploadRoutes}). */
    public ApiTransport(ServerSettings settings, List<BindableService> services, Readiness readiness,
                        PrometheusMeterRegistry metrics, List<PipelineUploads> uploads) {
        this.settings = settings;
        metrics.config().meterFilter(latencyHistograms());
        GrpcService grpc = GrpcService.builder()
                .addServices(services)
                .addService(ProtoReflectionServiceV1.newInstance())
                .intercept(readiness.interceptor())
                .exceptionHandler((ctx, status, cause, trailers) -> ApiErrors.toStatus(cause, trailers))
                .jsonMarshallerFactory(service -> new StrictJson(GrpcJsonMarshaller.builder()
                        .jsonMarshallerCustomizer(json -> json.preservingProtoFieldNames(true).ignoringUnknownFields(false))
                        .build(service)))
                .enableHttpJsonTranscoding(HttpJsonTranscodingOptions.builder()
                        .queryParamMatchRules(HttpJsonTranscodingQueryParamMatchRule.ORIGINAL_FIELD,
                                HttpJsonTranscodingQueryParamMatchRule.LOWER_CAMEL_CASE)
                        .errorHandler(new TranscodingErrors())
                        .build())
                .maxRequestMessageLength(Integer.MAX_VALUE) // as KFP's gRPC server
                .useBlockingTaskExecutor(true) // the stores block on JDBC
                .build();
        HttpService prometheus = (ctx, req) -> HttpResponse.of(HttpStatus.OK,
                MediaType.parse("text/plain; version=0.0.4; charset=utf-8"), metrics.scrape());

        ServerBuilder sb = Server.builder()
                .port(new ServerPort(settings.httpPort(), SessionProtocol.HTTP))
                .port(new ServerPort(settings.rpcPort(), SessionProtocol.HTTP))
                .meterRegistry(metrics)
                .errorHandler(new RouteErrors())
                .accessLogWriter(AccessLogWriter.common(), true)
                .gracefulShutdownTimeout(QUIET_PERIOD, settings.shutdownTimeout())
                .service("/apis/v1beta1/healthz", new HealthzService(settings, false))
                .service("/apis/v2beta1/healthz", new HealthzService(settings, true))
                .service("/readyz", readiness.readyz())
                .service("/metrics", prometheus)
                .service(grpc, MetricCollectingService.newDecorator(GrpcMeterIdPrefixFunction.of(METRIC)),
                        ApiTransport::bodiesAreJson, ClearTagsHeader::decorate);
        for (PipelineUploads u : uploads) {
            String base = "/apis/" + u.apiVersion() + "/pipelines/";
            sb.route().path(base + "upload").maxRequestLength(UploadRoutes.MAX_REQUEST_BYTES)
                    .decorator(MetricCollectingService.newDecorator(MeterIdPrefixFunction.ofDefault(METRIC + ".upload")))
                    .build(UploadRoutes.pipeline(u, readiness));
            sb.route().path(base + "upload_version").maxRequestLength(UploadRoutes.MAX_REQUEST_BYTES)
                    .decorator(MetricCollectingService.newDecorator(MeterIdPrefixFunction.ofDefault(METRIC + ".upload")))
                    .build(UploadRoutes.version(u, readiness));
        }
        this.server = sb.build();
    }

    /**
     * grpc-gateway reads every request body as JSON whatever its Content-Type (curl's {@code -d}
     * sends form encoding); multipart bodies and gRPC itself keep theirs.
     */
    private static HttpService bodiesAreJson(HttpService service) {
        return service.decorate((delegate, ctx, req) -> { // a decorator, so gRPC reflection still finds the service
            MediaType type = req.contentType();
            boolean grpc = type != null && type.subtype().startsWith("grpc");
            boolean multipart = type != null && type.is(MediaType.MULTIPART_FORM_DATA);
            if (req.method() != HttpMethod.GET && !grpc && !multipart && (type == null || !type.isJson())) {
                return delegate.serve(ctx, req.withHeaders(req.headers().toBuilder()
                        .contentType(MediaType.JSON_UTF_8).build()));
            }
            return delegate.serve(ctx, req);
        });
    }

    /**
     * Latency of API calls ({@code kfp_api_total_duration_seconds}) as a Prometheus histogram with
     * fixed buckets from 5 ms to 10 s, by service, method and code.
     */
    private static MeterFilter latencyHistograms() {
        Duration[] buckets = Stream.of(5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000)
                .map(Duration::ofMillis).toArray(Duration[]::new);
        return new MeterFilter() {
            @Override
            public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
                if (id.getName().equals(METRIC + ".total.duration")) {
                    return DistributionStatisticConfig.builder()
                            .serviceLevelObjectives(Stream.of(buckets).mapToDouble(d -> d.toNanos()).toArray())
                            .build().merge(config);
                }
                return config;
            }
        };
    }

    /**
     * Listens on both ports. A port in use ends start-up with one line naming it.
     */
    public void start() {
        try {
            server.start().join();
        } catch (CompletionException e) {
            if (isBindFailure(e)) {
                throw new ConfigurationException(portInUse(), e);
            }
            throw e;
        }
    }

    private String portInUse() {
        for (var port : List.of(new Object[] {"--httpPortFlag", settings.httpPort()},
                new Object[] {"--rpcPortFlag", settings.rpcPort()})) {
            int p = (int) port[1];
            if (p != 0 && !free(p)) {
                return "cannot listen on :" + p + " (" + port[0] + "): the port is in use";
            }
        }
        return "cannot listen on :" + settings.httpPort() + " and :" + settings.rpcPort() + ": a port is in use";
    }

    private static boolean free(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(port));
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private static boolean isBindFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BindException || (t.getMessage() != null && t.getMessage().contains("Address already in use"))) {
                return true;
            }
        }
        return false;
    }

    /** Stops accepting, lets in-flight calls finish (bounded by the shutdown timeout). */
    public void stop() {
        server.stop().join();
    }

    /** The bound HTTP port (useful when configured as 0). */
    public int httpPort() {
        return boundPorts().get(0);
    }

    /** The bound gRPC port. */
    public int rpcPort() {
        List<Integer> ports = boundPorts();
        return ports.get(ports.size() - 1);
    }

    /** Ports in the order they were configured (HTTP, then gRPC): Armeria binds and records them in order. */
    private List<Integer> boundPorts() {
        return server.activePorts().keySet().stream().map(InetSocketAddress::getPort).toList();
    }
}
