package io.skbtrail.agent.link;

import io.skbtrail.agent.output.Summaries;
import io.skbtrail.protocol.AgentFrame;
import io.skbtrail.protocol.ServerFrame;
import io.skbtrail.protocol.SummaryRecord;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One tracing session, from {@code arm} to its last batch, on its own thread:
 *
 * <ol>
 *   <li>arming: the session's options become {@code trace} flags ({@link SessionArgs}), the probes are
 *       armed; the server gets {@link AgentFrame.Armed} or {@link AgentFrame.ArmFailed};</li>
 *   <li>armed: waits for {@code start} (or {@code stop}, or the deadline);</li>
 *   <li>tracing: drains the ring buffer into batches ({@link BatchSink}) until {@code stop}, the deadline or
 *       {@code max_events};</li>
 *   <li>done: the summary is the last record, the last batch carries the end ({@code stopped},
 *       {@code deadline}, {@code limit}, {@code failed}); then the probes are detached.</li>
 * </ol>
 *
 * <p>The limits hold whether or not the server is connected: the agent enforces them itself. A session
 * stopped (or past its deadline) before it started still ends with a summary (of nothing) and an end.
 */
public final class Session {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /** As the heartbeat names them. */
    public enum State {
        ARMING, ARMED, TRACING, DONE;

        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final ServerFrame.Arm arm;
    private final long id;
    private final SessionContext ctx;
    private final BatchSink sink;
    private final Thread worker;
    private final Object lock = new Object();
    private volatile State state = State.ARMING;
    private volatile AgentFrame armReply;
    /** Why the session is asked to end ({@code stopped}, {@code deadline}), null while it may go on. */
    private volatile String endRequested;
    private volatile boolean finished;
    private volatile boolean doneReported;
    private ScheduledFuture<?> deadlineTimer;
    // guarded by lock:
    private boolean startRequested;
    private SessionProbes probes;
    private boolean detached;
    private AgentFrame.SessionStatus finalStatus;
    private Map<String, String> options;

    public Session(ServerFrame.Arm arm, SessionContext ctx) {
        this.arm = arm;
        this.id = arm.session();
        this.ctx = ctx;
        this.options = new TreeMap<>(arm.options());
        this.sink = new BatchSink(id, ctx.outbox(), ctx.batchEvents(), ctx.batchMillis(), System::nanoTime);
        this.worker = new Thread(this::run, "session-" + id);
    }

    /** Arms on the session's own thread; the deadline, if any, starts counting now. */
    public void begin() {
        if (arm.deadline() != null) {
            long delay;
            try {
                delay = Math.max(0, Duration.between(Instant.now(), arm.deadline()).toMillis());
            } catch (ArithmeticException e) {
                delay = Long.MAX_VALUE; // centuries away
            }
            deadlineTimer = ctx.scheduler().schedule(() -> stop("deadline"), delay, TimeUnit.MILLISECONDS);
        }
        worker.start();
    }

    public long id() {
        return id;
    }

    public State state() {
        return state;
    }

    /** {@link AgentFrame.Armed} or {@link AgentFrame.ArmFailed} once arming is over, else null. */
    public AgentFrame armReply() {
        return armReply;
    }

    /** Whether the session produces no more batches (its last is sealed, or it never armed). */
    public boolean finished() {
        return finished;
    }

    /** Whether the session's thread has ended (probes detached). */
    public boolean threadEnded() {
        return !worker.isAlive() && state == State.DONE;
    }

    /**
     * Begins tracing once armed.
     *
     * @return false when the session has already ended or been asked to
     */
    public boolean start() {
        synchronized (lock) {
            if (endRequested != null || state == State.DONE) {
                return false;
            }
            startRequested = true;
            lock.notifyAll();
            return true;
        }
    }

