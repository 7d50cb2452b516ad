// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.link;

import dev.rampart.dsl.ir.IrPolicy;
import dev.rampart.dsl.table.TableCompiler;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Small policies the link tests deploy. */
final class Policies {
    private Policies() {}

    /** SSH to {@code port} allowed; the web from the LAN counted. */
    static String allowsSsh(int port) {
        return """
                chain input policy drop {
                  rule replies: state established, related accept
                  rule admin-ssh: proto tcp dport %d state new accept
                  rule ping: proto icmp accept
                }
                chain forward policy drop {
                  rule fw-replies: state established, related accept
                  rule lan-web: in lan0 out wan0 proto tcp dport 80, 443 state new accept
                }
                """.formatted(port);
    }

    /** Cuts SSH to {@code port} with a named rule before anything accepts it. */
    static String cutsSsh(int port) {
        return """
                chain input policy drop {
                  rule no-remote-admin: proto tcp dport %d drop
                  rule replies: state established, related accept
                }
                """.formatted(port);
    }

    /** Many distinct rules, so that the table takes several upload chunks. */
    static String many(int n) {
        StringBuilder sb = new StringBuilder("chain forward policy drop {\n");
        for (int i = 0; i < n; i++)
            sb.append("  rule r").append(i).append(": proto tcp from 10.").append(i / 250).append('.').append(i % 250)
                    .append(".0/24 dport ").append(1000 + i * 7 % 60000).append(" accept\n");
        return sb.append("}\n").toString();
    }

    static Path write(Path dir, String name, String text) {
        try {
            return Files.writeString(dir.resolve(name), text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static IrPolicy ir(Path file) throws BoxException {
        return SafeDeploy.compile(file);
    }

    static byte[] table(Path dir, String name, String text) throws BoxException {
        return TableCompiler.compile(ir(write(dir, name, text)));
    }
}
