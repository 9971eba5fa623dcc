package io.skbtrail.agent.link;

import java.util.List;
import java.util.function.BooleanSupplier;

/** Arms the probes of a session (implemented over the {@code trace} command's machinery). */
public interface SessionArmer {

    /**
     * Compiles the filter, loads and attaches the probes, idle until {@link SessionProbes#enable()}.
     *
     * @param traceArgs {@code trace} flags and the pcap expression, as {@link SessionArgs} builds them
     * @param cancelled polled during a long attach: true abandons it
     * @throws SessionRefusedException with the text {@code trace} would print for the same flags
     */
    SessionProbes arm(long session, List<String> traceArgs, BooleanSupplier cancelled) throws SessionRefusedException;
}
