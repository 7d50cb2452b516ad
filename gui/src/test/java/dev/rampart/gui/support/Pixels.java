// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.gui.support;

import javafx.geometry.Bounds;
import javafx.scene.image.Image;
import javafx.scene.image.PixelReader;
import javafx.scene.paint.Color;

/**
 * Reading what was drawn: the colour text was drawn in, from a snapshot. Antialiased text leaves
 * few pixels of its exact colour, so the test is the direction in which the most-inked pixel
 * departs from the background.
 */
public final class Pixels {
    private Pixels() {}

    /** A drawn row: its background, and the colour its text's ink reaches. */
    public record Row(Color background, Color ink) {
        /** Whether the text departs from the background towards {@code yes} more than towards {@code no}. */
        public boolean inkCloser(Color yes, Color no) { return closer(ink, yes, no, background); }
    }

    /** Row {@code b} of {@code image}, its background read just inside its top-left corner. */
    public static Row row(Image image, Bounds b) {
        PixelReader px = image.getPixelReader();
        Color background = px.getColor(1, (int) b.getMinY() + 2);
        return new Row(background, ink(px, b, background));
    }

    /** The pixel of {@code b} furthest from the background: where the text's ink covers it most. */
    static Color ink(PixelReader px, Bounds b, Color background) {
        Color best = null;
        double far = -1;
        for (int y = (int) b.getMinY() + 1; y < (int) b.getMaxY() - 1; y++)
            for (int x = 0; x < (int) b.getWidth() - 1; x++) {
                Color c = px.getColor(x, y);
                double d = distance(c, background);
                if (d > far) { far = d; best = c; }
            }
        return best;
    }

    /** Whether {@code c}'s departure from the background points at {@code yes} more than at {@code no}. */
    static boolean closer(Color c, Color yes, Color no, Color background) {
        return cosine(c, yes, background) > cosine(c, no, background);
    }

    static double cosine(Color c, Color toward, Color from) {
        double[] a = {c.getRed() - from.getRed(), c.getGreen() - from.getGreen(), c.getBlue() - from.getBlue()};
        double[] b = {toward.getRed() - from.getRed(), toward.getGreen() - from.getGreen(), toward.getBlue() - from.getBlue()};
        double dot = a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
        return dot / (Math.sqrt(a[0] * a[0] + a[1] * a[1] + a[2] * a[2]) * Math.sqrt(b[0] * b[0] + b[1] * b[1] + b[2] * b[2]) + 1e-9);
    }

    static double distance(Color a, Color b) {
        return Math.abs(a.getRed() - b.getRed()) + Math.abs(a.getGreen() - b.getGreen()) + Math.abs(a.getBlue() - b.getBlue());
    }
}
