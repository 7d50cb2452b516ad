// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.gui.connection;

import java.util.Locale;

/**
 * A saved way to reach a box. Only the fields of its kind matter; the others are kept so that
 * switching the kind back and forth in the form does not lose what was typed.
 *
 * @param socket  LOCAL: the agent's unix socket
 * @param port    SSH: 0 means 22 (or what ~/.ssh/config says)
 * @param keyFile SSH: a private key to offer; empty offers ~/.ssh/id_ed25519, id_rsa, id_ecdsa
 */
public record Profile(String name, Kind kind, String socket, String host, String user, int port, String keyFile,
                      String device, int baud) {

    public enum Kind {
        DEMO("Demo box (simulated, on this machine)"),
        LOCAL("Local agent (unix socket)"),
        SSH("SSH"),
        SERIAL("Serial console");

        public final String title;

        Kind(String title) { this.title = title; }

        @Override public String toString() { return title; }
    }

    public static final String DEMO_NAME = "Demo box";
    public static final Profile DEMO = new Profile(DEMO_NAME, Kind.DEMO, "", "", "", 0, "", "", 115200);

    public Profile {
        name = name == null ? "" : name.strip();
        socket = socket == null ? "" : socket.strip();
        host = host == null ? "" : host.strip();
        user = user == null ? "" : user.strip();
        keyFile = keyFile == null ? "" : keyFile.strip();
        device = device == null ? "" : device.strip();
    }

    public static Profile blank(String name, Kind kind) {
        return new Profile(name, kind, kind == Kind.LOCAL ? "/run/rampart/rampartd.sock" : "", "", "", 0, "",
                kind == Kind.SERIAL ? "/dev/ttyUSB0" : "", 115200);
    }

    /** What is wrong with this profile, as one sentence naming the field; null when it can be used. */
    public String problem() {
        if (name.isEmpty()) return "the profile needs a name";
        return switch (kind) {
            case DEMO -> null;
            case LOCAL -> socket.isEmpty() ? "Socket: give the path of rampartd's socket" : null;
            case SSH -> host.isEmpty() ? "Host: give the box's host name or address"
                    : port < 0 || port > 65535 ? "Port: " + port + " is not a TCP port (1-65535, or empty for 22)"
                    : host.contains(" ") || host.contains("@") ? "Host: give the host alone; the user goes in User" : null;
            case SERIAL -> device.isEmpty() ? "Device: give the serial port, such as /dev/ttyUSB0"
                    : baud <= 0 ? "Baud: give the line speed, such as 115200" : null;
        };
    }

    /** Where this profile leads, as box-link's Target spells it (and the CLI's --box takes). */
    public String target() {
        return switch (kind) {
            case DEMO -> "demo";
            case LOCAL -> "local:" + socket;
            case SSH -> "ssh://" + (user.isEmpty() ? "" : user + "@") + (host.contains(":") ? "[" + host + "]" : host)
                    + (port > 0 ? ":" + port : "");
            case SERIAL -> "serial:" + device + "@" + baud;
        };
    }

    public String describe() {
        return kind == Kind.DEMO ? "the demo box (rampartd --backend=sim on this machine)" : target();
    }

    public Profile withName(String n) { return new Profile(n, kind, socket, host, user, port, keyFile, device, baud); }

    String key() { return name.toLowerCase(Locale.ROOT); }
}
