// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.link;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Where a box is, as the CLI spells it: {@code ssh://admin@box[:port]},
 * {@code serial:/dev/ttyUSB0[@115200][,even|odd]}, {@code local[:/path/to/socket]}, or
 * {@code exec:COMMAND ARGS} (a local command speaking the protocol on stdio, for demos and tests).
 */
public sealed interface Target permits Target.Ssh, Target.Serial, Target.Local, Target.Exec {
    record Ssh(String user, String host, int port) implements Target {}
    record Serial(String device, int baud, SerialTransport.Parity parity) implements Target {}
    record Local(Path socket) implements Target {}
    record Exec(List<String> command) implements Target {}

    /** Throws IllegalArgumentException with a message that says what a valid target looks like. */
    static Target parse(String s) {
        String usage = "expected ssh://[user@]host[:port], serial:/dev/ttyX[@baud][,even|odd], local[:/socket] or exec:command";
        if (s == null || s.isBlank()) throw new IllegalArgumentException("empty target; " + usage);
        if (s.startsWith("ssh://")) {
            String rest = s.substring(6);
            if (rest.endsWith("/")) rest = rest.substring(0, rest.length() - 1);
            String user = null;
            int at = rest.lastIndexOf('@');
            if (at >= 0) {
                user = rest.substring(0, at);
                rest = rest.substring(at + 1);
            }
            int port = 0;
            int colon = rest.lastIndexOf(':');
            if (colon >= 0 && !rest.endsWith("]")) {
                try {
                    port = Integer.parseInt(rest.substring(colon + 1));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("bad port in '" + s + "'; " + usage);
                }
                if (port < 1 || port > 65535) throw new IllegalArgumentException("port out of range in '" + s + "'");
                rest = rest.substring(0, colon);
            }
            if (rest.startsWith("[") && rest.endsWith("]")) rest = rest.substring(1, rest.length() - 1);
            if (rest.isEmpty()) throw new IllegalArgumentException("no host in '" + s + "'; " + usage);
            return new Ssh(user == null || user.isEmpty() ? null : user, rest, port);
        }
        if (s.startsWith("serial:")) {
            String rest = s.substring(7);
            SerialTransport.Parity parity = SerialTransport.Parity.NONE;
            int comma = rest.indexOf(',');
            if (comma >= 0) {
                try {
                    parity = SerialTransport.Parity.valueOf(rest.substring(comma + 1).toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("parity must be none, even or odd in '" + s + "'");
                }
                rest = rest.substring(0, comma);
            }
            int baud = 115200;
            int at = rest.lastIndexOf('@');
            if (at >= 0) {
                try {
                    baud = Integer.parseInt(rest.substring(at + 1));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("bad baud rate in '" + s + "'; " + usage);
                }
                rest = rest.substring(0, at);
            }
            if (rest.isEmpty()) throw new IllegalArgumentException("no device in '" + s + "'; " + usage);
            return new Serial(rest, baud, parity);
        }
        if (s.equals("local")) return new Local(UnixSocketTransport.DEFAULT_SOCKET);
        if (s.startsWith("local:")) return new Local(Path.of(s.substring(6)));
        if (s.startsWith("exec:")) {
            List<String> cmd = Arrays.stream(s.substring(5).trim().split("\\s+")).filter(x -> !x.isEmpty()).toList();
            if (cmd.isEmpty()) throw new IllegalArgumentException("no command in '" + s + "'");
            return new Exec(cmd);
        }
        throw new IllegalArgumentException("unknown target '" + s + "'; " + usage);
    }

    /** How to (re)open this target; SSH settings come from {@code ssh}, whose host/user/port are replaced. */
    default Transport.Factory factory(SshTransport.Options ssh) {
        if (this instanceof Ssh t) {
            SshTransport.Options o = ssh.withBox(t.user(), t.host(), t.port());
            // A recorded new key must not be recorded twice on the reconnect that confirms.
            boolean[] first = {true};
            return () -> {
                SshTransport.Options use = first[0] ? o : o.withAcceptNewHostKey(false);
                first[0] = false;
                return SshTransport.open(use);
            };
        }
        if (this instanceof Serial t) return () -> SerialTransport.open(t.device(), t.baud(), t.parity());
        if (this instanceof Local t) return () -> UnixSocketTransport.open(t.socket());
        Exec e = (Exec) this;
        return () -> ProcessTransport.start(e.command());
    }
}
