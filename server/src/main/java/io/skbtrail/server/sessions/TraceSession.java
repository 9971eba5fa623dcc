package io.skbtrail.server.sessions;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * A trace session: one filter traced on a set of hosts, with limits. States: {@code pending} (created,
 * agents arming), {@code running}, {@code stopping} (stop sent, final batches awaited), {@code stopped},
 * {@code failed} (no selected host could trace).
 */
@Entity
@Table(name = "sessions")
public class TraceSession {
    public static final String PENDING = "pending";
    public static final String RUNNING = "running";
    public static final String STOPPING = "stopping";
    public static final String STOPPED = "stopped";
    public static final String FAILED = "failed";

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;
    private String filter = "";
    @JdbcTypeCode(SqlTypes.JSON)
    private Map<String, String> options = Map.of();
    @Column(name = "selected_hosts")
    @JdbcTypeCode(SqlTypes.JSON)
    private List<String> selectedHosts = List.of();
    @Column(name = "selected_labels")
    @JdbcTypeCode(SqlTypes.JSON)
    private Map<String, String> selectedLabels = Map.of();
    @Column(name = "duration_seconds")
    private Integer durationSeconds;
    @Column(name = "max_events_per_host")
    private Long maxEventsPerHost;
    private String state = PENDING;
    @Column(name = "state_reason")
    private String stateReason;
    @Column(name = "created_by")
    private String createdBy;
    @Column(name = "created_at")
    private Instant createdAt;
    @Column(name = "started_at")
    private Instant startedAt;
    private Instant deadline;
    @Column(name = "ended_at")
    private Instant endedAt;
    @Column(name = "event_count")
    private long eventCount;

    protected TraceSession() {}

    public TraceSession(String filter, Map<String, String> options, List<String> selectedHosts,
            Map<String, String> selectedLabels, Integer durationSeconds, Long maxEventsPerHost, String createdBy) {
        this.filter = filter;
        this.options = options;
        this.selectedHosts = selectedHosts;
        this.selectedLabels = selectedLabels;
        this.durationSeconds = durationSeconds;
        this.maxEventsPerHost = maxEventsPerHost;
        this.createdBy = createdBy;
        this.createdAt = Instant.now();
        if (durationSeconds != null) {
            this.deadline = createdAt.plusSeconds(durationSeconds);
        }
    }

    /** Pending or running: hosts may be armed and started (not once it is stopping). */
    public boolean acceptsTracing() {
        return state.equals(PENDING) || state.equals(RUNNING);
    }

    public boolean isLive() {
        return state.equals(PENDING) || state.equals(RUNNING) || state.equals(STOPPING);
    }

    public Long getId() { return id; }
    public String getFilter() { return filter; }
    public Map<String, String> getOptions() { return options; }
    public List<String> getSelectedHosts() { return selectedHosts; }
    public Map<String, String> getSelectedLabels() { return selectedLabels; }
    public Integer getDurationSeconds() { return durationSeconds; }
    public Long getMaxEventsPerHost() { return maxEventsPerHost; }
    public String getState() { return state; }
    public String getStateReason() { return stateReason; }
    public String getCreatedBy() { return createdBy; }
    public Instant getCreatedAt() { return createdAt; }
    public Instant getStartedAt() { return startedAt; }
    public Instant getDeadline() { return deadline; }
    public Instant getEndedAt() { return endedAt; }
    public long getEventCount() { return eventCount; }

    public void setState(String state, String reason) {
        this.state = state;
        this.stateReason = reason;
        if (state.equals(RUNNING) && startedAt == null) {
            startedAt = Instant.now();
        }
        if ((state.equals(STOPPED) || state.equals(FAILED)) && endedAt == null) {
            endedAt = Instant.now();
        }
    }
}
