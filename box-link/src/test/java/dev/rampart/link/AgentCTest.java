// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.link;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs the agent's C tests (frame codec, link over a simulated line with 1% and 2% byte faults,
 * version and oversized-frame refusals; the flow-record spool's recovery, size limit and
 * deletion; built with ASan and UBSan) as part of the Maven build, so
 * CI runs them with everything else.
 */
class AgentCTest {
    @Test void frameCodecAndLinkCTestsPass() throws Exception {
        Tools.need("/usr/bin/gcc", "gcc");
        Tools.need("/usr/bin/make", "make");
        String out = Tools.run(List.of("make", "-s", "-C", Tools.AGENT_DIR.toString(), "-f", "rampartd.mk", "test"), 600);
        assertTrue(out.contains("test-link: all passed"), out);
        assertTrue(out.contains("test-spool: all passed"), out);
    }
}
