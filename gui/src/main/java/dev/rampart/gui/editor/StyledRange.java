// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.gui.editor;

/** A style class over [start, end) of the policy text; ranges may overlap (a keyword under an error). */
public record StyledRange(int start, int end, String styleClass) {}
