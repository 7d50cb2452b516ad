// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.gui.logs;

import dev.rampart.telemetry.Talker;
import java.util.List;
import javafx.geometry.VPos;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.control.Label;
import javafx.scene.layout.Region;
import javafx.scene.paint.Color;
import javafx.scene.paint.Paint;
import javafx.scene.text.TextAlignment;

/**
 * The live log's two charts, drawn on a canvas each: records and denials per second over the
 * last minute, and the top talkers. A JavaFX chart makes nodes for its points, bars and tick
 * labels and styles them anew on every redraw, which at one redraw a second under a busy box
 * cost the UI thread more than the table; a canvas is one node, painted in a few hundred
 * microseconds. Colours come from the theme through labels the stylesheet colours
 * ({@code .rate-total}, {@code .rate-denied}, {@code .chart-text}), so the dark theme applies.
 */
final class RateCharts {
    private RateCharts() {}

    /** A canvas that fills its region and repaints when resized or restyled. */
    abstract static class Chart extends Region {
        final Canvas canvas = new Canvas();
        final Label total = ThemeInk.swatch("rate-total"), denied = ThemeInk.swatch("rate-denied"), text = ThemeInk.swatch("chart-text");

        Chart() {
            getStyleClass().add("canvas-chart");
            getChildren().addAll(canvas, total, denied, text);
            for (Label l : List.of(total, denied, text)) l.textFillProperty().addListener((o, a, b) -> paint());
        }

            @Override protected void layoutChildren() {
            double w = Math.floor(getWidth() - snappedLeftInset() - snappedRightInset());
            double h = Math.floor(getHeight() - snappedTopInset() - snappedBottomInset());
            canvas.relocate(snappedLeftInset(), snappedTopInset());
            if (w != canvas.getWidth() || h != canvas.getHeight()) {
                canvas.setWidth(Math.max(0, w));
                canvas.setHeight(Math.max(0, h));
                paint();
            }
        }

        @Override protected double computePrefWidth(double height) { return 300; }

        @Override protected double computePrefHeight(double width) { return 200; }

        @Override protected double computeMinHeight(double width) { return 80; }

        final void paint() {
            GraphicsContext g = canvas.getGraphicsContext2D();
            g.clearRect(0, 0, canvas.getWidth(), canvas.getHeight());
            if (canvas.getWidth() < 40 || canvas.getHeight() < 40) return;
            g.setFont(text.getFont());
            g.setTextBaseline(VPos.TOP);
            g.setTextAlign(TextAlignment.LEFT);
            draw(g, canvas.getWidth(), canvas.getHeight(), text.getFont().getSize() * 1.4);
        }

        abstract void draw(GraphicsContext g, double w, double h, double line);

        Paint ink(Label l, Color fallback) { return ThemeInk.ink(l, fallback); }
    }

    /** Records and denials per second, the newest second (still filling up) left out. */
    static final class Rates extends Chart {
        private List<LogsViewModel.Second> seconds = List.of();

        void show(List<LogsViewModel.Second> s) {
            seconds = List.copyOf(s);
            paint();
        }

        @Override void draw(GraphicsContext g, double w, double h, double line) {
            Paint fg = ink(text, Color.GRAY);
            g.setFill(fg);
            g.fillText("Records and denials per second (last minute)", 0, 0);
            int n = seconds.size() > 1 ? seconds.size() - 1 : seconds.size();
            if (n == 0) {
                g.fillText("No records yet.", 0, line * 1.5);
                return;
            }
            long newest = seconds.get(seconds.size() - 1).second();
            int max = 1;
            for (int i = 0; i < n; i++) max = Math.max(max, seconds.get(i).total());
            double left = 0, top = line * 2.4, bottom = h - line * 1.2, width = w - left, height = bottom - top;
            // Scale and axis words only: a live chart is read for its shape.
            g.fillText(String.format("%,d/s", max), left, top - line);
            g.setTextAlign(TextAlignment.RIGHT);
            g.fillText("now", w, bottom + line * 0.15);
            g.setTextAlign(TextAlignment.LEFT);
            g.fillText("-" + LogsViewModel.WINDOW_SECONDS + " s", left, bottom + line * 0.15);
            g.setStroke(fg);
            g.setLineWidth(0.5);
            g.strokeLine(left, bottom + 0.5, w, bottom + 0.5);
            double step = width / LogsViewModel.WINDOW_SECONDS;
            for (int pass = 0; pass < 2; pass++) {
                g.setStroke(ink(pass == 0 ? total : denied, pass == 0 ? Color.STEELBLUE : Color.FIREBRICK));
                g.setLineWidth(1.5);
                g.beginPath();
                for (int i = 0; i < n; i++) {
                    LogsViewModel.Second s = seconds.get(i);
                    double x = w - (newest - s.second()) * step, v = pass == 0 ? s.total() : s.denied();
                    double y = bottom - v / max * height;
                    if (i == 0) g.moveTo(x, y);
                    else g.lineTo(x, y);
                }
                g.stroke();
            }
            double lx = w * 0.45;
            g.setFill(ink(total, Color.STEELBLUE));
            g.fillText("records/s", lx, top - line);
            g.setFill(ink(denied, Color.FIREBRICK));
            g.fillText("denied/s", lx + line * 5.5, top - line);
        }
    }

    /** The sources with the most records in the last minute, biggest first. */
    static final class Talkers extends Chart {
        private List<Talker> top = List.of();

        void show(List<Talker> t) {
            top = List.copyOf(t);
            paint();
        }

        @Override void draw(GraphicsContext g, double w, double h, double line) {
            Paint fg = ink(text, Color.GRAY);
            g.setFill(fg);
            g.fillText("Top talkers (records in the last minute)", 0, 0);
            if (top.isEmpty()) return;
            long max = Math.max(1, top.get(0).flows());
            double labelW = line * 8, row = Math.min(line * 1.6, (h - line * 1.6) / top.size()), barW = w - labelW - line * 4;
            for (int i = 0; i < top.size(); i++) {
                Talker t = top.get(i);
                double y = line * 1.6 + i * row;
                g.setFill(fg);
                g.fillText(t.address(), 0, y);
                g.setFill(ink(total, Color.STEELBLUE));
                double bw = Math.max(1, barW * t.flows() / max);
                g.fillRect(labelW, y + row * 0.1, bw, row * 0.7);
                g.setFill(fg);
                g.fillText(String.format("%,d", t.flows()), labelW + bw + line * 0.3, y);
            }
        }
    }
}
