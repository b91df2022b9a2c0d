package kfp.server.service;

import com.google.inject.AbstractModule;
import com.google.inject.Singleton;
import com.google.inject.multibindings.Multibinder;
import io.grpc.BindableService;

/**
 * The KFP services this server serves, registered in one place: each line adds one service class
 * to both transports (gRPC and its HTTP/JSON routes). Services get store interfaces by injection.
 */
public final class ServicesModule extends AbstractModule {

    @Override
    protected void configure() {
        Multibinder<BindableService> services = Multibinder.newSetBinder(binder(), BindableService.class);
        services.addBinding().to(ExperimentServiceV2.class).in(Singleton.class);
        services.addBinding().to(ExperimentServiceV1.class).in(Singleton.class);
        services.addBinding().to(RunServiceV1.class).in(Singleton.class);
        services.addBinding().to(TaskServiceV1.class).in(Singleton.class);
        services.addBinding().to(ReportServiceV2.class).in(Singleton.class);
        services.addBinding().to(ReportServiceV1.class).in(Singleton.class);
        services.addBinding().to(RunServiceV2.class).in(Singleton.class);
        services.addBinding().to(RecurringRunServiceV2.class).in(Singleton.class);
        services.addBinding().to(JobServiceV1.class).in(Singleton.class);

        bind(PipelineServiceV2.class).in(Singleton.class);
        bind(PipelineServiceV1.class).in(Singleton.class);
        services.addBinding().toProvider(PipelineServiceV2Binding.class); // with the x-clear-tags interceptor
        services.addBinding().to(PipelineServiceV1.class);
        Multibinder<PipelineUploads> uploads = Multibinder.newSetBinder(binder(), PipelineUploads.class);
        uploads.addBinding().to(PipelineServiceV2.class); // the same instances serve gRPC and the uploads
        uploads.addBinding().to(PipelineServiceV1.class);
    }

    /** The v2 pipeline service with {@link ClearTags#INTERCEPTOR} (its updates read that metadata). */
    private static final class PipelineServiceV2Binding implements com.google.inject.Provider<BindableService> {

        private final PipelineServiceV2 service;

        @com.google.inject.Inject
        PipelineServiceV2Binding(PipelineServiceV2 service) {
            this.service = service;
        }

        @Override
        public BindableService get() {
            return () -> io.grpc.ServerInterceptors.intercept(service, ClearTags.INTERCEPTOR);
        }
    }
}
