package io.skbtrail.filter;

import static io.skbtrail.filter.Packets.*;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Generated eBPF versus libpcap's own interpreter, expression by expression, over many packets. */
@Tag("unit")
class DifferentialTest {

    /** Expressions that by construction match none of the test packets. */
    private static final Set<String> NEVER_MATCH = Set.of("ip[0] / (ip[1] & 1) = 0", "ip[0] % (ip[1] & 2) = 1");

    static final Map<String, byte[]> FRAMES = frames();

    private static Map<String, byte[]> frames() {
        Map<String, byte[]> frames = new LinkedHashMap<>();
        frames.put("tcp syn", ipv4Frame(ipv4("10.0.0.1", "10.0.0.2", 6, tcp(40000, 8080, TCP_SYN, new byte[0]))));
        frames.put("tcp syn-ack", ipv4Frame(ipv4("10.0.0.2", "10.0.0.1", 6,
                tcp(8080, 40000, TCP_SYN | TCP_ACK, new byte[0]))));
        frames.put("tcp psh-ack 100", ipv4Frame(ipv4("10.0.0.1", "10.0.0.2", 6,
                tcp(40001, 80, TCP_PSH | TCP_ACK, payload(100, 3)))));
        byte[] big = new byte[1200];
        Arrays.fill(big, (byte) 0x41);
        frames.put("tcp 1200 bytes", ipv4Frame(ipv4("10.0.0.3", "10.0.0.2", 6, tcp(40002, 8080, TCP_ACK, big))));
        frames.put("tcp ip options", ipv4Frame(ipv4("10.0.0.1", "10.0.0.2", 6, 0x4000, new byte[] {1, 1, 1, 0},
                tcp(40003, 8080, TCP_SYN, new byte[0]))));
        frames.put("tcp fragment", ipv4Frame(ipv4("10.0.0.1", "10.0.0.2", 6, 0x2000 | 100, new byte[0],
                payload(40, 9))));
        frames.put("udp mdns", ipv4Frame(ipv4("10.0.0.1", "224.0.0.251", 17, udp(5353, 5353, payload(30, 1)))));
        frames.put("udp dns", ipv4Frame(ipv4("192.168.1.1", "10.1.2.3", 17, udp(53, 33333, payload(60, 2)))));
        frames.put("udp 8500", ipv4Frame(ipv4("172.16.0.1", "172.16.0.2", 17, udp(1234, 8500, payload(8, 4)))));
        frames.put("icmp echo", ipv4Frame(ipv4("10.0.0.1", "10.0.0.2", 1, icmp(8, 0, payload(56, 5)))));
        frames.put("icmp echo reply", ipv4Frame(ipv4("10.0.0.2", "10.0.0.1", 1, icmp(0, 0, payload(56, 5)))));
        frames.put("ip6 tcp 8080", ipv6Frame(ipv6("fd00::1", "fd00::2", 6, tcp(40000, 8080, TCP_SYN, new byte[0]))));
        frames.put("ip6 tcp other host", ipv6Frame(ipv6("fd00::1", "fd00::3", 6,
                tcp(40000, 8080, TCP_ACK, payload(20, 6)))));
        frames.put("ip6 icmp6 echo", ipv6Frame(ipv6("fd00::1", "fd00::2", 58, icmp(128, 0, payload(32, 7)))));
        frames.put("ip6 fragment icmp6", ipv6Frame(ipv6("fd00::2", "fd00::1", 44,
                ipv6Fragment(58, icmp(129, 0, payload(16, 8))))));
        frames.put("arp request", ethernet(mac(0xff, 0xff, 0xff, 0xff, 0xff, 0xff), MAC_A, 0x0806,
                arpRequest("10.0.0.1", "10.0.0.2")));
        byte[] reply = arpRequest("10.0.0.2", "10.0.0.1");
        reply[7] = 2;
        frames.put("arp reply", ethernet(MAC_A, MAC_B, 0x0806, reply));
        frames.put("vlan tcp", vlan(42, 0x0800, ipv4("10.0.0.1", "10.0.0.2", 6, tcp(1, 8080, TCP_SYN, new byte[0]))));
        frames.put("other macs udp", ethernet(mac(2, 0, 0, 0, 0, 9), mac(2, 0, 0, 0, 0, 8), 0x0800,
                ipv4("11.0.0.1", "11.0.0.2", 17, udp(9, 9, payload(4, 0)))));
        frames.put("tiny", new byte[] {1, 2, 3, 4, 5});
        Random random = new Random(1234);
        for (int i = 0; i < 4; i++) {
            byte[] noise = new byte[i % 2 == 0 ? 64 : 320];
            random.nextBytes(noise);
            frames.put("random " + i, noise);
        }
        String[] templates = frames.keySet().toArray(new String[0]);
        for (int i = 0; i < 12; i++) {
            String template = templates[random.nextInt(12)];
            byte[] mutated = frames.get(template).clone();
            for (int flips = 0; flips < 3; flips++) {
                mutated[14 + random.nextInt(Math.min(40, mutated.length - 14))] ^= (byte) (1 << random.nextInt(8));
            }
            frames.put("mutated " + template + " #" + i, mutated);
        }
        return frames;
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "tcp", "udp", "icmp", "icmp6", "arp", "ip6",
        "host 10.0.0.1",
        "dst host 10.0.0.2 and port 8080",
        "tcp and dst port 8080",
        "tcp[tcpflags] = tcp-syn",
        "tcp[tcpflags] & (tcp-syn|tcp-ack) != 0",
        "ip6 and dst host fd00::2 and tcp port 8080",
        "ip6[53] & 0x3f = 0x2",
        "(((ip[2:2] - ((ip[0]&0xf)<<2)) - ((tcp[12]&0xf0)>>2)) != 0)",
        "arp and arp[7] = 1",
        "ether host 02:00:00:00:00:01",
        "vlan",
        "vlan and tcp",
        "net 10.0.0.0/8",
        "portrange 8000-9000",
        "less 100",
        "greater 1000",
        "ip[6:2] & 0x1fff = 0",
        "udp and (port 53 or port 5353)",
        "not tcp",
        "icmp[icmptype] = icmp-echo",
        "ip[0] / (ip[1] & 1) = 0",
        "ip[0] % (ip[1] & 2) = 1",
        "ip[9] / (ip[8] & 0x40) = 0",
        "ip[9] % (ip[8] - 60) = 2",
        "ip[0] ^ ip[1] = 0x45",
        "-ip[0] = 0xffffffbb",
        "ip[0] << (ip[9] & 3) = 0x8a",
        "ip[0] * ip[8] >= ip[2:2] + 1",
        "len >= ip[2:2] + 14",
        "tcp[300:2] = 0x4141",
        "ip[300] = 0x41",
        "ip[0] & 0xf > 5",
        "tcp[13] & 2 != 0 and ip[2:2] > 40",
        "ether src 02:00:00:00:00:01 and not arp",
    })
    void generatedCodeAgreesWithLibpcap(String expression) {
        CompiledFilter filter = PcapFilterCompiler.compile(expression);
        Differential l2 = new Differential(expression + " (L2)", filter.l2());
        Differential l3 = new Differential(expression + " (L3)", filter.l3());
        for (Map.Entry<String, byte[]> frame : FRAMES.entrySet()) {
            byte[] bytes = frame.getValue();
            l2.check(frame.getKey(), bytes);
            if (bytes.length >= 14) {
                l3.check(frame.getKey() + " minus Ethernet", Arrays.copyOfRange(bytes, 14, bytes.length));
            }
        }
        assertTrue(l2.cases() > 1000 && l3.cases() > 1000, "the matrix ran");
        // The packets must exercise both outcomes, or the comparison proves little.
        if (!NEVER_MATCH.contains(expression)) {
            assertTrue(l2.matches() > 0, "some packet matches " + expression);
        }
        assertTrue(l2.matches() < l2.cases(), "some packet does not match " + expression);
    }
}
