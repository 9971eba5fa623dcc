package io.skbtrail.agent.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.function.ToLongFunction;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class FilterScopeTest {
    /** /run/netns/a and inode:100 are one namespace; /run/netns/b another; the agent's own is 300. */
    private static final ToLongFunction<String> INODES = spec -> {
        Long inode = Map.of("/run/netns/a", 100L, "inode:100", 100L, "/run/netns/b", 200L, "inode:200", 200L,
                FilterScope.OWN_NETNS, 300L).get(spec);
        if (inode == null) {
            throw new IllegalArgumentException("--filter-netns " + spec + ": cannot read it (no such file)");
        }
        return inode;
    };

    private static FilterScope combine(FilterScope agent, FilterScope session) throws SessionRefusedException {
        return agent.combine(session, INODES);
    }

    @Test
    void whereOnlyOneSideNamesANetnsItIsUsed() throws SessionRefusedException {
        assertEquals(FilterScope.ANY, combine(FilterScope.ANY, FilterScope.ANY));
        assertEquals(new FilterScope("/run/netns/a", null), combine(FilterScope.ANY, new FilterScope("/run/netns/a", null)));
        assertEquals(new FilterScope("/run/netns/b", null), combine(new FilterScope("/run/netns/b", null), FilterScope.ANY));
    }

    @Test
    void bothMayNameTheSameNetnsAndThePathIsKept() throws SessionRefusedException {
        assertEquals(new FilterScope("/run/netns/a", null),
                combine(new FilterScope("/run/netns/a", null), new FilterScope("inode:100", null)));
        assertEquals(new FilterScope("/run/netns/a", null),
                combine(new FilterScope("inode:100", null), new FilterScope("/run/netns/a", null)));
        assertEquals(new FilterScope("/run/netns/a", null),
                combine(new FilterScope("/run/netns/a", null), new FilterScope("/run/netns/a", null)));
    }

    @Test
    void differentNetnsOnBothSidesCannotMatchAnyPacket() {
        SessionRefusedException e = assertThrows(SessionRefusedException.class,
                () -> combine(new FilterScope("/run/netns/a", null), new FilterScope("/run/netns/b", null)));
        assertEquals("session netns /run/netns/b (inode 200) and this agent's --filter-netns /run/netns/a (inode 100)"
                + " differ: no packet can be in both", e.getMessage());
    }

    @Test
    void anAgentInterfaceWithoutANetnsMeansTheAgentsOwnNetns() throws SessionRefusedException {
        FilterScope agent = new FilterScope(null, "eth0");
        assertEquals(new FilterScope(FilterScope.OWN_NETNS, "eth0"), combine(agent, FilterScope.ANY));
        SessionRefusedException e = assertThrows(SessionRefusedException.class,
                () -> combine(agent, new FilterScope("/run/netns/a", null)));
        assertTrue(e.getMessage().contains("this agent's own netns (where its --filter-ifname eth0 is)"), e.getMessage());
    }

    @Test
    void aSessionInterfaceIsLookedUpInTheCombinedNetns() throws SessionRefusedException {
        assertEquals(new FilterScope("/run/netns/a", "veth1"),
                combine(new FilterScope("/run/netns/a", null), new FilterScope(null, "veth1")));
        assertEquals(new FilterScope("/run/netns/a", "veth1"),
                combine(new FilterScope("/run/netns/a", "veth1"), new FilterScope("inode:100", "veth1")));
    }

    @Test
    void differentInterfacesOnBothSidesCannotMatchAnyPacket() {
        SessionRefusedException e = assertThrows(SessionRefusedException.class,
                () -> combine(new FilterScope("/run/netns/a", "veth1"), new FilterScope(null, "veth2")));
        assertEquals("session interface veth2 and this agent's --filter-ifname veth1 differ: no packet can be on both",
                e.getMessage());
    }

    @Test
    void aNetnsThatCannotBeReadRefusesTheSessionWithTheCliMessage() {
        SessionRefusedException e = assertThrows(SessionRefusedException.class,
                () -> combine(new FilterScope("/run/netns/a", null), new FilterScope("/run/netns/gone", null)));
        assertEquals("--filter-netns /run/netns/gone: cannot read it (no such file)", e.getMessage());
    }
}
