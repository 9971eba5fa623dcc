package io.skbtrail.agent.probe;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The BPF objects built from bpf/ and packaged in the agent jar under {@code /bpf/}. */
public final class BpfObjects {
    /** Read from the jar once (each session's arming needs one): name to bytes. */
    private static final Map<String, byte[]> READ = new ConcurrentHashMap<>();

    private BpfObjects() {}

    /** The object's bytes, a copy the caller may change. */
    public static byte[] read(String name) {
        return READ.computeIfAbsent(name, BpfObjects::readNow).clone();
    }

    private static byte[] readNow(String name) {
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
