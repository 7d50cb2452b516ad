// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.dsl.capture;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * External programs the live tests need. With RAMPART_REQUIRE_TOOLS=1 (as CI runs) a missing one
 * fails the test, so a machine without them cannot pass silently; elsewhere the test is skipped.
 */
final class Tools {
    private Tools() {}

    static boolean required() { return "1".equals(System.getenv("RAMPART_REQUIRE_TOOLS")); }

    static String find(String name) {
        String path = System.getenv().getOrDefault("PATH", "") + File.pathSeparator + "/usr/sbin:/sbin:/usr/bin:/bin";
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) continue;
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p)) return p.toString();
        }
        return null;
    }

    /** Fails or skips, per {@link #required}, with the reason. */
    static void unavailable(String why) {
        String msg = why + " (install with: apt-get install -y tcpdump tshark iputils-ping iproute2)";
        if (required()) Assertions.fail("RAMPART_REQUIRE_TOOLS=1 but " + msg);
        Assumptions.assumeTrue(false, msg);
    }

    static String need(String name) {
        String p = find(name);
        if (p == null) unavailable(name + " is not installed");
        return p;
    }
}
