// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.link;

import dev.rampart.dsl.ir.IrChain;
import dev.rampart.dsl.ir.IrPolicy;
import dev.rampart.dsl.ir.IrRule;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.*;

/** rampartd with the sim backend over its local socket: load, confirm, revert, refusals, cuts and crashes. */
class LocalAgentTest {
    @TempDir Path dir;
    Tools.Agent agent;

    @BeforeEach void start() throws IOException {
        agent = new Tools.Agent(dir);
    }

    @AfterEach void stop() throws InterruptedException {
        agent.close();
    }

    private BoxConnection connect() throws BoxException {
        return BoxConnection.connect(agent.local(), BoxConnection.Options.DEFAULT.withReconnects(0));
    }

    private static BoxStatus waitFor(BoxConnection c, java.util.function.Predicate<BoxStatus> p) throws BoxException {
        BoxStatus s = c.status();
        for (int i = 0; i < 200 && !p.test(s); i++) {
            Tools.sleep(50);
            s = c.status();
        }
        return s;
    }

    @Test void loadAwaitsConfirmThenConfirms() throws Exception {
        Path f = Policies.write(dir, "a.rampart", Policies.allowsSsh(22));
        IrPolicy ir = Policies.ir(f);
        byte[] table = dev.rampart.dsl.table.TableCompiler.compile(ir);
        try (BoxConnection c = connect()) {
            assertEquals(BoxStatus.TableState.NONE, c.status().state());
            LoadResult r = c.load(table, 30, null, null);
            assertEquals(5, r.rules());
            BoxStatus s = c.status();
            assertEquals(BoxStatus.TableState.AWAITING_CONFIRM, s.state());
            assertEquals(r.generation(), s.runningGeneration());
            byte[] other = Policies.table(dir, "other.rampart", Policies.allowsSsh(2222));
            BoxException busy = assertThrows(BoxException.class, () -> c.load(other, 30, null, null));
            assertEquals(10, busy.code(), "one table on probation at a time");
            assertTrue(s.confirmSecondsLeft() > 0 && s.confirmSecondsLeft() <= 30, "seconds left " + s.confirmSecondsLeft());
            BoxException wrong = assertThrows(BoxException.class, () -> c.confirm(r.generation() ^ 1));
            assertEquals(7, wrong.code());
            c.confirm(r.generation());
            s = c.status();
            assertEquals(BoxStatus.TableState.CONFIRMED, s.state());
            assertEquals(r.generation(), s.confirmedGeneration());

            // Counters name the policy's rules by their stable numeric ids, in rule order.
            Counters cs = c.counters();
            Set<Long> ids = new HashSet<>();
            for (IrChain ch : ir.chains()) for (IrRule rule : ch.rules()) ids.add(rule.numericId());
            assertEquals(r.generation(), cs.generation());
            assertEquals(5, cs.rules().size());
            for (Counters.RuleCounter rc : cs.rules()) assertTrue(ids.contains(rc.ruleId()), "unknown rule id " + rc.ruleId());
        }
        assertTrue(Files.exists(agent.stateDir.resolve("confirmed.tbl")), "confirmed table persisted");
    }

    @Test void unconfirmedTableIsRevertedByTheBox() throws Exception {
        byte[] a = Policies.table(dir, "a.rampart", Policies.allowsSsh(22));
        byte[] b = Policies.table(dir, "b.rampart", Policies.allowsSsh(2222));
        try (BoxConnection c = connect()) {
            long genA = c.load(a, 0, null, null).generation();
            long genB = c.load(b, 1, null, null).generation();
            assertNotEquals(genA, genB);
            assertEquals(genB, c.status().runningGeneration());
            BoxStatus s = waitFor(c, x -> x.state() == BoxStatus.TableState.CONFIRMED);
            assertEquals(BoxStatus.TableState.CONFIRMED, s.state(), "the box reverted by itself");
            assertEquals(genA, s.runningGeneration());
            assertTrue(s.lastEvent().contains("not confirmed"), s.lastEvent());
            BoxException late = assertThrows(BoxException.class, () -> c.confirm(genB));
            assertEquals(7, late.code());
        }
    }

    @Test void corruptTableIsRefusedAndTheOldOneKeepsRunning() throws Exception {
        byte[] a = Policies.table(dir, "a.rampart", Policies.allowsSsh(22));
        byte[] bad = Policies.table(dir, "b.rampart", Policies.allowsSsh(2222));
        bad[bad.length / 2] ^= 0x40;
        try (BoxConnection c = connect()) {
            long genA = c.load(a, 0, null, null).generation();
            BoxException e = assertThrows(BoxException.class, () -> c.load(bad, 30, null, null));
            assertEquals(6, e.code());
            assertTrue(e.getMessage().contains("verifier"), e.getMessage());
            BoxStatus s = c.status();
            assertEquals(genA, s.runningGeneration());
            assertEquals(BoxStatus.TableState.CONFIRMED, s.state());
        }
    }

