package kfp.store.api;

/** The caller's input is malformed or unsupported (filters, page tokens, values). */
public class InvalidArgumentException extends StoreException {

    public InvalidArgumentException(String message) {
        super(message, null);
    }

    public InvalidArgumentException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public Code code() {
        return Code.INVALID_ARGUMENT;
    }
}
