/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The staff screens: the PIN, the diagnostics report and the touch test grid
 * (app/staffmode.c drives them). The report is drawn from the same JSON that
 * `civic-kiosk --diagnose` prints (docs/operations.md), section by section,
 * so what staff read on the glass and over SSH never differ.
 */
#include "screens.h"

#include "pin.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

/* A column of the screen: x across, w wide. */
typedef struct {
    int x, w;
} col_t;

/* The whole content width. */
static col_t full(const ks_view_t *v)
{
    const ks_metrics_t *m = ks_ui_metrics(v->ui);
    return (col_t){m->margin, m->w - 2 * m->margin};
}

/* A label at y across the column; returns the y under it. */
static int col_line(const ks_view_t *v, col_t c, const char *id, int y, const char *text,
                    ks_text_role_t role, ks_style_t style, int fill)
{
    const ks_metrics_t *m = ks_ui_metrics(v->ui);
    ks_widget_t *l = ks_ui_label(v->ui, id, c.x, y, c.w, text, role, style,
                                 fill ? KS_ALIGN_CENTER : KS_ALIGN_LEFT);
    if (!l)
        return y;
    l->fill = fill;
    return y + l->rect.h + m->gap / 2;
}

static int text_line(const ks_view_t *v, const char *id, int y, const char *text,
                     ks_text_role_t role, ks_style_t style, int fill)
{
    return col_line(v, full(v), id, y, text, role, style, fill);
}

/* ---- the PIN ------------------------------------------------------------------------------- */

void ks_screen_staff_pin(const ks_view_t *v)
{
    const ks_metrics_t *m = ks_ui_metrics(v->ui);
    const ks_staff_t *s = v->staff;
    int y = ks_screen_banner(v, ks_catalog_get(v->cat, "staff.pin_title")) + m->margin;
    int bottom = ks_screen_footer(v, 1, 0) - m->gap;
    y = text_line(v, "pin-question", y, ks_catalog_get(v->cat, "staff.pin_question"),
                  KS_TEXT_HEADING, KS_STYLE_SCREEN, 0);
    if (s->pin_err) {
        char text[256], n[16];
        snprintf(n, sizeof n, "%d",
                 s->pin_err && strcmp(s->pin_err, "staff.pin_locked") == 0 ? s->locked_min
                                                                           : s->tries_left);
        ks_catalog_format(text, sizeof text, ks_catalog_get(v->cat, s->pin_err), "n", n,
                          (const char *)NULL);
        y = text_line(v, "pin-error", y, text, KS_TEXT_BODY, KS_STYLE_ERROR, 1);
    }
    /* Dots for the digits typed: the PIN itself is never drawn. */
    char shown[4 * KS_PIN_MAX_DIGITS + 8] = "";
    size_t n = strlen(s->pin), o = 0;
    for (size_t i = 0; i < n && o + 4 < sizeof shown; i++) {
        memcpy(shown + o, "\xe2\x97\x8f", 3); /* ● */
        o += 3;
    }
    shown[o] = '\0';
    if (n == 0)
        snprintf(shown, sizeof shown, "%s", "＿＿＿＿");
    int side = !m->portrait, x = m->margin, w = m->w - 2 * m->margin, top = y;
    int kw = side ? w * 55 / 100 : w, qw = side ? w - kw - m->margin : w;
    ks_screen_keypad(v, x, y, qw, bottom, side ? x + qw + m->margin : x, side ? top : -1, kw, shown,
                     NULL, "staff.pin_hint");
}

/* ---- the report ---------------------------------------------------------------------------- */

/* A JSON value as one short piece of text ("true", "42", "3B 8F …"). */
static void scalar_text(const cJSON *it, char *out, size_t outlen)
{
    if (cJSON_IsString(it))
        snprintf(out, outlen, "%s", it->valuestring);
    else if (cJSON_IsBool(it))
        snprintf(out, outlen, "%s", cJSON_IsTrue(it) ? "true" : "false");
    else if (cJSON_IsNumber(it)) {
        double d = it->valuedouble;
        if (d == (double)(long long)d)
            snprintf(out, outlen, "%lld", (long long)d);
        else
            snprintf(out, outlen, "%.1f", d);
    } else if (cJSON_IsNull(it))
        snprintf(out, outlen, "-");
    else
        out[0] = '\0';
}