    @Test void malformedAndUnknownRequestsGetErrorsAndTheSessionGoesOn() throws Exception {
        try (BoxConnection c = connect()) {
            BoxException unknown = assertThrows(BoxException.class, () -> c.request(0x42, new byte[3], BoxConnection.R_OK));
            assertEquals(1, unknown.code());
            BoxException malformed = assertThrows(BoxException.class, () -> c.request(BoxConnection.CONFIRM, new byte[3], BoxConnection.R_OK));
            assertEquals(2, malformed.code());
            BoxException noUpload = assertThrows(BoxException.class,
                    () -> c.request(BoxConnection.LOAD_COMMIT, new byte[8], BoxConnection.R_LOADED));
            assertEquals(3, noUpload.code());
            assertArrayEquals(new byte[] {1, 2, 3}, c.ping(new byte[] {1, 2, 3}));
        }
    }

    @Test void connectionCutMidUploadLeavesTheOldTableAndTheUploadResumes() throws Exception {
        byte[] a = Policies.table(dir, "a.rampart", Policies.allowsSsh(22));
        byte[] big = Policies.table(dir, "big.rampart", Policies.many(2000));
        long genA;
        try (BoxConnection c = connect()) {
            genA = c.load(a, 0, null, null).generation();
        }
        AtomicLong seen = new AtomicLong();
        BoxConnection.Options opts = BoxConnection.Options.DEFAULT.withReconnects(0).withChunkBytes(4096);
        // The path dies after 20 KB of a ~50 KB compressed upload.
        try (BoxConnection cut = BoxConnection.connect(() -> CuttingTransport.writes(UnixSocketTransport.open(agent.socket), 20_000), opts)) {
            assertThrows(LinkLostException.class, () -> cut.load(big, 30, (s, t) -> seen.set(s), null));
        }
        assertTrue(seen.get() > 0, "part of the upload went through");
        try (BoxConnection c = connect()) {
            BoxStatus s = c.status();
            assertEquals(genA, s.runningGeneration(), "old table still running");
            assertEquals(BoxStatus.TableState.CONFIRMED, s.state(), "no half state");
            LoadResult r = c.load(big, 30, null, null);
            assertTrue(r.resumedFrom() > 0, "resumed from " + r.resumedFrom());
            assertEquals(2000, r.rules());
            c.confirm(r.generation());
        }
    }

    @Test void reconnectingUploadSurvivesACut() throws Exception {
        byte[] big = Policies.table(dir, "big.rampart", Policies.many(2000));
        int[] opened = {0};
        BoxConnection.Options opts = BoxConnection.Options.DEFAULT.withReconnects(3).withChunkBytes(4096);
        Transport.Factory f = () -> opened[0]++ == 0 ? CuttingTransport.writes(UnixSocketTransport.open(agent.socket), 20_000)
                : UnixSocketTransport.open(agent.socket);
        try (BoxConnection c = BoxConnection.connect(f, opts)) {
            LoadResult r = c.load(big, 0, null, null);
            assertEquals(1, r.reconnects());
            assertEquals(2000, r.rules());
            assertEquals(r.generation(), c.status().confirmedGeneration());
        }
    }

    @Test void sigkillWhileATableAwaitsConfirmComesBackWithTheConfirmedOne() throws Exception {
        byte[] a = Policies.table(dir, "a.rampart", Policies.allowsSsh(22));
        byte[] b = Policies.table(dir, "b.rampart", Policies.allowsSsh(2222));
        long genA;
        try (BoxConnection c = connect()) {
            genA = c.load(a, 0, null, null).generation();
            c.load(b, 60, null, null);
            assertEquals(BoxStatus.TableState.AWAITING_CONFIRM, c.status().state());
        }
        agent.kill();
        agent.start();
        try (BoxConnection c = connect()) {
            BoxStatus s = c.status();
            assertEquals(BoxStatus.TableState.CONFIRMED, s.state());
            assertEquals(genA, s.runningGeneration());
            assertTrue(s.lastEvent().contains("restored"), s.lastEvent());
        }
    }

