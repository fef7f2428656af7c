/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "ui.h"

#include "error.h"
#include "log.h"
#include "utf8.h"

#include <SDL_image.h>
#include <errno.h>
#include <math.h>
#include <qrencode.h>
#include <stdio.h>
#include <string.h>

#define KS_TEXT_CACHE_ENTRIES 512
#define KS_TEXT_CACHE_BYTES   (96u * 1024u * 1024u)

struct ks_ui {
    SDL_Renderer *renderer;
    SDL_Texture *canvas;
    ks_text_t *text;
    ks_theme_t themes[2]; /* 0 standard, 1 elderly */
    int elderly;
    ks_metrics_t m;
    int cfg_dpi;
    double cfg_diagonal;
    double display_dpi; /* what the display reports, 0 when nothing */
    ks_widget_t *w;
    size_t n, cap;
    char pressed[48]; /* id of the button under a finger, "" for none */
    int overlay;      /* 1 once ks_ui_begin_overlay was called this build */
    uint8_t veil_alpha;
    size_t overlay_start; /* index of the first overlay widget */
};

static void compute_metrics(ks_ui_t *ui)
{
    ks_metrics_t *m = &ui->m;
    const ks_theme_t *t = &ui->themes[ui->elderly];
    int short_side = m->w < m->h ? m->w : m->h;
    m->portrait = m->h >= m->w;
    m->scale = short_side / 1080.0;
    if (ui->cfg_dpi == 0 && ui->cfg_diagonal <= 0 && ui->display_dpi > 0)
        m->px_per_mm = ui->display_dpi / 25.4; /* the panel's own millimetres */
    else
        m->px_per_mm = ks_geom_px_per_mm(m->w, m->h, ui->cfg_dpi, ui->cfg_diagonal);
    for (int i = 0; i < KS_TEXT_COUNT; i++)
        m->text_px[i] = (int)lround(t->text_px[i] * m->scale);
    m->line_spacing = t->line_spacing;
    m->margin = (int)round(fmax(48 * m->scale, 6 * m->px_per_mm));
    m->gap = (int)round(fmax(t->gap_mm * m->px_per_mm, 24 * m->scale));
    m->pad = (int)lround(m->text_px[KS_TEXT_BUTTON] * 0.5);
    m->target = (int)ceil(t->target_mm * m->px_per_mm);
    m->button_h = (int)round(fmax(m->target, m->text_px[KS_TEXT_BUTTON] * 2.6));
}

ks_ui_t *ks_ui_new(SDL_Renderer *r, int canvas_w, int canvas_h, const ks_config_t *cfg,
                   const char *assets_dir, char *err, size_t errlen)
{
    ks_ui_t *ui = calloc(1, sizeof *ui);
    char path[1024];
    if (!ui) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    ui->renderer = r;
    ui->cfg_dpi = cfg->dpi;
    ui->cfg_diagonal = cfg->diagonal_in;
    const char *names[2] = {"standard", "elderly"};
    for (int i = 0; i < 2; i++) {
        snprintf(path, sizeof path, "%s/theme/%s.ini", assets_dir, names[i]);
        if (ks_theme_load(&ui->themes[i], path, err, errlen) != KS_OK)
            goto fail;
        char why[200];
        if (ks_theme_check_contrast(&ui->themes[i], why, sizeof why) != 0) {
            snprintf(err, errlen, "%s: %s", path, why);
            goto fail;
        }
    }
    ui->canvas = SDL_CreateTexture(r, SDL_PIXELFORMAT_ARGB8888, SDL_TEXTUREACCESS_TARGET, canvas_w,
                                   canvas_h);
    if (!ui->canvas) {
        snprintf(err, errlen, "cannot create %dx%d canvas: %s", canvas_w, canvas_h, SDL_GetError());
        goto fail;
    }
    ui->text = ks_text_new(r, cfg->font_regular, cfg->font_bold, cfg->font_index,
                           KS_TEXT_CACHE_ENTRIES, KS_TEXT_CACHE_BYTES, err, errlen);
    if (!ui->text)
        goto fail;
    ui->m.w = canvas_w;
    ui->m.h = canvas_h;
    compute_metrics(ui);
    return ui;
fail:
    ks_ui_free(ui);
    return NULL;
}

