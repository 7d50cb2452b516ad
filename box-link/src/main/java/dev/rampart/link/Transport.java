// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.link;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** A byte stream to a box: all the protocol needs from a local socket, an SSH channel or a serial port. */
public interface Transport extends Closeable {
    InputStream input() throws IOException;
    OutputStream output() throws IOException;

    /** The line's bit rate for serial ports (the link sizes its timeouts by it), 0 for streams. */
    default int bitsPerSecond() { return 0; }

    /** What kind of path this is, for the lockout check and messages. */
    Kind kind();

    /** Where it leads, for messages: {@code ssh://admin@box:22}, {@code serial:/dev/ttyUSB0@115200}. */
    String describe();

    enum Kind { LOCAL, SSH, SERIAL, PROCESS }

    /** Opens a fresh transport to the same place: how BoxConnection reconnects. */
    @FunctionalInterface
    interface Factory {
        Transport open() throws BoxException;
    }
}
