package kfp.store.api;

/** The row a request names does not exist. */
public class NotFoundException extends StoreException {

    public NotFoundException(String message) {
        super(message, null);
    }

    public NotFoundException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public Code code() {
        return Code.NOT_FOUND;
    }
}