int ks_ui_resize(ks_ui_t *ui, int canvas_w, int canvas_h)
{
    if (canvas_w == ui->m.w && canvas_h == ui->m.h)
        return KS_OK;
    SDL_Texture *canvas = SDL_CreateTexture(ui->renderer, SDL_PIXELFORMAT_ARGB8888,
                                            SDL_TEXTUREACCESS_TARGET, canvas_w, canvas_h);
    if (!canvas) {
        ks_log(KS_LOG_ERROR, "ui", "cannot create %dx%d canvas: %s", canvas_w, canvas_h,
               SDL_GetError());
        return KS_E_NOMEM; /* the old canvas stays: a wrong size beats a blank screen */
    }
    SDL_DestroyTexture(ui->canvas);
    ui->canvas = canvas;
    ui->m.w = canvas_w;
    ui->m.h = canvas_h;
    compute_metrics(ui);
    return KS_OK;
}

void ks_ui_set_display_dpi(ks_ui_t *ui, double dpi)
{
    if (dpi == ui->display_dpi)
        return;
    ui->display_dpi = dpi;
    compute_metrics(ui);
}

void ks_ui_free(ks_ui_t *ui)
{
    if (!ui)
        return;
    ks_ui_clear(ui);
    free(ui->w);
    ks_text_free(ui->text);
    if (ui->canvas)
        SDL_DestroyTexture(ui->canvas);
    free(ui);
}

void ks_ui_set_elderly(ks_ui_t *ui, int on)
{
    ui->elderly = on ? 1 : 0;
    compute_metrics(ui);
}

int ks_ui_elderly(const ks_ui_t *ui)
{
    return ui->elderly;
}

const ks_theme_t *ks_ui_theme(const ks_ui_t *ui)
{
    return &ui->themes[ui->elderly];
}

const ks_metrics_t *ks_ui_metrics(const ks_ui_t *ui)
{
    return &ui->m;
}

ks_text_t *ks_ui_text(ks_ui_t *ui)
{
    return ui->text;
}

/* Widget text can be personal data: overwrite it before the memory goes back. */
static void free_text(ks_widget_t *w)
{
    if (w->text) {
        explicit_bzero(w->text, strlen(w->text));
        free(w->text);
        w->text = NULL;
    }
}

/* Releases what a widget owns; a QR symbol is its text in another form, so it is wiped too. */
static void drop_widget(ks_widget_t *w)
{
    free_text(w);
    if (w->qr) {
        explicit_bzero(w->qr, (size_t)w->qr_modules * (size_t)w->qr_modules);
        free(w->qr);
        w->qr = NULL;
    }
    w->qr_modules = 0;
}

void ks_ui_set_private(ks_widget_t *w)
{
    if (w)
        w->private_text = 1;
}

void ks_ui_clear(ks_ui_t *ui)
{
    for (size_t i = 0; i < ui->n; i++)
        drop_widget(&ui->w[i]);
    ui->n = 0;
    ui->overlay = 0;
    ui->overlay_start = 0;
}

void ks_ui_begin_overlay(ks_ui_t *ui, uint8_t veil_alpha)
{
    ui->overlay = 1;
    ui->veil_alpha = veil_alpha;
    ui->overlay_start = ui->n;
}

static ks_widget_t *add_widget(ks_ui_t *ui, const char *id, ks_wkind_t kind, ks_style_t style)
{
    if (ui->n == ui->cap) {
        size_t cap = ui->cap ? ui->cap * 2 : 32;
        ks_widget_t *grown = realloc(ui->w, cap * sizeof *grown);
        if (!grown)
            return NULL;
        ui->w = grown;
        ui->cap = cap;
    }
    ks_widget_t *w = &ui->w[ui->n++];
    memset(w, 0, sizeof *w);
    snprintf(w->id, sizeof w->id, "%s", id);
    w->kind = kind;
    w->style = style;
    w->overlay = ui->overlay;
    return w;
}

static ks_text_style_t text_style(const ks_ui_t *ui, ks_text_role_t role, int bold, int wrap_w,
                                  ks_align_t align)
{
    ks_text_style_t st = {ui->m.text_px[role], bold, wrap_w, align, ui->m.line_spacing};
    return st;
}

static int set_text(ks_ui_t *ui, ks_widget_t *w, const char *text, int wrap_w)
{
    w->text = strdup(text ? text : "");
    if (!w->text)
        return KS_E_NOMEM;
    ks_text_style_t st = text_style(ui, w->role, w->bold, wrap_w, w->align);
    if (!*w->text)
        return KS_OK;
    return ks_text_measure(ui->text, w->text, &st, &w->text_w, &w->text_h, &w->text_lines);
}