/* "k=v, k=v" of an object's scalar members (nested objects and arrays as "k=…"). */
static void object_text(const cJSON *o, char *out, size_t outlen)
{
    size_t len = 0;
    out[0] = '\0';
    const cJSON *it;
    cJSON_ArrayForEach(it, o)
    {
        char val[256];
        if (cJSON_IsObject(it) || cJSON_IsArray(it))
            snprintf(val, sizeof val, "[%d]", cJSON_GetArraySize(it));
        else
            scalar_text(it, val, sizeof val);
        int w = snprintf(out + len, outlen - len, "%s%s=%s", len ? ", " : "", it->string, val);
        if (w < 0 || (size_t)w >= outlen - len)
            break;
        len += (size_t)w;
    }
}

/* The lines of a card collected into one block of at most LINES_PER_BLOCK lines. */
#define LINES_PER_BLOCK 4

typedef struct {
    ks_card_t *c;
    const char
        *title; /* the section's name, kept with its first block (never alone at a page end) */
    char text[2048];
    size_t len;
    int lines, blocks;
} block_t;

static void block_flush(block_t *b, int last)
{
    if (b->lines == 0) {
        if (last)
            ks_card_group_end(b->c, 1);
        return;
    }
    ks_card_t *c = b->c;
    const ks_metrics_t *m = ks_ui_metrics(c->v->ui);
    char id[48];
    ks_card_group_begin(c);
    if (b->title) {
        snprintf(id, sizeof id, "%s-title", c->prefix);
        ks_widget_t *t = ks_ui_label(c->v->ui, id, c->x + m->pad, c->y, c->w - 2 * m->pad, b->title,
                                     KS_TEXT_HEADING, KS_STYLE_PANEL, KS_ALIGN_LEFT);
        c->y += (t ? t->rect.h : 0) + m->gap / 3;
        b->title = NULL;
    }
    snprintf(id, sizeof id, "%s-b%d", c->prefix, b->blocks++);
    /* Staff read it close up: the small size. */
    ks_widget_t *l = ks_ui_label(c->v->ui, id, c->x + m->pad, c->y, c->w - 2 * m->pad, b->text,
                                 KS_TEXT_SMALL, KS_STYLE_PANEL, KS_ALIGN_LEFT);
    c->y += l ? l->rect.h : 0;
    ks_card_group_end(c, last);
    b->text[0] = '\0';
    b->len = 0;
    b->lines = 0;
}

static void block_add(block_t *b, const char *line)
{
    if (b->lines >= LINES_PER_BLOCK)
        block_flush(b, 0);
    int w = snprintf(b->text + b->len, sizeof b->text - b->len, "%s%s", b->lines ? "\n" : "", line);
    if (w > 0 && (size_t)w < sizeof b->text - b->len) {
        b->len += (size_t)w;
        b->lines++;
    }
}

/*
 * One section of the report as a card: its title, then each member as
 * "name: value" (a list: a line per element), a few lines to a block so a
 * long section continues on the next page.
 */
static void section_card(const ks_view_t *v, ks_flow_t *fl, col_t col, const cJSON *sec)
{
    char key[64], title[96], text[1024], val[512];
    snprintf(key, sizeof key, "staff.sec_%s", sec->string);
    const char *t = ks_catalog_get(v->cat, key);
    snprintf(title, sizeof title, "%s", strcmp(t, key) == 0 ? sec->string : t);
    ks_card_t c;
    char prefix[24];
    snprintf(prefix, sizeof prefix, "sec-%.16s", sec->string);
    ks_card_begin_at(&c, v, fl, prefix, col.x, col.w);
    block_t b = {.c = &c, .title = title};
    if (cJSON_GetArraySize(sec) == 0)
        ks_card_line(&c, "title", title, KS_TEXT_HEADING, 1);
    const cJSON *it;
    cJSON_ArrayForEach(it, sec)
    {
        if (cJSON_IsArray(it)) {
            /* A list (readers, USB devices): a line per element. */
            if (cJSON_GetArraySize(it) == 0) {
                snprintf(text, sizeof text, "%s: -", it->string);
                block_add(&b, text);
            }
            int j = 0;
            const cJSON *el;
            cJSON_ArrayForEach(el, it)
            {
                if (cJSON_IsObject(el))
                    object_text(el, val, sizeof val);
                else
                    scalar_text(el, val, sizeof val);
                snprintf(text, sizeof text, "%s[%d]: %s", it->string, j++, val);
                block_add(&b, text);
            }
        } else {
            if (cJSON_IsObject(it))
                object_text(it, val, sizeof val);
            else
                scalar_text(it, val, sizeof val);
            snprintf(text, sizeof text, "%s: %s", it->string, val);
            block_add(&b, text);
        }
    }
    if (cJSON_GetArraySize(sec) > 0)
        block_flush(&b, 1);
}

