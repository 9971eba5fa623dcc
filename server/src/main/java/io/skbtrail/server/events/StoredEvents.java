package io.skbtrail.server.events;

import io.skbtrail.protocol.Event;
import io.skbtrail.protocol.EventJsonParser;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The events of one batch, in the batch's order, for the live stream. Ingest's fast path builds no
 * {@link Event}: its events are kept as their lines' bytes (one copy of the frame's records per batch, as
 * the frame's buffer is the WebSocket's) and parsed only when {@link #event} asks for one, on the asking
 * thread — the live stream's, and only for events a viewer needs. Events the strict path read are kept as
 * they are.
 *
 * <p>Filled by one thread before it is handed over; read-only afterwards.
 */
public final class StoredEvents {
    /** The records' bytes; null when the events are only counted ({@link #countOnly}). */
    private final byte[] lines;
    private final boolean kept;
    private int count;
    /** Per event, where its line is in {@link #lines}: [2i] start, [2i+1] end; start -1 when read already. */
    private int[] bounds = new int[32];
    /** Events the strict path read, by index; null until there is one. */
    private Event[] read;

    StoredEvents(byte[] lines) {
        this.lines = lines;
        this.kept = true;
    }

    private StoredEvents() {
        this.lines = null;
        this.kept = false;
    }

    /** A batch whose events nobody will ask for (no live viewer): counted, neither copied nor kept. */
    static StoredEvents countOnly() {
        return new StoredEvents();
    }

    /** Whether {@link #event} can give the events; false for {@link #countOnly}. */
    public boolean kept() {
        return kept;
    }

    /** How many events the batch holds. */
    public int count() {
        return count;
    }

    /**
     * Event {@code i} of the batch: parsed from its line each time it is asked for (callers keep it).
     *
     * @throws IndexOutOfBoundsException for an index outside 0..count-1
     */
    public Event event(int i) {
        if (!kept) {
            throw new IllegalStateException("this batch's events were counted, not kept");
        }
        if (i < 0 || i >= count) {
            throw new IndexOutOfBoundsException("event " + i + " of " + count);
        }
        int from = bounds[2 * i];
        if (from < 0) {
            return read[i];
        }
        // The fast path took only lines the strict parser reads the same way (EventLineRow's contract).
        return (Event) EventJsonParser.parse(new String(lines, from, bounds[2 * i + 1] - from, StandardCharsets.UTF_8));
    }

    /** An event ingest's fast path took: its line is {@code lines[from, to)}. */
    void addLine(int from, int to) {
        if (!kept) {
            count++;
            return;
        }
        int at = slot();
        bounds[at] = from;
        bounds[at + 1] = to;
    }

    /** An event the strict path read. */
    void addEvent(Event e) {
        if (!kept) {
            count++;
            return;
        }
        int i = count;
        int at = slot();
        bounds[at] = -1;
        if (read == null || read.length <= i) {
            read = read == null ? new Event[Math.max(16, bounds.length / 2)] : Arrays.copyOf(read, bounds.length / 2);
        }
        read[i] = e;
    }

    private int slot() {
        if (2 * count + 2 > bounds.length) {
            bounds = Arrays.copyOf(bounds, bounds.length * 2);
        }
        return 2 * count++;
    }
}
