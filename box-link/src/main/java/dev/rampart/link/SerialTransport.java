// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.link;

import com.fazecast.jSerialComm.SerialPort;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** A console cable: port, baud rate and parity, 8 data bits, 1 stop bit, no flow control. */
public final class SerialTransport implements Transport {
    public enum Parity { NONE, EVEN, ODD }

    private final SerialPort port;
    private final String path;
    private final int baud;
    private volatile boolean closed;

    private SerialTransport(SerialPort port, String path, int baud) {
        this.port = port;
        this.path = path;
        this.baud = baud;
    }

    public static SerialTransport open(String path, int baud, Parity parity) throws BoxException {
        SerialPort p;
        try {
            p = SerialPort.getCommPort(path);
        } catch (RuntimeException e) {
            throw new BoxException("no serial port " + path + ": " + e.getMessage(), e);
        }
        int par = switch (parity) {
            case NONE -> SerialPort.NO_PARITY;
            case EVEN -> SerialPort.EVEN_PARITY;
            case ODD -> SerialPort.ODD_PARITY;
        };
        p.setComPortParameters(baud, 8, SerialPort.ONE_STOP_BIT, par);
        p.setFlowControl(SerialPort.FLOW_CONTROL_DISABLED);
        p.setComPortTimeouts(SerialPort.TIMEOUT_READ_SEMI_BLOCKING | SerialPort.TIMEOUT_WRITE_BLOCKING, 100, 0);
        if (!p.openPort())
            throw new BoxException("cannot open serial port " + path + " (does it exist, and may you use it? "
                    + "on Debian, add yourself to the dialout group)");
        return new SerialTransport(p, path, baud);
    }

    @Override public InputStream input() {
        return new InputStream() {
            @Override public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }
            @Override public int available() {
                return Math.max(0, port.bytesAvailable());
            }

            @Override public int read(byte[] b, int off, int len) throws IOException {
                byte[] tmp = off == 0 ? b : new byte[len];
                while (!closed) {
                    int n = port.readBytes(tmp, Math.min(len, tmp.length));
                    if (n < 0) {
                        if (closed) return -1;
                        throw new IOException("serial port " + path + " failed");
                    }
                    if (n > 0) {
                        if (tmp != b) System.arraycopy(tmp, 0, b, off, n);
                        return n;
                    }
                }
                return -1;
            }
        };
    }

    @Override public OutputStream output() {
        return new OutputStream() {
            @Override public void write(int b) throws IOException { write(new byte[] {(byte) b}, 0, 1); }
            @Override public void write(byte[] b, int off, int len) throws IOException {
                while (len > 0) {
                    int n = port.writeBytes(b, len, off);
                    if (n < 0) throw new IOException("write to serial port " + path + " failed");
                    off += n;
                    len -= n;
                }
            }
        };
    }

    @Override public int bitsPerSecond() { return baud; }
    @Override public Kind kind() { return Kind.SERIAL; }
    @Override public String describe() { return "serial:" + path + "@" + baud; }

    @Override public void close() {
        // Let the last frames (BYE) leave before closing: closing may discard unsent output.
        for (int i = 0; i < 50 && port.bytesAwaitingWrite() > 0; i++) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        closed = true;
        port.closePort();
    }
}
