/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The QR code widget: what it draws is read back by a real decoder (zbarimg
 * from zbar-tools, which scripts/dev installs; the test fails without it), it
 * is centred at whole pixels per module with a quiet zone, and a rect too
 * small or a text that cannot be encoded gives a widget that draws nothing.
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
#include <qrencode.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define CANVAS_W 640
#define CANVAS_H 480
#define BOOKING  "JJ2026120100123"

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
    f.surface = SDL_CreateRGBSurfaceWithFormat(0, CANVAS_W, CANVAS_H, 32, SDL_PIXELFORMAT_ARGB8888);
    f.renderer = SDL_CreateSoftwareRenderer(f.surface);
    f.ui = ks_ui_new(f.renderer, CANVAS_W, CANVAS_H, &f.cfg, assets, err, sizeof err);
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

/* Renders the widgets and saves the canvas as PNG into `path` (a fresh temp file). */
static void render_to_png(fixture_t *f, char *path)
{
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    ks_ui_render(f->ui);
    assert_int_equal(ks_ui_save_png(f->ui, path), 0);
}

/*
 * What zbarimg reads in the PNG (stdout only: it may chatter on stderr, e.g.
 * about D-Bus), without the trailing newline. Fails the test without zbarimg.
 */
static void decode_png(const char *path, char *out, size_t outlen)
{
    char cmd[2200], errpath[1040], why[512] = "";
    snprintf(errpath, sizeof errpath, "%s.err", path);
    snprintf(cmd, sizeof cmd, "zbarimg --quiet --raw '%s' 2>'%s'", path, errpath);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    size_t n = fread(out, 1, outlen - 1, p);
    out[n] = '\0';
    int status = pclose(p);
    FILE *e = fopen(errpath, "r");
    if (e) {
        why[fread(why, 1, sizeof why - 1, e)] = '\0';
        fclose(e);
    }
    unlink(errpath);
    if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
        fail_msg("zbarimg not found: install zbar-tools (scripts/dev deps installs it)");
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        fail_msg("zbarimg read no code in %s (status %d): %s", path, status, why);
    while (n > 0 && (out[n - 1] == '\n' || out[n - 1] == '\r'))
        out[--n] = '\0';
}

/* The canvas pixel at (x, y) of a saved PNG, as RGB. */
static ks_rgb_t pixel(SDL_Surface *rgba, int x, int y)
{
    const uint8_t *px = (const uint8_t *)rgba->pixels + y * rgba->pitch + x * 4;
    return (ks_rgb_t){px[0], px[1], px[2]};
}

static int is_white(ks_rgb_t c)
{
    return c.r == 255 && c.g == 255 && c.b == 255;
}

/* The symbol's width for `text` with the parameters the widget promises. */
static int expected_modules(const char *text)
{
    QRcode *code = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    assert_non_null(code);
    int n = code->width;
    QRcode_free(code);
    return n;
}

static void test_scans_back(void **state)
{
    fixture_t *f = *state;
    char path[] = "/tmp/ks-ui-qr-XXXXXX", text[256];
    ks_ui_clear(f->ui);
    ks_ui_label(f->ui, "hint", 20, 10, 600, "请用手机扫描二维码", KS_TEXT_BODY, KS_STYLE_SCREEN,
                KS_ALIGN_CENTER);
    ks_widget_t *w = ks_ui_qr(f->ui, "qr", (ks_rect_t){120, 80, 400, 380}, BOOKING);
    assert_non_null(w);
    assert_int_equal(w->kind, KS_W_QR);
    assert_string_equal(w->text, BOOKING);
    assert_int_equal(w->qr_modules, expected_modules(BOOKING));
    assert_true(w->qr_modules >= 21);
    render_to_png(f, path);
    decode_png(path, text, sizeof text);
    assert_string_equal(text, BOOKING);
    unlink(path);
}

static void test_centred_whole_modules(void **state)
{
    fixture_t *f = *state;
    char path[] = "/tmp/ks-ui-qr-XXXXXX";
    ks_ui_clear(f->ui);
    ks_rect_t r = {30, 40, 580, 300};
    int n = ks_ui_qr(f->ui, "qr", r, BOOKING)->qr_modules;
    render_to_png(f, path);
    SDL_Surface *s = IMG_Load(path);
    assert_non_null(s);
    SDL_Surface *rgba = SDL_ConvertSurfaceFormat(s, SDL_PIXELFORMAT_RGBA32, 0);
    assert_non_null(rgba);
    /* n modules and 4 of quiet zone each side in the rect's short side, centred in r. */
    int px = r.h / (n + 8), total = (n + 8) * px;
    assert_true(px >= 2);
    int x0 = r.x + (r.w - total) / 2, y0 = r.y + (r.h - total) / 2;
    /* The quiet zone is white; the finder pattern's corner module is dark, and so is its edge. */
    assert_true(is_white(pixel(rgba, x0, y0)));
    assert_true(is_white(pixel(rgba, x0 + 4 * px - 1, y0 + 4 * px - 1)));
    assert_true(is_white(pixel(rgba, x0 + total - 1, y0 + total - 1)));
    assert_false(is_white(pixel(rgba, x0 + 4 * px, y0 + 4 * px)));
    assert_false(is_white(pixel(rgba, x0 + 11 * px - 1, y0 + 4 * px)));
    assert_true(is_white(pixel(rgba, x0 + 11 * px, y0 + 4 * px))); /* the separator */
    /* The top-right finder ends 4 modules before the square's right edge. */
    assert_false(is_white(pixel(rgba, x0 + total - 4 * px - 1, y0 + 4 * px)));
    assert_true(is_white(pixel(rgba, x0 + total - 4 * px, y0 + 4 * px)));
    SDL_FreeSurface(rgba);
    SDL_FreeSurface(s);
    unlink(path);
}

