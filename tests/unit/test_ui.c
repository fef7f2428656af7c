/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The widget toolkit on SDL's software renderer: sizes derived from the
 * theme and the screen's millimetres, hit testing with a modal layer, text
 * that grows its widget instead of being cut, and screenshots as PNG.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "config.h"
#include "ui.h"

#include <SDL_image.h>
#include <SDL_ttf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct {
    SDL_Surface *surface;
    SDL_Renderer *renderer;
    ks_config_t cfg;
    ks_ui_t *ui;
} fixture_t;

static int setup(void **state)
{
    static fixture_t f;
    char assets[1024], err[512] = "";
    const char *src = getenv("KS_SOURCE_DIR");
    if (!src || TTF_Init() != 0)
        return -1;
    snprintf(assets, sizeof assets, "%s/assets", src);
    ks_config_defaults(&f.cfg);
    f.surface = SDL_CreateRGBSurfaceWithFormat(0, 1080, 1920, 32, SDL_PIXELFORMAT_ARGB8888);
    f.renderer = SDL_CreateSoftwareRenderer(f.surface);
    f.ui = ks_ui_new(f.renderer, 1080, 1920, &f.cfg, assets, err, sizeof err);
    if (!f.ui) {
        fprintf(stderr, "ks_ui_new: %s\n", err);
        return -1;
    }
    *state = &f;
    return 0;
}

static int teardown(void **state)
{
    fixture_t *f = *state;
    ks_ui_free(f->ui);
    SDL_DestroyRenderer(f->renderer);
    SDL_FreeSurface(f->surface);
    TTF_Quit();
    return 0;
}

static void test_metrics_from_millimetres(void **state)
{
    fixture_t *f = *state;
    ks_ui_set_elderly(f->ui, 0);
    const ks_metrics_t *m = ks_ui_metrics(f->ui);
    /* 21.5" portrait 1080x1920: 4.03 px/mm, so a 20 mm target is at least 81 px. */
    assert_true(m->portrait);
    assert_true(m->target >= 81);
    assert_true(m->button_h >= m->target);
    int std_button = m->button_h, std_body = m->text_px[KS_TEXT_BODY];
    ks_ui_set_elderly(f->ui, 1);
    assert_true(m->target >= 101); /* 25 mm */
    assert_true(m->button_h > std_button);
    assert_true(m->text_px[KS_TEXT_BODY] * 2 >= std_body * 3);
    ks_ui_set_elderly(f->ui, 0);
}

static void test_hit_and_overlay(void **state)
{
    fixture_t *f = *state;
    ks_ui_clear(f->ui);
    ks_ui_button(f->ui, "a", 100, 100, 400, 0, "甲", KS_STYLE_BUTTON, 1);
    ks_ui_label(f->ui, "l", 100, 400, 400, "说明", KS_TEXT_BODY, KS_STYLE_SCREEN, KS_ALIGN_LEFT);
    ks_ui_button(f->ui, "off", 100, 600, 400, 0, "不可按", KS_STYLE_BUTTON, 0);
    const ks_widget_t *hit = ks_ui_hit(f->ui, 120, 120);
    assert_non_null(hit);
    assert_string_equal(hit->id, "a");
    assert_null(ks_ui_hit(f->ui, 120, 410)); /* labels are not targets */
    assert_null(ks_ui_hit(f->ui, 120, 610)); /* nor buttons without an action */
    assert_null(ks_ui_hit(f->ui, 99, 120));

    /* A modal layer: the button below is covered, only the dialog's button answers. */
    ks_ui_begin_overlay(f->ui, 160);
    ks_ui_button(f->ui, "b", 100, 1000, 400, 0, "乙", KS_STYLE_PRIMARY, 2);
    assert_null(ks_ui_hit(f->ui, 120, 120));
    hit = ks_ui_hit(f->ui, 120, 1010);
    assert_non_null(hit);
    assert_string_equal(hit->id, "b");
    assert_true(hit->overlay);

    /* Dropping the layer again uncovers the screen. */
    ks_ui_truncate(f->ui, 3);
    assert_non_null(ks_ui_hit(f->ui, 120, 120));
}