ks_widget_t *ks_ui_label(ks_ui_t *ui, const char *id, int x, int y, int w, const char *text,
                         ks_text_role_t role, ks_style_t style, ks_align_t align)
{
    ks_widget_t *wd = add_widget(ui, id, KS_W_LABEL, style);
    if (!wd)
        return NULL;
    wd->role = role;
    wd->align = align;
    wd->bold = role >= KS_TEXT_HEADING;
    if (set_text(ui, wd, text, w) != KS_OK)
        ks_log(KS_LOG_WARN, "ui", "cannot measure label %s", id);
    wd->rect = (ks_rect_t){x, y, w, wd->text_h};
    return wd;
}

ks_widget_t *ks_ui_button(ks_ui_t *ui, const char *id, int x, int y, int w, int min_h,
                          const char *text, ks_style_t style, int action)
{
    ks_widget_t *wd = add_widget(ui, id, KS_W_BUTTON, style);
    if (!wd)
        return NULL;
    wd->role = KS_TEXT_BUTTON;
    wd->align = KS_ALIGN_CENTER;
    wd->bold = 1;
    wd->action = action;
    int pad = ui->m.pad;
    if (set_text(ui, wd, text, w - 2 * pad) != KS_OK)
        ks_log(KS_LOG_WARN, "ui", "cannot measure button %s", id);
    int h = ui->m.button_h;
    if (min_h > h)
        h = min_h;
    if (wd->text_h + 2 * pad > h)
        h = wd->text_h + 2 * pad;
    wd->rect = (ks_rect_t){x, y, w, h};
    return wd;
}

/* The inner margin a button keeps around its text. */
static int button_pad(const ks_ui_t *ui, const ks_widget_t *w)
{
    return w->compact ? ui->m.pad / 4 : ui->m.pad;
}

void ks_ui_set_compact(ks_ui_t *ui, ks_widget_t *w)
{
    if (!w || w->kind != KS_W_BUTTON)
        return;
    w->compact = 1;
    char *text = w->text;
    w->text = NULL;
    if (set_text(ui, w, text ? text : "", w->rect.w - 2 * button_pad(ui, w)) != KS_OK)
        ks_log(KS_LOG_WARN, "ui", "cannot measure button %s", w->id);
    free(text);
}

ks_widget_t *ks_ui_panel(ks_ui_t *ui, const char *id, ks_rect_t r, ks_style_t style)
{
    ks_widget_t *wd = add_widget(ui, id, KS_W_PANEL, style);
    if (wd)
        wd->rect = r;
    return wd;
}

ks_widget_t *ks_ui_icon(ks_ui_t *ui, const char *id, ks_rect_t r, ks_icon_t icon, ks_style_t style)
{
    ks_widget_t *wd = add_widget(ui, id, KS_W_ICON, style);
    if (wd) {
        wd->rect = r;
        wd->icon = icon;
    }
    return wd;
}

