/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Text rendering and its texture cache, on SDL's software renderer (no window,
 * no display): measurement and wrapping with the real CJK font, cache hits,
 * keys that must miss, and the LRU bounds.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "text.h"

#include <SDL_ttf.h>
#include <stdio.h>
#include <string.h>

#define FONT_REGULAR "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
#define FONT_BOLD    "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"

typedef struct {
    SDL_Surface *surface;
    SDL_Renderer *renderer;
} fixture_t;

static int setup(void **state)
{
    static fixture_t f;
    if (TTF_Init() != 0)
        return -1;
    f.surface = SDL_CreateRGBSurfaceWithFormat(0, 64, 64, 32, SDL_PIXELFORMAT_ARGB8888);
    f.renderer = f.surface ? SDL_CreateSoftwareRenderer(f.surface) : NULL;
    *state = &f;
    return f.renderer ? 0 : -1;
}

static int teardown(void **state)
{
    fixture_t *f = *state;
    SDL_DestroyRenderer(f->renderer);
    SDL_FreeSurface(f->surface);
    TTF_Quit();
    return 0;
}

static ks_text_t *open_text(void **state, size_t entries, size_t bytes)
{
    fixture_t *f = *state;
    char err[256] = "";
    ks_text_t *t =
        ks_text_new(f->renderer, FONT_REGULAR, FONT_BOLD, 2, entries, bytes, err, sizeof err);
    if (!t)
        fail_msg("%s", err);
    return t;
}

static ks_text_style_t style(int px, int wrap)
{
    ks_text_style_t st = {px, 0, wrap, KS_ALIGN_LEFT, 1.35};
    return st;
}

static void test_measure_cjk(void **state)
{
    ks_text_t *t = open_text(state, 16, 0);
    int w, h, lines;
    ks_text_style_t st = style(40, 0);
    assert_int_equal(ks_text_measure(t, "请插入社会保障卡", &st, &w, &h, &lines), 0);
    /* Ideographs advance one em each. */
    assert_in_range(w, 300, 340);
    assert_int_equal(lines, 1);
    assert_in_range(h, 40, 70);
    ks_text_free(t);
}

static void test_wrap_and_line_pitch(void **state)
{
    ks_text_t *t = open_text(state, 16, 0);
    int w1, h1, l1, w2, h2, l2;
    ks_text_style_t one = style(40, 0), two = style(40, 170);
    ks_text_measure(t, "请插入社会保障卡", &one, &w1, &h1, &l1);
    ks_text_measure(t, "请插入社会保障卡", &two, &w2, &h2, &l2);
    assert_int_equal(l2, 2);
    assert_true(w2 <= 170);
    /* The second line adds one line pitch: 1.35 x 40 px. */
    assert_int_equal(h2 - h1, 54);
    /* Closing punctuation never starts a line: "，" stays with the character before it. */
    ks_text_style_t narrow = style(40, 125);
    int w3, h3, l3;
    ks_text_measure(t, "您好世，界", &narrow, &w3, &h3, &l3);
    assert_int_equal(l3, 2);
    ks_text_free(t);
}

static void test_cache_hits_and_misses(void **state)
{
    ks_text_t *t = open_text(state, 16, 0);
    SDL_Color black = {0, 0, 0, 255}, red = {200, 0, 0, 255};
    ks_text_style_t st = style(40, 0), wrapped = style(40, 170), bold = style(40, 0);
    bold.bold = 1;
    int w, h;
    size_t entries, bytes;
    unsigned long hits, misses;

    SDL_Texture *a = ks_text_texture(t, "长者模式", &st, black, &w, &h);
    assert_non_null(a);
    SDL_Texture *b = ks_text_texture(t, "长者模式", &st, black, &w, &h);
    assert_ptr_equal(a, b);
    ks_text_stats(t, &entries, &bytes, &hits, &misses);
    assert_int_equal(hits, 1);
    assert_int_equal(misses, 1);
    assert_int_equal(bytes, (size_t)w * (size_t)h * 4);

    /* Every input that changes the pixels is part of the key. */
    assert_non_null(ks_text_texture(t, "长者模式", &st, red, &w, &h));
    assert_non_null(ks_text_texture(t, "长者模式", &wrapped, black, &w, &h));
    assert_non_null(ks_text_texture(t, "长者模式", &bold, black, &w, &h));
    assert_non_null(ks_text_texture(t, "长者模", &st, black, &w, &h));
    ks_text_stats(t, &entries, &bytes, &hits, &misses);
    assert_int_equal(misses, 5);
    assert_int_equal(entries, 5);
    assert_null(ks_text_texture(t, "", &st, black, &w, &h));
    ks_text_free(t);
}

