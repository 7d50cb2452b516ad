// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.dsl.table;

/** Why a blob was refused: the same code and byte offset as the C core's rampart_verify(). */
public record TableError(int code, long offset) {
    public String describe() {
        return "table refused: " + TableFormat.errorName(code) + " (code " + code + ") at byte offset " + offset;
    }
}
