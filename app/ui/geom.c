/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "geom.h"

#include <math.h>

void ks_geom_logical_size(int rotate, int win_w, int win_h, int *lw, int *lh)
{
    if (rotate == 90 || rotate == 270) {
        *lw = win_h;
        *lh = win_w;
    } else {
        *lw = win_w;
        *lh = win_h;
    }
}

/* Turns a vector clockwise by `rotate` degrees on a y-down screen. */
static void turn(int rotate, double x, double y, double *ox, double *oy)
{
    switch (rotate) {
    case 90:
        *ox = -y;
        *oy = x;
        break;
    case 180:
        *ox = -x;
        *oy = -y;
        break;
    case 270:
        *ox = y;
        *oy = -x;
        break;
    default:
        *ox = x;
        *oy = y;
        break;
    }
}

void ks_geom_to_canvas(int rotate, int ww, int wh, int cw, int ch, double px, double py, double *lx,
                       double *ly)
{
    double x, y;
    /* Turning back by `rotate` is turning on by 360 - rotate. */
    turn((360 - rotate) % 360, px - ww / 2.0, py - wh / 2.0, &x, &y);
    *lx = x + cw / 2.0;
    *ly = y + ch / 2.0;
}

void ks_geom_to_window(int rotate, int ww, int wh, int cw, int ch, double lx, double ly, double *px,
                       double *py)
{
    double x, y;
    turn(rotate, lx - cw / 2.0, ly - ch / 2.0, &x, &y);
    *px = x + ww / 2.0;
    *py = y + wh / 2.0;
}

double ks_geom_px_per_mm(int w, int h, int dpi, double diagonal_in)
{
    if (dpi > 0)
        return dpi / 25.4;
    if (diagonal_in <= 0)
        return KS_GEOM_DEFAULT_DPI / 25.4;
    double diag_px = sqrt((double)w * w + (double)h * h);
    return diag_px / (diagonal_in * 25.4);
}

int ks_rect_contains(ks_rect_t r, int x, int y)
{
    return x >= r.x && y >= r.y && x < r.x + r.w && y < r.y + r.h;
}

int ks_rect_overlaps(ks_rect_t a, ks_rect_t b)
{
    return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}
