package io.skbtrail.agent.link;

import io.skbtrail.agent.output.OutputSink;
import io.skbtrail.protocol.SummaryRecord;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * One session's armed probes. {@link #trace} runs on the session's thread; {@link #stop}, {@link #update},
 * {@link #matched} and {@link #lost} may be called from others; {@link #close} once, last.
 */
public interface SessionProbes {

    /** What {@link #trace} returns: the summary (not yet written) and whether the event limit ended it. */
    record Outcome(SummaryRecord summary, boolean limitReached) {}

    /** The backend's name as {@code trace} reports it ({@code tracepoint}, {@code kprobe}, …). */
    String backend();

    /** Attached probe points. */
    int probes();

    /** Probe points left out, as {@code "probe: reason"}. */
    List<String> notTraced();

    /** Starts tracing. */
    void enable();

    /**
     * Applies new in-kernel filters without reloading.
     *
     * @param traceArgs the session's whole flags with the changed values
     */
    void update(List<String> traceArgs) throws SessionRefusedException;

    /**
     * Drains the ring buffer into {@code sink} as contract v1 lines (events and loss records) until
     * {@link #stop()} or the event limit; then stops tracing, drains what is left and returns.
     */
    Outcome trace(OutputSink sink) throws IOException;

    /** Makes {@link #trace} return within about 100 ms, or at once if it has not begun. */
    void stop();

    /** Events that passed the in-kernel filters so far. */
    long matched();

    /** Events lost so far, per kernel hop. */
    Map<String, Long> lost();

    /** After {@link #trace} failed: the summary of what happened until then, or null if it cannot be read. */
    SummaryRecord summaryAfterFailure();

    /** Detaches every probe. */
    void close();
}
