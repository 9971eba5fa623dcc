package io.skbtrail.agent.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.skbtrail.agent.output.OutputOptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class TraceRequestTest {

    private static TraceRequest parse(String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "trace";
        System.arraycopy(args, 0, all, 1, args.length);
        return TraceRequest.parse(Flags.parse(all, 1, TraceRequest.FLAGS));
    }

    @Test
    void markWithoutMaskIsExact() {
        assertArrayEquals(new long[] {0xa5, 0xffffffffL}, TraceRequest.parseMark("0xa5"));
        assertArrayEquals(new long[] {0xaf, 0x0f}, TraceRequest.parseMark("0xaf/0x0f"));
        assertArrayEquals(new long[] {0, 0xffffffffL}, TraceRequest.parseMark("0"), "mark 0 can be matched");
        assertArrayEquals(new long[] {17, 255}, TraceRequest.parseMark("17/255"));
    }

    @Test
    void malformedMarksAreRefused() {
        for (String bad : new String[] {"1/2/3", "", "/1", "0x", "-1", "0x100000000", "abc"}) {
            UsageException e = assertThrows(UsageException.class, () -> TraceRequest.parseMark(bad), bad);
            assertTrue(e.getMessage().startsWith("--filter-mark"), e.getMessage());
        }
    }

    @Test
    void positionalArgumentsFormThePcapExpression() {
        TraceRequest r = parse("tcp", "and", "--output-json", "port", "80");
        assertEquals("tcp and port 80", r.filter().pcap());
        assertTrue(r.output().json());
    }

    @Test
    void defaultsFollowPwru() {
        TraceRequest r = parse();
        assertTrue(r.output().meta() && r.output().tuple());
        assertEquals(OutputOptions.Timestamp.NONE, r.output().timestamp());
        assertEquals("auto", r.backend());
        assertEquals(200_000, r.capture().rateLimit(), "the event-rate cap is on by default");
        assertEquals(0, r.filter().markMask());
    }

    @Test
    void booleanFlagsTakeAnExplicitValue() {
        TraceRequest r = parse("--output-meta=false", "--filter-track-skb");
        assertEquals(false, r.output().meta());
        assertTrue(r.filter().trackSkb());
        assertThrows(UsageException.class, () -> parse("--output-meta=maybe"));
    }

    @Test
    void badValuesAreUsageErrors() {
        assertThrows(UsageException.class, () -> parse("--timestamp", "yesterday"));
        assertThrows(UsageException.class, () -> parse("--backend", "fentry2"));
        assertThrows(UsageException.class, () -> parse("--ringbuf-size", "3"));
        assertThrows(UsageException.class, () -> parse("--output-packet-bytes", "1000"));
        assertThrows(UsageException.class, () -> parse("--filter-netns", "inode:-4"));
        assertThrows(UsageException.class, () -> parse("--filter-netns", "relative/path"));
        assertThrows(UsageException.class, () -> parse("--filter-func", "(unclosed"));
        assertThrows(UsageException.class, () -> parse("--output-limit-lines"));
        assertThrows(UsageException.class, () -> parse("--bogus"));
    }

    @Test
    void netnsByInode() {
        assertEquals(4026531840L, parse("--filter-netns", "inode:4026531840").filter().netns());
    }
}
