package io.skbtrail.server.agents;

import java.util.regex.Pattern;

/** Host names agents may register: what a DNS host name or a Kubernetes node name can be. */
final class AgentNames {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,252}");

    private AgentNames() {}

    static void check(String name) {
        if (!NAME.matcher(name).matches()) {
            throw new AgentLinkHandler.ProtocolViolation("host name \"" + (name.length() > 60 ? name.substring(0, 60) + "…" : name)
                    + "\" is not a host name (letters, digits, '.', '_', '-'; at most 253)");
        }
    }
}
