package kfp.cache;

import static kfp.cache.PodLabels.*;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.google.inject.Inject;
import com.google.inject.Singleton;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import kfp.store.api.AlreadyExistsException;
import kfp.store.api.ExecutionCache;
import kfp.store.api.ExecutionCacheStore;
import kfp.store.api.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * KFP's pod watcher (its {@code WatchPods}): watches pods carrying the cache_id label, and when
 * one has completed successfully without a cache entry, records its outputs under its cache key and
 * labels the pod with the new entry's id. A watch that the API server ends (for instance 410 Gone) is
 * opened again after a short back-off, as is one that cannot be opened at all.
 */
@Singleton
final class PodWatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PodWatcher.class);
    private static final long MAX_BACKOFF_MILLIS = 30_000;

    private final KubernetesClient kubernetes;
    private final ExecutionCacheStore store;
    private final CacheSettings settings;
    private final MeterRegistry metrics;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("pod-watcher"));
    /** Events are handled one at a time, off the client's websocket thread (they read and write the database). */
    private final ExecutorService handler = Executors.newSingleThreadExecutor(DaemonThreads.named("pod-events"));
    private volatile long backoffMillis = 500;
    private final AtomicReference<Watch> watch = new AtomicReference<>();
    private volatile boolean closed;

    @Inject
    PodWatcher(KubernetesClient kubernetes, ExecutionCacheStore store, CacheSettings settings, MeterRegistry metrics) {
        this.kubernetes = kubernetes;
        this.store = store;
        this.settings = settings;
        this.metrics = metrics;
    }

    /** Opens the watch (in the background, retried until it succeeds). */
    void start() {
        scheduler.execute(this::openWatch);
    }

    /** Runs on the scheduler thread only; no lock is held while the client connects, so close() never waits. */
    private void openWatch() {
        if (closed) {
            return;
        }
        try {
            String ns = settings.namespaceToWatch();
            var pods = ns.isEmpty() ? kubernetes.pods().inAnyNamespace() : kubernetes.pods().inNamespace(ns);
            Watch opened = pods.withLabel(CACHE_ID).watch(new Watcher<>() {
                @Override
                public void eventReceived(Action action, Pod pod) {
                    if (action != Action.ERROR) {
                        backoffMillis = 500;
                        handler.execute(() -> record(pod));
                    }
                }

                @Override
                public void onClose(WatcherException cause) {
                    LOG.warn("pod watch closed ({}); opening it again", cause.getMessage());
                    metrics.counter("kfp_cache_watch_restarts").increment();
                    reopenLater();
                }
            });
            Watch previous = watch.getAndSet(opened);
            if (previous != null) {
                previous.close();
            }
            if (closed) {
                opened.close();
                return;
            }
            LOG.info("watching pods with label {} in {}", CACHE_ID, ns.isEmpty() ? "all namespaces" : "namespace " + ns);
        } catch (RuntimeException e) {
            LOG.warn("cannot watch pods ({}); retrying in {} ms", e.getMessage(), backoffMillis);
            reopenLater();
        }
    }

    private void reopenLater() {
        if (closed) {
            return;
        }
        try {
            scheduler.schedule(this::openWatch, backoffMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            return; // closed meanwhile
        }
        backoffMillis = Math.min(backoffMillis * 2, MAX_BACKOFF_MILLIS);
    }

    /** One watch event: record a succeeded, not yet cached pod and label it with the entry id. */
    void record(Pod pod) {
        Map<String, String> labels = orEmpty(pod.getMetadata().getLabels());
        Map<String, String> annotations = orEmpty(pod.getMetadata().getAnnotations());
        String name = pod.getMetadata().getName();
        boolean succeeded = "true".equals(labels.get(ARGO_COMPLETED)) && pod.getStatus() != null
                && "Succeeded".equals(pod.getStatus().getPhase());
        if (!succeeded || !labels.getOrDefault(CACHE_ID, "").isEmpty() || !annotations.containsKey(EXECUTION_CACHE_KEY)) {
            return; // still running or failed, already recorded or served from cache, or never keyed
        }
        Map<String, Object> output = new LinkedHashMap<>();
        output.put(ARGO_OUTPUTS, annotations.getOrDefault(ARGO_OUTPUTS, ""));
        output.put(METADATA_EXECUTION_ID, labels.getOrDefault(METADATA_EXECUTION_ID, ""));
        long staleness = annotations.containsKey(MAX_CACHE_STALENESS) ? Staleness.toSeconds(annotations.get(MAX_CACHE_STALENESS)) : -1;
        long maximum = settings.maximumStalenessSeconds();
        if (maximum >= 0 && staleness > maximum) {
            staleness = maximum;
        }
        ExecutionCache entry;
        try {
            entry = store.createExecutionCache(annotations.get(EXECUTION_CACHE_KEY), argoTemplate(pod),
                    GoJson.marshal(output), staleness);
        } catch (AlreadyExistsException e) {
            metrics.counter("kfp_cache_entries_written", "outcome", "exists").increment();
            LOG.debug("pod {}: {}", name, e.getMessage());
            return;
        } catch (StoreException e) {
            metrics.counter("kfp_cache_entries_written", "outcome", "error").increment();
            LOG.warn("pod {}: cannot record its cache entry: {}", name, e.getMessage());
            return;
        }
        metrics.counter("kfp_cache_entries_written", "outcome", "created").increment();
        Map<String, String> newLabels = new TreeMap<>(GoJson.KEY_ORDER);
        newLabels.putAll(labels);
        newLabels.put(CACHE_ID, Long.toString(entry.id()));
        ArrayNode patch = PodMutator.JSON.createArrayNode();
        patch.addObject().put("op", "add").put("path", "/metadata/labels").set("value", PodMutator.JSON.valueToTree(newLabels));
        try {
            // in the pod's own namespace: KFP patched in --namespace_to_watch, which is '' in multi-user mode
            kubernetes.pods().inNamespace(pod.getMetadata().getNamespace()).withName(name)
                    .patch(PatchContext.of(PatchType.JSON), patch.toString());
        } catch (RuntimeException e) {
            LOG.warn("pod {}: cannot label it with cache id {}: {}", name, entry.id(), e.getMessage());
        }
    }

    private static String argoTemplate(Pod pod) {
        List<Container> containers = pod.getSpec() == null ? null : pod.getSpec().getContainers();
        if (containers == null || containers.isEmpty() || containers.get(0).getEnv() == null) {
            return "";
        }
        for (EnvVar env : containers.get(0).getEnv()) {
            if (ARGO_TEMPLATE_ENV.equals(env.getName())) {
                return env.getValue() == null ? "" : env.getValue();
            }
        }
        return "";
    }

    private static Map<String, String> orEmpty(Map<String, String> map) {
        return map == null ? Map.of() : map;
    }

    @Override
    public void close() {
        closed = true;
        scheduler.shutdownNow();
        handler.shutdownNow();
        Watch open = watch.getAndSet(null);
        if (open != null) {
            open.close();
        }
    }
}
