package io.skbtrail.server.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.skbtrail.protocol.Event;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The COPY rows, and the values they refuse before PostgreSQL would (a failed COPY must never happen). */
@Tag("unit")
class EventRowsTest {

    private static io.skbtrail.protocol.EventBuilder base() {
        return Event.builder().time(Instant.parse("2026-11-25T10:00:00.000000001Z")).ktimeNs(5)
                .bootId("5d2e8b6a-3f1c-4e0a-9c1f-7b4d2a9e4c10").seq(1).cpu(0).process("p\tq").pid(1)
                .skb("0xffff8b7d9462c600").packetId(2).probeType(Event.ProbeType.KPROBE).func("ip_rcv").netns(1)
                .mark(0).ifindex(1).proto(2048).mtu(1500).len(60);
    }

    private static String row(Event e) {
        StringBuilder out = new StringBuilder();
        EventRows.append(out, 7, 3, e);
        return out.toString();
    }

    @Test
    void writesOneEscapedRowPerEvent() {
        String row = row(base().tuple("10.0.0.1", 1, "fd00::1", 2, "udp").stack(List.of("a\"b", "c\\d"))
                .packet("45ff").build());
        String[] columns = row.substring(0, row.length() - 1).split("\t", -1);
        assertEquals(36, columns.length, row);
        assertEquals("7", columns[0]);
        assertEquals("1795600800000000001", columns[2], "time as ns since the epoch");
        assertEquals("p\\tq", columns[7], "a tab inside a value is escaped");
        assertEquals(Long.toString(0xffff8b7d9462c600L), columns[9]);
        assertEquals("fd00:0:0:0:0:0:0:1", columns[23]);
        assertEquals("{\"a\\\\\"b\",\"c\\\\\\\\d\"}", columns[32]);
        assertEquals("\\\\x45ff", columns[34]);
        assertEquals("\\N", columns[35]);
        assertEquals('\n', row.charAt(row.length() - 1));
    }

    @Test
    void refusesWhatPostgresqlWouldRefuseNamingTheField() {
        assertRefused("event.tuple.saddr: not an IP address", base().tuple("10.0.0.256", 1, "10.0.0.1", 2, "udp"));
        assertRefused("event.tuple.saddr: not an IP address", base().tuple("010.0.0.1", 1, "10.0.0.1", 2, "udp"));
        assertRefused("event.tuple.daddr: not an IP address", base().tuple("10.0.0.1", 1, "cafe", 2, "udp"));
        assertRefused("event.tuple.daddr: not an IP address", base().tuple("10.0.0.1", 1, "1::2::3", 2, "udp"));
        assertRefused("event.boot_id: expected a UUID", base().bootId("5d2e8b6a-3f1c-4e0a-9c1f-7b4d2a9e4cＡ0"));
        assertRefused("event.skb: expected 0x", base().skb("0xzz"));
        assertRefused("event.packet: expected lower-case hex bytes", base().packet("abc"));
    }

    private static void assertRefused(String start, io.skbtrail.protocol.EventBuilder e) {
        IllegalArgumentException x = assertThrows(IllegalArgumentException.class, () -> row(e.build()));
        assertEquals(true, x.getMessage().startsWith(start), x.getMessage());
    }
}
