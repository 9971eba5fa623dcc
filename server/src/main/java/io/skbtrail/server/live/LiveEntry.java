package io.skbtrail.server.live;

import io.skbtrail.protocol.Event;
import io.skbtrail.protocol.EventJson;
import io.skbtrail.server.events.EventText;
import io.skbtrail.server.events.StoredEvents;

/** One stored event in a session's live buffer, with the seq the server gave it. */
final class LiveEntry {
    final long seq;
    final long hostId;
    final String host;
    /** The batch's events and this one's index there: read from its line the first time it is needed. */
    private final StoredEvents batch;
    private final int index;
    private Event event;
    /** The browser's JSON, made the first time a viewer needs it (on the dispatcher's thread only). */
    private String json;
    /** The same in the compact form ({@link CompactEvent}), made when a compact viewer first needs it. */
    private String compact;

    LiveEntry(long seq, long hostId, String host, StoredEvents batch, int index) {
        this.seq = seq;
        this.hostId = hostId;
        this.host = host;
        this.batch = batch;
        this.index = index;
    }

    /**
     * The event, parsed when first needed (a viewer's filter, its JSON); an event no viewer needs is never
     * parsed. An {@link Event} has only final fields, so a racing second parse is harmless.
     */
    Event event() {
        Event e = event;
        if (e == null) {
            e = batch.event(index);
            event = e;
        }
        return e;
    }

    /** The event as the REST API shows it, with {@code "seq"} added; encoded once, whatever the viewers. */
    String json(EventJson encoder, long session) {
        if (json == null) {
            StringBuilder out = new StringBuilder(768);
            EventText.appendOpen(out, encoder, event(), host, session).append(",\"seq\":").append(seq).append('}');
            json = out.toString();
        }
        return json;
    }

    String compactJson(EventJson encoder) {
        if (compact == null) {
            compact = CompactEvent.json(encoder, event(), host, seq);
        }
        return compact;
    }
}
