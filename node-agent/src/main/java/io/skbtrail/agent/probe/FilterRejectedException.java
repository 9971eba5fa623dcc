package io.skbtrail.agent.probe;

/** The kernel's verifier refused the program built from a pcap expression. */
public final class FilterRejectedException extends RuntimeException {
    public FilterRejectedException(String expression, Throwable cause) {
        super("the kernel refused the program built for filter \"" + expression
                + "\" (verifier); simplify the expression, or run with --debug for the verifier's log", cause);
    }
}
