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
 * Maps a physical window point to the logical canvas. The canvas is drawn
 * rotated clockwise by `rotate` degrees onto the window.
 */
void ks_geom_to_logical(int rotate, int win_w, int win_h, double px, double py, double *lx,
                        double *ly);

/* The inverse of ks_geom_to_logical. */
void ks_geom_to_physical(int rotate, int win_w, int win_h, double lx, double ly, double *px,
                         double *py);

/* Pixels per millimetre of a w x h screen: from dpi when > 0, else from the diagonal. */
double ks_geom_px_per_mm(int w, int h, int dpi, double diagonal_in);

/* 1 when the point lies inside the rectangle (right/bottom edges exclusive). */
int ks_rect_contains(ks_rect_t r, int x, int y);

/* 1 when two rectangles overlap with a positive area. */
int ks_rect_overlaps(ks_rect_t a, ks_rect_t b);

#endif
