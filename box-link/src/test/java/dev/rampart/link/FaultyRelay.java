// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.link;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Copies bytes between two serial ends and damages them on the way: each byte is dropped,
 * bit-flipped or duplicated with the given probability per kind. Seeded, so a failure replays.
 */
final class FaultyRelay implements AutoCloseable {
    volatile double perKind;
    /** Line rate to emulate, bytes per second in each direction; 0 for as fast as the ptys go. */
    volatile int bytesPerSecond;
    final AtomicLong faults = new AtomicLong(), bytes = new AtomicLong();
    private final Thread[] threads = new Thread[2];
    private volatile boolean closed;

    FaultyRelay(InputStream aIn, OutputStream aOut, InputStream bIn, OutputStream bOut, long seed) {
        threads[0] = pump(aIn, bOut, new SplittableRandom(seed));
        threads[1] = pump(bIn, aOut, new SplittableRandom(seed + 1));
    }

    private Thread pump(InputStream in, OutputStream out, SplittableRandom rnd) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[4096], o = new byte[8192];
            long start = System.nanoTime();
            long[] sent = {0};
            try {
                int n;
                while (!closed && (n = in.read(buf)) >= 0) {
                    int k = 0;
                    double p = perKind;
                    for (int i = 0; i < n; i++) {
                        double r = rnd.nextDouble();
                        if (r < p) {
                            faults.incrementAndGet();
                        } else if (r < 2 * p) {
                            faults.incrementAndGet();
                            o[k++] = (byte) (buf[i] ^ (1 << rnd.nextInt(8)));
                        } else if (r < 3 * p) {
                            faults.incrementAndGet();
                            o[k++] = buf[i];
                            o[k++] = buf[i];
                        } else {
                            o[k++] = buf[i];
                        }
                    }
                    bytes.addAndGet(n);
                    int rate = bytesPerSecond;
                    if (rate > 0) {
                        // Pace the chunk as a UART would send it.
                        long due = sent[0] += k;
                        long ahead = due * 1_000_000_000L / rate - (System.nanoTime() - start);
                        if (ahead > 0) Thread.sleep(ahead / 1_000_000, (int) (ahead % 1_000_000));
                    }
                    out.write(o, 0, k);
                    out.flush();
                }
            } catch (IOException | InterruptedException e) {
                // the pty went away or the test is over
            }
        }, "faulty-relay");
        t.setDaemon(true);
        t.start();
        return t;
    }

    @Override public void close() {
        closed = true;
        for (Thread t : threads) t.interrupt();
    }
}
