package io.ovserve.inference;

/** The one error type of the serving path: a {@link StatusCode} and a message for the caller. */
public final class ServingException extends RuntimeException {

    private final StatusCode status;

    public ServingException(StatusCode status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    public StatusCode status() {
        return status;
    }
}
