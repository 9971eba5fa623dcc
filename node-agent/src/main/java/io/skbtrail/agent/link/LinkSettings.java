package io.skbtrail.agent.link;

import java.net.URI;
import java.util.List;

/**
 * The {@code connect} command's settings.
 *
 * @param server the link's WebSocket address ({@link ServerAddress#linkUri})
 * @param token sent as {@code Authorization: Bearer}
 * @param agentScope {@code --filter-netns/--filter-ifname}: every session is limited to them too
 * @param agentArgs {@code trace} flags every session gets (host-local ones such as {@code --kernel-btf})
 * @param batchMillis {@code --batch-millis}: a batch is sealed this long after its first record
 * @param batchEvents {@code --batch-events}: records per batch at most
 * @param bufferEvents {@code --buffer-events}: records held for the server at most
 */
public record LinkSettings(URI server, String token, FilterScope agentScope, List<String> agentArgs,
        int batchMillis, int batchEvents, long bufferEvents) {

    public LinkSettings {
        agentArgs = List.copyOf(agentArgs);
    }

    @Override
    public String toString() {
        return "LinkSettings[server=" + server + ", token=(hidden), agentScope=" + agentScope + ", agentArgs="
                + agentArgs + ", batchMillis=" + batchMillis + ", batchEvents=" + batchEvents + ", bufferEvents="
                + bufferEvents + "]";
    }
}
