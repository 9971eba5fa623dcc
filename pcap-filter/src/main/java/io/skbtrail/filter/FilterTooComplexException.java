package io.skbtrail.filter;

/**
 * The expression is valid but its program cannot run in the tracing program: it does not fit the room
 * reserved for it, or it needs a construct the translation does not support (loops, as from protochain).
 */
public final class FilterTooComplexException extends FilterException {

    private static final long serialVersionUID = 1L;

    public FilterTooComplexException(String message) {
        super(message);
    }
}
