/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Screen geometry without SDL: rotation between the physical window and the
 * logical (upright) canvas, scale and physical sizes. The kiosk draws on a
 * logical canvas and presents it rotated, because KMSDRM and kiosk
 * compositors do not rotate touch input reliably.
 */
#ifndef KS_GEOM_H
#define KS_GEOM_H

typedef struct {
    int x, y, w, h;
} ks_rect_t;

/* Logical canvas size for a window of win_w x win_h rotated by `rotate` (0/90/180/270). */
void ks_geom_logical_size(int rotate, int win_w, int win_h, int *lw, int *lh);

/*
 * Maps a window point to the canvas. The canvas (cw x ch) is drawn centred on
 * the window (ww x wh) and turned clockwise by `rotate` degrees about its
 * centre; this is the exact inverse of that drawing, so it stays right even
 * when the canvas does not match the window (a failed resize, odd sizes).
 */
void ks_geom_to_canvas(int rotate, int ww, int wh, int cw, int ch, double px, double py, double *lx,
                       double *ly);

/* The inverse: where a canvas point appears in the window. */
void ks_geom_to_window(int rotate, int ww, int wh, int cw, int ch, double lx, double ly, double *px,
                       double *py);

/* Pixels per inch assumed when neither the configuration nor the display says. */
#define KS_GEOM_DEFAULT_DPI 96.0

/*
 * Pixels per millimetre of a w x h screen: from dpi when > 0, else from the
 * diagonal when > 0, else KS_GEOM_DEFAULT_DPI.
 */
double ks_geom_px_per_mm(int w, int h, int dpi, double diagonal_in);

/* 1 when the point lies inside the rectangle (right/bottom edges exclusive). */
int ks_rect_contains(ks_rect_t r, int x, int y);

/* 1 when two rectangles overlap with a positive area. */
int ks_rect_overlaps(ks_rect_t a, ks_rect_t b);

#endif
