package io.skbtrail.agent.ksym;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Against this machine's {@code /proc/kallsyms}; needs root (or CAP_SYSLOG) to see addresses. */
@Tag("kernel")
class ProcKallsymsTest {

    @Test
    void resolvesRealSymbols() throws IOException {
        Kallsyms k = Kallsyms.load();
        assertFalse(k.isRestricted(), () -> k.restriction().orElse(""));
        assertTrue(k.size() > 50_000, "a distribution kernel has 100k+ text symbols");

        List<Long> addresses = k.addressesOf("nf_hook_slow");
        assertEquals(1, addresses.size());
        long address = addresses.get(0);
        assertEquals(Optional.of("nf_hook_slow"), k.exact(address));
        assertEquals("nf_hook_slow", k.describe(address));
        assertEquals("nf_hook_slow+0x10", k.describe(address + 0x10));
        assertEquals(Optional.of(new Symbol("nf_hook_slow", address, null)), k.nearest(address + 0x10));

        long ipRcv = k.addressesOf("ip_rcv").get(0);
        assertEquals("ip_rcv", k.describe(ipRcv));
    }
}
