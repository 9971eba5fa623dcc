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
        assertEquals(47, columns.length, row);
        assertEquals("7", columns[0]);
        assertEquals("1795600800000000001", columns[2], "time as ns since the epoch");
        assertEquals("p\\tq", columns[7], "a tab inside a value is escaped");
        assertEquals(Long.toString(0xffff8b7d9462c600L), columns[9]);
        assertEquals("fd00:0:0:0:0:0:0:1", columns[23]);
        assertEquals("{\"a\\\\\"b\",\"c\\\\\\\\d\"}", columns[32]);
        assertEquals("\\\\x45ff", columns[34]);
        assertEquals("\\N", columns[35]);
        for (int c = 36; c < 47; c++) {
            assertEquals("\\N", columns[c], "no fingerprint, no encap, no ct, no keys: column " + c);
        }
        assertEquals('\n', row.charAt(row.length() - 1));
    }

    @Test
    void writesTheFingerprintAndTheJoinKeysOfTheInnerPacketAndOfConntracksOtherForm() {
        Event.Fingerprint fp = new Event.Fingerprint(4660, 1000L, 7L, 3000, "00000000000000ff", 32);
        Event plain = base().tuple("10.0.0.1", 40000, "10.0.0.2", 80, "tcp").fp(fp).build();
        String[] c = columns(row(plain));
        assertEquals("4660", c[36]);
        assertEquals("1000", c[37]);
        assertEquals("7", c[38]);
        assertEquals("3000", c[39]);
        assertEquals("255", c[40]);
        assertEquals("32", c[41]);
        long key = Long.parseLong(c[44]);
        assertEquals("\\N", c[45], "no conntrack, no other form");

        // The same packet as the inner one of VXLAN: the same key, though the outer tuple differs.
        Event encapsulated = base().tuple("192.168.0.1", 51000, "192.168.0.2", 4789, "udp").fp(fp)
                .encap(new Event.Encap("vxlan", 42, new Event.Tuple("10.0.0.1", "10.0.0.2", 40000, 80, "tcp", ""), null))
                .build();
        c = columns(row(encapsulated));
        assertEquals(key, Long.parseLong(c[44]));
        assertEquals(true, c[42].contains("\"vni\":42"), c[42]);

        // After DNAT of 10.0.0.9:80 to 10.0.0.2:80: its other form is the original tuple, whose key is the sender's.
        Event sent = base().tuple("10.0.0.1", 40000, "10.0.0.9", 80, "tcp").fp(fp).build();
        Event translated = base().tuple("10.0.0.1", 40000, "10.0.0.2", 80, "tcp").fp(fp)
                .ct(new Event.Conntrack(Event.Conntrack.Direction.ORIGINAL,
                        new Event.CtTuple("10.0.0.1", "10.0.0.9", 40000, 80, "tcp"),
                        new Event.CtTuple("10.0.0.2", "10.0.0.1", 80, 40000, "tcp"))).build();
        c = columns(row(translated));
        assertEquals(key, Long.parseLong(c[44]));
        assertEquals(columns(row(sent))[44], c[45]);
        assertEquals(true, c[43].startsWith("{\"dir\":\"original\""), c[43]);
    }

    private static String[] columns(String row) {
        return row.substring(0, row.length() - 1).split("\t", -1);
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
        assertRefused("event.encap.tuple.daddr: not an IP address", base().encap(new Event.Encap("vxlan", 1,
                new Event.Tuple("10.0.0.1", "nowhere", 1, 2, "udp", ""), null)));
        assertRefused("event.ct.reply.saddr: not an IP address", base().ct(new Event.Conntrack(
                Event.Conntrack.Direction.REPLY, new Event.CtTuple("10.0.0.1", "10.0.0.2", 1, 2, "udp"),
                new Event.CtTuple("10.0.0.2.7", "10.0.0.1", 2, 1, "udp"))));
    }

    private static void assertRefused(String start, io.skbtrail.protocol.EventBuilder e) {
        IllegalArgumentException x = assertThrows(IllegalArgumentException.class, () -> row(e.build()));
        assertEquals(true, x.getMessage().startsWith(start), x.getMessage());
    }
}
