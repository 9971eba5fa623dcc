package io.skbtrail.server.agents;

import io.skbtrail.protocol.AgentFrame;
import io.skbtrail.protocol.Event;
import io.skbtrail.protocol.EventBatch;
import io.skbtrail.protocol.WireRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * <b>For tests only</b>: a stand-in for a host whose wall clock is off. Hosts standing in as network namespaces
 * share one clock, so a clock error has to be made: with {@code skbtrail.test.clock-skew-stand-in.<host>=<ns>}
 * the server shifts everything that host's agent says about its clock by that much as it arrives, its events'
 * times and its pong times alike, exactly as if the host's clock ran that far ahead (negative: behind). The
 * clock estimate then measures the skew and the journeys must take it off again. Nothing is shifted for hosts
 * not named; a running server logs a warning for each host it shifts.
 */
@Component
public class ClockSkewStandIn {
    private static final Logger log = LoggerFactory.getLogger(ClockSkewStandIn.class);
    static final String PREFIX = "skbtrail.test.clock-skew-stand-in";

    private final Map<String, Long> skewByHost;

    ClockSkewStandIn(Environment environment) {
        skewByHost = Binder.get(environment).bind(PREFIX, Bindable.mapOf(String.class, Long.class)).orElse(Map.of());
        skewByHost.forEach((host, ns) -> log.warn("TEST STAND-IN: host {}'s clock is shifted by {} ns as its events"
                + " and pongs arrive ({}.{}); never set this outside tests", host, ns, PREFIX, host));
    }

    long skewNs(String host) {
        return skewByHost.getOrDefault(host, 0L);
    }

    EventBatch apply(String host, EventBatch batch) {
        long skew = skewNs(host);
        if (skew == 0) {
            return batch;
        }
        List<WireRecord> shifted = new ArrayList<>(batch.records().size());
        for (WireRecord r : batch.records()) {
            shifted.add(r instanceof Event e ? e.toBuilder().time(e.time().plusNanos(skew)).build() : r);
        }
        return new EventBatch(batch.seq(), batch.session(), batch.end(), shifted);
    }

    AgentFrame.Pong apply(String host, AgentFrame.Pong pong) {
        long skew = skewNs(host);
        return skew == 0 ? pong : new AgentFrame.Pong(pong.id(), pong.agentTime().plusNanos(skew));
    }
}
