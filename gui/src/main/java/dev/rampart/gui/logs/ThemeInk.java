// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.gui.logs;

import javafx.scene.control.Label;
import javafx.scene.paint.Color;
import javafx.scene.paint.Paint;

/**
 * Theme colours for what the live log draws on canvases. A canvas is not styled, so each colour
 * is carried by a hidden label whose style class the stylesheet colours; the drawing reads the
 * label's text fill, and repaints when it changes (a theme switch).
 */
final class ThemeInk {
    private ThemeInk() {}

    /** A hidden, unmanaged label of {@code styleClass}, to add to the drawing region's children. */
    static Label swatch(String styleClass) {
        Label l = new Label();
        l.getStyleClass().add(styleClass);
        l.setVisible(false);
        l.setManaged(false);
        return l;
    }

    /** The colour the stylesheet gave {@code l}, or {@code fallback} before any stylesheet applied. */
    static Paint ink(Label l, Color fallback) { return l.getTextFill() == null ? fallback : l.getTextFill(); }
}
