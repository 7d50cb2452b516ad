// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.gui.simulation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rampart.dsl.capture.TraceOptions;
import dev.rampart.gui.editor.EditorViewModel;
import dev.rampart.gui.editor.RuleRef;
import dev.rampart.gui.service.DiskFileAccess;
import dev.rampart.gui.support.FakeDialogs;
import dev.rampart.gui.support.HeldTasks;
import dev.rampart.gui.support.InlineTasks;
import dev.rampart.gui.simulation.CaptureViewModel.HitRow;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The capture tab's view-model on real captures from the repository (made with tcpdump and
 * dumpcap on loopback, and the hand-built edge cases with fragments), its counts checked against
 * {@code rampart trace} run on the same file and policy.
 */
class CaptureViewModelTest {
    static final Path CAPTURES = Path.of(System.getProperty("user.dir")).resolve("../rule-dsl/tests/capture").toAbsolutePath().normalize();
    static final String POLICY = """
            chain input policy drop {
              rule replies: state established, related accept
              rule local-tcp: proto tcp state new accept
              rule dns: proto udp dport 53 accept
              rule never: proto sctp accept
            }
            """;

    @TempDir Path tmp;
    final InlineTasks tasks = new InlineTasks();
    final FakeDialogs dialogs = new FakeDialogs();
    final List<RuleRef> highlighted = new ArrayList<>();
    EditorViewModel editor;
    CaptureViewModel vm;
    Path policy;

    @BeforeEach
    void open() throws IOException {
        policy = Files.writeString(tmp.resolve("lo.rampart"), POLICY);
        editor = new EditorViewModel(tasks, new FakeDialogs(), new DiskFileAccess(), Duration.ofMillis(250));
        vm = new CaptureViewModel(tasks, dialogs, editor.analysisProperty(), highlighted::add);
        editor.load(policy);
        vm.hookProperty().set("input");
        vm.inIfProperty().set("lo");
        tasks.fireTimers();
    }

