// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.gui.editor;

/** A rule to point out in both views: by chain and id, with its place in the analysed text. */
public record RuleRef(String hook, String id, int start, int end) {
    public boolean refersTo(RuleRow row) {
        return row.hook().equals(hook) && row.id().equals(id);
    }
}
