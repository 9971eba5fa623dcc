package io.skbtrail.agent.link;

import io.skbtrail.protocol.AgentFrame;
import io.skbtrail.protocol.LinkJson;
import io.skbtrail.protocol.ServerFrame;
import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code skbtrail-agent connect}: keeps one link to the server up, and the agent's sessions running
 * whether or not it is.
 *
 * <ol>
 *   <li>Dial {@code ws(s)://server/api/agent/link} with {@code Authorization: Bearer TOKEN}; send the hello
 *       (who this agent is, what it can trace, which sessions it still has).</li>
 *   <li>On the welcome: forget the batches the server already stored ({@code acked_seq}), send the rest in
 *       seq order and every new one after; a heartbeat every {@code heartbeat_millis}.</li>
 *   <li>When the link drops: sessions go on tracing into the outbox; redial with backoff (200 ms doubling to
 *       5 s, with jitter), logging at a readable rate.</li>
 *   <li>A {@code reject}, or HTTP 401/403 on the handshake (a wrong or revoked token), ends the agent with
 *       status 1: retrying cannot help.</li>
 *   <li>On {@link #requestShutdown()} (SIGINT, SIGTERM): every session ends ({@code stopped}), the last
 *       batches get up to {@value #SHUTDOWN_GRACE_SECONDS} s to be acknowledged, the probes are detached,
 *       status 0.</li>
 * </ol>
 */
public final class AgentLink {
    public static final int EXIT_OK = 0;
    public static final int EXIT_FAILURE = 1;
    static final int SHUTDOWN_GRACE_SECONDS = 5;
    /** No message, pong or ping from the server for this long: the link is taken as dead and redialled. */
    static final long SILENCE_LIMIT_NANOS = 30_000_000_000L;
    /** WebSocket pings keep the silence check honest when the server has nothing to say. */
    static final long PING_EVERY_NANOS = 10_000_000_000L;
    /** Heartbeats read every session's kernel counters: not more often than this, whatever the server asks. */
    static final long MIN_HEARTBEAT_MILLIS = 100;
    private static final int NORMAL_CLOSURE = 1000;
    private static final int GOING_AWAY = 1001;

    private final LinkSettings settings;
    private final HostIdentity host;
    private final AgentLog log;
    private final Outbox outbox;
    private final Sessions sessions;
    private final ScheduledExecutorService scheduler;
    private final ExecutorService updates;
    private final HttpClient http;
    private final Backoff backoff = Backoff.standard();
    private final AttemptLog attempts;
    private final Object wakeup = new Object();
    /** Arm replies made while no welcomed connection was up: sent after the next welcome. */
    private final List<AgentFrame> heldReplies = new ArrayList<>();
    private volatile Connection current;
    private volatile boolean shutdownRequested;
    private volatile long shutdownDeadline;
    private volatile String rejection;

    public AgentLink(LinkSettings settings, HostIdentity host, SessionArmer armer, PrintStream err) {
        this.settings = settings;
        this.host = host;
        this.log = new AgentLog(err);
        this.attempts = new AttemptLog(log, System::nanoTime, AttemptLog.QUIET_NANOS);
        this.outbox = new Outbox(settings.bufferEvents());
        this.outbox.onSealed(this::wakeSender);
        this.scheduler = Executors.newSingleThreadScheduledExecutor(daemon("link-timer"));
        this.updates = Executors.newSingleThreadExecutor(daemon("session-updates"));
        SessionContext ctx = new SessionContext(armer, settings.agentScope(), settings.agentArgs(),
                SessionArgs.NSFS_INODES, settings.batchEvents(), settings.batchMillis(), outbox, this::reply, scheduler,
                updates, log);
        this.sessions = new Sessions(ctx, host.maxSessions());
        this.http = HttpClient.newBuilder().connectTimeout(Connection.CONNECT_TIMEOUT).build();
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    /** Stops every session and, once their last batches are acknowledged (5 s at most), ends {@link #run()}. */
    public void requestShutdown() {
        if (shutdownRequested) {
            return;
        }
        shutdownDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(SHUTDOWN_GRACE_SECONDS);
        shutdownRequested = true;
        sessions.stopAll("stopped");
        wake();
    }

    /** Runs until {@link #requestShutdown()}, a reject or a refused token; returns the exit status. */
    public int run() {
        log.say("connecting to " + settings.server() + " as \"" + host.name() + "\" (backend " + host.backend()
                + ", up to " + host.maxSessions() + " session" + (host.maxSessions() == 1 ? "" : "s") + " at once)");
        int exit = EXIT_OK;
        try {
            while (!doneShuttingDown()) {
                Connection connection = new Connection(settings.server(), outbox, log);
                ConnectionLink link = new ConnectionLink(connection);
                connection.onMessage(new FrameDispatcher(link, sessions, outbox, log)::onMessage);
                connection.closed().whenComplete((why, e) -> wake());
                synchronized (this) {
                    current = connection;
                }
                try {
                    connection.open(http, settings.token(), LinkJson.encode(host.hello(sessions.ids())));
                } catch (TokenRefusedException e) {
                    forget(connection);
                    log.say("server refused the token (HTTP " + e.status + ") at " + settings.server()
                            + ": check --token, --token-file or SKBTRAIL_AGENT_TOKEN; not retrying");
                    exit = EXIT_FAILURE;
                    break;
                } catch (IOException e) {
                    forget(connection);
                    attempts.failed(settings.server().toString(), e.getMessage());
                    pause(backoff.next());
                    continue;
                }
                String why = waitWhileOpen(connection);
                forget(connection);
                link.stopHeartbeats();
                if (rejection != null) {
                    exit = EXIT_FAILURE;
                    break;
                }
                if (doneShuttingDown()) {
                    connection.awaitServerClose(Connection.CLOSE_TIMEOUT);
                    break;
                }
                if (link.welcomedOnce) {
                    log.say("disconnected from " + settings.server() + ": " + why + "; reconnecting (tracing goes on)");
                } else {
                    attempts.failed(settings.server().toString(), why);
                }
                pause(backoff.next());
            }
        } finally {
            finish();
        }
        return exit;
    }

    private synchronized void forget(Connection connection) {
        if (current == connection) {
            current = null;
        }
    }

    /** Stops what is left, detaches, and says what the server did not get. */
    private void finish() {
        sessions.stopAll("stopped");
        Connection c = current;
        if (c != null) {
            c.close(NORMAL_CLOSURE, "agent stopping");
        }
        try {
            sessions.awaitAll(Duration.ofMinutes(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        scheduler.shutdownNow();
        updates.shutdownNow();
        List<SealedBatch> unsent = outbox.unacked();
        if (!unsent.isEmpty()) {
            log.say("stopped; the server did not acknowledge " + unsent.size() + " batch"
                    + (unsent.size() == 1 ? "" : "es") + " (" + unsent.stream().mapToLong(SealedBatch::count).sum()
                    + " records, seq " + unsent.get(0).seq() + "-" + unsent.get(unsent.size() - 1).seq() + ")");
        } else {
            log.say("stopped");
        }
    }

    /** Whether shutdown was asked and every last batch is acknowledged, or the grace period is over. */
    private boolean doneShuttingDown() {
        if (rejection != null) {
            return true;
        }
        if (!shutdownRequested) {
            return false;
        }
        return (sessions.allFinished() && outbox.isEmpty()) || System.nanoTime() > shutdownDeadline;
    }

    /** Watches an open connection until it closes (or must be closed); returns why it ended. */
    private String waitWhileOpen(Connection connection) {
        long lastPing = System.nanoTime();
        while (true) {
            if (connection.isClosed()) {
                return connection.closed().getNow("closed");
            }
            if (doneShuttingDown()) {
                connection.close(NORMAL_CLOSURE, rejection != null ? "rejected" : "agent stopping");
                return rejection != null ? "rejected" : "the agent is stopping";
            }
            if (connection.silentNanos() > SILENCE_LIMIT_NANOS) {
                String why = "nothing from the server for " + SILENCE_LIMIT_NANOS / 1_000_000_000L + " s";
                connection.close(GOING_AWAY, "silent server");
                return why;
            }
            if (System.nanoTime() - lastPing > PING_EVERY_NANOS) {
                connection.ping();
                lastPing = System.nanoTime();
            }
            sleepOnWakeup(250);
        }
    }

    private void pause(Duration wait) {
        long until = System.nanoTime() + wait.toNanos();
        long left;
        while ((left = until - System.nanoTime()) > 0 && !doneShuttingDown()) {
            sleepOnWakeup(Math.max(1, Math.min(250, left / 1_000_000)));
        }
    }

    private void sleepOnWakeup(long millis) {
        synchronized (wakeup) {
            try {
                wakeup.wait(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                requestShutdown();
            }
        }
    }

    private void wake() {
        synchronized (wakeup) {
            wakeup.notifyAll();
        }
    }

    private void wakeSender() {
        Connection c = current;
        if (c != null) {
            c.wake();
        }
        if (shutdownRequested) {
            wake();
        }
    }

    /** Arm replies go out at once when welcomed, else after the next welcome. */
    private synchronized void reply(AgentFrame frame) {
        Connection c = current;
        if (c != null && c.isWelcomed() && !c.isClosed()) {
            c.sendControl(LinkJson.encode(frame));
        } else {
            heldReplies.add(frame);
        }
    }

    /** For tests: the agent's outbox and sessions. */
    Outbox outbox() {
        return outbox;
    }

    Sessions sessions() {
        return sessions;
    }

    /** The frame dispatcher's view of one connection. */
    private final class ConnectionLink implements LinkControl {
        private final Connection connection;
        private volatile ScheduledFuture<?> heartbeats;
        volatile boolean welcomedOnce;

        ConnectionLink(Connection connection) {
            this.connection = connection;
        }

        @Override
        public void send(AgentFrame frame) {
            connection.sendControl(LinkJson.encode(frame));
        }

        @Override
        public boolean welcomed() {
            return connection.isWelcomed();
        }

        @Override
        public void welcome(ServerFrame.Welcome welcome) {
            long acked = welcome.ackedSeq();
            long highest = outbox.highestSeq();
            if (acked > highest) {
                log.say("the server says it stored batch " + acked + " of this agent, which sealed only " + highest
                        + " (a server mixing up agents?); resuming after " + highest);
                acked = highest;
            } else if (acked < outbox.acked()) {
                log.say("the server stored batches up to " + acked + " only, after acknowledging up to "
                        + outbox.acked() + ": batches " + (acked + 1) + "-" + outbox.acked() + " are gone");
            }
            outbox.ack(acked);
            int resending = outbox.unacked().size();
            synchronized (AgentLink.this) {
                connection.welcomed(acked);
                for (AgentFrame held : heldReplies) {
                    connection.sendControl(LinkJson.encode(held));
                }
                heldReplies.clear();
            }
            welcomedOnce = true;
            backoff.reset();
            attempts.reset();
            log.say("connected to " + settings.server() + " as host " + welcome.host()
                    + (resending > 0 ? "; sending " + resending + " unacknowledged batch" + (resending == 1 ? "" : "es")
                            + " first" : ""));
            long every = Math.max(MIN_HEARTBEAT_MILLIS, welcome.heartbeatMillis());
            if (every != welcome.heartbeatMillis()) {
                log.say("heartbeats every " + every + " ms, not every " + welcome.heartbeatMillis() + " ms as asked");
            }
            heartbeats = scheduler.scheduleAtFixedRate(this::heartbeat, every, every, TimeUnit.MILLISECONDS);
        }

        private void heartbeat() {
            try {
                send(new AgentFrame.Heartbeat(Instant.now(), sessions.statuses(), outbox.buffered(), outbox.lost()));
            } catch (Throwable t) { // an exception would cancel the schedule
                log.say("heartbeat failed: " + t);
            }
        }

        void stopHeartbeats() {
            ScheduledFuture<?> h = heartbeats;
            if (h != null) {
                h.cancel(false);
            }
        }

        @Override
        public void reject(String reason) {
            rejection = reason;
            log.say("the server rejected this agent: " + reason);
            connection.close(NORMAL_CLOSURE, "rejected");
            wake();
        }

        @Override
        public void close(int code, String reason) {
            connection.close(code, reason);
        }

        @Override
        public long sentSeq() {
            return connection.sentSeq();
        }
    }
}