/* The verdict: √ 设备正常, or × 有 n 个问题. */
static int verdict(const ks_view_t *v, col_t c, int y)
{
    const cJSON *r = v->staff->report;
    const cJSON *problems = cJSON_GetObjectItemCaseSensitive(r, "problems");
    if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(r, "healthy")))
        return col_line(v, c, "verdict-ok", y, ks_catalog_get(v->cat, "staff.healthy"),
                        KS_TEXT_HEADING, KS_STYLE_PANEL, 1);
    char text[128], n[16];
    snprintf(n, sizeof n, "%d", cJSON_GetArraySize(problems));
    ks_catalog_format(text, sizeof text, ks_catalog_get(v->cat, "staff.unhealthy"), "n", n,
                      (const char *)NULL);
    return col_line(v, c, "verdict-bad", y, text, KS_TEXT_HEADING, KS_STYLE_ERROR, 1);
}

/* Each problem (and warning) in a line; returns the y under them. */
static int problems(const ks_view_t *v, col_t c, int y)
{
    const cJSON *r = v->staff->report;
    const cJSON *list = cJSON_GetObjectItemCaseSensitive(r, "problems");
    const cJSON *warnings = cJSON_GetObjectItemCaseSensitive(r, "warnings");
    char text[1024];
    int i = 0;
    const cJSON *p;
    cJSON_ArrayForEach(p, list)
    {
        char id[24];
        snprintf(id, sizeof id, "problem-%d", i++);
        snprintf(text, sizeof text, "× %s", cJSON_IsString(p) ? p->valuestring : "?");
        y = col_line(v, c, id, y, text, KS_TEXT_BODY, KS_STYLE_ERROR, 0);
    }
    i = 0;
    cJSON_ArrayForEach(p, warnings)
    {
        char id[24];
        snprintf(id, sizeof id, "warning-%d", i++);
        snprintf(text, sizeof text, "! %s", cJSON_IsString(p) ? p->valuestring : "?");
        y = col_line(v, c, id, y, text, KS_TEXT_BODY, KS_STYLE_MUTED, 0);
    }
    return y;
}

/* 刷新 · 打印测试页 · 触摸测试: in one row (portrait), or one under the other in the column. */
static int staff_buttons(const ks_view_t *v, col_t c, int y)
{
    const ks_metrics_t *m = ks_ui_metrics(v->ui);
    const struct {
        const char *id, *key;
        int action;
    } b[] = {
        {"btn-refresh", "staff.refresh", KS_ACT_STAFF_REFRESH},
        {"btn-test-print", "staff.test_print", KS_ACT_STAFF_TEST_PRINT},
        {"btn-touch-test", "staff.touch_test", KS_ACT_STAFF_TOUCH},
    };
    int n = v->has_printer ? 3 : 2, row = m->portrait;
    int bw = row ? (c.w - (n - 1) * m->gap) / n : c.w, h = 0;
    for (int i = 0, j = 0; i < 3; i++) {
        if (b[i].action == KS_ACT_STAFF_TEST_PRINT && !v->has_printer)
            continue;
        ks_widget_t *w2 =
            ks_ui_button(v->ui, b[i].id, row ? c.x + j * (bw + m->gap) : c.x, y, bw, 0,
                         ks_catalog_get(v->cat, b[i].key), KS_STYLE_BUTTON, b[i].action);
        if (!row && w2)
            y += w2->rect.h + m->gap;
        if (w2 && w2->rect.h > h)
            h = w2->rect.h;
        j++;
    }
    return row ? y + h + m->gap : y;
}

