// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.link;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;

/** A local command speaking the protocol on its stdio, such as {@code rampartd --stdio}. */
public final class ProcessTransport implements Transport {
    private final Process process;
    private final String description;

    private ProcessTransport(Process process, String description) {
        this.process = process;
        this.description = description;
    }

    public static ProcessTransport start(List<String> command) throws BoxException {
        try {
            Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            return new ProcessTransport(p, String.join(" ", command));
        } catch (IOException e) {
            throw new BoxException("cannot run " + String.join(" ", command) + ": " + e.getMessage(), e);
        }
    }

    @Override public InputStream input() { return process.getInputStream(); }
    @Override public OutputStream output() { return process.getOutputStream(); }
    @Override public Kind kind() { return Kind.PROCESS; }
    @Override public String describe() { return description; }

    @Override public void close() {
        process.destroy();
    }
}
