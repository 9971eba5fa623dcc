package io.skbtrail.agent.link;

import io.skbtrail.protocol.ServerFrame;
import java.util.Map;

/** The session frames' effect ({@link Sessions}). */
interface SessionControl {
    void arm(ServerFrame.Arm arm);

    void start(long session);

    void stop(long session);

    void update(long session, Map<String, String> options);
}
