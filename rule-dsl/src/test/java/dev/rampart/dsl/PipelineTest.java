// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.dsl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rampart.dsl.source.DiagnosticRenderer;
import dev.rampart.dsl.source.SourceFile;
import dev.rampart.dsl.test.PolicyTests;
import java.util.List;
import org.junit.jupiter.api.Test;

class PipelineTest {
    static final String EXAMPLE = """
            # Branch office: LAN, guest Wi-Fi, one uplink.
            net lan   = 10.1.0.0/16, fd00:1::/48
            net guest = 10.9.0.0/24
            host gw   = 10.1.0.1
            service web = tcp 80, 443, udp 443
            service dns = udp 53, tcp 53
            zone inside = lan0, guest0
            zone wan    = wan*
            set blocklist dynamic any capacity 65536 timeout 1h    # filled at run time by the IPS

            chain forward policy drop {
              rule replies: state established, related accept
              rule blocked: from @blocklist drop log
              rule lan-web: in inside from lan to any service web state new accept log
              rule guest-dns: from guest to gw service dns accept
            }

            test "lan can browse": tcp 10.1.2.3:50000 -> 93.184.216.34:443 in lan0 out wan0 state new expect accept by lan-web
            test "guests stay out": tcp 10.9.0.7:40000 -> 10.1.0.20:22 in guest0 out lan0 expect drop by policy
            test "blocked": tcp 10.1.2.3:50000 -> 93.184.216.34:443 in lan0 with @blocklist 10.1.2.3 expect drop by blocked
            """;

    @Test
    void specExampleCompilesAndItsTestsPass() {
        Pipeline.Compiled c = Pipeline.run(new SourceFile("office.rampart", EXAMPLE));
        assertTrue(c.ok(), DiagnosticRenderer.renderAll(c.diagnostics()));
        assertTrue(c.diagnostics().isEmpty(), DiagnosticRenderer.renderAll(c.diagnostics()));
        List<PolicyTests.TestResult> results = PolicyTests.run(c.ir());
        assertEquals(3, results.size());
        for (PolicyTests.TestResult r : results) assertTrue(r.passed(), r.describe());
    }

    @Test
    void failingTestExplainsWhyEarlierRulesMissed() {
        String src = EXAMPLE.replace("expect drop by policy", "expect accept by lan-web");
        Pipeline.Compiled c = Pipeline.run(new SourceFile("office.rampart", src));
        assertTrue(c.ok(), DiagnosticRenderer.renderAll(c.diagnostics()));
        PolicyTests.TestResult r = PolicyTests.run(c.ir()).get(1);
        assertEquals(false, r.passed());
        assertEquals("policy", r.actualRule());
        assertTrue(r.trace().contains("rule lan-web: "), r.trace());
        assertTrue(r.trace().contains("rule replies: state new not in established,related"), r.trace());
    }

    @Test
    void errorsStopBeforeLowering() {
        Pipeline.Compiled c = Pipeline.run(new SourceFile("p.rampart", "chain input policy drop { rule a: from lna accept }\nnet lan = 10.0.0.0/8\n"));
        assertNull(c.ir());
        assertNotNull(c.files());
        assertEquals("unknown-name", c.diagnostics().all().get(0).code());
        assertEquals("did you mean 'lan'?", c.diagnostics().all().get(0).suggestion());
    }
}
