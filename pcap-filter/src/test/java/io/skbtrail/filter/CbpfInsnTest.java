package io.skbtrail.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.skbtrail.filter.libpcap.Libpcap;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class CbpfInsnTest {

    @Test
    void tcpDstPort8080IsWhatTcpdumpPrints() throws IOException {
        String expected;
        try (InputStream in = getClass().getResourceAsStream("tcp-dst-port-8080.en10mb.txt")) {
            expected = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
        List<CbpfInsn> program = PcapFilterCompiler.compile("tcp and dst port 8080").l2().cbpf();
        assertEquals(expected, CbpfInsn.disassemble(program));
    }

    /** Every instruction of many programs renders exactly as libpcap's bpf_image (what tcpdump -d prints). */
    @Test
    void renderingMatchesLibpcap() {
        int checked = 0;
        for (String expression : List.of("tcp and dst port 8080", "ip6 and dst host fd00::2 and tcp port 8080",
                "(((ip[2:2] - ((ip[0]&0xf)<<2)) - ((tcp[12]&0xf0)>>2)) != 0)", "ip[0] % (ip[1] & 2) = 1",
                "-ip[0] = 3", "ip[0] ^ ip[1] = 0x45", "ip[0] * 3 / 2 - 1 + len > 100", "vlan and arp",
                "ip[0] | 0x80 = 0xc5 and ip[1] & 3 != 0", "ip[0] >> 1 = 0x22")) {
            for (FilterProgram program : List.of(PcapFilterCompiler.compile(expression).l2(),
                    PcapFilterCompiler.compile(expression).l3())) {
                checked += compareWithLibpcap(program.cbpf());
            }
        }
        Random random = new Random(7);
        for (int i = 0; i < 50; i++) {
            checked += compareWithLibpcap(RandomProgramTest.randomProgram(random));
        }
        assertTrue(checked > 2000, "checked " + checked);
    }

    private static int compareWithLibpcap(List<CbpfInsn> program) {
        int checked = 0;
        for (int pc = 0; pc < program.size(); pc++) {
            CbpfInsn insn = program.get(pc);
            if (insn.opcode() == (CbpfInsn.LDX | CbpfInsn.LEN)) {
                continue; // libpcap's interpreter runs it but its printer says "unimp"
            }
            assertEquals(Libpcap.image(CbpfInsn.encode(List.of(insn)), pc), insn.toString(pc));
            checked++;
        }
        return checked;
    }

    @Test
    void toStringShowsRelativeJumps() {
        assertEquals("jeq #0x800 jt +0 jf +7", CbpfInsn.of(0x15, 0, 7, 0x800).toString());
        assertEquals("ldh [12]", CbpfInsn.of(0x28, 0, 0, 12).toString());
        assertEquals("ldxb 4*([14]&0xf)", CbpfInsn.of(0xb1, 0, 0, 14).toString());
        assertEquals("ja -16", CbpfInsn.of(0x05, 0, 0, -16).toString());
        assertEquals("ret", CbpfInsn.of(0x16, 0, 0, 0).toString());
        assertEquals("unimp 0xff", CbpfInsn.of(0xff, 0, 0, 0).toString());
    }

    @Test
    void encodeIsTheInverseOfDecode() {
        List<CbpfInsn> program = PcapFilterCompiler.compile("udp and port 53").l2().cbpf();
        assertEquals(program, CbpfInsn.decode(CbpfInsn.encode(program)));
        assertEquals(program.size() * 8, CbpfInsn.encode(program).length);
    }
}
