package io.skbtrail.agent.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class SessionArgsTest {
    private static final ToLongFunction<String> INODES = spec -> spec.equals("/run/netns/a") ? 100 : 200;

    private static List<String> args(String filter, Map<String, String> options, long maxEvents)
            throws SessionRefusedException {
        return SessionArgs.of(filter, options, maxEvents, FilterScope.ANY, List.of(), INODES);
    }

    @Test
    void optionsBecomeTraceFlagsWithTheirValuesAttached() throws SessionRefusedException {
        assertEquals(List.of("--filter-mark=0x1/0xff", "--output-stack=true", "--output-json",
                        "--output-limit-lines=100000", "--", "tcp and port 80"),
                args("tcp and port 80", Map.of("filter-mark", "0x1/0xff", "output-stack", "true"), 100_000));
    }

    @Test
    void noFilterMeansEveryPacketAndNoLimitMeansNone() throws SessionRefusedException {
        assertEquals(List.of("--output-json"), args("", Map.of(), 0));
        assertEquals(List.of("--output-json"), args("  ", Map.of(), 0));
    }

    @Test
    void aValueThatLooksLikeAFlagStaysAValue() throws SessionRefusedException {
        assertEquals(List.of("--filter-func=--output-file=/etc/x", "--output-json"),
                args("", Map.of("filter-func", "--output-file=/etc/x"), 0));
    }

    @Test
    void anExpressionThatLooksLikeAFlagStaysTheExpression() throws SessionRefusedException {
        List<String> a = args("--output-file /etc/passwd", Map.of(), 0);
        assertEquals(List.of("--output-json", "--", "--output-file /etc/passwd"), a);
    }

    @Test
    void theAgentsFlagsComeFirstAndItsScopeCombinesWithTheSessions() throws SessionRefusedException {
        List<String> a = SessionArgs.of("udp", Map.of("filter-ifname", "veth1", "filter-netns", "/run/netns/a"), 0,
                new FilterScope("/run/netns/a", null), List.of("--kernel-btf=/boot/vmlinux.btf"), INODES);
        assertEquals(List.of("--kernel-btf=/boot/vmlinux.btf", "--filter-netns=/run/netns/a", "--filter-ifname=veth1",
                "--output-json", "--", "udp"), a);
    }

    @Test
    void optionsOutsideTheWhitelistAreRefused() {
        for (String hostLocal : new String[] {"output-file", "kernel-btf", "backend", "debug", "output-json",
                "ready-file", "output-limit-lines", "kmods"}) {
            SessionRefusedException e = assertThrows(SessionRefusedException.class,
                    () -> args("", Map.of(hostLocal, "x"), 0), hostLocal);
            assertTrue(e.getMessage().startsWith("unknown option \"" + hostLocal + "\"; sessions take filter-netns"),
                    e.getMessage());
        }
    }

    @Test
    void valuesOfTheWrongKindAreRefused() {
        assertEquals("option \"output-stack\" takes true or false, not \"yes\"",
                assertThrows(SessionRefusedException.class, () -> args("", Map.of("output-stack", "yes"), 0)).getMessage());
        assertEquals("option \"rate-limit\" takes a non-negative integer, not \"-1\"",
                assertThrows(SessionRefusedException.class, () -> args("", Map.of("rate-limit", "-1"), 0)).getMessage());
        assertEquals("option \"filter-func\" takes a non-empty single-line value",
                assertThrows(SessionRefusedException.class, () -> args("", Map.of("filter-func", "a\nb"), 0)).getMessage());
    }

    @Test
    void anUpdateMayChangeOnlyTheInKernelFilters() throws SessionRefusedException {
        Map<String, String> merged = SessionArgs.updated(Map.of("filter-mark", "0x1", "output-stack", "true"),
                Map.of("filter-mark", "0x2", "filter-netns", "/run/netns/a"));
        assertEquals(Map.of("filter-mark", "0x2", "output-stack", "true", "filter-netns", "/run/netns/a"), merged);
        SessionRefusedException e = assertThrows(SessionRefusedException.class,
                () -> SessionArgs.updated(Map.of(), Map.of("output-stack", "true")));
        assertEquals("option \"output-stack\" cannot change while a session runs (only filter-ifname, filter-mark,"
                + " filter-netns); arm a new session", e.getMessage());
    }
}
