package kfp.store.api;

/** A unique name or key is already taken. */
public class AlreadyExistsException extends StoreException {

    public AlreadyExistsException(String message) {
        super(message, null);
    }

    public AlreadyExistsException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public Code code() {
        return Code.ALREADY_EXISTS;
    }
}
