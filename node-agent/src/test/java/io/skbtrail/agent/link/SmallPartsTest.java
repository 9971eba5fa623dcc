package io.skbtrail.agent.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Backoff, attempt logging, fragment assembly, server addresses. */
@Tag("unit")
class SmallPartsTest {

    @Test
    void backoffDoublesFrom200MsTo5sWithJitterAndStartsOverAfterASuccess() {
        double[] random = {0.0};
        Backoff b = new Backoff(Backoff.INITIAL, Backoff.MAX, () -> random[0]);
        List<Long> lowest = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            lowest.add(b.next().toMillis());
        }
        assertEquals(List.of(100L, 200L, 400L, 800L, 1600L, 2500L, 2500L, 2500L), lowest, "half of each ceiling");
        b.reset();
        random[0] = 0.999999;
        List<Long> highest = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            highest.add(b.next().toMillis());
        }
        assertEquals(List.of(199L, 399L, 799L, 1599L, 3199L, 4999L, 4999L, 4999L), highest, "just under the ceiling");
    }

    @Test
    void backoffStaysWithinBoundsWithARealRandomSource() {
        Backoff b = Backoff.standard();
        for (int i = 0; i < 100; i++) {
            Duration d = b.next();
            assertTrue(d.toMillis() >= 100 && d.toMillis() <= 5000, d.toString());
        }
    }

    @Test
    void failedAttemptsAreLoggedOnceThenOnNewReasonsAndOnceAMinute() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long[] now = {0};
        AttemptLog log = new AttemptLog(new AgentLog(new PrintStream(out, true, StandardCharsets.UTF_8)), () -> now[0],
                AttemptLog.QUIET_NANOS);
        assertTrue(log.failed("ws://s/api/agent/link", "connection refused"));
        for (int i = 0; i < 20; i++) {
            now[0] += 3_000_000_000L;
            assertFalse(log.failed("ws://s/api/agent/link", "connection refused") && i < 19);
        }
        now[0] += 1_000_000_000L;
        assertTrue(log.failed("ws://s/api/agent/link", "the server answered HTTP 502 instead of opening the link"));
        log.reset();
        assertTrue(log.failed("ws://s/api/agent/link", "connection refused"));
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.startsWith("skbtrail-agent: cannot connect to ws://s/api/agent/link: connection refused;"
                + " retrying (tracing goes on)\n"), text);
        assertTrue(text.contains("skbtrail-agent: still cannot connect to ws://s/api/agent/link after 21 attempts:"
                + " connection refused\n"), text);
        assertTrue(text.contains("after 22 attempts: the server answered HTTP 502"), text);
        assertEquals(4, text.lines().count(), text);
    }

    @Test
    void fragmentsAreJoinedIntoOneMessage() {
        FrameAssembler a = new FrameAssembler(20);
        assertEquals("{\"type\":\"ping\"}", a.add("{\"type\":\"ping\"}", true));
        assertNull(a.add("{\"ty", false));
        assertNull(a.add("pe\":", false));
        assertEquals("{\"type\":1}", a.add("1}", true));
        assertEquals("x", a.add("x", true), "the next message starts afresh");
    }

    @Test
    void aMessageLongerThanAControlFrameIsRefused() {
        FrameAssembler a = new FrameAssembler(10);
        assertNull(a.add("12345", false));
        assertThrows(IllegalArgumentException.class, () -> a.add("123456", false));
        assertEquals("ok", a.add("ok", true), "what came before is dropped");
    }

    @Test
    void theServerUrlBecomesTheLinksWebSocketAddress() {
        assertEquals(URI.create("ws://srv:8080/api/agent/link"), ServerAddress.linkUri("http://srv:8080"));
        assertEquals(URI.create("wss://srv/api/agent/link"), ServerAddress.linkUri("https://srv/"));
        assertEquals(URI.create("wss://srv/skbtrail/api/agent/link"), ServerAddress.linkUri("https://srv/skbtrail"));
        assertEquals(URI.create("ws://127.0.0.1:9/api/agent/link"), ServerAddress.linkUri("ws://127.0.0.1:9/api/agent/link"));
        assertEquals(URI.create("wss://[::1]:8443/api/agent/link"), ServerAddress.linkUri("WSS://[::1]:8443"));
        for (String bad : new String[] {"srv:8080", "ftp://srv", "http://", "http://srv/?x=1", "not a url"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ServerAddress.linkUri(bad), bad);
            assertTrue(e.getMessage().startsWith("--server"), e.getMessage());
        }
    }
}