static void test_too_small_draws_nothing(void **state)
{
    fixture_t *f = *state;
    char path[] = "/tmp/ks-ui-qr-XXXXXX";
    ks_ui_clear(f->ui);
    /* 20 px is less than one pixel for each of (at least 21 + 8) modules. */
    ks_widget_t *w = ks_ui_qr(f->ui, "tiny", (ks_rect_t){10, 10, 20, 20}, BOOKING);
    assert_non_null(w);
    assert_int_equal(w->qr_modules, expected_modules(BOOKING));
    assert_int_equal(ks_ui_count(f->ui), 1);
    render_to_png(f, path);
    SDL_Surface *s = IMG_Load(path);
    assert_non_null(s);
    SDL_Surface *rgba = SDL_ConvertSurfaceFormat(s, SDL_PIXELFORMAT_RGBA32, 0);
    ks_rgb_t bg = ks_ui_theme(f->ui)->style[KS_STYLE_SCREEN].bg;
    for (int y = 10; y < 30; y++)
        for (int x = 10; x < 30; x++) {
            ks_rgb_t c = pixel(rgba, x, y);
            assert_true(c.r == bg.r && c.g == bg.g && c.b == bg.b);
        }
    SDL_FreeSurface(rgba);
    SDL_FreeSurface(s);
    unlink(path);
    /* An empty rect neither. */
    assert_non_null(ks_ui_qr(f->ui, "none", (ks_rect_t){0, 0, 0, 0}, BOOKING));
    ks_ui_render(f->ui);
}

static void test_unencodable_text(void **state)
{
    fixture_t *f = *state;
    ks_ui_clear(f->ui);
    /* Level M holds at most 2331 bytes (lower case is byte mode); nor can empty text be encoded. */
    char big[3001];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    ks_widget_t *w = ks_ui_qr(f->ui, "big", (ks_rect_t){0, 0, 400, 400}, big);
    assert_non_null(w);
    assert_null(w->qr);
    assert_int_equal(w->qr_modules, 0);
    assert_string_equal(w->text, big);
    w = ks_ui_qr(f->ui, "empty", (ks_rect_t){0, 0, 400, 400}, "");
    assert_non_null(w);
    assert_int_equal(w->qr_modules, 0);
    w = ks_ui_qr(f->ui, "null", (ks_rect_t){0, 0, 400, 400}, NULL);
    assert_non_null(w);
    assert_string_equal(w->text, "");
    assert_int_equal(ks_ui_count(f->ui), 3);
    ks_ui_render(f->ui);
}

static void test_dump_and_drop(void **state)
{
    fixture_t *f = *state;
    ks_ui_clear(f->ui);
    ks_ui_panel(f->ui, "p", (ks_rect_t){0, 0, 640, 480}, KS_STYLE_PANEL);
    ks_ui_qr(f->ui, "qr-booking", (ks_rect_t){100, 40, 400, 400}, BOOKING);
    cJSON *root = cJSON_CreateObject();
    ks_ui_dump(f->ui, root);
    cJSON *w = cJSON_GetArrayItem(cJSON_GetObjectItem(root, "widgets"), 1);
    assert_string_equal(cJSON_GetObjectItem(w, "id")->valuestring, "qr-booking");
    assert_string_equal(cJSON_GetObjectItem(w, "kind")->valuestring, "qr");
    assert_string_equal(cJSON_GetObjectItem(w, "text")->valuestring, BOOKING);
    assert_int_equal(cJSON_GetObjectItem(w, "modules")->valueint, expected_modules(BOOKING));
    assert_null(cJSON_GetObjectItem(w, "text_px")); /* its text is not drawn as text */
    assert_false(cJSON_IsTrue(cJSON_GetObjectItem(w, "enabled")));
    assert_null(ks_ui_hit(f->ui, 300, 240)); /* not a touch target */
    cJSON_Delete(root);
    /* Dropping the widget frees its symbol (the sanitizer build checks for leaks). */
    ks_ui_truncate(f->ui, 1);
    assert_int_equal(ks_ui_count(f->ui), 1);
    ks_ui_qr(f->ui, "again", (ks_rect_t){100, 40, 400, 400}, BOOKING);
    ks_ui_clear(f->ui);
    ks_ui_qr(f->ui, "left-for-free", (ks_rect_t){100, 40, 400, 400}, BOOKING);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scans_back),
        cmocka_unit_test(test_centred_whole_modules),
        cmocka_unit_test(test_too_small_draws_nothing),
        cmocka_unit_test(test_unencodable_text),
        cmocka_unit_test(test_dump_and_drop),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
