package io.skbtrail.server.agents;

import io.skbtrail.protocol.AgentFrame;
import io.skbtrail.protocol.LinkJson;
import io.skbtrail.protocol.ServerFrame;
import java.io.IOException;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;

/** One live agent link, after its hello was accepted. Sends are thread-safe (the session is decorated). */
public final class AgentConnection {
    private static final Logger log = LoggerFactory.getLogger(AgentConnection.class);

    private final WebSocketSession socket;
    private final long hostId;
    private final String name;
    private final AgentFrame.Hello hello;
    private final long tokenId;
    private final ClockEstimator clock = new ClockEstimator();
    private final Map<Long, long[]> pendingPings = new ConcurrentHashMap<>();
    private final AtomicLong pingIds = new AtomicLong();
    private final EventRate rate = new EventRate();
    /**
     * Stores this agent's batches in order on a thread of its own, so the link's thread parses the next
     * batch while PostgreSQL takes the previous one; at most {@link #BATCHES_IN_FLIGHT} wait, then the
     * link's thread waits too (and TCP slows the agent down).
     */
    private final ExecutorService storing;
    private final Semaphore inFlight = new Semaphore(BATCHES_IN_FLIGHT);
    static final int BATCHES_IN_FLIGHT = 4;
    private volatile AgentFrame.Heartbeat lastHeartbeat;
    private volatile Instant lastSeen = Instant.now();

    AgentConnection(WebSocketSession socket, long hostId, AgentFrame.Hello hello, long tokenId) {
        this.socket = socket;
        this.hostId = hostId;
        this.name = hello.name();
        this.hello = hello;
        this.tokenId = tokenId;
        this.storing = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "ingest-" + name);
            t.setDaemon(true);
            return t;
        });
    }

    /** Queues the storing of one batch behind this agent's earlier ones. */
    void store(Runnable task) throws InterruptedException {
        inFlight.acquire();
        try {
            storing.execute(() -> {
                try {
                    task.run();
                } finally {
                    inFlight.release();
                }
            });
        } catch (RuntimeException e) {
            inFlight.release();
            throw e;
        }
    }

    /** After the link closed: lets the queued batches be stored (they are valid), then stops the thread. */
    void finishStoring() {
        storing.shutdown();
        try {
            if (!storing.awaitTermination(30, TimeUnit.SECONDS)) {
                log.warn("agent {}: batches still being stored 30 s after the link closed", name);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public long hostId() { return hostId; }
    public String name() { return name; }
    public AgentFrame.Hello hello() { return hello; }
    public long tokenId() { return tokenId; }
    public AgentFrame.Heartbeat lastHeartbeat() { return lastHeartbeat; }
    public Instant lastSeen() { return lastSeen; }
    public EventRate rate() { return rate; }

    void seen() {
        lastSeen = Instant.now();
    }

    void heartbeat(AgentFrame.Heartbeat heartbeat) {
        lastHeartbeat = heartbeat;
    }

    /** Sends a frame; a failure closes the link (the agent reconnects and resends). */
    public void send(ServerFrame frame) {
        try {
            socket.sendMessage(new TextMessage(LinkJson.encode(frame)));
        } catch (IOException | IllegalStateException e) {
            log.warn("agent {}: send failed ({}); closing the link", name, e.getMessage());
            close(CloseStatus.SESSION_NOT_RELIABLE);
        }
    }

    void close(CloseStatus status) {
        try {
            socket.close(status);
        } catch (IOException e) {
            log.debug("agent {}: close: {}", name, e.getMessage());
        }
    }

    void ping() {
        long id = pingIds.incrementAndGet();
        pendingPings.put(id, new long[] {Clocks.epochNanos(), System.nanoTime()});
        send(new ServerFrame.Ping(id));
    }

    /** Takes a pong into the clock estimate; unknown ids (late or invented) are ignored. */
    void pong(AgentFrame.Pong pong) {
        long[] sent = pendingPings.remove(pong.id());
        if (sent != null) {
            clock.add(sent[0], System.nanoTime() - sent[1], Clocks.epochNanos(pong.agentTime()));
        }
        if (pendingPings.size() > 64) {
            pendingPings.clear();
        }
    }

    /** {offset ns, uncertainty ns}, or null before the first pong. */
    public long[] clockEstimate() {
        return clock.estimate();
    }
}
