// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.cli;

/** The CLI's exit codes, the same for every command so scripts can rely on them. */
final class ExitCode {
    private ExitCode() {}

    /** Everything fine: policy clean, tests pass, no mismatch. */
    static final int OK = 0;
    /** The policy has errors, a test failed, a file is not formatted, or engines disagree. */
    static final int POLICY = 1;
    /** Bad command line, unreadable input the user must fix, or an internal error. */
    static final int USAGE = 2;
}
