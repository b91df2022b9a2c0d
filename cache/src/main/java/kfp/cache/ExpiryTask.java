package kfp.cache;

import com.google.inject.Inject;
import com.google.inject.Singleton;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import kfp.store.api.ExecutionCacheStore;
import kfp.store.api.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes entries older than {@code MAXIMUM_CACHE_STALENESS} every {@code --expiry_interval}, in
 * batches of {@value #BATCH} rows read from the start-time index. KFP instead ran an unbounded
 * delete inside every webhook call; lookups here ignore such rows until they are gone.
 */
@Singleton
final class ExpiryTask implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ExpiryTask.class);
    static final int BATCH = 1000;
    /** Batches per run: a backlog is worked off over several runs rather than in one long burst. */
    private static final int MAX_BATCHES_PER_RUN = 100;

    private final ExecutionCacheStore store;
    private final CacheSettings settings;
    private final MeterRegistry metrics;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("cache-expiry"));

    @Inject
    ExpiryTask(ExecutionCacheStore store, CacheSettings settings, MeterRegistry metrics) {
        this.store = store;
        this.settings = settings;
        this.metrics = metrics;
    }

    void start() {
        if (settings.maximumStalenessSeconds() < 0) {
            return; // no maximum: entries live until their key is looked up no more
        }
        long every = Math.max(1, settings.expiryInterval().toMillis());
        scheduler.scheduleWithFixedDelay(this::runOnce, every, every, TimeUnit.MILLISECONDS);
    }

    /** One run: batches until one comes back short. Returns the rows deleted. */
    int runOnce() {
        int total = 0;
        try {
            for (int i = 0; i < MAX_BATCHES_PER_RUN; i++) {
                int deleted = store.deleteExpired(settings.maximumStalenessSeconds(), BATCH);
                total += deleted;
                if (deleted < BATCH) {
                    break;
                }
            }
        } catch (StoreException e) {
            LOG.warn("cache expiry failed: {}", e.getMessage());
        }
        if (total > 0) {
            LOG.info("deleted {} cache entries older than {} s", total, settings.maximumStalenessSeconds());
            metrics.counter("kfp_cache_entries_expired").increment(total);
        }
        return total;
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
