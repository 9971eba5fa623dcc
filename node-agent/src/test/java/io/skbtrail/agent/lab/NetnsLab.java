package io.skbtrail.agent.lab;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Test hosts made of network namespaces joined by veth pairs. Every address used lies inside these
 * namespaces (10.231.0.0/16, fd00:231::/64): test traffic never leaves them. {@link #close()} deletes
 * the namespaces and with them their interfaces and firewall rules.
 */
public final class NetnsLab implements AutoCloseable {
    private final String prefix = "st" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x10000, 0xfffff));
    private final List<String> namespaces = new ArrayList<>();
    private int links;

    /** Creates a namespace with loopback up; returns its name (usable with {@code ip netns exec}). */
    public String host(String role) {
        String ns = prefix + "-" + role;
        Shell.run("ip netns add " + ns + " && ip -n " + ns + " link set lo up");
        namespaces.add(ns);
        return ns;
    }

    /** An interface in a namespace and its addresses. */
    public record End(String netns, String ifname, String ipv4, String ipv6) {}

    /**
     * Joins two namespaces with a veth pair on subnet 10.231.{subnet}.0/24 and fd00:231:{subnet}::/64;
     * {@code a} gets .1 / ::1 and {@code b} .2 / ::2.
     */
    public End[] link(String a, String b, int subnet) {
        int n = ++links;
        String ifA = prefix + "a" + n;
        String ifB = prefix + "b" + n;
        Shell.run(String.join(" && ",
                "ip link add " + ifA + " netns " + a + " type veth peer name " + ifB + " netns " + b,
                addr(a, ifA, subnet, 1), addr(b, ifB, subnet, 2),
                "ip -n " + a + " link set " + ifA + " up", "ip -n " + b + " link set " + ifB + " up"));
        return new End[] {
            new End(a, ifA, "10.231." + subnet + ".1", "fd00:231:" + subnet + "::1"),
            new End(b, ifB, "10.231." + subnet + ".2", "fd00:231:" + subnet + "::2")
        };
    }

    private static String addr(String ns, String ifname, int subnet, int host) {
        return "ip -n " + ns + " addr add 10.231." + subnet + "." + host + "/24 dev " + ifname
                + " && ip -n " + ns + " addr add fd00:231:" + subnet + "::" + host + "/64 dev " + ifname + " nodad";
    }

    /** Runs a command inside a namespace. */
    public static String exec(String ns, String command) {
        return Shell.run("ip netns exec " + ns + " bash -c '" + command.replace("'", "'\\''") + "'");
    }

    public static Shell.Result tryExec(String ns, String command) {
        return Shell.tryRun("ip netns exec " + ns + " bash -c '" + command.replace("'", "'\\''") + "'");
    }

    /** The netns inode, as events report it. */
    public static long inode(String ns) {
        return Long.parseLong(Shell.run("stat -L -c %i /run/netns/" + ns).trim());
    }

    @Override
    public void close() {
        for (String ns : namespaces) {
            Shell.tryRun("ip netns pids " + ns + " | xargs -r kill -9; ip netns del " + ns);
        }
    }
}