static void test_text_grows_widgets(void **state)
{
    fixture_t *f = *state;
    ks_ui_clear(f->ui);
    const ks_metrics_t *m = ks_ui_metrics(f->ui);
    ks_widget_t *one = ks_ui_button(f->ui, "one", 0, 0, 600, 0, "确定", KS_STYLE_BUTTON, 1);
    int one_h = one->rect.h;
    assert_int_equal(one_h, m->button_h);
    ks_widget_t *two =
        ks_ui_button(f->ui, "two", 0, 0, 600, 0,
                     "请取出卡片，重新插入；如果仍然不行，请联系工作人员", KS_STYLE_BUTTON, 1);
    assert_true(two->text_lines >= 2);
    assert_true(two->rect.h > one_h);
    assert_true(two->text_w <= two->rect.w && two->text_h <= two->rect.h);
    ks_widget_t *lbl = ks_ui_label(f->ui, "lbl", 0, 0, 300, "时间到后将自动退出，并清除您的信息",
                                   KS_TEXT_BODY, KS_STYLE_SCREEN, KS_ALIGN_LEFT);
    assert_true(lbl->text_lines >= 2);
    assert_int_equal(lbl->rect.h, lbl->text_h);
    assert_true(lbl->text_w <= 300);
}

static void test_render_and_screenshot(void **state)
{
    fixture_t *f = *state;
    char path[] = "/tmp/ks-ui-shot-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    ks_ui_clear(f->ui);
    ks_ui_panel(f->ui, "p", (ks_rect_t){0, 0, 1080, 200}, KS_STYLE_BANNER);
    ks_ui_button(f->ui, "b", 100, 400, 800, 0, "继续办理", KS_STYLE_PRIMARY, 1);
    ks_ui_render(f->ui);
    assert_int_equal(ks_ui_save_png(f->ui, path), 0);
    SDL_Surface *s = IMG_Load(path);
    assert_non_null(s);
    assert_int_equal(s->w, 1080);
    assert_int_equal(s->h, 1920);
    /* The banner's colour is where the banner is. */
    SDL_Surface *rgb = SDL_ConvertSurfaceFormat(s, SDL_PIXELFORMAT_RGBA32, 0);
    const uint8_t *px = (const uint8_t *)rgb->pixels + 100 * rgb->pitch + 540 * 4;
    ks_rgb_t want = ks_ui_theme(f->ui)->style[KS_STYLE_BANNER].bg;
    assert_int_equal(px[0], want.r);
    assert_int_equal(px[1], want.g);
    assert_int_equal(px[2], want.b);
    SDL_FreeSurface(rgb);
    SDL_FreeSurface(s);
    unlink(path);
}

static void test_dump(void **state)
{
    fixture_t *f = *state;
    ks_ui_clear(f->ui);
    ks_ui_button(f->ui, "btn-x", 10, 20, 500, 0, "退出", KS_STYLE_DANGER, 3);
    cJSON *root = cJSON_CreateObject();
    ks_ui_dump(f->ui, root);
    cJSON *w = cJSON_GetArrayItem(cJSON_GetObjectItem(root, "widgets"), 0);
    assert_string_equal(cJSON_GetObjectItem(w, "id")->valuestring, "btn-x");
    assert_string_equal(cJSON_GetObjectItem(w, "kind")->valuestring, "button");
    assert_string_equal(cJSON_GetObjectItem(w, "text")->valuestring, "退出");
    assert_string_equal(cJSON_GetObjectItem(w, "style")->valuestring, "danger");
    cJSON *r = cJSON_GetObjectItem(w, "rect");
    assert_int_equal(cJSON_GetObjectItem(r, "x")->valueint, 10);
    assert_int_equal(cJSON_GetObjectItem(r, "y")->valueint, 20);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(w, "enabled")));
    cJSON_Delete(root);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_metrics_from_millimetres),
        cmocka_unit_test(test_hit_and_overlay),
        cmocka_unit_test(test_text_grows_widgets),
        cmocka_unit_test(test_render_and_screenshot),
        cmocka_unit_test(test_dump),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