ks_widget_t *ks_ui_qr(ks_ui_t *ui, const char *id, ks_rect_t r, const char *text)
{
    ks_widget_t *wd = add_widget(ui, id, KS_W_QR, KS_STYLE_PANEL);
    if (!wd)
        return NULL;
    wd->rect = r;
    wd->text = strdup(text ? text : "");
    if (!wd->text) {
        ks_log(KS_LOG_ERROR, "ui", "QR code %s: out of memory", id);
        return wd;
    }
    /* Encoded once here, not per frame; the log names the widget, never the text. */
    errno = 0;
    QRcode *code = QRcode_encodeString(wd->text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    if (!code) {
        ks_log(KS_LOG_ERROR, "ui", "cannot encode QR code %s (%zu bytes): %s", id, strlen(wd->text),
               errno ? strerror(errno) : "unknown error");
        return wd;
    }
    size_t n = (size_t)code->width;
    wd->qr = malloc(n * n);
    if (wd->qr) {
        for (size_t i = 0; i < n * n; i++)
            wd->qr[i] = code->data[i] & 1; /* bit 0 is the module's colour */
        wd->qr_modules = code->width;
    } else {
        ks_log(KS_LOG_ERROR, "ui", "QR code %s: out of memory", id);
    }
    explicit_bzero(code->data, n * n);
    QRcode_free(code);
    return wd;
}

size_t ks_ui_count(const ks_ui_t *ui)
{
    return ui->n;
}

ks_widget_t *ks_ui_widget(ks_ui_t *ui, size_t i)
{
    return i < ui->n ? &ui->w[i] : NULL;
}

void ks_ui_truncate(ks_ui_t *ui, size_t n)
{
    while (ui->n > n)
        drop_widget(&ui->w[--ui->n]);
    if (ui->overlay && n <= ui->overlay_start)
        ui->overlay = 0;
}

void ks_ui_shift(ks_ui_t *ui, size_t from, int dy)
{
    for (size_t i = from; i < ui->n; i++)
        ui->w[i].rect.y += dy;
}

const ks_widget_t *ks_ui_at(const ks_ui_t *ui, size_t i)
{
    return i < ui->n ? &ui->w[i] : NULL;
}

const ks_widget_t *ks_ui_find(const ks_ui_t *ui, const char *id)
{
    for (size_t i = 0; i < ui->n; i++)
        if (strcmp(ui->w[i].id, id) == 0)
            return &ui->w[i];
    return NULL;
}

const ks_widget_t *ks_ui_hit(const ks_ui_t *ui, int lx, int ly)
{
    size_t first = ui->overlay ? ui->overlay_start : 0;
    for (size_t i = ui->n; i > first; i--) {
        const ks_widget_t *w = &ui->w[i - 1];
        if (w->kind == KS_W_BUTTON && w->action != 0 && ks_rect_contains(w->rect, lx, ly))
            return w;
    }
    return NULL;
}

/* ---- drawing -------------------------------------------------------------- */

static SDL_Color sdl_color(ks_rgb_t c, uint8_t a)
{
    SDL_Color s = {c.r, c.g, c.b, a};
    return s;
}

/* Adds a triangle fan for a quarter circle at (cx, cy) from angle a0 (radians). */
static int corner_fan(SDL_Vertex *v, float cx, float cy, float rad, double a0, SDL_Color c)
{
    const int steps = 8;
    int n = 0;
    for (int i = 0; i < steps; i++) {
        double t0 = a0 + (M_PI / 2) * i / steps, t1 = a0 + (M_PI / 2) * (i + 1) / steps;
        v[n++] = (SDL_Vertex){{cx, cy}, c, {0, 0}};
        v[n++] = (SDL_Vertex){{cx + rad * (float)cos(t0), cy + rad * (float)sin(t0)}, c, {0, 0}};
        v[n++] = (SDL_Vertex){{cx + rad * (float)cos(t1), cy + rad * (float)sin(t1)}, c, {0, 0}};
    }
    return n;
}

static void fill_round_rect(SDL_Renderer *r, ks_rect_t rc, int radius, SDL_Color c)
{
    if (radius * 2 > rc.w)
        radius = rc.w / 2;
    if (radius * 2 > rc.h)
        radius = rc.h / 2;
    SDL_SetRenderDrawColor(r, c.r, c.g, c.b, c.a);
    SDL_SetRenderDrawBlendMode(r, c.a == 255 ? SDL_BLENDMODE_NONE : SDL_BLENDMODE_BLEND);
    SDL_Rect mid = {rc.x + radius, rc.y, rc.w - 2 * radius, rc.h};
    SDL_Rect left = {rc.x, rc.y + radius, radius, rc.h - 2 * radius};
    SDL_Rect right = {rc.x + rc.w - radius, rc.y + radius, radius, rc.h - 2 * radius};
    SDL_RenderFillRect(r, &mid);
    SDL_RenderFillRect(r, &left);
    SDL_RenderFillRect(r, &right);
    if (radius <= 0)
        return;
    SDL_Vertex v[4 * 8 * 3];
    float rad = (float)radius;
    int n = 0;
    n += corner_fan(v + n, (float)(rc.x + radius), (float)(rc.y + radius), rad, M_PI, c);
    n +=
        corner_fan(v + n, (float)(rc.x + rc.w - radius), (float)(rc.y + radius), rad, -M_PI / 2, c);
    n += corner_fan(v + n, (float)(rc.x + rc.w - radius), (float)(rc.y + rc.h - radius), rad, 0, c);
    n += corner_fan(v + n, (float)(rc.x + radius), (float)(rc.y + rc.h - radius), rad, M_PI / 2, c);
    SDL_RenderGeometry(r, NULL, v, n, NULL, 0);
}

static void fill_circle(SDL_Renderer *r, int cx, int cy, int radius, SDL_Color c)
{
    ks_rect_t rc = {cx - radius, cy - radius, 2 * radius, 2 * radius};
    fill_round_rect(r, rc, radius, c);
}

static void draw_text(ks_ui_t *ui, const ks_widget_t *w, SDL_Color c, int cx_center, int cy_center)
{
    if (!w->text || !*w->text)
        return;
    int wrap = w->kind == KS_W_BUTTON ? w->rect.w - 2 * button_pad(ui, w) : w->rect.w;
    ks_text_style_t st = text_style(ui, w->role, w->bold, wrap, w->align);
    int tw = 0, th = 0;
    SDL_Texture *tex = w->private_text
                           ? ks_text_texture_uncached(ui->text, w->text, &st, c, &tw, &th)
                           : ks_text_texture(ui->text, w->text, &st, c, &tw, &th);
    if (!tex)
        return;
    SDL_Rect dst = {w->rect.x, w->rect.y, tw, th};
    if (cx_center || w->align == KS_ALIGN_CENTER)
        dst.x = w->rect.x + (w->rect.w - tw) / 2;
    if (cy_center)
        dst.y = w->rect.y + (w->rect.h - th) / 2;
    SDL_RenderCopy(ui->renderer, tex, NULL, &dst);
    if (w->private_text)
        SDL_DestroyTexture(tex); /* SDL draws what is queued before it lets go */
}

static void draw_card_icon(ks_ui_t *ui, const ks_widget_t *w, const ks_pair_t *p)
{
    SDL_Renderer *r = ui->renderer;
    const ks_theme_t *t = &ui->themes[ui->elderly];
    ks_rect_t rc = w->rect;
    /* The card: upper 62% of the box; a slot and an arrow below it. */
    int card_h = rc.h * 62 / 100;
    int card_w = card_h * 1000 / 630;
    if (card_w > rc.w) {
        card_w = rc.w;
        card_h = card_w * 630 / 1000;
    }
    ks_rect_t card = {rc.x + (rc.w - card_w) / 2, rc.y, card_w, card_h};
    fill_round_rect(r, card, card_h / 12, sdl_color(p->bg, 255));
    ks_rect_t chip = {card.x + card_w / 9, card.y + card_h * 35 / 100, card_w / 6, card_h / 4};
    fill_round_rect(r, chip, chip.h / 6, sdl_color(t->accent, 255));
    ks_rect_t stripe = {card.x + card_w * 4 / 10, card.y + card_h * 40 / 100, card_w / 2,
                        card_h / 14};
    fill_round_rect(r, stripe, stripe.h / 2, sdl_color(p->fg, 255));
    stripe.y += card_h * 15 / 100;
    stripe.w = card_w / 3;
    fill_round_rect(r, stripe, stripe.h / 2, sdl_color(p->fg, 255));
    /* Arrow pointing down into the slot. */
    int ax = rc.x + rc.w / 2, top = card.y + card_h + rc.h / 20, aw = card_w / 5;
    int tip = rc.y + rc.h * 90 / 100;
    int shaft_w = aw / 3;
    SDL_Color ac = sdl_color(p->bg, 255);
    ks_rect_t shaft = {ax - shaft_w / 2, top, shaft_w, (tip - top) / 2};
    fill_round_rect(r, shaft, 0, ac);
    SDL_Vertex tri[3] = {
        {{(float)(ax - aw), (float)(shaft.y + shaft.h)}, ac, {0, 0}},
        {{(float)(ax + aw), (float)(shaft.y + shaft.h)}, ac, {0, 0}},
        {{(float)ax, (float)tip}, ac, {0, 0}},
    };
    SDL_RenderGeometry(r, NULL, tri, 3, NULL, 0);
    ks_rect_t slot = {rc.x + (rc.w - card_w * 11 / 10) / 2, tip + rc.h / 30, card_w * 11 / 10,
                      rc.h / 28};
    fill_round_rect(r, slot, slot.h / 2, ac);
}

static void draw_badge_icon(ks_ui_t *ui, const ks_widget_t *w, const ks_pair_t *p)
{
    int radius = (w->rect.w < w->rect.h ? w->rect.w : w->rect.h) / 2;
    int cx = w->rect.x + w->rect.w / 2, cy = w->rect.y + w->rect.h / 2;
    fill_circle(ui->renderer, cx, cy, radius, sdl_color(p->bg, 255));
    ks_widget_t glyph = *w;
    static char glyphs[][4] = {
        [KS_ICON_CARD] = "", [KS_ICON_INFO] = "i", [KS_ICON_ERROR] = "!",
        [KS_ICON_OK] = "√",  [KS_ICON_WAIT] = "…", [KS_ICON_STOP] = "×",
    };
    glyph.text = glyphs[w->icon];
    /* The glyph fits its disc: the largest text size no taller than the radius allows. */
    glyph.role = KS_TEXT_SMALL;
    for (int role = KS_TEXT_HUGE; role > KS_TEXT_SMALL; role--) {
        if (ui->m.text_px[role] <= radius * 5 / 4) {
            glyph.role = (ks_text_role_t)role;
            break;
        }
    }
    glyph.bold = 1;
    glyph.kind = KS_W_LABEL;
    draw_text(ui, &glyph, sdl_color(p->fg, 255), 1, 1);
}

/*
 * A QR code: a white square with a 4-module quiet zone, centred in the rect, at
 * the largest whole pixels per module that fit (blurred edges scan badly), with
 * each row's runs of dark modules filled as one rectangle.
 */
static void draw_qr(ks_ui_t *ui, const ks_widget_t *w, const ks_pair_t *p)
{
    const int quiet = 4;
    if (!w->qr || w->qr_modules <= 0)
        return;
    int side = w->rect.w < w->rect.h ? w->rect.w : w->rect.h;
    int px = side / (w->qr_modules + 2 * quiet);
    if (px < 1)
        return; /* a partial or squeezed code would not scan: nothing rather than noise */
    int total = px * (w->qr_modules + 2 * quiet);
    int x0 = w->rect.x + (w->rect.w - total) / 2, y0 = w->rect.y + (w->rect.h - total) / 2;
    SDL_Renderer *r = ui->renderer;
    SDL_SetRenderDrawBlendMode(r, SDL_BLENDMODE_NONE);
    SDL_SetRenderDrawColor(r, 255, 255, 255, 255);
    SDL_RenderFillRect(r, &(SDL_Rect){x0, y0, total, total});
    /* Scanners want dark on light: the panel's text colour when it is dark, else black. */
    const ks_rgb_t white = {255, 255, 255};
    ks_rgb_t ink = ks_contrast_ratio(p->fg, white) >= 7.0 ? p->fg : (ks_rgb_t){0, 0, 0};
    SDL_SetRenderDrawColor(r, ink.r, ink.g, ink.b, 255);
    int n = w->qr_modules;
    for (int y = 0; y < n; y++) {
        const unsigned char *row = w->qr + (size_t)y * (size_t)n;
        for (int x = 0; x < n;) {
            if (!row[x]) {
                x++;
                continue;
            }
            int run = 1;
            while (x + run < n && row[x + run])
                run++;
            SDL_Rect m = {x0 + (quiet + x) * px, y0 + (quiet + y) * px, run * px, px};
            SDL_RenderFillRect(r, &m);
            x += run;
        }
    }
}

static void draw_widget(ks_ui_t *ui, const ks_widget_t *w)
{
    const ks_pair_t *p = &ui->themes[ui->elderly].style[w->style];
    SDL_Renderer *r = ui->renderer;
    int radius = (int)lround(16 * ui->m.scale);
    switch (w->kind) {
    case KS_W_PANEL:
        /* The banner runs edge to edge; other panels are cards with rounded corners. */
        fill_round_rect(r, w->rect, w->style == KS_STYLE_BANNER ? 0 : radius,
                        sdl_color(p->bg, 255));
        break;
    case KS_W_LABEL:
        if (w->fill)
            fill_round_rect(r, w->rect, 0, sdl_color(p->bg, 255));
        draw_text(ui, w, sdl_color(p->fg, 255), 0, 0);
        break;
    case KS_W_BUTTON: {
        /* Light buttons get an outline in their text colour so their edge is visible. */
        if (w->style == KS_STYLE_BUTTON) {
            int bw = (int)round(fmax(2.0, 4 * ui->m.scale));
            fill_round_rect(r, w->rect, radius, sdl_color(p->fg, 255));
            ks_rect_t in = {w->rect.x + bw, w->rect.y + bw, w->rect.w - 2 * bw, w->rect.h - 2 * bw};
            fill_round_rect(r, in, radius - bw, sdl_color(p->bg, 255));
        } else {
            fill_round_rect(r, w->rect, radius, sdl_color(p->bg, 255));
        }
        draw_text(ui, w, sdl_color(p->fg, 255), 1, 1);
        break;
    }
    case KS_W_ICON:
        if (w->icon == KS_ICON_CARD)
            draw_card_icon(ui, w, p);
        else
            draw_badge_icon(ui, w, p);
        break;
    case KS_W_QR:
        draw_qr(ui, w, p);
        break;
    }
}

void ks_ui_set_pressed(ks_ui_t *ui, const char *id)
{
    snprintf(ui->pressed, sizeof ui->pressed, "%s", id ? id : "");
}

/* A thick outline in the theme's accent colour around a pressed button. */
static void draw_pressed(ks_ui_t *ui, const ks_widget_t *w)
{
    int bw = (int)round(fmax(4.0, 8 * ui->m.scale));
    int radius = (int)lround(16 * ui->m.scale);
    ks_rect_t out = {w->rect.x - bw, w->rect.y - bw, w->rect.w + 2 * bw, w->rect.h + 2 * bw};
    fill_round_rect(ui->renderer, out, radius + bw, sdl_color(ui->themes[ui->elderly].accent, 255));
    draw_widget(ui, w);
}

void ks_ui_render(ks_ui_t *ui)
{
    const ks_theme_t *t = &ui->themes[ui->elderly];
    const ks_rgb_t bg = t->style[KS_STYLE_SCREEN].bg;
    SDL_SetRenderTarget(ui->renderer, ui->canvas);
    SDL_SetRenderDrawBlendMode(ui->renderer, SDL_BLENDMODE_NONE);
    SDL_SetRenderDrawColor(ui->renderer, bg.r, bg.g, bg.b, 255);
    SDL_RenderClear(ui->renderer);
    for (size_t i = 0; i < ui->n; i++) {
        if (ui->overlay && i == ui->overlay_start) {
            SDL_SetRenderDrawBlendMode(ui->renderer, SDL_BLENDMODE_BLEND);
            SDL_SetRenderDrawColor(ui->renderer, t->veil.r, t->veil.g, t->veil.b, ui->veil_alpha);
            SDL_RenderFillRect(ui->renderer, NULL);
        }
        if (ui->pressed[0] && ui->w[i].kind == KS_W_BUTTON && strcmp(ui->w[i].id, ui->pressed) == 0)
            draw_pressed(ui, &ui->w[i]);
        else
            draw_widget(ui, &ui->w[i]);
    }
    if (ui->overlay && ui->overlay_start == ui->n) {
        SDL_SetRenderDrawBlendMode(ui->renderer, SDL_BLENDMODE_BLEND);
        SDL_SetRenderDrawColor(ui->renderer, t->veil.r, t->veil.g, t->veil.b, ui->veil_alpha);
        SDL_RenderFillRect(ui->renderer, NULL);
    }
}

/* Draws the canvas onto the window's back buffer, rotated. Returns the window size. */
static void compose(ks_ui_t *ui, int rotate, int *ww, int *wh)
{
    SDL_SetRenderTarget(ui->renderer, NULL);
    SDL_GetRendererOutputSize(ui->renderer, ww, wh);
    SDL_SetRenderDrawColor(ui->renderer, 0, 0, 0, 255);
    SDL_RenderClear(ui->renderer);
    /* The canvas is rotated about its centre, so centre it on the window first. */
    SDL_Rect dst = {(*ww - ui->m.w) / 2, (*wh - ui->m.h) / 2, ui->m.w, ui->m.h};
    SDL_RenderCopyEx(ui->renderer, ui->canvas, NULL, &dst, rotate, NULL, SDL_FLIP_NONE);
}

void ks_ui_present(ks_ui_t *ui, int rotate)
{
    int ww, wh;
    compose(ui, rotate, &ww, &wh);
    SDL_RenderPresent(ui->renderer);
}

/* Reads the current render target into a new surface of w x h. */
static SDL_Surface *read_target(ks_ui_t *ui, int w, int h)
{
    SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888);
    if (s && SDL_RenderReadPixels(ui->renderer, NULL, SDL_PIXELFORMAT_ARGB8888, s->pixels,
                                  s->pitch) != 0) {
        SDL_FreeSurface(s);
        return NULL;
    }
    return s;
}

