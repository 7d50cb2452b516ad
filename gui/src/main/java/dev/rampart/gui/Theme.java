// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.gui;

import javafx.scene.Scene;

/** Light is the base stylesheet alone; dark adds a sheet that only redefines the palette. */
public final class Theme {
    static final String BASE = css("base.css");
    static final String DARK = css("dark.css");

    private static String css(String name) {
        return Theme.class.getResource(name).toExternalForm();
    }

    public void apply(Scene scene) {
        if (!scene.getStylesheets().contains(BASE)) scene.getStylesheets().add(0, BASE);
    }

    public void setDark(Scene scene, boolean dark) {
        scene.getStylesheets().remove(DARK);
        if (dark) scene.getStylesheets().add(DARK);
    }
}
