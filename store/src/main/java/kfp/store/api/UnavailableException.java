package kfp.store.api;

/**
 * The database could not serve the request now: the connection was lost, no pooled connection
 * became free in time, a statement ran past its timeout, or the server is read-only (a fail-over
 * in progress). Nothing was changed; the caller may try again later.
 */
public class UnavailableException extends StoreException {

    public UnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public Code code() {
        return Code.UNAVAILABLE;
    }
}