static int save_surface(SDL_Surface *s, const char *path)
{
    int rc = s ? IMG_SavePNG(s, path) : -1;
    if (rc != 0)
        ks_log(KS_LOG_ERROR, "ui", "cannot save screenshot %s: %s", path, SDL_GetError());
    SDL_FreeSurface(s);
    return rc == 0 ? KS_OK : KS_E_IO;
}

int ks_ui_save_window_png(ks_ui_t *ui, int rotate, const char *path)
{
    int ww, wh;
    compose(ui, rotate, &ww, &wh);
    SDL_Surface *s = read_target(ui, ww, wh);
    SDL_RenderPresent(ui->renderer);
    return save_surface(s, path);
}

int ks_ui_save_png(ks_ui_t *ui, const char *path)
{
    SDL_SetRenderTarget(ui->renderer, ui->canvas);
    return save_surface(read_target(ui, ui->m.w, ui->m.h), path);
}

static const char *kind_name(ks_wkind_t k)
{
    switch (k) {
    case KS_W_LABEL:
        return "label";
    case KS_W_BUTTON:
        return "button";
    case KS_W_PANEL:
        return "panel";
    case KS_W_ICON:
        return "icon";
    case KS_W_QR:
        return "qr";
    }
    return "?";
}

/* The text as the citizen reads it: without U+200B break markers. */
static void add_visible_text(cJSON *o, const char *text)
{
    size_t len = strlen(text);
    char *vis = malloc(len + 1);
    if (!vis)
        return;
    ks_utf8_copy_visible(vis, text, len);
    cJSON_AddStringToObject(o, "text", vis);
    free(vis);
}

