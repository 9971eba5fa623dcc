package io.skbtrail.server.agents;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/** After a restart no agent is connected yet, whatever the hosts table says; they reconnect by themselves. */
@Component
class StartupReset {
    private final HostService hosts;

    StartupReset(HostService hosts) {
        this.hosts = hosts;
    }

    @EventListener(ApplicationReadyEvent.class)
    void markHostsDisconnected() {
        hosts.markAllDisconnected();
    }
}
