package io.skbtrail.filter;

/** libpcap rejected the expression; the message carries libpcap's reason. */
public final class FilterSyntaxException extends FilterException {

    private static final long serialVersionUID = 1L;

    private final String expression;

    public FilterSyntaxException(String expression, String libpcapMessage) {
        super("invalid filter " + quote(expression) + ": " + libpcapMessage);
        this.expression = expression;
    }

    /** The expression as the user wrote it. */
    public String expression() {
        return expression;
    }
}
