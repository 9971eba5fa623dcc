package io.skbtrail.server.live;

import io.skbtrail.protocol.JsonText;

/** The text of the frames the server sends on a live stream (see the README's live stream section). */
final class LiveFrames {
    private LiveFrames() {}

    static String hello(long session, String stream, long seq, String state) {
        StringBuilder s = new StringBuilder("{\"type\":\"hello\",\"session\":").append(session).append(",\"stream\":");
        JsonText.append(s, stream);
        s.append(",\"seq\":").append(seq).append(",\"state\":");
        JsonText.append(s, state);
        return s.append('}').toString();
    }

    static StringBuilder eventsOpen() {
        return new StringBuilder(LiveSettings.FRAME_EVENTS * 64).append("{\"type\":\"events\",\"events\":[");
    }

    static String eventsClose(StringBuilder frame, long seq, long dropped) {
        return frame.append("],\"seq\":").append(seq).append(",\"dropped\":").append(dropped).append('}').toString();
    }

    static String missed(long from, long to, String reason, String message) {
        StringBuilder s = new StringBuilder("{\"type\":\"missed\",\"from\":").append(from).append(",\"to\":").append(to)
                .append(",\"count\":").append(Math.max(0, to - from + 1)).append(",\"reason\":");
        JsonText.append(s, reason);
        s.append(",\"message\":");
        JsonText.append(s, message);
        return s.append('}').toString();
    }

    /** @param field the subscription's field at fault, or null when the message as a whole is */
    static String error(String field, String message) {
        StringBuilder s = new StringBuilder("{\"type\":\"error\",\"field\":");
        JsonText.appendNullable(s, field);
        s.append(",\"message\":");
        JsonText.append(s, message);
        return s.append('}').toString();
    }

    static String end(String state) {
        StringBuilder s = new StringBuilder("{\"type\":\"end\",\"state\":");
        JsonText.append(s, state);
        return s.append('}').toString();
    }

    /**
     * A status frame: the session's part (the same for every viewer, without its closing brace) and the
     * viewer's own: whether it has subscribed, the seq its filter has been applied up to, and its dropped
     * count.
     */
    static String status(String sessionPart, boolean subscribed, long seq, long dropped) {
        return new StringBuilder(sessionPart.length() + 64).append(sessionPart).append(",\"subscribed\":")
                .append(subscribed).append(",\"seq\":").append(seq).append(",\"dropped\":").append(dropped).append('}')
                .toString();
    }
}
