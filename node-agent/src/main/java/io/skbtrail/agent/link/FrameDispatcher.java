package io.skbtrail.agent.link;

import io.skbtrail.protocol.AgentFrame;
import io.skbtrail.protocol.LinkJsonParser;
import io.skbtrail.protocol.ServerFrame;
import java.time.Instant;

/**
 * What each frame from the server does, on the connection's receive thread. A frame the agent cannot
 * read, or one out of order (anything but {@code ping}, {@code welcome}, {@code reject} before the welcome),
 * closes the connection with a logged reason, and the agent reconnects; a frame about a session it does
 * not know, a second welcome, or an {@code ack} beyond what was sent is logged and ignored. No frame can
 * end the agent except {@code reject}.
 */
final class FrameDispatcher {
    /**
     * WebSocket close code for a server that breaks the protocol: 1008 (policy violation), since the JDK's
     * client may not send 1002 (protocol error) itself; the close reason says what was wrong.
     */
    static final int PROTOCOL_ERROR = 1008;

    private final LinkControl link;
    private final SessionControl sessions;
    private final Outbox outbox;
    private final AgentLog log;

    FrameDispatcher(LinkControl link, SessionControl sessions, Outbox outbox, AgentLog log) {
        this.link = link;
        this.sessions = sessions;
        this.outbox = outbox;
        this.log = log;
    }

    /** Handles one whole text message; never throws. */
    void onMessage(String text) {
        ServerFrame frame;
        try {
            frame = LinkJsonParser.serverFrame(text);
        } catch (IllegalArgumentException e) {
            protocolError("a frame this agent cannot read (" + e.getMessage() + "): " + preview(text));
            return;
        } catch (RuntimeException e) {
            protocolError("a frame this agent cannot read (" + e + "): " + preview(text));
            return;
        }
        try {
            dispatch(frame);
        } catch (RuntimeException e) {
            log.say("internal error handling " + preview(text) + " from the server: " + e);
        }
    }

    private void dispatch(ServerFrame frame) {
        if (frame instanceof ServerFrame.Ping ping) {
            // The server reads the clock offset from this: the wall clock when the ping arrived, sent at once.
            link.send(new AgentFrame.Pong(ping.id(), Instant.now()));
            return;
        }
        if (frame instanceof ServerFrame.Reject reject) {
            link.reject(reject.reason());
            return;
        }
        if (frame instanceof ServerFrame.Welcome welcome) {
            if (link.welcomed()) {
                log.say("ignored a second welcome from the server (host " + welcome.host() + ")");
            } else {
                link.welcome(welcome);
            }
            return;
        }
        if (!link.welcomed()) {
            protocolError("a " + typeName(frame) + " frame before the welcome");
            return;
        }
        if (frame instanceof ServerFrame.Ack ack) {
            long sent = link.sentSeq();
            if (ack.seq() > sent) {
                log.say("the server acknowledged batch " + ack.seq() + " but only " + sent
                        + " were sent; taking it as " + sent);
            }
            outbox.ack(Math.min(ack.seq(), sent));
        } else if (frame instanceof ServerFrame.Arm arm) {
            sessions.arm(arm);
        } else if (frame instanceof ServerFrame.Start start) {
            sessions.start(start.session());
        } else if (frame instanceof ServerFrame.Stop stop) {
            sessions.stop(stop.session());
        } else if (frame instanceof ServerFrame.Update update) {
            sessions.update(update.session(), update.options());
        }
    }

    private void protocolError(String what) {
        log.say("closing the link: the server sent " + what);
        link.close(PROTOCOL_ERROR, "protocol error");
    }

    private static String typeName(ServerFrame frame) {
        return frame.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT);
    }

    /** The start of a frame for a log line, control characters escaped. */
    static String preview(String text) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < text.length() && s.length() < 160; i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                s.append(String.format("\\u%04x", (int) c));
            } else {
                s.append(c);
            }
        }
        return s + (text.length() > 160 ? "… (" + text.length() + " characters)" : "");
    }
}
