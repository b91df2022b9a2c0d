package kfp.store.api;

/** The database resources behind the stores, for a server's shutdown. */
public interface StoreLifecycle {

    /** Closes the connection pool the store module opened (a pool a caller handed in stays open). */
    void close();
}
