package io.skbtrail.filter;

/** A filter expression cannot be turned into an eBPF filter. */
public class FilterException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public FilterException(String message) {
        super(message);
    }

    public FilterException(String message, Throwable cause) {
        super(message, cause);
    }
}
