// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.link;

import java.io.IOException;
import java.io.OutputStream;

/**
 * The desktop end of the link (docs/protocol.md section 3): hello, then a byte stream in each
 * direction carried in DATA frames, acknowledged cumulatively, resent go-back style, with frames
 * that shrink on a noisy line and grow on a clean one. Not thread-safe by itself: callers
 * synchronise (BoxConnection holds one lock around every call).
 */
final class Link {
    interface Listener {
        void message(byte[] m);
        void session();
        void linkError(int code, String text);
        void bye();
        void dead(String why);
    }

    record Stats(long badHeader, long badCrc, long malformed, long retransmits, long framesIn, long framesOut) {}

    private static final int START_FRAME = 256, MIN_FRAME = 32, GROW_AFTER = 16, RTO_CAP = 8000;
    private static final int HELLO_EVERY_MS = 250;
    /** zlib, resume, records, confirm, spool, flow counters (docs/protocol.md section 3). */
    static final int CAPABILITIES = 0x7f, CAP_SPOOL = 0x10, CAP_FLOWS = 0x20, CAP_IFNAMES = 0x40;
    private int peerCapabilities;
    static final int VERSION = 1;

    private final OutputStream out;
    private final Listener listener;
    private final int maxPayload;
    private int window = 8, peerMaxPayload = Frames.MAX_PAYLOAD, frameSize = START_FRAME;
    private long rtoMin = 20, rtoBase = 250, rto = 250, linkTimeout = 20_000;
    private long srtt;
    private boolean rttTiming;
    private int rttSeq;
    private long rttStart;

    private boolean session;
    private int nonce;
    private long helloSent;
    private boolean helloPending;
    private long started;

    private int txBase, txNext, txHigh;
    private byte[] sbuf = new byte[65536];
    private int slen;
    private long lastProgress, lastSend;
    private int cleanStreak;
    private boolean rewound;

    private int rxExpected;
    private final byte[] rx = new byte[2 * (Frames.HEADER + Frames.MAX_PAYLOAD + Frames.TRAILER)];
    private int rxLen;
    private byte[] msg = new byte[4096];
    private int msgLen;
    private boolean needAck;

    private long badHeader, badCrc, malformed, retransmits, framesIn, framesOut;
    private IOException writeFailure;

    Link(OutputStream out, Listener listener, int bitsPerSecond, int maxPayload) {
        this.out = out;
        this.listener = listener;
        this.maxPayload = Math.max(32, Math.min(Frames.MAX_PAYLOAD, maxPayload));
        this.peerMaxPayload = this.maxPayload;
        if (bitsPerSecond > 0) {
            // Two windows of start-size frames at 10 bits a byte must fit in the timeout.
            long bytes = 2L * window * (Frames.HEADER + START_FRAME + Frames.TRAILER);
            rtoMin = 20 + bytes * 10 * 1000 / bitsPerSecond;
            rtoBase = rtoMin;   // a serial line's round trip is its transmission time
            rto = rtoBase;
            linkTimeout = 60_000;
        }
    }

    void setLinkTimeout(long ms) { linkTimeout = ms; }
    boolean session() { return session; }
    int queued() { return slen; }
    IOException writeFailure() { return writeFailure; }
    Stats stats() { return new Stats(badHeader, badCrc, malformed, retransmits, framesIn, framesOut); }

    private static boolean before(int a, int b) { return a - b < 0; }

    private void emit(int kind, int seq, byte[] p, int off, int len) {
        if (writeFailure != null) return;
        try {
            out.write(Frames.encode(kind, 0, seq, rxExpected, p, off, len));
            out.flush();
            framesOut++;
        } catch (IOException e) {
            writeFailure = e;
        }
    }

    void start(long now, int nonce) {
        this.nonce = nonce;
        session = false;
        started = now;
        lastProgress = now;
        sendHello(now);
    }

