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

    /** The expression for a message: quoted, and cut short if it is long. */
    static String quote(String expression) {
        int limit = 120;
        return expression.length() <= limit ? '"' + expression + '"'
                : '"' + expression.substring(0, limit) + "...\" (" + expression.length() + " characters)";
    }
}
