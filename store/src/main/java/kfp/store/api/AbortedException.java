package kfp.store.api;

/** The operation conflicts with the row's current state; the caller may retry after re-reading. */
public class AbortedException extends StoreException {

    public AbortedException(String message) {
        super(message, null);
    }

    public AbortedException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public Code code() {
        return Code.ABORTED;
    }
}
