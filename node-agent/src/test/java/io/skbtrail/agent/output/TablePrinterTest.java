package io.skbtrail.agent.output;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.skbtrail.agent.output.OutputOptions.Timestamp;
import io.skbtrail.protocol.Event;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class TablePrinterTest {

    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    private TablePrinter printer(OutputOptions options) {
        return new TablePrinter(options, new StreamSink(out, true), BERLIN);
    }

    private void assertGolden(String golden, OutputOptions options) throws IOException {
        assertEquals(RecordedEvents.resource(golden), RecordedEvents.printAll(printer(options), out));
    }

    @Test
    void printsPwruDefaultColumns() throws IOException {
        assertGolden("table-default.txt", OutputOptions.defaults());
    }

    @Test
    void addsTcpFlagsToTheTuple() throws IOException {
        assertGolden("table-tcp-flags.txt", OutputOptions.defaults().withTcpFlags(true));
    }

    @Test
    void absoluteTimeIsTheEventsWallTimeInTheGivenZone() throws IOException {
        assertGolden("table-absolute.txt", OutputOptions.defaults().withTimestamp(Timestamp.ABSOLUTE));
    }

    @Test
    void relativeTimeIsPerPacketIdNotPerSkbAddress() throws IOException {
        // Events 4 and 6 reuse the skb address of packet 1 but are packet 2: their deltas start afresh.
        assertGolden("table-relative.txt", OutputOptions.defaults().withTimestamp(Timestamp.RELATIVE));
    }

    @Test
    void currentTimeIsKtimeAndMetaAndTupleCanBeHidden() throws IOException {
        assertGolden("table-current-no-meta.txt",
                OutputOptions.defaults().withMeta(false).withTuple(false).withTimestamp(Timestamp.CURRENT));
    }

    @Test
    void printsCallerStackSkbDumpAndPacketBytesUnderTheEvent() throws IOException {
        assertGolden("table-details.txt", OutputOptions.defaults()
                .withCaller(true).withStack(true).withSkbDump(true).withPacketBytes(48));
    }

    @Test
    void leavesOutDetailsThatAreNotAskedFor() throws IOException {
        List<Event> events = RecordedEvents.events();
        try (TablePrinter table = printer(OutputOptions.defaults())) {
            table.print(events.get(2));
        }
        assertEquals(2, out.toString(StandardCharsets.UTF_8).lines().count());
    }

    @Test
    void printsTheHeaderOnceBeforeTheFirstEventOnly() throws IOException {
        List<Event> events = RecordedEvents.events();
        try (TablePrinter table = printer(OutputOptions.defaults().withMeta(false).withTuple(false))) {
            table.print(RecordedEvents.LOSS);
            table.print(events.get(0));
            table.print(events.get(1));
        }
        assertEquals("""
                # lost 17 events at kernel_ringbuf (total 1234)
                SKB                CPU PROCESS          FUNC
                0xffff8b7d9462c600 3   curl:227116      ip_local_out
                0xffff8b7d9462c600 3   curl:227116      nf_hook_slow
                """, out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void alignsTheHeaderWhenTheFirstEventHasNoTuple() throws IOException {
        try (TablePrinter table = printer(OutputOptions.defaults().withMeta(false))) {
            table.print(RecordedEvents.events().get(3));
        }
        assertEquals("""
                SKB                CPU PROCESS          TUPLE FUNC
                0xffff8b7d9462c600 0   swapper/0:0      -     arp_rcv
                """, out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void replacesControlCharactersInNamesSoTheyCannotForgeLines() throws IOException {
        Event hostile = RecordedEvents.events().get(0).toBuilder()
                .process("a\nb\u001b[2J")
                .iface("e\r1\t")
                .ifindex(9)
                .func("f\u202e")
                .build();
        try (TablePrinter table = printer(OutputOptions.defaults().withTuple(false))) {
            table.print(hostile);
        }
        String row = out.toString(StandardCharsets.UTF_8).lines().skip(1).findFirst().orElseThrow();
        // MARK/x "a5" padded to 8, then "e?1 :9" centred in 16 (5 spaces left, 5 right).
        assertEquals("0xffff8b7d9462c600 3   a?b?[2J:227116   4026531840 a5      " + " " + "     e?1 :9     "
                + " 0x0800 0     60    f?", row);
    }

    @Test
    void dumpsOnlyTheRequestedPacketBytes() throws IOException {
        Event event = RecordedEvents.events().get(2);
        try (TablePrinter table = printer(OutputOptions.defaults().withPacketBytes(9))) {
            table.print(event);
        }
        assertEquals("""
                    00000000  45 00 00 3c 1c 46 40 00  40                       |E..<.F@.@|
                    00000009
                """, out.toString(StandardCharsets.UTF_8).lines().skip(2)
                .map(line -> line + "\n").reduce("", String::concat));
    }
}
