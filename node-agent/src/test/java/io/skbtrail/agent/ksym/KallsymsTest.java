package io.skbtrail.agent.ksym;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("unit")
class KallsymsTest {
    private static final long NF_HOOK_SLOW = 0xffffffff81f28dd0L;

    @TempDir
    Path dir;

    private static Path fixture(String name) {
        try {
            return Path.of(KallsymsTest.class.getResource(name).toURI());
        } catch (URISyntaxException e) {
            throw new AssertionError(e);
        }
    }

    private static Kallsyms fixture() throws IOException {
        return Kallsyms.load(fixture("kallsyms"));
    }

    @Test
    void keepsTextSymbolsOnly() throws IOException {
        Kallsyms k = fixture();
        assertEquals(31, k.size(), "21 vmlinux + 10 module text lines; A, D, R, r, b, d dropped");
        assertFalse(k.isRestricted());
        assertEquals(Optional.empty(), k.restriction());
        assertEquals(List.of(), k.addressesOf("linux_banner"));
        assertEquals(List.of(0xffffffff81e44000L), k.addressesOf("arch_skb_weak_hook"), "weak text is text");
    }

    @Test
    void exactMatches() throws IOException {
        Kallsyms k = fixture();
        assertEquals(Optional.of("nf_hook_slow"), k.exact(NF_HOOK_SLOW));
        assertEquals(Optional.empty(), k.exact(NF_HOOK_SLOW + 1));
        assertEquals(Optional.of("srso_alias_untrain_ret"), k.exact(0xffffffff81000000L), "first alias listed");
        assertEquals(Optional.of("nft_do_chain"), k.exact(0xffffffffc0a10000L), "plain name for modules");
    }

    @Test
    void nearestAndDescribe() throws IOException {
        Kallsyms k = fixture();
        Symbol s = k.nearest(NF_HOOK_SLOW + 0x10).orElseThrow();
        assertEquals(new Symbol("nf_hook_slow", NF_HOOK_SLOW, null), s);
        assertEquals(0x10, s.offset(NF_HOOK_SLOW + 0x10));
        assertEquals("nf_hook_slow+0x10", k.describe(NF_HOOK_SLOW + 0x10));
        assertEquals("nf_hook_slow", k.describe(NF_HOOK_SLOW));
        assertEquals("nf_hook_slow_list+0x1f", k.describe(0xffffffff81f28f4fL));
        assertEquals("ip_rcv+0x1ef", k.describe(0xffffffff81ff6c6fL), "up to the next symbol, __pfx_ip_list_rcv");
        assertEquals("0x1000", k.describe(0x1000), "below every text symbol");
        assertEquals(Optional.empty(), k.nearest(0xffffffff80ffffffL));
        assertEquals("_etext+0x1f6778", k.describe(0xffffffff82400100L), "no sizes: data past _etext");
    }

    @Test
    void moduleSymbolsAreSortedAndTagged() throws IOException {
        Kallsyms k = fixture();
        assertEquals("nft_do_chain+0x20 [nf_tables]", k.describe(0xffffffffc0a10020L));
        assertEquals("__nft_trace_packet+0x10 [nf_tables]", k.describe(0xffffffffc0a0f010L),
                "listed after higher addresses of its module");
        assertEquals("nf_ct_get_tuple+0x50 [nf_conntrack]", k.describe(0xffffffffc0a52050L));
        assertEquals("nf_conntrack_find_get [nf_conntrack]", k.describe(0xffffffffc0a53000L));
        assertEquals("ftrace_trampoline+0x8 [__builtin__ftrace]", k.describe(0xffffffffc0201008L));
        assertEquals("bpf_prog_6deef7357e7b4530_sd_devices+0x4c [bpf]", k.describe(0xffffffffc02a4b5cL));
        assertEquals(new Symbol("nft_immediate_eval", 0xffffffffc0a10800L, "nf_tables"),
                k.nearest(0xffffffffc0a10900L).orElseThrow());
    }

    @Test
    void duplicateStaticNames() throws IOException {
        Kallsyms k = fixture();
        assertEquals(List.of(0xffffffff812a3f50L, 0xffffffff81440a20L, 0xffffffffc0a52100L),
                k.addressesOf("init_once"));
        assertEquals(List.of(NF_HOOK_SLOW), k.addressesOf("nf_hook_slow"));
        assertEquals(List.of(), k.addressesOf("nf_hook_slo"));
        assertEquals(List.of(), k.addressesOf("nf_hook_slow_"));
        assertEquals(List.of(), k.addressesOf("no_such_symbol"));
    }

    @Test
    void restrictedKernelHidesEverything() throws IOException {
        Kallsyms k = Kallsyms.load(fixture("kallsyms-restricted"));
        assertTrue(k.isRestricted());
        assertEquals(0, k.size());
        String message = k.restriction().orElseThrow();
        assertTrue(message.startsWith("read kallsyms "), message);
        assertTrue(message.contains("every address is 0"), message);
        assertTrue(message.contains("kernel.kptr_restrict"), message);
        assertEquals(Optional.empty(), k.exact(0));
        assertEquals(Optional.empty(), k.nearest(NF_HOOK_SLOW));
        assertEquals("0xffffffff81f28dd0", k.describe(NF_HOOK_SLOW));
        assertEquals(List.of(), k.addressesOf("nf_hook_slow"));
    }

    @Test
    void addressesCompareUnsigned() throws IOException {
        Path file = Files.writeString(dir.resolve("kallsyms"),
                "ffffffff81000000 T high\n0000000000001000 T low\n7fffffffffffffff t middle\n");
        Kallsyms k = Kallsyms.load(file);
        assertEquals("low+0x1000", k.describe(0x2000));
        assertEquals("middle+0x1", k.describe(0x8000000000000000L));
        assertEquals("high+0x10", k.describe(0xffffffff81000010L));
    }

    @Test
    void reloadReadsTheFileAgain() throws IOException {
        Path file = Files.writeString(dir.resolve("kallsyms"), "ffffffff81000000 T one\n");
        Kallsyms first = Kallsyms.load(file);
        Files.writeString(file, "ffffffff81000000 T one\nffffffffc0000000 t two\t[mod]\n");
        Kallsyms second = first.reload();
        assertEquals(1, first.size());
        assertEquals(2, second.size());
        assertEquals("two+0x1 [mod]", second.describe(0xffffffffc0000001L));
        assertEquals(file, second.source());
    }

    @Test
    void errorsNameTheFile() throws IOException {
        Path missing = dir.resolve("missing");
        IOException e = assertThrows(IOException.class, () -> Kallsyms.load(missing));
        assertEquals("read kallsyms " + missing + ": no such file", e.getMessage());

        Path bad = Files.writeString(dir.resolve("bad"), "ffffffff81000000 T ok\nnot kallsyms at all\n");
        IOException b = assertThrows(IOException.class, () -> Kallsyms.load(bad));
        assertEquals("read kallsyms " + bad + ": line 2: expected \"ADDRESS TYPE NAME [MODULE]\"", b.getMessage());

        Kallsyms empty = Kallsyms.load(Files.writeString(dir.resolve("empty"), ""));
        assertEquals(0, empty.size());
        assertFalse(empty.isRestricted());
    }
}
