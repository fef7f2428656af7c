/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The shipped themes, checked from the same files the kiosk draws with:
 * contrast of every text/background pair (4.5:1 standard, 7:1 elderly),
 * elderly text at least 1.5x the standard sizes, bigger touch targets.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "error.h"
#include "theme.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void theme_path(char *buf, size_t n, const char *name)
{
    const char *src = getenv("KS_SOURCE_DIR");
    assert_non_null(src);
    snprintf(buf, n, "%s/assets/theme/%s.ini", src, name);
}

static void load(ks_theme_t *t, const char *name)
{
    char path[1024], err[256] = "";
    theme_path(path, sizeof path, name);
    int rc = ks_theme_load(t, path, err, sizeof err);
    if (rc != KS_OK)
        fail_msg("%s", err);
}

static void test_contrast_formula(void **state)
{
    (void)state;
    ks_rgb_t black = {0, 0, 0}, white = {255, 255, 255}, grey = {0x76, 0x76, 0x76};
    assert_float_equal(ks_contrast_ratio(black, white), 21.0, 0.01);
    assert_float_equal(ks_contrast_ratio(white, black), 21.0, 0.01);
    assert_float_equal(ks_contrast_ratio(white, white), 1.0, 0.001);
    /* #767676 on white is the well-known 4.54:1 boundary colour. */
    assert_float_equal(ks_contrast_ratio(grey, white), 4.54, 0.01);
}

static void test_standard_contrast(void **state)
{
    (void)state;
    ks_theme_t t;
    char err[256];
    load(&t, "standard");
    assert_true(t.min_contrast >= 4.5);
    if (ks_theme_check_contrast(&t, err, sizeof err) != 0)
        fail_msg("%s", err);
}

static void test_elderly_contrast(void **state)
{
    (void)state;
    ks_theme_t t;
    char err[256];
    load(&t, "elderly");
    assert_true(t.min_contrast >= 7.0);
    if (ks_theme_check_contrast(&t, err, sizeof err) != 0)
        fail_msg("%s", err);
}

static void test_check_catches_low_contrast(void **state)
{
    (void)state;
    ks_theme_t t;
    char err[256];
    load(&t, "elderly");
    t.style[KS_STYLE_PRIMARY].fg = (ks_rgb_t){0x77, 0x77, 0x77};
    t.style[KS_STYLE_PRIMARY].bg = (ks_rgb_t){0xFF, 0xFF, 0xFF};
    assert_int_equal(ks_theme_check_contrast(&t, err, sizeof err), 1);
    assert_non_null(strstr(err, "primary"));
}

static void test_elderly_larger(void **state)
{
    (void)state;
    ks_theme_t std, eld;
    load(&std, "standard");
    load(&eld, "elderly");
    for (int i = 0; i < KS_TEXT_COUNT; i++) {
        if (eld.text_px[i] * 2 < std.text_px[i] * 3)
            fail_msg("elderly %s text %d px is less than 1.5 x %d px", ks_text_role_name(i),
                     eld.text_px[i], std.text_px[i]);
    }
    assert_true(std.target_mm >= 20.0);
    assert_true(eld.target_mm > std.target_mm);
    assert_true(eld.gap_mm >= std.gap_mm);
    assert_true(std.line_spacing >= 1.3 && eld.line_spacing >= 1.3);
    /* Body text on a 1080-wide portrait screen: >= 32 px standard (ui.md). */
    assert_true(std.text_px[KS_TEXT_BODY] >= 32);
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void test_bad_theme_files(void **state)
{
    (void)state;
    char path[] = "/tmp/ks-theme-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    ks_theme_t t;
    char err[256];

    write_file(path, "[theme]\nname = x\n[style.screen]\nfg = #12345\n");
    assert_int_equal(ks_theme_load(&t, path, err, sizeof err), KS_E_PARSE);
    assert_non_null(strstr(err, ":4: bad value for [style.screen] fg: '#12345'"));

    write_file(path, "[theme]\nname = x\nshiny = yes\n");
    assert_int_equal(ks_theme_load(&t, path, err, sizeof err), KS_E_PARSE);
    assert_non_null(strstr(err, ":3: unknown key 'shiny' in section [theme]"));

    write_file(path, "[theme]\nname = x\n");
    assert_int_equal(ks_theme_load(&t, path, err, sizeof err), KS_E_PARSE);
    assert_non_null(strstr(err, "missing small"));

    write_file(path, "[theme]\ntarget_mm = 12\n");
    assert_int_equal(ks_theme_load(&t, path, err, sizeof err), KS_E_PARSE);
    assert_non_null(strstr(err, "target_mm: '12'"));

    unlink(path);
    assert_int_equal(ks_theme_load(&t, path, err, sizeof err), KS_E_IO);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_contrast_formula), cmocka_unit_test(test_standard_contrast),
        cmocka_unit_test(test_elderly_contrast), cmocka_unit_test(test_check_catches_low_contrast),
        cmocka_unit_test(test_elderly_larger),   cmocka_unit_test(test_bad_theme_files),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
