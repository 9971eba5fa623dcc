package io.skbtrail.agent.link;

import io.skbtrail.protocol.AgentFrame;
import io.skbtrail.protocol.ServerFrame;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The sessions of this agent, by the server's session id: arms new ones up to {@code maxSessions},
 * answers a repeated {@code arm} with the session's state, routes {@code start}/{@code stop}/{@code update},
 * and reports them in heartbeats until the server has their last batch.
 */
public final class Sessions implements SessionControl {
    /** Ended sessions remembered (with their arm reply), so that a repeated arm stays idempotent. */
    private static final int REMEMBERED = 1024;

    private final SessionContext ctx;
    private final int maxSessions;
    private final Map<Long, Session> live = new LinkedHashMap<>();
    private final Map<Long, AgentFrame> ended = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, AgentFrame> eldest) {
            return size() > REMEMBERED;
        }
    };
    private boolean stopping;

    public Sessions(SessionContext ctx, int maxSessions) {
        this.ctx = ctx;
        this.maxSessions = maxSessions;
    }

    /** {@code arm}: a new session, or the known one's state again. */
    @Override
    public synchronized void arm(ServerFrame.Arm arm) {
        long id = arm.session();
        Session known = live.get(id);
        AgentFrame reply = known != null ? known.armReply() : ended.get(id);
        if (known != null || reply != null) {
            ctx.log().say("session " + id + ": armed again by the server; answering with its state ("
                    + (known != null ? known.state().wire() : "done") + ")");
            if (reply != null) {
                ctx.replies().accept(reply); // while still arming, the answer comes when arming ends
            }
            return;
        }
        if (stopping) {
            ctx.replies().accept(new AgentFrame.ArmFailed(id, "the agent is stopping"));
            return;
        }
        long busy = live.values().stream().filter(s -> !s.threadEnded()).count();
        if (busy >= maxSessions) {
            String reason = "this agent runs " + busy + " session" + (busy == 1 ? "" : "s") + ", its maximum"
                    + (maxSessions == 1 ? " with the kprobe backend (each session attaches its own ~1,500 kprobes)" : "")
                    + "; stop one first";
            ctx.log().say("session " + id + ": cannot arm: " + reason);
            ctx.replies().accept(new AgentFrame.ArmFailed(id, reason));
            return;
        }
        Session session = new Session(arm, ctx);
        try {
            session.begin();
        } catch (RuntimeException | OutOfMemoryError e) { // no thread to arm on
            ctx.log().say("session " + id + ": cannot arm: " + e);
            ctx.replies().accept(new AgentFrame.ArmFailed(id, "the agent cannot start a session now: " + e));
            return;
        }
        live.put(id, session);
    }

    @Override
    public void start(long id) {
        Session s = find(id, "start");
        if (s != null && !s.start()) {
            ctx.log().say("session " + id + ": start ignored: the session has ended");
        }
    }

    @Override
    public void stop(long id) {
        Session s = find(id, "stop");
        if (s != null) {
            s.stop("stopped");
        }
    }

    @Override
    public void update(long id, Map<String, String> options) {
        Session s = find(id, "update");
        if (s != null) {
            s.update(options);
        }
    }

    private synchronized Session find(long id, String frame) {
        Session s = live.get(id);
        if (s == null) {
            ctx.log().say("session " + id + ": " + frame + " ignored: " + (ended.containsKey(id) ? "the session has ended"
                    : "no such session on this agent"));
        }
        return s;
    }

    /**
     * Every session's counters for a heartbeat. A session that has ended is reported as {@code done} at
     * least once, then forgotten once the server has all its batches and its thread has detached.
     */
    public synchronized List<AgentFrame.SessionStatus> statuses() {
        Set<Long> unacked = ctx.outbox().sessionsWithUnacked();
        List<AgentFrame.SessionStatus> statuses = new ArrayList<>();
        for (Iterator<Session> it = live.values().iterator(); it.hasNext(); ) {
            Session s = it.next();
            if (s.doneReported() && s.threadEnded() && !unacked.contains(s.id())) {
                if (s.armReply() != null) {
                    ended.put(s.id(), s.armReply());
                }
                it.remove();
                continue;
            }
            statuses.add(s.status());
        }
        return statuses;
    }

    /** Sessions still tracing (arming, armed, tracing) or with unacknowledged batches: for the hello. */
    public synchronized List<Long> ids() {
        Set<Long> ids = new TreeSet<>(ctx.outbox().sessionsWithUnacked());
        live.values().stream().filter(s -> s.state() != Session.State.DONE).forEach(s -> ids.add(s.id()));
        return new ArrayList<>(ids);
    }

    /** Ends every session (each seals its last batch with {@code reason}); new arms are refused. */
    public void stopAll(String reason) {
        List<Session> all;
        synchronized (this) {
            stopping = true;
            all = new ArrayList<>(live.values());
        }
        all.forEach(s -> s.stop(reason));
    }

    /** Whether no session will seal another batch. */
    public synchronized boolean allFinished() {
        return live.values().stream().allMatch(Session::finished);
    }

    /** Waits for every session's thread (their probes detached). */
    public void awaitAll(Duration each) throws InterruptedException {
        List<Session> all;
        synchronized (this) {
            all = new ArrayList<>(live.values());
        }
        for (Session s : all) {
            if (!s.await(each)) {
                ctx.log().say("session " + s.id() + ": still detaching after " + each.toSeconds() + " s");
            }
        }
    }

    /** The session with this id, if the agent still knows it. */
    public synchronized Session get(long id) {
        return live.get(id);
    }
}
