package io.skbtrail.agent.libbpf;

/** A libbpf or kernel call failed; the message starts with the operation ("load tp_btf/kfree_skb: …"). */
public class LibBpfException extends RuntimeException {
    private final int errno;

    public LibBpfException(String operation, int errno) {
        this(operation, errno, null);
    }

    public LibBpfException(String operation, int errno, String detail) {
        super(operation + ": " + Errno.describe(errno) + (detail == null || detail.isBlank() ? "" : "\n" + detail));
        this.errno = errno;
    }

    /** The positive errno value. */
    public int errno() {
        return errno;
    }
}
