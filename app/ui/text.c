/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "text.h"

#include "error.h"
#include "linebreak.h"
#include "log.h"
#include "lru.h"
#include "utf8.h"

#include <SDL_ttf.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#define KS_MAX_FONTS 24
#define KS_MAX_LINES 64

typedef struct {
    int px, bold;
    TTF_Font *font;
    unsigned long last_use;
} font_slot_t;

struct ks_text {
    SDL_Renderer *renderer;
    char regular[512], bold[512];
    int face_index;
    font_slot_t fonts[KS_MAX_FONTS];
    unsigned long use_clock;
    ks_lru_t *cache;
    unsigned long hits, misses;
};

static void destroy_texture(void *value, void *ud)
{
    (void)ud;
    SDL_DestroyTexture(value);
}

static int file_readable(const char *path)
{
    SDL_RWops *rw = SDL_RWFromFile(path, "rb");
    if (!rw)
        return 0;
    SDL_RWclose(rw);
    return 1;
}

ks_text_t *ks_text_new(SDL_Renderer *r, const char *regular_path, const char *bold_path,
                       int face_index, size_t cache_entries, size_t cache_bytes, char *err,
                       size_t errlen)
{
    if (!file_readable(regular_path)) {
        snprintf(err, errlen,
                 "font %s cannot be read (install fonts-noto-cjk or set [font] regular)",
                 regular_path);
        return NULL;
    }
    ks_text_t *t = calloc(1, sizeof *t);
    if (!t) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    t->renderer = r;
    snprintf(t->regular, sizeof t->regular, "%s", regular_path);
    /* A missing bold face is not fatal: regular text is still readable. */
    snprintf(t->bold, sizeof t->bold, "%s",
             bold_path && file_readable(bold_path) ? bold_path : regular_path);
    t->face_index = face_index;
    t->cache = ks_lru_new(cache_entries, cache_bytes, destroy_texture, NULL);
    if (!t->cache) {
        free(t);
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    /* Opening once checks the face index too. */
    TTF_Font *probe = TTF_OpenFontIndex(t->regular, 24, face_index);
    if (!probe) {
        snprintf(err, errlen, "font %s face %d cannot be opened: %s", regular_path, face_index,
                 TTF_GetError());
        ks_text_free(t);
        return NULL;
    }
    TTF_CloseFont(probe);
    /* A bold face that does not open would blank every button: use regular instead. */
    probe = TTF_OpenFontIndex(t->bold, 24, face_index);
    if (!probe) {
        ks_log(KS_LOG_WARN, "text", "bold font %s face %d cannot be opened (%s): using regular",
               t->bold, face_index, TTF_GetError());
        snprintf(t->bold, sizeof t->bold, "%s", t->regular);
    } else {
        TTF_CloseFont(probe);
    }
    return t;
}

void ks_text_free(ks_text_t *t)
{
    if (!t)
        return;
    ks_lru_free(t->cache);
    for (int i = 0; i < KS_MAX_FONTS; i++)
        if (t->fonts[i].font)
            TTF_CloseFont(t->fonts[i].font);
    free(t);
}

/* Returns the font for (px, bold), opening it and evicting the least used slot if needed. */
static TTF_Font *get_font(ks_text_t *t, int px, int bold)
{
    int victim = 0;
    t->use_clock++;
    for (int i = 0; i < KS_MAX_FONTS; i++) {
        font_slot_t *f = &t->fonts[i];
        if (f->font && f->px == px && f->bold == bold) {
            f->last_use = t->use_clock;
            return f->font;
        }
        if (!f->font || (t->fonts[victim].font && f->last_use < t->fonts[victim].last_use))
            victim = i;
    }
    TTF_Font *font = TTF_OpenFontIndex(bold ? t->bold : t->regular, px, t->face_index);
    if (!font) {
        ks_log(KS_LOG_ERROR, "text", "cannot open font at %d px: %s", px, TTF_GetError());
        return NULL;
    }
    if (t->fonts[victim].font)
        TTF_CloseFont(t->fonts[victim].font);
    t->fonts[victim] = (font_slot_t){px, bold, font, t->use_clock};
    return font;
}

typedef struct {
    TTF_Font *font;
    char *buf; /* grows to the longest range measured */
    size_t cap;
} measure_ctx_t;

/* SDL2_ttf measures NUL-terminated strings, so each range is copied first. */
static int measure_cb(const char *s, size_t len, void *ud)
{
    measure_ctx_t *m = ud;
    int w = 0, h = 0;
    if (len + 1 > m->cap) {
        char *grown = realloc(m->buf, len + 1);
        if (!grown)
            return INT_MAX / 2; /* "too wide": the breaker then splits smaller */
        m->buf = grown;
        m->cap = len + 1;
    }
    ks_utf8_copy_visible(m->buf, s, len);
    if (TTF_SizeUTF8(m->font, m->buf, &w, &h) != 0)
        return 0;
    return w;
}

typedef struct {
    TTF_Font *font;
    ks_line_t lines[KS_MAX_LINES];
    size_t n;
    int max_w, pitch, height;
} layout_t;

static int layout_text(ks_text_t *t, const char *s, const ks_text_style_t *st, layout_t *lo)
{
    measure_ctx_t m = {NULL, NULL, 0};
    lo->font = get_font(t, st->px, st->bold);
    if (!lo->font)
        return KS_E_IO;
    m.font = lo->font;
    size_t need = ks_linebreak(s, strlen(s), st->wrap_w, measure_cb, &m, lo->lines, KS_MAX_LINES);
    if (m.buf)
        explicit_bzero(m.buf, m.cap); /* the text may be a citizen's name */
    free(m.buf);
    lo->n = need < KS_MAX_LINES ? need : KS_MAX_LINES;
    lo->max_w = 0;
    for (size_t i = 0; i < lo->n; i++)
        if (lo->lines[i].width > lo->max_w)
            lo->max_w = lo->lines[i].width;
    double spacing = st->line_spacing >= 1.0 ? st->line_spacing : 1.0;
    lo->pitch = (int)lround(st->px * spacing);
    int font_h = TTF_FontHeight(lo->font);
    /* The last line needs the font's own height (ascent + descent), not a whole pitch. */
    lo->height = lo->n ? (int)(lo->n - 1) * lo->pitch + font_h : 0;
    return KS_OK;
}

int ks_text_measure(ks_text_t *t, const char *s, const ks_text_style_t *st, int *w, int *h,
                    int *lines)
{
    layout_t lo;
    int rc = layout_text(t, s, st, &lo);
    if (rc != KS_OK)
        return rc;
    if (w)
        *w = lo.max_w;
    if (h)
        *h = lo.height;
    if (lines)
        *lines = (int)lo.n;
    return KS_OK;
}

/* Rendered text of a private label is personal data too. */
static void wipe_surface(SDL_Surface *sf)
{
    if (sf && sf->pixels)
        explicit_bzero(sf->pixels, (size_t)sf->pitch * (size_t)sf->h);
}

static SDL_Texture *render_text(ks_text_t *t, const char *s, const ks_text_style_t *st, SDL_Color c,
                                int *w, int *h)
{
    layout_t lo;
    if (layout_text(t, s, st, &lo) != KS_OK || lo.n == 0 || lo.max_w <= 0)
        return NULL;
    int box_w = lo.max_w;
    SDL_Surface *canvas =
        SDL_CreateRGBSurfaceWithFormat(0, box_w, lo.height, 32, SDL_PIXELFORMAT_ARGB8888);
    if (!canvas)
        return NULL;
    SDL_FillRect(canvas, NULL, SDL_MapRGBA(canvas->format, c.r, c.g, c.b, 0));
    char *buf = malloc(strlen(s) + 1);
    if (!buf) {
        SDL_FreeSurface(canvas);
        return NULL;
    }
    for (size_t i = 0; i < lo.n; i++) {
        size_t len = lo.lines[i].len;
        if (len == 0)
            continue;
        if (ks_utf8_copy_visible(buf, s + lo.lines[i].start, len) == 0)
            continue;
        SDL_Surface *ls = TTF_RenderUTF8_Blended(lo.font, buf, c);
        if (!ls)
            continue;
        SDL_SetSurfaceBlendMode(ls, SDL_BLENDMODE_NONE);
        int x = st->align == KS_ALIGN_CENTER ? (box_w - ls->w) / 2 : 0;
        int y = (int)i * lo.pitch;
        SDL_Rect dst = {x, y, ls->w, ls->h};
        SDL_BlitSurface(ls, NULL, canvas, &dst);
        wipe_surface(ls);
        SDL_FreeSurface(ls);
    }
    explicit_bzero(buf, strlen(s) + 1);
    free(buf);
    SDL_Texture *tex = SDL_CreateTextureFromSurface(t->renderer, canvas);
    wipe_surface(canvas);
    SDL_FreeSurface(canvas);
    if (!tex)
        return NULL;
    SDL_SetTextureBlendMode(tex, SDL_BLENDMODE_BLEND);
    *w = box_w;
    *h = lo.height;
    return tex;
}

/* The cache key: every input that changes the pixels. */
typedef struct {
    int px, bold, wrap_w, align, spacing_milli;
    uint8_t r, g, b, a;
} key_head_t;

typedef struct {
    SDL_Texture *tex;
} entry_t;

SDL_Texture *ks_text_texture(ks_text_t *t, const char *s, const ks_text_style_t *st, SDL_Color c,
                             int *w, int *h)
{
    if (!s || !*s)
        return NULL;
    size_t slen = strlen(s);
    char stack_key[512];
    size_t keylen = sizeof(key_head_t) + slen;
    char *key = keylen <= sizeof stack_key ? stack_key : malloc(keylen);
    if (!key)
        return NULL;
    key_head_t head;
    memset(&head, 0, sizeof head);
    head.px = st->px;
    head.bold = st->bold;
    head.wrap_w = st->wrap_w;
    head.align = (int)st->align;
    head.spacing_milli = (int)lround(st->line_spacing * 1000);
    head.r = c.r;
    head.g = c.g;
    head.b = c.b;
    head.a = c.a;
    memcpy(key, &head, sizeof head);
    memcpy(key + sizeof head, s, slen);

    SDL_Texture *tex = ks_lru_get(t->cache, key, keylen);
    if (tex) {
        t->hits++;
        SDL_QueryTexture(tex, NULL, NULL, w, h);
    } else {
        t->misses++;
        tex = render_text(t, s, st, c, w, h);
        if (tex && ks_lru_put(t->cache, key, keylen, tex, (size_t)*w * (size_t)*h * 4) != KS_OK) {
            SDL_DestroyTexture(tex);
            tex = NULL;
        }
    }
    if (key != stack_key)
        free(key);
    return tex;
}

SDL_Texture *ks_text_texture_uncached(ks_text_t *t, const char *s, const ks_text_style_t *st,
                                      SDL_Color c, int *w, int *h)
{
    if (!s || !*s)
        return NULL;
    return render_text(t, s, st, c, w, h);
}

void ks_text_stats(const ks_text_t *t, size_t *entries, size_t *bytes, unsigned long *hits,
                   unsigned long *misses)
{
    *entries = ks_lru_count(t->cache);
    *bytes = ks_lru_cost(t->cache);
    *hits = t->hits;
    *misses = t->misses;
}
