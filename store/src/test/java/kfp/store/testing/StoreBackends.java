package kfp.store.testing;

import java.lang.reflect.Parameter;
import java.util.List;
import java.util.stream.Stream;
import kfp.store.Schema;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.Extension;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestTemplateInvocationContext;
import org.junit.jupiter.api.extension.TestTemplateInvocationContextProvider;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The per-database test matrix behind {@link StoreTest} and {@link OnEachDatabase}: one invocation
 * per backend, each with the class's database on that backend (made on first use, dropped after the
 * class), cleared before every test.
 */
public final class StoreBackends implements TestTemplateInvocationContextProvider {

    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(StoreBackends.class);

    @Override
    public boolean supportsTestTemplate(ExtensionContext context) {
        return context.getTestMethod().map(m -> m.isAnnotationPresent(OnEachDatabase.class)).orElse(false);
    }

    @Override
    public Stream<TestTemplateInvocationContext> provideTestTemplateInvocationContexts(ExtensionContext context) {
        String method = context.getRequiredTestMethod().getName();
        return Stream.of(Backend.values()).map(backend -> new TestTemplateInvocationContext() {
            @Override
            public String getDisplayName(int invocationIndex) {
                return "[" + backend.id() + "] " + method;
            }

            @Override
            public List<Extension> getAdditionalExtensions() {
                return List.of(new PerDatabase(backend));
            }
        });
    }

    /** Supplies one backend's database to one test invocation. */
    private static final class PerDatabase implements BeforeEachCallback, ParameterResolver {

        private final Backend backend;

        PerDatabase(Backend backend) {
            this.backend = backend;
        }

        @Override
        public void beforeEach(ExtensionContext context) {
            DatabaseServers.requireServer(backend);
            Class<?> testClass = context.getRequiredTestClass();
            Schema[] schemas = AnnotationSupport.findAnnotation(testClass, StoreTest.class)
                    .map(StoreTest::schemas).orElse(Schema.values());
            ClassScoped holder = classContext(context).getStore(NS).getOrComputeIfAbsent(backend,
                    b -> new ClassScoped(new TestDatabase(backend, testClass.getName(), schemas)), ClassScoped.class);
            holder.database.reset();
            context.getStore(NS).put(TestDatabase.class, holder.database);
        }

        @Override
        public boolean supportsParameter(ParameterContext pc, ExtensionContext ec) {
            Class<?> type = pc.getParameter().getType();
            return type == TestDatabase.class || isStoreInterface(pc.getParameter());
        }

        @Override
        public Object resolveParameter(ParameterContext pc, ExtensionContext ec) {
            TestDatabase db = ec.getStore(NS).get(TestDatabase.class, TestDatabase.class);
            Class<?> type = pc.getParameter().getType();
            return type == TestDatabase.class ? db : db.get(type);
        }

        private static boolean isStoreInterface(Parameter p) {
            return p.getType().isInterface() && p.getType().getPackageName().startsWith("kfp.store.api");
        }

        private static ExtensionContext classContext(ExtensionContext context) {
            ExtensionContext c = context;
            while (c.getTestMethod().isPresent() && c.getParent().isPresent()) {
                c = c.getParent().get();
            }
            return c;
        }
    }

    /** Closes the class database when JUnit closes the class's extension store. */
    private record ClassScoped(TestDatabase database) implements ExtensionContext.Store.CloseableResource {
        @Override
        public void close() {
            database.close();
        }
    }
}