    @Test void sigkillMidUploadComesBackWithTheConfirmedOne() throws Exception {
        byte[] a = Policies.table(dir, "a.rampart", Policies.allowsSsh(22));
        byte[] big = Policies.table(dir, "big.rampart", Policies.many(2000));
        long genA;
        try (BoxConnection c = connect()) {
            genA = c.load(a, 0, null, null).generation();
        }
        BoxConnection.Options opts = BoxConnection.Options.DEFAULT.withReconnects(0).withChunkBytes(4096);
        try (BoxConnection c = BoxConnection.connect(agent.local(), opts)) {
            boolean[] killed = {false};
            assertThrows(LinkLostException.class, () -> c.load(big, 0, (s, t) -> {
                if (s > 10_000 && !killed[0]) {
                    killed[0] = true;
                    try {
                        agent.kill();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }, null));
            assertTrue(killed[0]);
        }
        agent.start();
        try (BoxConnection c = connect()) {
            assertEquals(genA, c.status().runningGeneration());
            assertEquals(BoxStatus.TableState.CONFIRMED, c.status().state());
        }
    }

    @Test void recordsStreamInOrderWithoutGaps() throws Exception {
        byte[] a = Policies.table(dir, "a.rampart", Policies.allowsSsh(22));
        List<FlowRecord> got = java.util.Collections.synchronizedList(new ArrayList<>());
        try (BoxConnection c = connect()) {
            long gen = c.load(a, 0, null, null).generation();
            try (AutoCloseable sub = c.subscribe(got::add)) {
                for (int i = 0; i < 200 && got.size() < 50; i++) Tools.sleep(20);
            }
            assertTrue(got.size() >= 50, "records received: " + got.size());
            List<FlowRecord> copy;
            synchronized (got) {
                copy = new ArrayList<>(got);
            }
            for (int i = 1; i < copy.size(); i++) assertEquals(copy.get(i - 1).seq() + 1, copy.get(i).seq(), "gap or repeat at " + i);
            assertTrue(copy.stream().anyMatch(r -> r.generation() == gen));
            assertTrue(copy.stream().anyMatch(r -> r.verdict() != 0), "some traffic is denied");
        }
    }

    @Test void spoolStreamsFromAGivenNumberAndAcknowledgementsAreChecked() throws Exception {
        List<FlowRecord> got = java.util.Collections.synchronizedList(new ArrayList<>());
        try (BoxConnection c = connect()) {
            assertTrue(c.supportsSpool());
            BoxStatus.Spool sp = waitFor(c, s -> s.spool().orElseThrow().nextSeq() > 60).spool().orElseThrow();
            assertEquals(0, sp.oldestSeq());
            BoxConnection.SpoolPosition pos = c.subscribeFrom(40, new BoxConnection.SpoolListener() {
                @Override public void records(List<FlowRecord> batch) { got.addAll(batch); }
                @Override public void loss(BoxConnection.Loss loss) { fail("nothing was lost: " + loss); }
            });
            assertEquals(sp.spoolId(), pos.spoolId());
            for (int i = 0; i < 200 && got.size() < 20; i++) Tools.sleep(20);
            List<FlowRecord> copy;
            synchronized (got) {
                copy = new ArrayList<>(got);
            }
            assertTrue(copy.size() >= 20, "records received: " + copy.size());
            for (int i = 0; i < copy.size(); i++) assertEquals(40 + i, copy.get(i).seq(), "in order from 40");
            // The simulator's records stand for one packet each; their counts survive the spool.
            assertTrue(c.supportsFlowCounters());
            for (FlowRecord r : copy) {
                assertEquals(1, r.packets(), "packets of " + r.describe());
                assertTrue(r.bytes() >= 20 && r.bytes() <= 65535, "bytes of " + r.describe());
                assertEquals(r.timeMs(), r.firstMs());
                assertEquals(r.timeMs(), r.lastMs());
            }
            // Names as the simulated office's packet path saw them, next to the indexes it gives
            // them (lan0 2, wan0 3, mgmt0 4); the input hook has no output interface and the
            // output hook no input one.
            assertTrue(c.supportsInterfaceNames());
            java.util.Map<String, Long> index = java.util.Map.of("", 0L, "lan0", 2L, "wan0", 3L, "mgmt0", 4L);
            for (FlowRecord r : copy) {
                assertTrue(index.containsKey(r.inName()) && index.containsKey(r.outName()), "names of " + r.describe());
                assertEquals(index.get(r.inName()), r.inIf(), "input of " + r.describe());
                assertEquals(index.get(r.outName()), r.outIf(), "output of " + r.describe());
                if (r.hook() == 0) assertEquals("", r.outName());
                if (r.hook() == 2) assertEquals("", r.inName());
                if (r.hook() != 2) assertNotEquals("", r.inName(), "input of " + r.describe());
            }
            c.unsubscribe();
            BoxConnection.AckResult a = c.ack(30);
            assertEquals(0, a.segmentsDeleted(), "the newest segment is never deleted");
            assertEquals(31, c.status().spool().orElseThrow().ackedEnd());
            long next = c.status().spool().orElseThrow().nextSeq();
            BoxException beyond = assertThrows(BoxException.class, () -> c.ack(next + 1000));
            assertEquals(11, beyond.code());
            BoxException reset = assertThrows(BoxException.class, () -> c.subscribeFrom(next + 1000, null));
            assertEquals(11, reset.code());
            assertTrue(reset.getMessage().contains("reset"), reset.getMessage());
        }
    }
}
