// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.cli;

import dev.rampart.dsl.Pipeline.Compiled;
import dev.rampart.dsl.ast.PacketSpec;
import dev.rampart.dsl.eval.Evaluation;
import dev.rampart.dsl.eval.ReferenceEvaluator;
import dev.rampart.dsl.eval.SetContents;
import dev.rampart.dsl.ir.IrChain;
import dev.rampart.dsl.ir.IrRule;
import dev.rampart.dsl.lower.PacketBuilder.Built;
import dev.rampart.dsl.parse.Parser;
import dev.rampart.dsl.source.Diagnostics;
import dev.rampart.dsl.source.Result;
import dev.rampart.dsl.source.SourceFile;
import dev.rampart.dsl.test.PolicyTests;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "simulate", description = {"Ask what the policy does with a packet: verdict, deciding rule, and why earlier rules did not match.",
        "Example: rampart simulate office.rampart --packet \"tcp 10.20.3.4:50000 -> 93.184.216.34:443 in lan0 out wan0 state new\""})
final class SimulateCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "The policy file.")
    Path file;

    @Option(names = {"-p", "--packet"}, required = true, paramLabel = "PACKET",
            description = "PROTO SRC[:PORT] -> DST[:PORT] [on HOOK] [in IF] [out IF] [state S] [flags F] [icmp-type T] [with @SET ADDR,...]. Repeatable.")
    List<String> packets;

    @Option(names = "--json", description = "Print the results as JSON on stdout.")
    boolean json;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Compiled c = PolicyInput.compileCleanOrFail(file, err, "simulating");
        List<Object> results = new ArrayList<>();
        for (int i = 0; i < packets.size(); i++) {
            String label = packets.size() == 1 ? "--packet" : "--packet #" + (i + 1);
            SourceFile src = new SourceFile(label, packets.get(i));
            Result<PacketSpec> spec = Parser.parsePacket(src);
            Diagnostics ds = new Diagnostics();
            ds.addAll(spec.diagnostics());
            Built built = null;
            if (!ds.hasErrors()) {
                Result<Built> b = c.packetBuilder().build(spec.value());
                ds.addAll(b.diagnostics());
                built = b.value();
            }
            if (ds.hasErrors() || built == null) {
                PolicyInput.printDiagnostics(ds, err);
                return ExitCode.USAGE;
            }
            Optional<IrChain> chain = c.ir().chain(built.hook());
            Evaluation e = chain.isEmpty() ? null
                    : ReferenceEvaluator.evaluate(chain.get(), built.packet(), SetContents.of(built.sets()));
            if (json) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("packet", built.packet().describe());
                m.put("hook", built.hook().keyword());
                m.put("verdict", e == null ? "accept" : e.verdict().keyword());
                m.put("rule", e == null || e.byPolicy() ? null : e.rule().id());
                m.put("byPolicy", e == null || e.byPolicy());
                m.put("location", e == null || e.byPolicy() ? null : e.rule().span().location());
                m.put("trace", e == null ? "" : PolicyTests.trace(e, built.packet()));
                results.add(m);
            } else {
                if (i > 0) out.println();
                out.println("packet:  " + built.packet().describe() + " on " + built.hook().keyword());
                if (e == null) {
                    out.println("verdict: accept (the policy has no " + built.hook().keyword() + " chain)");
                    continue;
                }
                out.println("verdict: " + e.verdict().keyword());
                if (e.byPolicy()) {
                    out.println("by:      the " + built.hook().keyword() + " chain's policy (no rule matched)");
                } else {
                    IrRule r = e.rule();
                    out.println("by:      rule " + r.id() + " (" + r.span().location() + ")" + (r.comment() == null ? "" : "  \"" + r.comment() + "\""));
                }
                out.print("trace:\n" + PolicyTests.trace(e, built.packet()));
            }
        }
        if (json) out.println(Json.write(results.size() == 1 ? results.get(0) : results));
        out.flush();
        return ExitCode.OK;
    }
}
