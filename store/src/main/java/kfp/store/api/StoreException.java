package kfp.store.api;

/**
 * Every failure a store reports. Each subclass is one outcome a server maps to a status code
 * (NotFound → 404, AlreadyExists → 409, InvalidArgument → 400, Aborted → 409, Unavailable → 503,
 * Internal → 500).
 */
public abstract class StoreException extends RuntimeException {

    /** The gRPC-style outcome, so servers can map without instanceof chains. */
    public enum Code { NOT_FOUND, ALREADY_EXISTS, INVALID_ARGUMENT, ABORTED, UNAVAILABLE, INTERNAL }

    protected StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    public abstract Code code();
}