    /**
     * Ends the session: the reason ({@code stopped}, {@code deadline}) goes in its last batch, unless
     * another came first.
     */
    public void stop(String reason) {
        SessionProbes p;
        synchronized (lock) {
            if (endRequested == null) {
                endRequested = reason;
            }
            lock.notifyAll();
            p = detached ? null : probes;
        }
        if (p != null) {
            p.stop();
        }
    }

    /** Applies an {@code update} (later, on the agent's update thread); the outcome is logged. */
    public void update(Map<String, String> changes) {
        ctx.updates().execute(() -> applyUpdate(changes));
    }

    /** Waits for the session's thread (arming, tracing, detaching) to end. */
    public boolean await(Duration timeout) throws InterruptedException {
        worker.join(Math.max(1, timeout.toMillis()));
        return !worker.isAlive();
    }

    /** The heartbeat's view of this session. */
    public AgentFrame.SessionStatus status() {
        AgentFrame.SessionStatus status;
        synchronized (lock) {
            if (finalStatus != null) {
                status = finalStatus;
            } else if (probes == null || detached) {
                status = new AgentFrame.SessionStatus(id, state.wire(), 0, sink.sent(), Map.of(BatchSink.HOP, sink.lost()));
            } else {
                Map<String, Long> lost = new TreeMap<>(probes.lost());
                lost.put(BatchSink.HOP, sink.lost());
                status = new AgentFrame.SessionStatus(id, state.wire(), probes.matched(), sink.sent(), lost);
            }
        }
        if (status.state().equals("done")) {
            doneReported = true;
        }
        return status;
    }

    /** Whether a heartbeat has told the server this session is done. */
    boolean doneReported() {
        return doneReported;
    }

    private void run() {
        try {
            SessionProbes armed = armProbes();
            if (armed != null) {
                traceUntilEnd(armed);
            }
        } catch (Throwable t) { // nothing a session does may take the agent down
            ctx.log().say("session " + id + ": internal error: " + t);
            if (armReply == null) {
                reply(new AgentFrame.ArmFailed(id, "internal error in the agent: " + t));
            } else if (!finished) {
                try {
                    sink.finish("failed", null);
                } catch (Throwable ignored) {
                    // the server will miss this session's end; the log says why
                }
            }
        } finally {
            if (deadlineTimer != null) {
                deadlineTimer.cancel(false);
            }
            SessionProbes toClose;
            synchronized (lock) {
                detached = true;
                toClose = probes;
                state = State.DONE;
            }
            finished = true;
            if (toClose != null) {
                try {
                    toClose.close();
                } catch (Throwable t) {
                    ctx.log().say("session " + id + ": detaching the probes failed: " + t);
                }
            }
        }
    }

    /** Arms the probes and answers the server; null when the session could not be armed. */
    private SessionProbes armProbes() {
        SessionProbes p;
        long arming = System.nanoTime();
        long armingCpu = THREADS.getCurrentThreadCpuTime(); // includes the kernel's time (the verifier)
        try {
            List<String> args = SessionArgs.of(arm.filter(), arm.options(), arm.maxEvents(), ctx.agentScope(),
                    ctx.agentArgs(), ctx.inodeOf());
            p = ctx.armer().arm(id, args, () -> endRequested != null);
        } catch (SessionRefusedException e) {
            String reason = endRequested == null ? e.getMessage()
                    : "deadline".equals(endRequested) ? "the session's deadline passed while arming"
                    : "the session was stopped while arming";
            synchronized (lock) {
                finalStatus = new AgentFrame.SessionStatus(id, "done", 0, 0, Map.of(BatchSink.HOP, 0L));
            }
            reply(new AgentFrame.ArmFailed(id, reason));
            ctx.log().say("session " + id + ": cannot arm: " + reason);
            return null;
        }
        synchronized (lock) {
            probes = p;
            state = State.ARMED;
        }
        reply(new AgentFrame.Armed(id, p.backend(), p.probes(), p.notTraced()));
        ctx.log().say("session " + id + ": armed " + p.probes() + " probe points (" + p.backend() + ") in "
                + (System.nanoTime() - arming) / 1_000_000 + " ms (CPU "
                + (THREADS.getCurrentThreadCpuTime() - armingCpu) / 1_000_000 + " ms)"
                + (arm.filter().isBlank() ? "" : " for \"" + arm.filter() + "\"")
                + (p.notTraced().isEmpty() ? "" : "; not traced: " + String.join("; ", p.notTraced())));
        return p;
    }

