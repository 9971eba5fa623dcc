package io.skbtrail.agent.btf;

import java.io.IOException;

/** BTF could not be read or is malformed; the message names the operation and the file. */
public final class BtfException extends IOException {
    private static final long serialVersionUID = 1L;

    public BtfException(String message) {
        super(message);
    }

    public BtfException(String message, Throwable cause) {
        super(message, cause);
    }
}
