package kfp.store.guice;

import kfp.store.Schema;
import kfp.store.api.ExecutionCacheStore;
import kfp.store.mybatis.MyBatisExecutionCacheStore;

/**
 * The cache server's store over the {@code cachedb} database. Exposes {@link ExecutionCacheStore}
 * and its lifecycle under {@code lifecycleOf(Schema.CACHEDB)}.
 */
public final class CacheStoreModule extends BaseStoreModule {

    public CacheStoreModule(StoreOptions options) {
        super(Schema.CACHEDB, options);
    }

    @Override
    protected void bindStores() {
        bind(ExecutionCacheStore.class).to(MyBatisExecutionCacheStore.class);
        expose(ExecutionCacheStore.class);
    }
}
