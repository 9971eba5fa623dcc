package io.skbtrail.server.agents;

import io.skbtrail.protocol.AgentFrame;
import io.skbtrail.protocol.EventBatch;
import io.skbtrail.protocol.LinkJson;
import io.skbtrail.protocol.LinkJsonParser;
import io.skbtrail.protocol.ServerFrame;
import io.skbtrail.server.events.EventIngest;
import java.io.IOException;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.ConcurrentWebSocketSessionDecorator;
import org.springframework.web.socket.handler.TextWebSocketHandler;

/**
 * The server end of the agent link ({@code /api/agent/link}). The first frame must be a hello; then
 * control frames and event batches in any order. Every frame is validated; a frame that breaks the
 * protocol closes this link (1008, with the reason) and is logged, and nothing it carried is stored.
 * Batches are stored before they are acknowledged, on the link's own thread, so a slow database slows
 * the agent down (its buffer absorbs it) instead of piling up in the server.
 */
@Component
public class AgentLinkHandler extends TextWebSocketHandler {
    private static final Logger log = LoggerFactory.getLogger(AgentLinkHandler.class);

    static final String TOKEN = "skbtrail.agentToken";
    private static final int HEARTBEAT_MILLIS = 1000;
    private static final long SILENT_LINK_MS = 30_000;
    /** Cap on one record line in a batch: a 64 KiB skb dump plus headroom. */
    private static final int MAX_RECORD_LINE = 256 * 1024;

    private final AgentRegistry registry;
    private final HostService hosts;
    private final EventIngest ingest;
    private final AgentEvents sessions;
    private final ClockSkewStandIn skewStandIn;
    private final Map<String, AgentConnection> bySocket = new ConcurrentHashMap<>();
    /** Links that have not said hello yet, with when they opened. */
    private final Map<String, Opened> openedAt = new ConcurrentHashMap<>();

    private record Opened(WebSocketSession socket, long at) {}
    private final Map<String, StringBuilder> partialFrames = new ConcurrentHashMap<>();
    private final Map<String, java.io.ByteArrayOutputStream> partialBinary = new ConcurrentHashMap<>();
    /** Serialises hellos, so that checking a name and registering it are one step. */
    private final Object helloLock = new Object();

    AgentLinkHandler(AgentRegistry registry, HostService hosts, EventIngest ingest, AgentEvents sessions,
            ClockSkewStandIn skewStandIn) {
        this.skewStandIn = skewStandIn;
        this.registry = registry;
        this.hosts = hosts;
        this.ingest = ingest;
        this.sessions = sessions;
    }

    @Override
    public void afterConnectionEstablished(WebSocketSession socket) {
        openedAt.put(socket.getId(), new Opened(socket, System.currentTimeMillis()));
    }

    /** Frames arrive in parts (as the container reads them) and are assembled here, up to the size limit. */
    @Override
    public boolean supportsPartialMessages() {
        return true;
    }

    @Override
    protected void handleTextMessage(WebSocketSession socket, TextMessage message) {
        String text = assemble(socket, message);
        if (text != null) {
            handleFrame(socket, text);
        }
    }