static void test_cache_bounded_by_entries(void **state)
{
    ks_text_t *t = open_text(state, 4, 0);
    SDL_Color black = {0, 0, 0, 255};
    ks_text_style_t st = style(32, 0);
    char s[32];
    int w, h;
    for (int i = 0; i < 10; i++) {
        snprintf(s, sizeof s, "第%d号", i);
        assert_non_null(ks_text_texture(t, s, &st, black, &w, &h));
    }
    size_t entries, bytes;
    unsigned long hits, misses;
    ks_text_stats(t, &entries, &bytes, &hits, &misses);
    assert_int_equal(entries, 4);
    /* The most recent survives, the oldest was evicted and renders again. */
    ks_text_texture(t, "第9号", &st, black, &w, &h);
    ks_text_texture(t, "第0号", &st, black, &w, &h);
    ks_text_stats(t, &entries, &bytes, &hits, &misses);
    assert_int_equal(hits, 1);
    assert_int_equal(misses, 11);
    ks_text_free(t);
}

static void test_cache_bounded_by_bytes(void **state)
{
    size_t limit = 64 * 1024;
    ks_text_t *t = open_text(state, 100, limit);
    SDL_Color black = {0, 0, 0, 255};
    ks_text_style_t st = style(48, 0);
    char s[32];
    int w, h;
    for (int i = 0; i < 30; i++) {
        snprintf(s, sizeof s, "排队号%03d", i);
        assert_non_null(ks_text_texture(t, s, &st, black, &w, &h));
    }
    size_t entries, bytes;
    unsigned long hits, misses;
    ks_text_stats(t, &entries, &bytes, &hits, &misses);
    assert_true(bytes <= limit);
    assert_true(entries < 30);
    ks_text_free(t);
}

static void test_bad_bold_font_falls_back(void **state)
{
    fixture_t *f = *state;
    char err[256] = "";
    /* A file that is no font, and a single-face font with a collection index: both unusable. */
    const char *bad[] = {"/etc/hostname", "/usr/share/fonts/truetype/nonexistent.ttf"};
    for (size_t i = 0; i < 2; i++) {
        ks_text_t *t = ks_text_new(f->renderer, FONT_REGULAR, bad[i], 2, 8, 0, err, sizeof err);
        assert_non_null(t);
        ks_text_style_t st = style(40, 0);
        st.bold = 1;
        int w = 0, h = 0, lines = 0;
        assert_int_equal(ks_text_measure(t, "继续办理", &st, &w, &h, &lines), 0);
        assert_true(w > 100 && h > 0);
        ks_text_free(t);
    }
}

static void test_missing_font(void **state)
{
    fixture_t *f = *state;
    char err[256] = "";
    assert_null(ks_text_new(f->renderer, "/nonexistent/font.ttc", NULL, 0, 8, 0, err, sizeof err));
    assert_non_null(strstr(err, "/nonexistent/font.ttc"));
    assert_null(ks_text_new(f->renderer, FONT_REGULAR, NULL, 99, 8, 0, err, sizeof err));
    assert_non_null(strstr(err, "face 99"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_measure_cjk),
        cmocka_unit_test(test_wrap_and_line_pitch),
        cmocka_unit_test(test_cache_hits_and_misses),
        cmocka_unit_test(test_cache_bounded_by_entries),
        cmocka_unit_test(test_cache_bounded_by_bytes),
        cmocka_unit_test(test_bad_bold_font_falls_back),
        cmocka_unit_test(test_missing_font),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
