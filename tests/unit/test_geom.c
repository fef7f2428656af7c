/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Rotation between window and canvas, and physical sizes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "geom.h"

static void test_logical_size(void **state)
{
    (void)state;
    int w, h;
    ks_geom_logical_size(0, 1920, 1080, &w, &h);
    assert_int_equal(w, 1920);
    assert_int_equal(h, 1080);
    ks_geom_logical_size(90, 1920, 1080, &w, &h);
    assert_int_equal(w, 1080);
    assert_int_equal(h, 1920);
    ks_geom_logical_size(180, 1080, 1920, &w, &h);
    assert_int_equal(w, 1080);
    assert_int_equal(h, 1920);
    ks_geom_logical_size(270, 1920, 1080, &w, &h);
    assert_int_equal(w, 1080);
    assert_int_equal(h, 1920);
}

/* Corners of the canvas land where a clockwise rotation puts them. */
static void test_corners(void **state)
{
    (void)state;
    double px, py;
    /* 90: canvas 1080x1920 on a 1920x1080 window; canvas top-left goes to window top-right. */
    ks_geom_to_window(90, 1920, 1080, 1080, 1920, 0, 0, &px, &py);
    assert_float_equal(px, 1920, 1e-9);
    assert_float_equal(py, 0, 1e-9);
    ks_geom_to_window(90, 1920, 1080, 1080, 1920, 1080, 1920, &px, &py);
    assert_float_equal(px, 0, 1e-9);
    assert_float_equal(py, 1080, 1e-9);
    /* 180: top-left goes to bottom-right. */
    ks_geom_to_window(180, 1080, 1920, 1080, 1920, 0, 0, &px, &py);
    assert_float_equal(px, 1080, 1e-9);
    assert_float_equal(py, 1920, 1e-9);
    /* 270: top-left goes to bottom-left. */
    ks_geom_to_window(270, 1920, 1080, 1080, 1920, 0, 0, &px, &py);
    assert_float_equal(px, 0, 1e-9);
    assert_float_equal(py, 1080, 1e-9);
}

static void test_round_trip(void **state)
{
    (void)state;
    const int rots[] = {0, 90, 180, 270};
    for (int r = 0; r < 4; r++) {
        int ww = rots[r] % 180 ? 1920 : 1080, wh = rots[r] % 180 ? 1080 : 1920;
        for (double x = 0; x < 1080; x += 97) {
            for (double y = 0; y < 1920; y += 131) {
                double px, py, lx, ly;
                ks_geom_to_window(rots[r], ww, wh, 1080, 1920, x, y, &px, &py);
                assert_true(px >= 0 && px <= ww && py >= 0 && py <= wh);
                ks_geom_to_canvas(rots[r], ww, wh, 1080, 1920, px, py, &lx, &ly);
                assert_float_equal(lx, x, 1e-9);
                assert_float_equal(ly, y, 1e-9);
            }
        }
    }
}

/* A canvas smaller than the window (a resize that could not get a new canvas)
 * sits centred: touches map through the same rectangle it is drawn in. */
static void test_canvas_not_matching_window(void **state)
{
    (void)state;
    double lx, ly, px, py;
    /* 1080x1920 canvas centred on a 1200x2000 window, unrotated: offset (60, 40). */
    ks_geom_to_canvas(0, 1200, 2000, 1080, 1920, 60, 40, &lx, &ly);
    assert_float_equal(lx, 0, 1e-9);
    assert_float_equal(ly, 0, 1e-9);
    /* The same canvas turned 90 on a 2000x1200 window fills x 40..1960, y 60..1140;
     * its top-left corner goes to the top-right, (1960, 60). */
    ks_geom_to_window(90, 2000, 1200, 1080, 1920, 0, 0, &px, &py);
    assert_float_equal(px, 1960, 1e-9);
    assert_float_equal(py, 60, 1e-9);
    ks_geom_to_canvas(90, 2000, 1200, 1080, 1920, px, py, &lx, &ly);
    assert_float_equal(lx, 0, 1e-9);
    assert_float_equal(ly, 0, 1e-9);
}

static void test_px_per_mm(void **state)
{
    (void)state;
    /* 21.5" 1080x1920: 2202.9 px over 546.1 mm. */
    assert_float_equal(ks_geom_px_per_mm(1080, 1920, 0, 21.5), 4.034, 0.001);
    assert_float_equal(ks_geom_px_per_mm(1080, 1920, 254, 21.5), 10.0, 1e-9);
    /* The diagonal does not depend on orientation. */
    assert_float_equal(ks_geom_px_per_mm(1920, 1080, 0, 21.5),
                       ks_geom_px_per_mm(1080, 1920, 0, 21.5), 1e-12);
}

static void test_rects(void **state)
{
    (void)state;
    ks_rect_t r = {10, 20, 100, 50};
    assert_true(ks_rect_contains(r, 10, 20));
    assert_true(ks_rect_contains(r, 109, 69));
    assert_false(ks_rect_contains(r, 110, 69));
    assert_false(ks_rect_contains(r, 50, 70));
    assert_true(ks_rect_overlaps(r, (ks_rect_t){109, 69, 5, 5}));
    assert_false(ks_rect_overlaps(r, (ks_rect_t){110, 20, 5, 5}));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_logical_size), cmocka_unit_test(test_corners),
        cmocka_unit_test(test_round_trip),   cmocka_unit_test(test_canvas_not_matching_window),
        cmocka_unit_test(test_px_per_mm),    cmocka_unit_test(test_rects),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
