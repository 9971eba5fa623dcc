package io.skbtrail.agent.probe;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** The BPF objects built from bpf/ and packaged in the agent jar under {@code /bpf/}. */
public final class BpfObjects {
    private BpfObjects() {}

    public static byte[] read(String name) {
        try (InputStream in = BpfObjects.class.getResourceAsStream("/bpf/" + name)) {
            if (in == null) {
                throw new IllegalStateException("BPF object " + name + " is not in the agent jar: rebuild with"
                        + " clang installed (apt-get install clang llvm libbpf-dev)");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("read BPF object " + name, e);
        }
    }
}
