/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Text rendering with SDL2_ttf. SDL2_ttf's own glyph cache is tiny and CJK
 * thrashes it, so every label is rendered once into a texture and kept in a
 * bounded LRU cache keyed by (text, size, weight, colour, wrap width,
 * alignment, spacing). Wrapping uses our CJK line breaker.
 */
#ifndef KS_TEXT_H
#define KS_TEXT_H

#include <SDL.h>
#include <stddef.h>

typedef struct ks_text ks_text_t;

typedef enum { KS_ALIGN_LEFT = 0, KS_ALIGN_CENTER = 1 } ks_align_t;

typedef struct {
    int px;              /* font size in pixels */
    int bold;            /* 0 regular, 1 bold */
    int wrap_w;          /* wrap width in pixels; <= 0: no wrapping */
    ks_align_t align;    /* alignment of wrapped lines inside the widest line / wrap width */
    double line_spacing; /* line pitch as a multiple of px (>= 1.0) */
} ks_text_style_t;

/*
 * Opens the fonts lazily per size (the files are checked at once). Returns
 * NULL with a message in err when a font cannot be opened. cache_entries and
 * cache_bytes bound the texture cache.
 */
ks_text_t *ks_text_new(SDL_Renderer *r, const char *regular_path, const char *bold_path,
                       int face_index, size_t cache_entries, size_t cache_bytes, char *err,
                       size_t errlen);
void ks_text_free(ks_text_t *t);

/*
 * Measures text as it would be rendered: width of the widest line, total
 * height, number of lines. Returns 0 or a negative KS_E* code.
 */
int ks_text_measure(ks_text_t *t, const char *s, const ks_text_style_t *st, int *w, int *h,
                    int *lines);

/*
 * Returns the cached texture for the text (rendering it on a miss). The
 * texture belongs to the cache; it stays valid until the next ks_text_* call.
 * NULL for empty text or on error.
 */
SDL_Texture *ks_text_texture(ks_text_t *t, const char *s, const ks_text_style_t *st, SDL_Color c,
                             int *w, int *h);

/*
 * Renders without the cache, for private text (a citizen's name): the caller
 * owns the texture and destroys it right after drawing. Buffers that held the
 * text or its pixels are wiped. NULL for empty text or on error.
 */
SDL_Texture *ks_text_texture_uncached(ks_text_t *t, const char *s, const ks_text_style_t *st,
                                      SDL_Color c, int *w, int *h);

/* Cache statistics (for dumps and benchmarks). */
void ks_text_stats(const ks_text_t *t, size_t *entries, size_t *bytes, unsigned long *hits,
                   unsigned long *misses);

#endif
