package io.skbtrail.server.agents;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.hibernate.annotations.DynamicUpdate;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * A host an agent registered from, by name; its facts are those of the last hello.
 *
 * <p>Updates write only the columns that changed: event ingest moves {@code acked_seq} with plain SQL while
 * the link's clock refresh updates the same row through this entity, and a full-row update would put back
 * the acked seq it had loaded (a reconnecting agent would then resend, and the server store, batches twice).
 */
@Entity
@DynamicUpdate
@Table(name = "hosts")
public class Host {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;
    private String name;
    @JdbcTypeCode(SqlTypes.JSON)
    private Map<String, String> labels = Map.of();
    private String kernel;
    private String arch;
    @Column(name = "agent_version")
    private String agentVersion;
    private String backend;
    @JdbcTypeCode(SqlTypes.JSON)
    private List<Map<String, Object>> backends = List.of();
    @Column(name = "max_sessions")
    private int maxSessions = 1;
    @Column(name = "boot_id")
    private String bootId;
    private String incarnation;
    @Column(name = "acked_seq")
    private long ackedSeq;
    @Column(name = "token_id")
    private Long tokenId;
    private boolean connected;
    @Column(name = "first_seen")
    private Instant firstSeen;
    @Column(name = "last_seen")
    private Instant lastSeen;
    @Column(name = "clock_offset_ns")
    private Long clockOffsetNs;
    @Column(name = "clock_uncertainty_ns")
    private Long clockUncertaintyNs;

    protected Host() {}

    public Host(String name) {
        this.name = name;
        this.firstSeen = Instant.now();
    }

    public Long getId() { return id; }
    public String getName() { return name; }
    public Map<String, String> getLabels() { return labels; }
    public void setLabels(Map<String, String> labels) { this.labels = labels; }
    public String getKernel() { return kernel; }
    public void setKernel(String kernel) { this.kernel = kernel; }
    public String getArch() { return arch; }
    public void setArch(String arch) { this.arch = arch; }
    public String getAgentVersion() { return agentVersion; }
    public void setAgentVersion(String agentVersion) { this.agentVersion = agentVersion; }
    public String getBackend() { return backend; }
    public void setBackend(String backend) { this.backend = backend; }
    public List<Map<String, Object>> getBackends() { return backends; }
    public void setBackends(List<Map<String, Object>> backends) { this.backends = backends; }
    public int getMaxSessions() { return maxSessions; }
    public void setMaxSessions(int maxSessions) { this.maxSessions = maxSessions; }
    public String getBootId() { return bootId; }
    public void setBootId(String bootId) { this.bootId = bootId; }
    public String getIncarnation() { return incarnation; }
    public void setIncarnation(String incarnation) { this.incarnation = incarnation; }
    public long getAckedSeq() { return ackedSeq; }
    public void setAckedSeq(long ackedSeq) { this.ackedSeq = ackedSeq; }
    public Long getTokenId() { return tokenId; }
    public void setTokenId(Long tokenId) { this.tokenId = tokenId; }
    public boolean isConnected() { return connected; }
    public void setConnected(boolean connected) { this.connected = connected; }
    public Instant getFirstSeen() { return firstSeen; }
    public Instant getLastSeen() { return lastSeen; }
    public void setLastSeen(Instant lastSeen) { this.lastSeen = lastSeen; }
    public Long getClockOffsetNs() { return clockOffsetNs; }
    public Long getClockUncertaintyNs() { return clockUncertaintyNs; }

    public void setClock(long offsetNs, long uncertaintyNs) {
        this.clockOffsetNs = offsetNs;
        this.clockUncertaintyNs = uncertaintyNs;
    }
}
