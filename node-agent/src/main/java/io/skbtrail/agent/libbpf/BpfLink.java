package io.skbtrail.agent.libbpf;

import com.sun.jna.Pointer;

/** An attached program; {@link #close()} detaches it. */
public final class BpfLink implements AutoCloseable {
    private Pointer link;

    BpfLink(Pointer link) {
        this.link = link;
    }

    @Override
    public synchronized void close() {
        if (link != null) {
            LibBpf.get().bpf_link__destroy(link);
            link = null;
        }
    }
}
