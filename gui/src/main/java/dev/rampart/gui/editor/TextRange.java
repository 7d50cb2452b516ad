// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.gui.editor;

/** A range [start, end) of the policy text for the text view to select and scroll to. */
public record TextRange(int start, int end) {}
