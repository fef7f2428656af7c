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

void ks_geom_to_logical(int rotate, int win_w, int win_h, double px, double py, double *lx,
                        double *ly)
{
    switch (rotate) {
    case 90:
        *lx = py;
        *ly = win_w - px;
        break;
    case 180:
        *lx = win_w - px;
        *ly = win_h - py;
        break;
    case 270:
        *lx = win_h - py;
        *ly = px;
        break;
    default:
        *lx = px;
        *ly = py;
        break;
    }
}

void ks_geom_to_physical(int rotate, int win_w, int win_h, double lx, double ly, double *px,
                         double *py)
{
    switch (rotate) {
    case 90:
        *px = win_w - ly;
        *py = lx;
        break;
    case 180:
        *px = win_w - lx;
        *py = win_h - ly;
        break;
    case 270:
        *px = ly;
        *py = win_h - lx;
        break;
    default:
        *px = lx;
        *py = ly;
        break;
    }
}

double ks_geom_px_per_mm(int w, int h, int dpi, double diagonal_in)
{
    if (dpi > 0)
        return dpi / 25.4;
    if (diagonal_in <= 0)
        return 96.0 / 25.4;
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
