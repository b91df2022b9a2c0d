package kfp.server;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.Module;
import com.google.inject.Stage;
import com.google.inject.spi.Element;
import com.google.inject.spi.Elements;
import com.google.inject.spi.PrivateElements;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import kfp.server.errors.ApiErrors;

/**
 * The store interfaces for the services before the database is there. The server listens first
 * and connects (and migrates) afterwards, so the services are built over stand-ins: each store
 * interface the store module exposes is bound to a proxy that forwards to the real store once
 * {@link #open()} has built the store module, and answers Unavailable before.
 */
final class DeferredStores extends AbstractModule {

    private final List<Element> storeElements;
    private final List<Key<?>> exposed = new ArrayList<>();
    private volatile Injector stores;

    DeferredStores(Module storeModule) {
        this.storeElements = Elements.getElements(storeModule);
        for (Element e : storeElements) {
            if (e instanceof PrivateElements p) {
                exposed.addAll(p.getExposedKeys());
            }
        }
    }

    @Override
    protected void configure() {
        for (Key<?> key : exposed) {
            bindDeferred(key);
        }
    }

    private <T> void bindDeferred(Key<T> key) {
        Class<? super T> type = key.getTypeLiteral().getRawType();
        if (!type.isInterface() || key.getAnnotationType() != null) {
            return; // only plain store interfaces are handed to services
        }
        @SuppressWarnings("unchecked")
        T proxy = (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
                (self, method, args) -> forward(key, method, args));
        bind(key).toInstance(proxy);
    }

    private Object forward(Key<?> key, Method method, Object[] args) throws Throwable {
        if (method.getDeclaringClass() == Object.class) {
            return switch (method.getName()) {
                case "toString" -> "deferred " + key;
                case "hashCode" -> System.identityHashCode(key);
                default -> false; // equals
            };
        }
        Injector current = stores;
        if (current == null) {
            throw ApiErrors.unavailable("the server is starting: the database is not ready yet");
        }
        try {
            return method.invoke(current.getInstance(key), args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /** Connects, migrates and builds every store (a bad setting fails here); from now on the proxies forward. */
    Injector open() {
        Injector injector = Guice.createInjector(Stage.PRODUCTION, Elements.getModule(storeElements));
        stores = injector;
        return injector;
    }
}