void ks_screen_staff(const ks_view_t *v)
{
    ks_ui_t *ui = v->ui;
    const ks_metrics_t *m = ks_ui_metrics(ui);
    const ks_staff_t *s = v->staff;
    int y = ks_screen_banner(v, ks_catalog_get(v->cat, "staff.title")) + m->margin;
    int bottom = ks_screen_footer(v, 1, 0) - m->gap;
    if (v->pages)
        *v->pages = 1;
    /*
     * Portrait: the buttons in a row, then the report's pages under them. Landscape: the
     * report's pages on the left two thirds, the buttons, how the test print went and the
     * verdict in a column on the right (the height is short: the report keeps it).
     */
    col_t main = full(v), side = main;
    int top = y;
    if (!m->portrait) {
        main.w = (main.w - m->gap) * 2 / 3;
        side.x = main.x + main.w + m->gap;
        side.w = m->w - m->margin - side.x;
    }
    y = staff_buttons(v, side, y);
    if (s->slip.state != KS_SLIP_NONE) {
        static const char *const keys[] = {NULL, "staff.print_printing", "staff.print_done",
                                           "staff.print_retrying", "staff.print_failed"};
        static const char *const ids[] = {NULL, "test-print-printing", "test-print-done",
                                          "test-print-retrying", "test-print-failed"};
        unsigned st = (unsigned)s->slip.state % 5;
        y = col_line(v, side, ids[st], y, ks_catalog_get(v->cat, keys[st]), KS_TEXT_BODY,
                     st >= KS_SLIP_RETRYING ? KS_STYLE_ERROR : KS_STYLE_PANEL, 1);
    }
    if (s->collecting || !s->report) {
        y = col_line(v, side, s->collecting ? "checking" : "no-report", y,
                     ks_catalog_get(v->cat, s->collecting ? "staff.checking" : "staff.no_report"),
                     KS_TEXT_BODY, KS_STYLE_MUTED, 0);
    }
    if (!s->report)
        return;
    int verdict_aside = 0;
    if (!m->portrait) {
        /* In the column when it fits there (large text may not leave room: then on the page). */
        size_t vi = ks_ui_count(ui);
        verdict_aside = verdict(v, side, y) - m->gap / 2 <= bottom - ks_screen_pager_height(v);
        if (!verdict_aside)
            ks_ui_truncate(ui, vi);
        y = top;
    }
    /* The problems head the report's first page (portrait: under the verdict). */
    ks_flow_t fl;
    ks_flow_begin(&fl, ui, y, bottom - ks_screen_pager_height(v), v->page);
    size_t first = ks_ui_count(ui);
    int fy = verdict_aside ? fl.y : verdict(v, main, fl.y);
    if (problems(v, main, fy) > fl.y)
        ks_flow_end_block(&fl, first, m->gap);
    /* What fails most on a kiosk first: readers, printer, backend; then the rest as it comes. */
    static const char *const first_names[] = {"pcsc", "printer", "backend",
                                              "usb",  "display", "storage"};
    for (size_t i = 0; i < sizeof first_names / sizeof first_names[0]; i++) {
        const cJSON *sec = cJSON_GetObjectItemCaseSensitive(s->report, first_names[i]);
        if (cJSON_IsObject(sec))
            section_card(v, &fl, main, sec);
    }
    const cJSON *sec;
    cJSON_ArrayForEach(sec, s->report)
    {
        int shown = 0;
        for (size_t i = 0; i < sizeof first_names / sizeof first_names[0]; i++)
            shown |= strcmp(sec->string, first_names[i]) == 0;
        if (cJSON_IsObject(sec) && !shown)
            section_card(v, &fl, main, sec);
    }
    int pages = ks_flow_pages(&fl);
    if (v->pages)
        *v->pages = pages;
    ks_screen_pager(v, bottom, pages);
}

/* ---- the touch grid ------------------------------------------------------------------------ */

void ks_screen_staff_touch(const ks_view_t *v)
{
    ks_ui_t *ui = v->ui;
    const ks_metrics_t *m = ks_ui_metrics(ui);
    const ks_staff_t *s = v->staff;
    int y = ks_screen_banner(v, ks_catalog_get(v->cat, "staff.touch_title")) + m->margin / 2;
    int bottom = ks_screen_footer(v, 1, 0) - m->gap;
    y = text_line(v, "touch-hint", y, ks_catalog_get(v->cat, "staff.touch_hint"), KS_TEXT_BODY,
                  KS_STYLE_MUTED, 0);
    int cols = s->grid_cols > 0 ? s->grid_cols : 3, rows = s->grid_rows > 0 ? s->grid_rows : 3;
    /* Cells fill the space left, edge to edge of the content area. */
    int gap = m->gap; /* the same gap as between any two buttons: a touch lands in one cell */
    int cw = (m->w - 2 * m->margin - (cols - 1) * gap) / cols;
    int ch = (bottom - y - (rows - 1) * gap) / rows;
    if (cw < 8 || ch < 8)
        return;
    for (int r = 0; r < rows; r++)
        for (int c = 0; c < cols; c++) {
            int i = r * cols + c;
            if (i >= KS_STAFF_GRID_MAX)
                return;
            char id[24];
            snprintf(id, sizeof id, "cell-%d", i);
            ks_widget_t *b = ks_ui_button(
                ui, id, m->margin + c * (cw + gap), y + r * (ch + gap), cw, ch,
                s->touched[i] ? "\xe2\x88\x9a" : "", /* √ once touched */
                s->touched[i] ? KS_STYLE_TOGGLE_ON : KS_STYLE_BUTTON, KS_ACT_GRID_0 + i);
            if (b) {
                b->rect.h = ch;
                b->compact = 1;
            }
        }
}