    /** rule (or "(policy)") -> "packets bytes", as `rampart trace` prints them. */
    static Map<String, String> cliCounts(Path policy, Path capture, String... more) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        List<String> args = new ArrayList<>(List.of("trace", policy.toString(), capture.toString()));
        args.addAll(List.of(more));
        int code = dev.rampart.cli.Main.execute(args.toArray(String[]::new), new PrintWriter(out), new PrintWriter(err));
        assertEquals(0, code, err.toString());
        Map<String, String> m = new LinkedHashMap<>();
        Matcher row = Pattern.compile("(?m)^(\\S+) +(accept|drop|reject) +(\\d+) +(\\d+)").matcher(out.toString());
        while (row.find()) m.put(row.group(1), row.group(3) + " " + row.group(4));
        assertFalse(m.isEmpty(), out.toString());
        return m;
    }

    Map<String, String> appCounts() {
        Map<String, String> m = new LinkedHashMap<>();
        for (HitRow r : vm.rows()) {
            if (r.kind() == HitRow.Kind.NOT_EVALUATED) continue;
            m.put(r.kind() == HitRow.Kind.POLICY ? "(policy)" : r.rule(), r.packets() + " " + r.bytes());
        }
        return m;
    }

    HitRow row(String rule) {
        return vm.rows().stream().filter(r -> rule.equals(r.rule())).findFirst().orElseThrow();
    }

    @Test
    void aTcpdumpCaptureGivesTheSameCountsAsTheCli() {
        Path cap = CAPTURES.resolve("loopback-tcpdump.pcap");
        dialogs.captureAnswer = cap;
        vm.openCapture();
        assertEquals("", vm.errorProperty().get());
        assertFalse(vm.runningProperty().get());
        assertEquals(1.0, vm.progressProperty().get());
        Map<String, String> cli = cliCounts(policy, cap, "--hook", "input", "--in", "lo");
        assertEquals(cli, appCounts());
        assertTrue(row("local-tcp").packets() > 0 && row("replies").packets() > 0, appCounts().toString());
        assertEquals(0, row("never").packets());
        assertTrue(vm.summaryProperty().get().contains("rules never hit") || vm.summaryProperty().get().contains("rule never hit"),
                vm.summaryProperty().get());
    }

    @Test
    void aDumpcapPcapngAndTheEdgeCasesAgreeWithTheCliToo() {
        for (String f : List.of("loopback-dumpcap.pcapng", "two-interfaces.pcapng", "edge-cases.pcap")) {
            vm.open(CAPTURES.resolve(f));
            assertEquals(cliCounts(policy, CAPTURES.resolve(f), "--hook", "input", "--in", "lo"), appCounts(), f);
        }
        // The edge cases hold fragments: each datagram is counted once, at the fragment that completes it.
        assertTrue(vm.summaryProperty().get().contains("datagrams reassembled"), vm.summaryProperty().get());
    }

    @Test
    void selectingARuleListsItsPacketsAndSelectingAPacketSaysWhyAndHighlightsTheRule() {
        vm.open(CAPTURES.resolve("loopback-tcpdump.pcap"));
        HitRow tcp = row("local-tcp");
        vm.selectedRowProperty().set(tcp);
        assertEquals(tcp.packets(), vm.packets().size(), "every packet of the rule is listed");
        assertTrue(vm.packets().stream().allMatch(p -> p.verdict().equals("accept") && p.why().startsWith("matched rule local-tcp")),
                vm.packets().toString());
        assertTrue(vm.packets().stream().allMatch(p -> p.packet().startsWith("tcp ") && p.packet().contains(" in lo ")),
                vm.packets().get(0).packet());
        assertEquals(tcp.packets() + (tcp.packets() == 1 ? " packet of rule local-tcp" : " packets of rule local-tcp"),
                vm.packetsNoteProperty().get());
        assertEquals("local-tcp", highlighted.get(highlighted.size() - 1).id());

        vm.selectedPacketProperty().set(vm.packets().get(0));
        String why = vm.whyProperty().get();
        assertTrue(why.startsWith("frame " + vm.packets().get(0).frame() + ": accept by rule local-tcp"), why);
        assertTrue(why.contains("rule replies: state new not in"), why);
        RuleRef ref = highlighted.get(highlighted.size() - 1);
        assertEquals("input", ref.hook());
        assertEquals("local-tcp", ref.id());
        assertTrue(editor.textProperty().get().startsWith("rule local-tcp:", ref.start()), "the reference points at the rule in the text");

        HitRow policyRow = vm.rows().stream().filter(r -> r.kind() == HitRow.Kind.POLICY).findFirst().orElseThrow();
        vm.selectedRowProperty().set(policyRow);
        assertEquals(policyRow.packets(), vm.packets().size());
        if (!vm.packets().isEmpty()) {
            vm.selectedPacketProperty().set(vm.packets().get(0));
            assertNull(highlighted.get(highlighted.size() - 1), "no rule decided: nothing highlighted");
        }
    }

    @Test
    void anEditOfThePolicyTracesAgainAfterAPause() {
        vm.open(CAPTURES.resolve("loopback-tcpdump.pcap"));
        long before = row("local-tcp").packets();
        vm.selectedRowProperty().set(row("local-tcp"));
        int runs = tasks.submitted;
        String edited = POLICY.replace("rule local-tcp: proto tcp state new accept", "rule local-tcp: proto tcp state new drop");
        editor.textProperty().set(edited);
        tasks.fireTimers(); // the editor's typing pause: a new analysis
        tasks.fireTimers(); // the capture's own pause
        assertTrue(tasks.submitted > runs, "traced again");
        assertEquals("drop", row("local-tcp").action());
        assertTrue(row("local-tcp").packets() > before, "without the accepted SYNs, the rest of each connection is new too");
        assertEquals("local-tcp", vm.selectedRowProperty().get().rule(), "the row being looked at stays selected");
        assertEquals(row("local-tcp").packets(), vm.packets().size());
        Path file = write("edited.rampart", edited);
        assertEquals(cliCounts(file, CAPTURES.resolve("loopback-tcpdump.pcap"), "--hook", "input", "--in", "lo"), appCounts(),
                "dropped SYNs leave no connection for their replies, as in the CLI");
    }

    Path write(String name, String text) {
        try {
            return Files.writeString(tmp.resolve(name), text);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void aPolicyWithErrorsOrWithoutTheChainSaysSo() {
        vm.open(CAPTURES.resolve("loopback-tcpdump.pcap"));
        vm.hookProperty().set("forward");
        tasks.fireTimers();
        assertEquals("The policy has no forward chain: choose another one", vm.errorProperty().get());
        assertTrue(vm.rows().isEmpty());
        vm.hookProperty().set("input");
        editor.textProperty().set(POLICY.replace("proto tcp", "proto tcpp"));
        tasks.fireTimers();
        tasks.fireTimers();
        assertTrue(vm.rows().isEmpty(), "no counts for a policy that does not compile");
        assertTrue(vm.summaryProperty().get().startsWith("Not traced: the policy has errors"), vm.summaryProperty().get());
    }

    @Test
    void aDamagedCaptureKeepsWhatWasReadAndAMissingOneSaysSo() throws IOException {
        byte[] whole = Files.readAllBytes(CAPTURES.resolve("loopback-tcpdump.pcap"));
        Path cut = Files.write(tmp.resolve("cut.pcap"), java.util.Arrays.copyOf(whole, whole.length - 7));
        vm.open(cut);
        assertTrue(vm.errorProperty().get().startsWith("cut.pcap is damaged at byte"), vm.errorProperty().get());
        assertTrue(row("local-tcp").packets() > 0, "packets before the damage are counted");
        vm.open(tmp.resolve("nope.pcap"));
        assertEquals("Cannot read " + tmp.resolve("nope.pcap") + ": no such file", vm.errorProperty().get());
        assertTrue(vm.rows().isEmpty());
    }

    @Test
    void aTraceStopsWhenCancelled() throws Exception {
        var chain = editor.analysisProperty().get().compiled().ir().chain(dev.rampart.dsl.ir.Hook.INPUT).orElseThrow();
        long[] seen = {0};
        assertThrows(CancellationException.class, () -> CaptureTrace.run(CAPTURES.resolve("loopback-tcpdump.pcap"), chain,
                TraceOptions.defaults(), () -> seen[0] > 0, (done, size) -> seen[0] = done));
        CaptureTrace.Outcome whole = CaptureTrace.run(CAPTURES.resolve("loopback-tcpdump.pcap"), chain, TraceOptions.defaults(),
                () -> false, (done, size) -> seen[0] = done);
        assertEquals(Files.size(CAPTURES.resolve("loopback-tcpdump.pcap")), seen[0], "progress reaches the file's size");
        assertTrue(whole.result().evaluated() > 0);
    }

    @Test
    void cancellingARunningTraceStopsItAndItsAnswerIsDropped() {
        HeldTasks held = new HeldTasks();
        CaptureViewModel slow = new CaptureViewModel(held, dialogs, editor.analysisProperty(), highlighted::add);
        slow.hookProperty().set("input");
        slow.open(CAPTURES.resolve("loopback-tcpdump.pcap"));
        assertTrue(slow.runningProperty().get());
        assertEquals("Tracing loopback-tcpdump.pcap...", slow.summaryProperty().get());
        slow.cancel();
        assertFalse(slow.runningProperty().get());
        assertEquals("Tracing loopback-tcpdump.pcap was cancelled", slow.summaryProperty().get());
        held.runAll(); // the worker gets to it: it stops at its first read, and nothing is shown
        assertTrue(slow.rows().isEmpty());
        assertEquals("Tracing loopback-tcpdump.pcap was cancelled", slow.summaryProperty().get());
        assertEquals("", slow.errorProperty().get());

        // A newer run replaces an older one still queued: only the newer answer is shown.
        slow.open(CAPTURES.resolve("edge-cases.pcap"));
        slow.open(CAPTURES.resolve("loopback-tcpdump.pcap"));
        held.runAll();
        assertTrue(slow.summaryProperty().get().startsWith("loopback-tcpdump.pcap (pcap"), slow.summaryProperty().get());
        assertFalse(slow.runningProperty().get());
    }
}
