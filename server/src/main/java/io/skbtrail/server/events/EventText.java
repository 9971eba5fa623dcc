package io.skbtrail.server.events;

import io.skbtrail.protocol.Event;
import io.skbtrail.protocol.EventJson;
import io.skbtrail.protocol.JsonText;

/** An event as the API shows it: the agent's contract v1 object with {@code host} and {@code session} added. */
public final class EventText {
    private EventText() {}

    /**
     * Appends the object without its closing brace, so the caller may add fields of its own ({@code seq} in
     * the live stream) before closing it with {@code '}'}.
     */
    public static StringBuilder appendOpen(StringBuilder out, EventJson json, Event e, String host, long session) {
        json.appendTo(out, e);
        out.setLength(out.length() - 1);
        out.append(",\"host\":");
        JsonText.appendNullable(out, host);
        return out.append(",\"session\":").append(session);
    }
}
