// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.cli;

import dev.rampart.dsl.Pipeline.Compiled;
import dev.rampart.dsl.capture.TraceOptions;
import dev.rampart.dsl.capture.TraceResult;
import dev.rampart.dsl.capture.TraceResult.Hits;
import dev.rampart.dsl.capture.TracedPacket;
import dev.rampart.dsl.capture.Tracer;
import dev.rampart.dsl.check.Literals;
import dev.rampart.dsl.eval.SetContents;
import dev.rampart.dsl.ir.Hook;
import dev.rampart.dsl.ir.IrChain;
import dev.rampart.dsl.ir.IrRule;
import dev.rampart.dsl.ir.U128;
import dev.rampart.dsl.ir.Verdict;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "trace", description = {"Run a capture (pcap/pcapng) through a policy chain; per-rule hit summary.",
        "Connection state is tracked and fragments reassembled as the kernel does."})
final class TraceCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "The policy file.")
    Path file;

    @Parameters(index = "1", paramLabel = "CAPTURE", description = "A pcap or pcapng file (Ethernet, Linux cooked, raw IP).")
    Path capture;

    @Option(names = "--hook", defaultValue = "forward", paramLabel = "HOOK", description = "Chain to run: input, forward or output (default: ${DEFAULT-VALUE}).")
    String hook;

    @Option(names = "--in", paramLabel = "IFACE", description = "Input interface for packets whose capture does not name one.")
    String inIf;

    @Option(names = "--out", paramLabel = "IFACE", description = "Output interface for packets whose capture does not name one.")
    String outIf;

    @Option(names = "--set", paramLabel = "NAME=ADDR[,ADDR...]", description = "Elements of a dynamic set during the trace. Repeatable.")
    List<String> sets = new ArrayList<>();

    @Option(names = "--packets", description = "Print the verdict of every packet, not only the summary.")
    boolean listPackets;

    @Option(names = "--json", description = "Print the summary (and with --packets, every packet) as JSON on stdout.")
    boolean json;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Hook h = Hook.byKeyword(hook);
        try {
            if (h == null) throw new PolicyInput.UsageError("--hook must be input, forward or output, not '" + hook + "'");
            PolicyInput.existingFile(capture, "capture file");
        } catch (PolicyInput.UsageError e) {
            err.println("rampart: " + e.getMessage());
            return ExitCode.USAGE;
        }
        Compiled c = PolicyInput.compileCleanOrFail(file, err, "tracing");
        Optional<IrChain> chain = c.ir().chain(h);
        if (chain.isEmpty()) {
            err.println("rampart: " + file + " has no " + h.keyword() + " chain; choose one with --hook");
            return ExitCode.USAGE;
        }
        Map<String, Set<U128>> contents = new HashMap<>();
        for (String s : sets) {
            int eq = s.indexOf('=');
            String name = eq < 0 ? s : s.substring(0, eq).replaceFirst("^@", "");
            if (eq < 0 || !c.ir().dynamicSets().containsKey(name)) {
                err.println("rampart: --set " + s + ": expected NAME=ADDR,... where NAME is one of the policy's dynamic sets " + c.ir().dynamicSets().keySet());
                return ExitCode.USAGE;
            }
            Set<U128> addrs = contents.computeIfAbsent(name, k -> new HashSet<>());
            for (String a : s.substring(eq + 1).split(",")) {
                U128 v = Literals.address(a.trim());
                if (v == null) {
                    err.println("rampart: --set " + name + ": '" + a.trim() + "' is not an IPv4 or IPv6 address");
                    return ExitCode.USAGE;
                }
                addrs.add(v);
            }
        }

        TraceOptions opts = TraceOptions.defaults().withInterfaces(inIf, outIf)
                .withSets(SetContents.of(contents)).withListPackets(listPackets);
        List<Object> jsonPackets = new ArrayList<>();
        TraceResult r = Tracer.trace(capture, chain.get(), opts, p -> {
            if (!listPackets) return;
            if (json) jsonPackets.add(packetJson(p));
            else out.println(p.describe());
        });

        if (json) {
            out.println(Json.write(summaryJson(r, chain.get(), jsonPackets)));
        } else {
            printSummary(out, r, chain.get());
        }
        out.flush();
        if (r.error().isPresent()) {
            err.println("rampart: " + capture + " is damaged at " + r.error().get().describe());
            err.println("rampart: the results above cover the " + r.frames() + " frames read before that point");
            return ExitCode.USAGE;
        }
        return ExitCode.OK;
    }

    private void printSummary(PrintWriter out, TraceResult r, IrChain chain) {
        if (listPackets) out.println();
        out.println(capture + " (" + r.format() + "): " + r.frames() + " frames, " + r.evaluated() + " packets evaluated on " + chain.hook().keyword());
        StringBuilder v = new StringBuilder("verdicts:");
        for (Verdict verdict : Verdict.values()) v.append(' ').append(verdict.keyword()).append(' ').append(r.verdicts().getOrDefault(verdict, 0L));
        out.println(v);
        int width = Math.max(8, chain.rules().stream().mapToInt(x -> x.id().length()).max().orElse(0));
        out.printf("%-" + width + "s  %-7s %10s %12s%n", "rule", "action", "packets", "bytes");
        for (IrRule rule : chain.rules()) {
            Hits hits = r.ruleHits().getOrDefault(rule.id(), new Hits(0, 0));
            out.printf("%-" + width + "s  %-7s %10d %12d%s%n", rule.id(), rule.verdict().keyword(), hits.packets(), hits.bytes(),
                    hits.packets() == 0 ? "  (never hit)" : "");
        }
        out.printf("%-" + width + "s  %-7s %10d %12d%n", "(policy)", chain.policy().keyword(), r.policyHits().packets(), r.policyHits().bytes());
        List<String> skipped = new ArrayList<>();
        if (r.malformed() > 0) skipped.add(r.malformed() + " malformed");
        if (r.truncated() > 0) skipped.add(r.truncated() + " cut short by the snapshot length");
        if (r.notIp() > 0) skipped.add(r.notIp() + " not IP");
        if (r.incomplete() > 0) skipped.add(r.incomplete() + " incomplete datagrams (" + r.incompleteFragments() + " fragments) dropped by defragmentation");
        if (r.noRoom() > 0) skipped.add(r.noRoom() + " dropped for lack of room");
        if (r.reassembled() > 0) out.println("fragments: " + r.fragmentsHeld() + " fragments reassembled into " + r.reassembled() + " datagrams, each evaluated once");
        if (!skipped.isEmpty()) out.println("not evaluated: " + String.join(", ", skipped));
        for (String w : r.warnings()) out.println("note: " + w);
    }

    private Map<String, Object> summaryJson(TraceResult r, IrChain chain, List<Object> packets) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("capture", capture.toString());
        m.put("format", r.format());
        m.put("hook", chain.hook().keyword());
        m.put("frames", r.frames());
        m.put("evaluated", r.evaluated());
        Map<String, Object> verdicts = new LinkedHashMap<>();
        for (Verdict v : Verdict.values()) verdicts.put(v.keyword(), r.verdicts().getOrDefault(v, 0L));
        m.put("verdicts", verdicts);
        List<Object> rules = new ArrayList<>();
        for (IrRule rule : chain.rules()) {
            Hits hits = r.ruleHits().getOrDefault(rule.id(), new Hits(0, 0));
            rules.add(Map.of("rule", rule.id(), "action", rule.verdict().keyword(), "packets", hits.packets(), "bytes", hits.bytes()));
        }
        m.put("rules", rules);
        m.put("policy", Map.of("action", chain.policy().keyword(), "packets", r.policyHits().packets(), "bytes", r.policyHits().bytes()));
        m.put("malformed", r.malformed());
        m.put("truncated", r.truncated());
        m.put("notIp", r.notIp());
        m.put("reassembled", r.reassembled());
        m.put("incomplete", r.incomplete());
        m.put("noRoom", r.noRoom());
        m.put("warnings", r.warnings());
        m.put("error", r.error().map(e -> (Object) Map.of("offset", e.offset(), "frame", e.frame(), "message", e.message())).orElse(null));
        if (listPackets) m.put("packets", packets);
        return m;
    }

    private static Map<String, Object> packetJson(TracedPacket p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("frame", p.frame());
        m.put("kind", p.kind().name().toLowerCase(java.util.Locale.ROOT));
        m.put("length", p.wireLength());
        if (p.packet() != null) m.put("packet", p.packet().describe());
        if (p.evaluation() != null) {
            m.put("verdict", p.evaluation().verdict().keyword());
            m.put("rule", p.evaluation().byPolicy() ? null : p.evaluation().rule().id());
        }
        if (p.reason() != null) m.put("reason", p.reason());
        if (p.fragments() > 0) m.put("fragments", p.fragments());
        return m;
    }
}
