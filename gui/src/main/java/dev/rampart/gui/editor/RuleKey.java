// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.gui.editor;

/** A rule by chain and id, independent of where it sits in any version of the text. */
public record RuleKey(String hook, String id) {}
