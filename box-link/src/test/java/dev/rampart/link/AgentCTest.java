// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.link;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs the agent's C tests (frame codec, link over a simulated line with 1% and 2% byte faults,
 * version and oversized-frame refusals; the IPFIX encoder and exporter; the flow-record spool's
 * recovery, size limit and deletion; built with ASan and UBSan) and the IPFIX end-to-end test
 * against nfdump's nfcapd as part of the Maven build, so CI runs them with everything else.
 */
class AgentCTest {
    @Test void agentCTestsAndIpfixEndToEndPass() throws Exception {
        Tools.need("/usr/bin/gcc", "gcc");
        Tools.need("/usr/bin/make", "make");
        Tools.need("/usr/include/zlib.h", "zlib1g-dev");
        Tools.need("/usr/bin/nfcapd", "nfdump");
        Tools.need("/usr/bin/tshark", "tshark");
        String out = Tools.run(List.of("make", "-s", "-C", Tools.AGENT_DIR.toString(), "-f", "rampartd.mk", "test"), 600);
        assertTrue(out.contains("test-link: all passed"), out);
        assertTrue(out.contains("test-ipfix: all passed"), out);
        assertTrue(out.contains("ipfix-e2e: passed"), out);
        assertTrue(out.contains("test-spool: all passed"), out);
    }
}
