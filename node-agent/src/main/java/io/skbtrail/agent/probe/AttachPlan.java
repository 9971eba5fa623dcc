package io.skbtrail.agent.probe;

import io.skbtrail.agent.libbpf.BpfLink;
import io.skbtrail.agent.libbpf.BpfObject;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/** How a backend attaches its loaded programs: the only part in which backends differ. */
@FunctionalInterface
public interface AttachPlan {

    /**
     * Attaches, adding each link to {@code links} as soon as it exists (so that a failure or a
     * cancellation half-way detaches what was attached).
     *
     * @param cancelled true once the user asked to stop (Ctrl-C during a long attach)
     * @return the probe points now attached, for messages and the summary
     */
    List<String> attach(BpfObject object, List<BpfLink> links, Consumer<String> progress, BooleanSupplier cancelled);
}
