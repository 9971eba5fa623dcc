package io.skbtrail.agent.link;

import java.util.function.ToLongFunction;

/**
 * Where packets may be: a network namespace ({@code --filter-netns}: a path or {@code inode:N}) and an
 * interface in it ({@code --filter-ifname}), each null for any.
 *
 * <p>The agent's own {@code connect --filter-netns/--filter-ifname} and a session's {@code filter-netns} /
 * {@code filter-ifname} options must both hold. The probes' config holds one netns and one interface, so
 * the two combine into one scope: where only one side names a netns it is used; where both do, they must
 * be the same namespace (same nsfs inode), or no packet could match and the session is refused. The same
 * goes for the interface, which is looked up inside the combined netns. As with {@code trace}, an interface
 * without a netns means the agent's own netns.
 */
public record FilterScope(String netns, String ifname) {

    /** No restriction. */
    public static final FilterScope ANY = new FilterScope(null, null);

    /** The agent's own network namespace, as {@code trace} looks up an interface given without a netns. */
    static final String OWN_NETNS = "/proc/self/ns/net";

    /**
     * This scope (the agent's) and a session's, as one.
     *
     * @param inodeOf the nsfs inode of a netns spec; throws IllegalArgumentException with a message for the
     *     user when the spec is not a netns
     * @throws SessionRefusedException when the two cannot both hold
     */
    FilterScope combine(FilterScope session, ToLongFunction<String> inodeOf) throws SessionRefusedException {
        // An agent limited to an interface of its own netns is limited to that netns.
        String agentNetns = netns != null ? netns : ifname != null ? OWN_NETNS : null;
        String netnsOut;
        if (agentNetns == null || session.netns == null) {
            netnsOut = agentNetns != null ? agentNetns : session.netns;
        } else {
            long agentInode = inode(agentNetns, inodeOf);
            long sessionInode = inode(session.netns, inodeOf);
            if (agentInode != sessionInode) {
                throw new SessionRefusedException("session netns " + session.netns + " (inode " + sessionInode
                        + ") and this agent's " + (netns != null ? "--filter-netns " + netns
                                : "own netns (where its --filter-ifname " + ifname + " is)")
                        + " (inode " + agentInode + ") differ: no packet can be in both");
            }
            // The same namespace: keep a path if either side has one (interfaces are looked up through it).
            netnsOut = session.netns.startsWith("inode:") ? agentNetns : session.netns;
        }
        String ifnameOut;
        if (ifname == null || session.ifname == null || ifname.equals(session.ifname)) {
            ifnameOut = ifname != null ? ifname : session.ifname;
        } else {
            throw new SessionRefusedException("session interface " + session.ifname + " and this agent's --filter-ifname "
                    + ifname + " differ: no packet can be on both");
        }
        return new FilterScope(netnsOut, ifnameOut);
    }

    private static long inode(String spec, ToLongFunction<String> inodeOf) throws SessionRefusedException {
        try {
            return inodeOf.applyAsLong(spec);
        } catch (IllegalArgumentException e) {
            throw new SessionRefusedException(e.getMessage());
        }
    }
}
