package io.skbtrail.agent.probe;

import io.skbtrail.agent.libbpf.BpfLink;
import io.skbtrail.agent.libbpf.BpfObject;
import java.util.List;

/**
 * --filter-track-skb following clones and copies: fexit programs on skb_clone and skb_copy (bpf/include/
 * clone.h, in every backend's object). Needs BPF trampolines (fentry/fexit).
 */
public final class CloneFollowing {
    /** The programs, as named in the objects. */
    public static final List<String> PROGRAMS = List.of("fexit_skb_clone", "fexit_skb_copy");

    private CloneFollowing() {}

    /** Attaches them; returns the probe points for the summary. */
    public static List<String> attach(BpfObject object, List<BpfLink> links) {
        for (String program : PROGRAMS) {
            links.add(object.program(program).attach());
        }
        return List.of("fexit:skb_clone", "fexit:skb_copy");
    }
}