    private void traceUntilEnd(SessionProbes p) throws InterruptedException {
        synchronized (lock) {
            while (!startRequested && endRequested == null) {
                lock.wait();
            }
        }
        String end;
        SummaryRecord summary;
        try {
            if (endRequested == null) {
                p.enable();
                state = State.TRACING;
                ctx.log().say("session " + id + ": tracing" + (arm.maxEvents() > 0 ? ", at most " + arm.maxEvents()
                        + " events" : "") + (arm.deadline() != null ? ", until " + arm.deadline() : ""));
            } else {
                p.stop(); // ended before it started: the loop below only collects the (empty) summary
            }
            SessionProbes.Outcome outcome = p.trace(sink);
            end = outcome.limitReached() ? "limit" : endRequested != null ? endRequested : "stopped";
            summary = outcome.summary();
        } catch (Exception | LinkageError e) {
            end = "failed";
            ctx.log().say("session " + id + ": tracing failed: " + e);
            summary = summaryAfterFailure(p);
        }
        summary = withAgentBuffer(summary);
        synchronized (lock) {
            finalStatus = new AgentFrame.SessionStatus(id, "done", summary == null ? 0 : summary.matched(),
                    sink.sent(), summary == null ? Map.of(BatchSink.HOP, sink.lost()) : summary.lost());
        }
        sink.finish(end, summary);
        finished = true;
        state = State.DONE;
        ctx.log().say("session " + id + ": ended (" + end + ")"
                + (summary == null ? "" : ": " + Summaries.oneLine(summary)));
    }

    private static SummaryRecord summaryAfterFailure(SessionProbes p) {
        try {
            return p.summaryAfterFailure();
        } catch (RuntimeException e) {
            return null;
        }
    }

    /**
     * The summary as the server gets it: {@code printed} counts the events put in batches, and the loss
     * at {@value BatchSink#HOP} is among the hops.
     */
    private SummaryRecord withAgentBuffer(SummaryRecord s) {
        if (s == null) {
            return null;
        }
        Map<String, Long> lost = new TreeMap<>(s.lost());
        lost.put(BatchSink.HOP, sink.lost());
        return new SummaryRecord(s.time(), s.backend(), s.probes(), s.matched(), s.delivered(), sink.sent(), lost,
                s.durationNs());
    }

    private void applyUpdate(Map<String, String> changes) {
        SessionProbes p;
        Map<String, String> current;
        synchronized (lock) {
            p = detached || state == State.DONE ? null : probes;
            current = options;
        }
        if (p == null) {
            ctx.log().say("session " + id + ": update ignored: " + (state == State.ARMING ? "not armed yet"
                    : "the session has ended"));
            return;
        }
        try {
            Map<String, String> merged = SessionArgs.updated(current, changes);
            p.update(SessionArgs.of(arm.filter(), merged, arm.maxEvents(), ctx.agentScope(), ctx.agentArgs(),
                    ctx.inodeOf()));
            synchronized (lock) {
                options = merged;
            }
            ctx.log().say("session " + id + ": updated " + new TreeMap<>(changes));
        } catch (SessionRefusedException e) {
            ctx.log().say("session " + id + ": update refused: " + e.getMessage());
        } catch (RuntimeException e) {
            ctx.log().say("session " + id + ": update failed: " + e);
        }
    }

    private void reply(AgentFrame frame) {
        armReply = frame;
        ctx.replies().accept(frame);
    }
}
