package io.skbtrail.server.agents;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/** The agents connected now, by host name: at most one live link per name. */
@Component
public class AgentRegistry {
    private final Map<String, AgentConnection> byName = new ConcurrentHashMap<>();

    /** @return the connection already holding the name, or empty when {@code connection} got it */
    Optional<AgentConnection> register(AgentConnection connection) {
        AgentConnection existing = byName.putIfAbsent(connection.name(), connection);
        return Optional.ofNullable(existing);
    }

    void remove(AgentConnection connection) {
        byName.remove(connection.name(), connection);
    }

    public Optional<AgentConnection> byName(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    public Optional<AgentConnection> byHostId(long hostId) {
        return byName.values().stream().filter(c -> c.hostId() == hostId).findFirst();
    }

    public Collection<AgentConnection> all() {
        return byName.values();
    }
}
