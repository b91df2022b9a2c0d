package kfp.server.execution;

import com.google.inject.AbstractModule;

/** Binds {@link Execution} to the implementation that only records (no workflows, no schedules). */
public final class RecordingExecutionModule extends AbstractModule {

    @Override
    protected void configure() {
        bind(Execution.class).to(RecordingExecution.class).asEagerSingleton();
    }
}
