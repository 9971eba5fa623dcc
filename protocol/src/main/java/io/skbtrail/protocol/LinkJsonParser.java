package io.skbtrail.protocol;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads agent-link control frames strictly: unknown types and fields, wrong types, and oversized text are
 * refused with an {@link IllegalArgumentException} naming the field, so the receiver can close the link
 * with a clear reason.
 */
public final class LinkJsonParser {

    /** Cap on one control frame, in characters (a hello with labels and backends is well under 8 KiB). */
    public static final int MAX_CONTROL_FRAME = 64 * 1024;

    private static final int MAX_STRING = 4096;

    private LinkJsonParser() {}

    /** Parses a frame an agent sent. */
    public static AgentFrame agentFrame(String text) {
        JsonFields f = root(text);
        String type = f.string("type");
        f.rename(type);
        AgentFrame frame = switch (type) {
            case "hello" -> new AgentFrame.Hello(f.intValue("protocol", 0, Integer.MAX_VALUE), f.string("name"),
                    f.stringMap("labels"), f.string("incarnation"), f.string("boot_id"), f.string("kernel"),
                    f.string("arch"), f.string("agent_version"), f.string("backend"), backends(f),
                    f.intValue("max_sessions", 1, 1024), f.longList("sessions", 1, Long.MAX_VALUE));
            case "pong" -> new AgentFrame.Pong(f.integer("id", 0, Long.MAX_VALUE), f.time("agent_time"));
            case "heartbeat" -> new AgentFrame.Heartbeat(f.time("time"), statuses(f),
                    f.integer("buffered_events", 0, Long.MAX_VALUE), f.integer("buffer_lost", 0, Long.MAX_VALUE));
            case "armed" -> new AgentFrame.Armed(f.integer("session", 1, Long.MAX_VALUE), f.string("backend"),
                    f.intValue("probes", 0, Integer.MAX_VALUE), f.stringList("not_traced"));
            case "arm_failed" -> new AgentFrame.ArmFailed(f.integer("session", 1, Long.MAX_VALUE),
                    f.string("reason"));
            default -> throw new IllegalArgumentException("frame.type: unknown agent frame type " + JsonTree.quote(type));
        };
        f.requireNoOtherFields();
        return frame;
    }

    /** Parses a frame the server sent. */
    public static ServerFrame serverFrame(String text) {
        JsonFields f = root(text);
        String type = f.string("type");
        f.rename(type);
        ServerFrame frame = switch (type) {
            case "welcome" -> new ServerFrame.Welcome(f.integer("host", 0, Long.MAX_VALUE),
                    f.integer("acked_seq", 0, Long.MAX_VALUE), f.intValue("heartbeat_millis", 1, 3_600_000));
            case "reject" -> new ServerFrame.Reject(f.string("reason"));
            case "ping" -> new ServerFrame.Ping(f.integer("id", 0, Long.MAX_VALUE));
            case "ack" -> new ServerFrame.Ack(f.integer("seq", 0, Long.MAX_VALUE));
            case "arm" -> new ServerFrame.Arm(f.integer("session", 1, Long.MAX_VALUE), f.string("filter"),
                    f.stringMap("options"), f.integer("max_events", 0, Long.MAX_VALUE), f.nullableTime("deadline"));
            case "start" -> new ServerFrame.Start(f.integer("session", 1, Long.MAX_VALUE));
            case "stop" -> new ServerFrame.Stop(f.integer("session", 1, Long.MAX_VALUE));
            case "update" -> new ServerFrame.Update(f.integer("session", 1, Long.MAX_VALUE), f.stringMap("options"));
            default -> throw new IllegalArgumentException("frame.type: unknown server frame type " + JsonTree.quote(type));
        };
        f.requireNoOtherFields();
        return frame;
    }

    private static JsonFields root(String text) {
        if (text.length() > MAX_CONTROL_FRAME) {
            throw new IllegalArgumentException(
                    "frame: longer than " + MAX_CONTROL_FRAME + " characters (" + text.length() + ")");
        }
        return new JsonFields("frame", JsonTree.parse(text, MAX_STRING));
    }

    private static List<AgentFrame.Backend> backends(JsonFields f) {
        List<AgentFrame.Backend> backends = new ArrayList<>();
        for (JsonFields b : f.objectList("backends")) {
            backends.add(new AgentFrame.Backend(b.string("name"), b.bool("available"), b.nullableString("reason")));
            b.requireNoOtherFields();
        }
        return backends;
    }

    private static List<AgentFrame.SessionStatus> statuses(JsonFields f) {
        List<AgentFrame.SessionStatus> statuses = new ArrayList<>();
        for (JsonFields s : f.objectList("sessions")) {
            statuses.add(new AgentFrame.SessionStatus(s.integer("session", 1, Long.MAX_VALUE), s.string("state"),
                    s.integer("matched", 0, Long.MAX_VALUE), s.integer("sent", 0, Long.MAX_VALUE),
                    s.object("lost").counts()));
            s.requireNoOtherFields();
        }
        return statuses;
    }
}
