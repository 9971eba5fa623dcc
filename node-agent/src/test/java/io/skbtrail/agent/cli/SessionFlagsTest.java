package io.skbtrail.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.skbtrail.agent.link.FilterScope;
import io.skbtrail.agent.link.SessionArgs;
import io.skbtrail.agent.link.SessionRefusedException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** A session's options go through the trace parser: what trace takes, a session takes; what it refuses, too. */
@Tag("unit")
class SessionFlagsTest {

    private static TraceRequest request(String filter, Map<String, String> options, long maxEvents)
            throws SessionRefusedException {
        List<String> args = SessionArgs.of(filter, options, maxEvents, FilterScope.ANY, List.of(), spec -> 1);
        return TraceRequest.parse(Flags.parse(args.toArray(String[]::new), 0, TraceRequest.FLAGS));
    }

    @Test
    void sessionOptionsMeanWhatTheTraceFlagsMean() throws SessionRefusedException {
        TraceRequest r = request("tcp and port 80", Map.of("filter-mark", "0x1/0xff", "output-stack", "true",
                "output-packet-bytes", "64", "rate-limit", "1000", "filter-track-skb", "true",
                "filter-func", "net:.*"), 100_000);
        assertEquals("tcp and port 80", r.filter().pcap());
        assertEquals(1, r.filter().mark());
        assertEquals(0xff, r.filter().markMask());
        assertTrue(r.filter().trackSkb());
        assertTrue(r.capture().stack());
        assertEquals(64, r.capture().packetBytes());
        assertEquals(1000, r.capture().rateLimit());
        assertEquals("net:.*", r.filterFunc().pattern());
        assertTrue(r.output().json(), "contract v1 lines");
        assertEquals(100_000, r.output().limitLines(), "max_events is the line limit");
        assertEquals("auto", r.backend(), "the backend is the agent's, not the session's");
    }

    @Test
    void switchesCanBeTurnedOff() throws SessionRefusedException {
        assertEquals(false, request("", Map.of("output-stack", "false"), 0).capture().stack());
    }

    @Test
    void badValuesAreRefusedWithTheCliMessage() {
        UsageException mark = assertThrows(UsageException.class, () -> request("", Map.of("filter-mark", "0x1/zz"), 0));
        assertEquals("--filter-mark: \"0x1/zz\" is not mark[/mask] with 32-bit numbers", mark.getMessage());
        UsageException bytes = assertThrows(UsageException.class,
                () -> request("", Map.of("output-packet-bytes", "300"), 0));
        assertEquals("flag --output-packet-bytes must be between 0 and 256, not 300", bytes.getMessage());
        UsageException func = assertThrows(UsageException.class, () -> request("", Map.of("filter-func", "("), 0));
        assertTrue(func.getMessage().startsWith("--filter-func: invalid regular expression"), func.getMessage());
        UsageException netns = assertThrows(UsageException.class,
                () -> request("", Map.of("filter-netns", "netns-a"), 0));
        assertTrue(netns.getMessage().startsWith("--filter-netns takes a path"), netns.getMessage());
    }
}
