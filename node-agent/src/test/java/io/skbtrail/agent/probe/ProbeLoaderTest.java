package io.skbtrail.agent.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Reading libbpf's and the verifier's words when a load fails (logs as seen on Debian 6.1). */
@Tag("unit")
class ProbeLoaderTest {

    @Test
    void namesTheProgramTheVerifierRefused() {
        String log = "libbpf: prog 'tp_tcp_retransmit_skb': BPF program load failed: Permission denied\n"
                + "libbpf: prog 'tp_tcp_retransmit_skb': -- BEGIN PROG LOAD LOG --\n…\n"
                + "libbpf: prog 'tp_tcp_retransmit_skb': failed to load: -13\nlibbpf: failed to load object 'skbtrail'\n";
        assertEquals("tp_tcp_retransmit_skb", ProbeLoader.refusedProgram(log));
        assertNull(ProbeLoader.refusedProgram("libbpf: failed to load object 'skbtrail'"));
    }

    @Test
    void blamesTheFilterOnlyWhenItsOwnValidationFailed() {
        assertFalse(ProbeLoader.filterRefused("Validating filter_pcap_l2() func#1...\n"
                + "Func#1 is safe for any args that match its prototype\n0: R1=ctx() …\n48: (61) r1 = …"));
        assertTrue(ProbeLoader.filterRefused("Validating filter_pcap_l3() func#2...\n"
                + "120: (bf) r3 = r2\nR3 invalid mem access 'scalar'"));
        assertFalse(ProbeLoader.filterRefused("0: R1=ctx() …\nR2 invalid mem access"));
    }
}
