package io.skbtrail.agent.output;

import java.io.Closeable;
import java.io.Flushable;
import java.io.IOException;

/**
 * Where printed text goes, encoded as UTF-8. Implementations buffer: call {@link #flush()} at the end of
 * each batch of events (and at least every ~100 ms while idle) so a reader sees events promptly, and
 * {@link #close()} once. Not thread-safe.
 */
public interface OutputSink extends Flushable, Closeable {

    /**
     * Appends text made of whole lines, each ending with {@code \n}. One call is never split across
     * files, so pass one record (an event with its stack and dump lines) per call.
     */
    void write(CharSequence lines) throws IOException;
}
