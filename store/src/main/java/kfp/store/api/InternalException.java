package kfp.store.api;

/** The database failed in a way the caller cannot fix. */
public class InternalException extends StoreException {

    public InternalException(String message) {
        super(message, null);
    }

    public InternalException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public Code code() {
        return Code.INTERNAL;
    }
}
