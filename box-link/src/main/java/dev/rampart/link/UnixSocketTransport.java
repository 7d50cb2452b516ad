// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.link;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;

/** The agent's local socket (Java 17 unix domain sockets); the agent allows root and its group only. */
public final class UnixSocketTransport implements Transport {
    public static final Path DEFAULT_SOCKET = Path.of("/run/rampart/rampartd.sock");

    private final Path path;
    private final SocketChannel ch;

    private UnixSocketTransport(Path path, SocketChannel ch) {
        this.path = path;
        this.ch = ch;
    }

    public static UnixSocketTransport open(Path path) throws BoxException {
        if (!Files.exists(path))
            throw new BoxException("no rampartd socket at " + path + ": is the agent running on this machine?");
        try {
            SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
            ch.connect(UnixDomainSocketAddress.of(path));
            return new UnixSocketTransport(path, ch);
        } catch (IOException e) {
            throw new BoxException("cannot connect to rampartd at " + path + ": " + e.getMessage()
                    + (e.getMessage() != null && e.getMessage().contains("ermission")
                       ? " (the local socket is for root and the agent's group)" : ""), e);
        }
    }

    // Own streams: Channels.newInputStream would hold the channel's blocking lock while a read
    // waits, and so stall every write until the box says something.
    @Override public InputStream input() {
        return new InputStream() {
            @Override public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }
            @Override public int read(byte[] b, int off, int len) throws IOException {
                return ch.read(ByteBuffer.wrap(b, off, len));
            }
        };
    }

    @Override public OutputStream output() {
        return new OutputStream() {
            @Override public void write(int b) throws IOException { write(new byte[] {(byte) b}, 0, 1); }
            @Override public void write(byte[] b, int off, int len) throws IOException {
                ByteBuffer bb = ByteBuffer.wrap(b, off, len);
                while (bb.hasRemaining()) ch.write(bb);
            }
        };
    }

    @Override public Kind kind() { return Kind.LOCAL; }
    @Override public String describe() { return "local socket " + path; }
    @Override public void close() throws IOException { ch.close(); }
}
