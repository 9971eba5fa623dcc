package io.skbtrail.agent.output;

import io.skbtrail.protocol.Event;
import io.skbtrail.protocol.LossRecord;
import io.skbtrail.protocol.SummaryRecord;
import java.io.Closeable;
import java.io.Flushable;
import java.io.IOException;
import java.time.ZoneId;

/**
 * Prints contract records to an {@link OutputSink}, one record per sink write: the pwru-style table
 * ({@link TablePrinter}) or NDJSON ({@link JsonPrinter}).
 *
 * <pre>{@code
 * try (EventPrinter printer = EventPrinter.create(options, StreamSink.stdout())) {
 *     for (Event e : batch) {
 *         if (!printer.print(e)) break;   // --output-limit-lines reached
 *     }
 *     printer.flush();                    // at each batch end
 * }
 * }</pre>
 *
 * <p>Counts printed events and honours {@link OutputOptions#limitLines()}: once the limit is reached,
 * further events are dropped and {@link #print(Event)} returns false; loss and summary records are still
 * printed. Closing the printer closes its sink. Not thread-safe.
 */
public abstract sealed class EventPrinter implements Flushable, Closeable permits TablePrinter, JsonPrinter {

    private final OutputSink sink;
    private final long limit;
    private final StringBuilder text = new StringBuilder(1024);
    private long printed;

    EventPrinter(OutputOptions options, OutputSink sink) {
        this.sink = sink;
        this.limit = options.limitLines();
    }

    /** The printer the options ask for: JSON with {@link OutputOptions#json()}, else the table (local zone). */
    public static EventPrinter create(OutputOptions options, OutputSink sink) {
        return options.json()
                ? new JsonPrinter(options, sink)
                : new TablePrinter(options, sink, ZoneId.systemDefault());
    }

    /**
     * Prints an event unless the line limit was already reached.
     *
     * @return false when the limit is reached (this event was the last one printed, or was dropped), so the
     *     caller can stop tracing; true otherwise
     */
    public final boolean print(Event event) throws IOException {
        if (limitReached()) {
            return false;
        }
        text.setLength(0);
        formatEvent(text, event);
        sink.write(text);
        printed++;
        return !limitReached();
    }

    /** Prints a loss record (also after the line limit). */
    public final void print(LossRecord loss) throws IOException {
        text.setLength(0);
        formatLoss(text, loss);
        sink.write(text);
    }

    /** Prints the end-of-run summary (also after the line limit). */
    public final void print(SummaryRecord summary) throws IOException {
        text.setLength(0);
        formatSummary(text, summary);
        sink.write(text);
    }

    /** Events printed so far. */
    public final long printed() {
        return printed;
    }

    /** Whether {@link OutputOptions#limitLines()} events have been printed (never with a limit of 0). */
    public final boolean limitReached() {
        return limit > 0 && printed >= limit;
    }

    /** Flushes the sink; call at the end of each batch. */
    @Override
    public final void flush() throws IOException {
        sink.flush();
    }

    /** Flushes and closes the sink. */
    @Override
    public final void close() throws IOException {
        sink.close();
    }

    /** Appends the event's complete text, ending with a line terminator. */
    abstract void formatEvent(StringBuilder out, Event event);

    /** Appends the loss record's complete text, ending with a line terminator. */
    abstract void formatLoss(StringBuilder out, LossRecord loss);

    /** Appends the summary's complete text, ending with a line terminator. */
    abstract void formatSummary(StringBuilder out, SummaryRecord summary);
}
