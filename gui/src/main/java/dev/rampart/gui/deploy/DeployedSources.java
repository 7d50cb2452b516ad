// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.gui.deploy;

import java.io.IOException;
import java.util.Optional;

/**
 * The policy sources this app deployed, by box profile and table generation. A box keeps only the
 * compiled table, so this is what lets the deploy screen diff rule by rule against what runs.
 */
public interface DeployedSources {
    Optional<String> source(String profile, long generation) throws IOException;

    void record(String profile, long generation, String source) throws IOException;
}