static cJSON *rect_json(ks_rect_t r)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "x", r.x);
    cJSON_AddNumberToObject(o, "y", r.y);
    cJSON_AddNumberToObject(o, "w", r.w);
    cJSON_AddNumberToObject(o, "h", r.h);
    return o;
}

void ks_ui_dump(const ks_ui_t *ui, cJSON *root)
{
    const ks_metrics_t *m = &ui->m;
    cJSON *canvas = cJSON_AddObjectToObject(root, "canvas");
    cJSON_AddNumberToObject(canvas, "w", m->w);
    cJSON_AddNumberToObject(canvas, "h", m->h);
    cJSON_AddStringToObject(root, "theme", ui->themes[ui->elderly].name);
    cJSON *mj = cJSON_AddObjectToObject(root, "metrics");
    cJSON_AddNumberToObject(mj, "px_per_mm", m->px_per_mm);
    cJSON_AddNumberToObject(mj, "target_px", m->target);
    cJSON_AddNumberToObject(mj, "target_mm", ui->themes[ui->elderly].target_mm);
    cJSON_AddNumberToObject(mj, "gap_mm", ui->themes[ui->elderly].gap_mm);
    cJSON_AddNumberToObject(mj, "button_h", m->button_h);
    cJSON_AddNumberToObject(mj, "body_px", m->text_px[KS_TEXT_BODY]);
    cJSON_AddBoolToObject(root, "overlay", ui->overlay);
    cJSON *arr = cJSON_AddArrayToObject(root, "widgets");
    for (size_t i = 0; i < ui->n; i++) {
        const ks_widget_t *w = &ui->w[i];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "id", w->id);
        cJSON_AddStringToObject(o, "kind", kind_name(w->kind));
        if (w->text)
            add_visible_text(o, w->text);
        cJSON_AddItemToObject(o, "rect", rect_json(w->rect));
        cJSON_AddStringToObject(o, "style", ks_style_name(w->style));
        /* A QR code's text is not drawn as text: it has no text metrics. */
        if (w->kind != KS_W_QR && w->text && *w->text) {
            cJSON_AddNumberToObject(o, "text_px", m->text_px[w->role]);
            cJSON_AddNumberToObject(o, "text_w", w->text_w);
            cJSON_AddNumberToObject(o, "text_h", w->text_h);
            cJSON_AddNumberToObject(o, "text_lines", w->text_lines);
        }
        if (w->kind == KS_W_ICON) {
            static const char *const icons[] = {"card", "info", "error", "ok", "wait", "stop"};
            cJSON_AddStringToObject(o, "icon", icons[w->icon]);
        }
        if (w->kind == KS_W_QR)
            cJSON_AddNumberToObject(o, "modules", w->qr_modules);
        cJSON_AddBoolToObject(o, "overlay", w->overlay);
        cJSON_AddBoolToObject(o, "enabled", w->kind == KS_W_BUTTON && w->action != 0);
        if (ui->pressed[0] && strcmp(ui->pressed, w->id) == 0)
            cJSON_AddBoolToObject(o, "pressed", 1);
        cJSON_AddItemToArray(arr, o);
    }
}