    /**
     * Agents send event batches as binary frames holding the batch's UTF-8 text: its event lines go from
     * these bytes straight into COPY rows, with no text decoding. The content is the same as a text frame's
     * and is checked the same way; bytes that are not valid UTF-8 break the protocol.
     */
    @Override
    protected void handleBinaryMessage(WebSocketSession socket, BinaryMessage message) {
        if (!socket.isOpen()) {
            return;
        }
        java.nio.ByteBuffer bytes = message.getPayload();
        java.io.ByteArrayOutputStream parts = partialBinary.get(socket.getId());
        int soFar = parts == null ? 0 : parts.size();
        if (soFar + bytes.remaining() > AgentLinkConfig.MAX_FRAME_BYTES) {
            partialBinary.remove(socket.getId());
            tooBig(socket);
            return;
        }
        byte[] frame;
        int from;
        int to;
        if (parts == null && message.isLast() && bytes.hasArray()) {
            frame = bytes.array();
            from = bytes.arrayOffset() + bytes.position();
            to = from + bytes.remaining();
        } else {
            byte[] chunk = new byte[bytes.remaining()];
            bytes.get(chunk);
            if (parts == null && message.isLast()) {
                frame = chunk;
            } else {
                // A frame in parts: assembled first, as a character may straddle two parts.
                if (parts == null) {
                    parts = new java.io.ByteArrayOutputStream(Math.max(1 << 16, chunk.length * 2));
                    partialBinary.put(socket.getId(), parts);
                }
                parts.writeBytes(chunk);
                if (!message.isLast()) {
                    return;
                }
                partialBinary.remove(socket.getId());
                frame = parts.toByteArray();
            }
            from = 0;
            to = frame.length;
        }
        if (!Utf8.isValid(frame, from, to)) {
            AgentConnection agent = bySocket.get(socket.getId());
            log.warn("{}: binary frame is not UTF-8 text; closing the link",
                    agent != null ? "agent " + agent.name() : "unnamed agent from " + socket.getRemoteAddress());
            close(socket, CloseStatus.BAD_DATA.withReason("binary frame is not UTF-8 text"));
            return;
        }
        if (EventBatch.isBatch(frame, from, to)) {
            handleBatch(socket, frame, from, to);
        } else {
            handleFrame(socket, new String(frame, from, to - from, java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    private void tooBig(WebSocketSession socket) {
        AgentConnection agent = bySocket.get(socket.getId());
        String who = agent != null ? "agent " + agent.name() : "unnamed agent from " + socket.getRemoteAddress();
        log.warn("{}: frame larger than {} bytes; closing the link", who, AgentLinkConfig.MAX_FRAME_BYTES);
        close(socket, CloseStatus.TOO_BIG_TO_PROCESS.withReason(
                "frame larger than " + AgentLinkConfig.MAX_FRAME_BYTES + " bytes"));
    }

    /** The whole frame once its last part is in, else null; closes the link (1009) on a frame over the limit. */
    private String assemble(WebSocketSession socket, TextMessage part) {
        if (!socket.isOpen()) {
            return null;
        }
        StringBuilder frame = partialFrames.get(socket.getId());
        int soFar = frame == null ? 0 : frame.length();
        if (soFar + part.getPayloadLength() > AgentLinkConfig.MAX_FRAME_BYTES) {
            partialFrames.remove(socket.getId());
            tooBig(socket);
            return null;
        }
        if (frame == null && part.isLast()) {
            return part.getPayload();
        }
        if (frame == null) {
            frame = new StringBuilder(Math.max(1 << 16, part.getPayloadLength() * 2));
            partialFrames.put(socket.getId(), frame);
        }
        frame.append(part.getPayload());
        if (!part.isLast()) {
            return null;
        }
        partialFrames.remove(socket.getId());
        return frame.toString();
    }

    private void handleFrame(WebSocketSession socket, String text) {
        AgentConnection agent = bySocket.get(socket.getId());
        if (agent != null && EventBatch.isBatch(text)) {
            // A batch sent as a text frame: read like the binary ones.
            byte[] bytes = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            handleBatch(socket, bytes, 0, bytes.length);
            return;
        }
        try {
            if (agent == null) {
                hello(socket, LinkJsonParser.agentFrame(text));
                return;
            }
            agent.seen();
            control(agent, LinkJsonParser.agentFrame(text));
        } catch (ProtocolViolation | IllegalArgumentException e) {
            violation(socket, agent, e);
        }
    }

    /** An event batch ({@code frame[from, to)}, valid UTF-8) from a link that said hello. */
    private void handleBatch(WebSocketSession socket, byte[] frame, int from, int to) {
        AgentConnection agent = bySocket.get(socket.getId());
        try {
            if (agent == null) {
                hello(socket, LinkJsonParser.agentFrame(new String(frame, from, to - from,
                        java.nio.charset.StandardCharsets.UTF_8)));
                return;
            }
            agent.seen();
            if (skewStandIn.skewNs(agent.name()) != 0) {
                // The tests' clock-skew stand-in shifts parsed events: such a host's batches take the strict path.
                EventBatch batch = EventBatch.parse(new String(frame, from, to - from,
                        java.nio.charset.StandardCharsets.UTF_8), MAX_RECORD_LINE);
                batch(agent, ingest.prepare(skewStandIn.apply(agent.name(), batch), agent.hostId()));
                return;
            }
            batch(agent, ingest.prepare(frame, from, to, agent.hostId(), MAX_RECORD_LINE));
        } catch (ProtocolViolation | IllegalArgumentException e) {
            violation(socket, agent, e);
        }
    }

    private void violation(WebSocketSession socket, AgentConnection agent, RuntimeException e) {
        String who = agent != null ? "agent " + agent.name() : "unnamed agent from " + socket.getRemoteAddress();
        log.warn("{}: {}; closing the link", who, e.getMessage());
        close(socket, CloseStatus.POLICY_VIOLATION.withReason(shorten(e.getMessage())));
    }

    private void hello(WebSocketSession socket, AgentFrame frame) {
        if (!(frame instanceof AgentFrame.Hello hello)) {
            throw new ProtocolViolation("first frame must be a hello, got " + frame.getClass().getSimpleName());
        }
        AgentNames.check(hello.name());
        if (hello.protocol() != LinkJson.PROTOCOL) {
            reject(socket, "agent speaks link protocol " + hello.protocol() + ", this server speaks "
                    + LinkJson.PROTOCOL + ": upgrade the older side");
            return;
        }
        io.skbtrail.server.agents.AgentToken token = (io.skbtrail.server.agents.AgentToken) socket.getAttributes().get(TOKEN);
        if (!token.allowsHost(hello.name())) {
            reject(socket, "this token is for host \"" + token.getHostName() + "\", not \"" + hello.name() + "\"");
            return;
        }
        WebSocketSession decorated = new ConcurrentWebSocketSessionDecorator(socket, 10_000, 16 << 20);
        HostService.Registration registration;
        AgentConnection agent;
        // The name is checked before the host row is touched: a duplicate must not overwrite the live agent's
        // incarnation, acked seq and labels (its next batch would be refused as "taken over").
        synchronized (helloLock) {
            if (registry.byName(hello.name()).isPresent()) {
                reject(socket, "an agent named \"" + hello.name() + "\" is already connected; names must be unique");
                return;
            }
            registration = hosts.hello(hello, token.getId());
            agent = new AgentConnection(decorated, registration.host().getId(), hello, token.getId());
            if (registry.register(agent).isPresent()) {
                throw new IllegalStateException("host name " + hello.name() + " registered twice");
            }
        }
        bySocket.put(socket.getId(), agent);
        agent.send(new ServerFrame.Welcome(agent.hostId(), registration.ackedSeq(), HEARTBEAT_MILLIS));
        log.info("agent {} connected from {} (host {}, kernel {}, backend {}, {}; resending after batch {})",
                hello.name(), socket.getRemoteAddress(), agent.hostId(), hello.kernel(), hello.backend(),
                registration.restarted() ? "restarted agent process" : "same agent process", registration.ackedSeq());
        for (int i = 0; i < 3; i++) {
            agent.ping();
        }
        sessions.connected(agent, registration.restarted());
    }

    /**
     * The batch was checked and encoded on the link's thread (a bad one closes the link before anything is
     * queued); it is stored on the agent's storing thread and acknowledged once committed.
     */
    private void batch(AgentConnection agent, EventIngest.Prepared batch) {
        try {
            agent.store(() -> store(agent, batch));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            agent.close(CloseStatus.SERVICE_RESTARTED);
        }
    }

    private void store(AgentConnection agent, EventIngest.Prepared batch) {
        EventIngest.Stored stored;
        try {
            stored = ingest.store(agent.hostId(), agent.hello().incarnation(), batch);
        } catch (ProtocolViolation e) {
            log.warn("agent {}: {}; closing the link", agent.name(), e.getMessage());
            agent.close(CloseStatus.POLICY_VIOLATION.withReason(shorten(e.getMessage())));
            return;
        } catch (RuntimeException e) {
            log.error("agent {}: batch {} not stored; closing the link so the agent resends it", agent.name(),
                    batch.seq(), e);
            agent.close(CloseStatus.SERVER_ERROR);
            return;
        }
        agent.send(new ServerFrame.Ack(batch.seq()));
        if (stored.duplicate()) {
            return;
        }
        agent.rate().add(stored.events());
        if (batch.end() != null) {
            sessions.ended(agent, batch.session(), batch.end());
        }
    }

    private void control(AgentConnection agent, AgentFrame frame) {
        if (frame instanceof AgentFrame.Pong pong) {
            agent.pong(skewStandIn.apply(agent.name(), pong));
        } else if (frame instanceof AgentFrame.Heartbeat heartbeat) {
            agent.heartbeat(heartbeat);
        } else if (frame instanceof AgentFrame.Armed armed) {
            sessions.armed(agent, armed);
        } else if (frame instanceof AgentFrame.ArmFailed failed) {
            sessions.armFailed(agent, failed);
        } else {
            throw new ProtocolViolation("a second hello on one link");
        }
    }

    @Override
    public void afterConnectionClosed(WebSocketSession socket, CloseStatus status) {
        openedAt.remove(socket.getId());
        partialFrames.remove(socket.getId());
        partialBinary.remove(socket.getId());
        AgentConnection agent = bySocket.remove(socket.getId());
        if (agent == null) {
            return;
        }
        registry.remove(agent);
        agent.finishStoring();
        String why = status.getCode() == CloseStatus.TOO_BIG_TO_PROCESS.getCode()
                ? "a frame exceeded the size limit" : status.toString();
        log.info("agent {} disconnected: {}", agent.name(), why);
        hosts.disconnected(agent.hostId(), agent.lastSeen());
        sessions.disconnected(agent);
    }

    @Override
    public void handleTransportError(WebSocketSession socket, Throwable error) {
        AgentConnection agent = bySocket.get(socket.getId());
        log.info("agent {}: transport error: {}", agent == null ? socket.getRemoteAddress() : agent.name(),
                error.getMessage());
    }

    /** Clock probes, silent-link detection and persisting what the hosts table shows. */
    @Scheduled(fixedDelay = 2000)
    void tick() {
        long now = System.currentTimeMillis();
        for (AgentConnection agent : registry.all()) {
            if (now - agent.lastSeen().toEpochMilli() > SILENT_LINK_MS) {
                log.warn("agent {}: nothing received for {} s; closing the link", agent.name(), SILENT_LINK_MS / 1000);
                agent.close(CloseStatus.SESSION_NOT_RELIABLE);
                continue;
            }
            agent.ping();
            hosts.refresh(agent.hostId(), agent.lastSeen(), agent.clockEstimate());
        }
        openedAt.forEach((id, opened) -> {
            if (bySocket.containsKey(id)) {
                openedAt.remove(id);
            } else if (now - opened.at() > 10_000) {
                openedAt.remove(id);
                log.warn("agent link from {}: no hello within 10 s; closing it", opened.socket().getRemoteAddress());
                close(opened.socket(), CloseStatus.POLICY_VIOLATION.withReason("no hello within 10 s"));
            }
        });
    }

    private void reject(WebSocketSession socket, String reason) {
        log.warn("agent from {} refused: {}", socket.getRemoteAddress(), reason);
        try {
            socket.sendMessage(new TextMessage(LinkJson.encode(new ServerFrame.Reject(reason))));
        } catch (IOException e) {
            log.debug("reject: {}", e.getMessage());
        }
        close(socket, CloseStatus.POLICY_VIOLATION.withReason(shorten(reason)));
    }

    private static void close(WebSocketSession socket, CloseStatus status) {
        try {
            socket.close(status);
        } catch (IOException e) {
            log.debug("close: {}", e.getMessage());
        }
    }

    /** A close reason must fit in a control frame (123 bytes). */
    private static String shorten(String reason) {
        return reason.length() <= 100 ? reason : reason.substring(0, 97) + "...";
    }

    /** A frame that is valid JSON but breaks the protocol. */
    public static final class ProtocolViolation extends RuntimeException {
        public ProtocolViolation(String message) {
            super(message);
        }
    }
}