    private void sendHello(long now) {
        byte[] p = new Le.Out().bytes("RMPL".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                .u16(VERSION).u16(VERSION).u32(CAPABILITIES).u32(nonce).u16(maxPayload).u16(window).toArray();
        emit(Frames.HELLO, 0, p, 0, p.length);
        helloSent = now;
        helloPending = true;
    }

    /** What the box said it supports in its HELLO_ACK (0 before the session). */
    int peerCapabilities() { return peerCapabilities; }

    private void onHelloAck(Frames.Frame f, long now) {
        byte[] p = f.payload();
        if (session || p.length < 18 || p[0] != 'R' || p[1] != 'M' || p[2] != 'P' || p[3] != 'L') return;
        int version = Le.u16(p, 4);
        if (Le.i32(p, 10) != nonce) return;
        if (version != VERSION) {
            listener.linkError(Frames.E_VERSION, "the box answered with protocol version " + version
                    + ", which this program did not offer (it speaks " + VERSION + ")");
            helloPending = false;
            return;
        }
        peerCapabilities = Le.i32(p, 6);
        int mp = Le.u16(p, 14), win = Le.u16(p, 16);
        if (mp >= 32 && mp < peerMaxPayload) peerMaxPayload = mp;
        if (win >= 1 && win < window) window = win;
        frameSize = Math.min(START_FRAME, peerMaxPayload);
        session = true;
        helloPending = false;
        txBase = txNext = txHigh = 0;
        rxExpected = 0;
        msgLen = 0;
        lastProgress = now;
        listener.session();
        pump(now);
    }

    private void rewind() {
        txNext = txBase;
        frameSize = Math.max(MIN_FRAME, frameSize / 2);
        cleanStreak = 0;
        rewound = true;
        rttTiming = false;
    }

    private void onAck(int ack, boolean pure, long now) {
        if (pure && ack == txBase && txNext != txBase) {
            if (!rewound) rewind();
            return;
        }
        if (!before(txBase, ack) || before(txHigh, ack)) return;
        int n = ack - txBase;
        System.arraycopy(sbuf, n, sbuf, 0, slen - n);
        slen -= n;
        txBase = ack;
        if (before(txNext, ack)) txNext = ack;
        rewound = false;
        if (rttTiming && !before(ack, rttSeq)) {
            long sample = now - rttStart;
            srtt = srtt == 0 ? sample : (7 * srtt + sample) / 8;
            rtoBase = Math.min(RTO_CAP, Math.max(rtoMin, 2 * srtt + 20));
            rttTiming = false;
        }
        if (++cleanStreak >= GROW_AFTER) {
            cleanStreak = 0;
            frameSize = Math.min(peerMaxPayload, frameSize * 2);
        }
        rto = rtoBase;
        lastProgress = now;
    }

    private void onData(Frames.Frame f) {
        int skip = rxExpected - f.seq();
        byte[] p = f.payload();
        if (before(rxExpected, f.seq()) || skip >= p.length) return;
        int take = p.length - skip;
        if (msgLen + take > msg.length) msg = java.util.Arrays.copyOf(msg, Math.max(msg.length * 2, msgLen + take));
        System.arraycopy(p, skip, msg, msgLen, take);
        msgLen += take;
        rxExpected += take;
        int off = 0;
        while (msgLen - off >= 4) {
            int m = Le.i32(msg, off);
            if (m <= 0 || m > Frames.MAX_MESSAGE) {
                malformed++;
                session = false;
                listener.dead("the box sent a malformed message length (" + Integer.toUnsignedString(m) + ")");
                return;
            }
            if (msgLen - off < 4 + m) break;
            listener.message(java.util.Arrays.copyOfRange(msg, off + 4, off + 4 + m));
            off += 4 + m;
        }
        System.arraycopy(msg, off, msg, 0, msgLen - off);
        msgLen -= off;
    }

    private void handle(Frames.Frame f, long now) {
        framesIn++;
        switch (f.kind()) {
            case Frames.HELLO_ACK -> { onHelloAck(f, now); return; }
            case Frames.HELLO -> { return; }
            case Frames.ERROR -> {
                byte[] p = f.payload();
                int code = p.length >= 2 ? Le.u16(p, 0) : 0;
                String text = p.length > 2 ? new String(p, 2, p.length - 2, java.nio.charset.StandardCharsets.UTF_8) : "";
                listener.linkError(code, text);
                return;
            }
            case Frames.BYE -> { session = false; listener.bye(); return; }
            default -> { }
        }
        if (!session) return;
        onAck(f.ack(), f.kind() == Frames.ACK, now);
        if (f.kind() == Frames.DATA) {
            onData(f);
            needAck = true;
        }
    }

    void input(byte[] b, int off, int n, long now) {
        while (n > 0) {
            int take = Math.min(n, rx.length - rxLen);
            System.arraycopy(b, off, rx, rxLen, take);
            rxLen += take;
            off += take;
            n -= take;
            int pos = 0;
            while (true) {
                Frames.Scan s = Frames.scan(rx, pos, rxLen - pos);
                if (s instanceof Frames.NeedMore) break;
                if (s instanceof Frames.Skip k) {
                    if (k.reason() == 1) badHeader++;
                    else if (k.reason() == 2) badCrc++;
                    pos += k.used();
                } else if (s instanceof Frames.Bad bad) {
                    malformed++;
                    pos += bad.used();
                } else if (s instanceof Frames.Got g) {
                    pos += g.used();
                    handle(g.frame(), now);
                }
            }
            System.arraycopy(rx, pos, rx, 0, rxLen - pos);
            rxLen -= pos;
        }
        if (needAck && session) {
            needAck = false;
            emit(Frames.ACK, 0, new byte[0], 0, 0);
        }
        pump(now);
    }

    private void pump(long now) {
        if (!session) return;
        long limit = (long) window * frameSize;
        while (true) {
            int offset = txNext - txBase;
            int avail = slen - offset;
            if (avail <= 0 || offset >= limit) break;
            int take = Math.min(avail, frameSize);
            if (before(txNext, txHigh)) {
                retransmits++;
            } else if (!rttTiming) {
                rttTiming = true;
                rttSeq = txNext + take;
                rttStart = now;
            }
            if (txNext == txBase) lastProgress = Math.max(lastProgress, now);
            emit(Frames.DATA, txNext, sbuf, offset, take);
            txNext += take;
            if (before(txHigh, txNext)) txHigh = txNext;
            lastSend = now;
        }
    }

    void send(byte[] m, long now) {
        if (m.length == 0 || m.length > Frames.MAX_MESSAGE) throw new IllegalArgumentException("message size " + m.length);
        if (slen + 4 + m.length > sbuf.length) sbuf = java.util.Arrays.copyOf(sbuf, Math.max(2 * sbuf.length, slen + 4 + m.length));
        Le.put32(sbuf, slen, m.length);
        System.arraycopy(m, 0, sbuf, slen + 4, m.length);
        slen += 4 + m.length;
        pump(now);
    }

    void bye() { emit(Frames.BYE, 0, new byte[0], 0, 0); }

    void tick(long now) {
        if (!session) {
            if (helloPending && now - helloSent >= HELLO_EVERY_MS) {
                if (now - started >= linkTimeout) {
                    helloPending = false;
                    listener.dead("no rampartd answered on this line within " + linkTimeout / 1000 + " s");
                } else {
                    sendHello(now);
                }
            }
            return;
        }
        if (txBase == txNext) return;
        if (now - lastProgress >= linkTimeout) {
            session = false;
            listener.dead("the box stopped answering (no acknowledgement for " + linkTimeout / 1000 + " s)");
            return;
        }
        if (now - lastSend < rto) return;
        rewind();
        if (rto < 4 * rtoBase && rto < RTO_CAP) rto *= 2;
        pump(now);
    }
}
