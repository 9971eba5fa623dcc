package io.skbtrail.server.sessions;

import io.skbtrail.server.agents.Host;
import java.util.Map;

/** Which hosts a session selects: those named, plus those carrying every one of its labels. */
final class HostSelection {
    private HostSelection() {}

    static boolean selects(TraceSession session, Host host) {
        return session.getSelectedHosts().contains(host.getName()) || matchesLabels(session.getSelectedLabels(), host);
    }

    static boolean matchesLabels(Map<String, String> labels, Host host) {
        return !labels.isEmpty() && labels.entrySet().stream()
                .allMatch(l -> l.getValue().equals(host.getLabels().get(l.getKey())));
    }
}
