/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The kiosk's small retained-mode toolkit. Screens rebuild a flat list of
 * widgets whenever state changes (cheap: text textures are cached); the list
 * is drawn onto an upright logical canvas, which is presented rotated. The same
 * list answers hit tests and is what `dump` writes for tests.
 *
 * Widgets added after ks_ui_begin_overlay() form a modal layer: the screen
 * below is veiled and only overlay widgets receive touches.
 */
#ifndef KS_UI_H
#define KS_UI_H

#include "config.h"
#include "geom.h"
#include "text.h"
#include "theme.h"

#include <SDL.h>
#include <cjson/cJSON.h>

typedef enum { KS_W_LABEL, KS_W_BUTTON, KS_W_PANEL, KS_W_ICON, KS_W_QR } ks_wkind_t;
/* Pictures drawn by the toolkit; badges carry a glyph, so meaning never rests on colour. */
typedef enum {
    KS_ICON_CARD,  /* a card going into a slot */
    KS_ICON_INFO,  /* i */
    KS_ICON_ERROR, /* ! */
    KS_ICON_OK,    /* √ : paying, approved */
    KS_ICON_WAIT,  /* … : in progress */
    KS_ICON_STOP,  /* × : suspended, ended */
} ks_icon_t;

typedef struct {
    char id[48];
    ks_wkind_t kind;
    ks_rect_t rect; /* logical canvas coordinates */
    char *text;     /* owned; may be NULL */
    ks_text_role_t role;
    ks_style_t style;
    ks_align_t align;
    int bold;
    int fill;         /* labels: paint the style background behind the text */
    int action;       /* buttons: what a tap does (kiosk-defined), 0 = nothing */
    int overlay;      /* 1 when part of the modal layer */
    int private_text; /* personal data: never cached, wiped when dropped */
    int compact;      /* buttons: a narrow inner margin (a calendar day's number) */
    ks_icon_t icon;
    int text_w, text_h, text_lines; /* measured text block */
    /* QR codes: the symbol, encoded once when added; owned, wiped when dropped. */
    unsigned char *qr; /* qr_modules * qr_modules bytes, row by row, 1 = dark; NULL on failure */
    int qr_modules;    /* the symbol's width in modules (0 when encoding failed) */
} ks_widget_t;

/* Sizes in canvas pixels derived from the canvas size, the theme and the screen's DPI. */
typedef struct {
    int w, h;
    int portrait;
    double scale; /* short side / 1080 */
    double px_per_mm;
    int text_px[KS_TEXT_COUNT];
    int margin, gap, pad;
    int target;   /* minimum touch target edge, from the theme's millimetres */
    int button_h; /* height of a one-line button */
    double line_spacing;
} ks_metrics_t;

typedef struct ks_ui ks_ui_t;

/*
 * Creates the canvas (a render target of canvas_w x canvas_h), loads both
 * themes from <assets_dir>/theme and opens the fonts. NULL on error (err filled).
 */
ks_ui_t *ks_ui_new(SDL_Renderer *r, int canvas_w, int canvas_h, const ks_config_t *cfg,
                   const char *assets_dir, char *err, size_t errlen);
void ks_ui_free(ks_ui_t *ui);

/*
 * The window changed size (a display mode change, a panel plugged in): a new
 * canvas and new metrics. The caller rebuilds the widgets. On failure the old
 * canvas stays and a negative KS_E* code is returned.
 */
int ks_ui_resize(ks_ui_t *ui, int canvas_w, int canvas_h);

/*
 * The density the display reports (pixels per inch, 0 for none). Used for
 * millimetre sizes only when the configuration gives neither dpi nor
 * diagonal_in; else KS_GEOM_DEFAULT_DPI. The caller rebuilds the widgets.
 */
void ks_ui_set_display_dpi(ks_ui_t *ui, double dpi);

/* Switches between the standard and the elderly theme (recomputes metrics). */
void ks_ui_set_elderly(ks_ui_t *ui, int on);
int ks_ui_elderly(const ks_ui_t *ui);
const ks_theme_t *ks_ui_theme(const ks_ui_t *ui);
const ks_metrics_t *ks_ui_metrics(const ks_ui_t *ui);

/* Drops all widgets (start of a rebuild). */
void ks_ui_clear(ks_ui_t *ui);

/* Starts the modal layer; the screen below is covered by the theme's veil at `alpha`. */
void ks_ui_begin_overlay(ks_ui_t *ui, uint8_t veil_alpha);

/*
 * A text label at (x, y), wrapped to width w; its height is the text's.
 * Returns the widget (valid until the next add or clear), NULL on error.
 */
ks_widget_t *ks_ui_label(ks_ui_t *ui, const char *id, int x, int y, int w, const char *text,
                         ks_text_role_t role, ks_style_t style, ks_align_t align);

/*
 * Marks a widget's text as personal data (a name, a masked ID): it is drawn
 * without the text cache and its buffers are wiped, so nothing of it outlives
 * the screen that showed it.
 */
void ks_ui_set_private(ks_widget_t *w);

/* A button; its height is at least min_h, the theme's button height, and fits the text. */
ks_widget_t *ks_ui_button(ks_ui_t *ui, const char *id, int x, int y, int w, int min_h,
                          const char *text, ks_style_t style, int action);

/*
 * A button of a grid of small cells (a calendar's days): its text keeps a
 * narrow inner margin so a number stays on one line in large text. The
 * text is measured again.
 */
void ks_ui_set_compact(ks_ui_t *ui, ks_widget_t *w);

ks_widget_t *ks_ui_panel(ks_ui_t *ui, const char *id, ks_rect_t r, ks_style_t style);
ks_widget_t *ks_ui_icon(ks_ui_t *ui, const char *id, ks_rect_t r, ks_icon_t icon, ks_style_t style);

/*
 * A QR code of `text` (libqrencode, error correction level M), centred in r:
 * dark modules (the panel style's text colour, or black if that is not dark)
 * on a white square with a 4-module quiet zone, at the largest whole number of
 * pixels per module that fits. The widget's text holds `text` (NULL is taken as ""). If the text
 * cannot be encoded (empty, too long) the widget is still added but draws
 * nothing, and the failure is logged without the text; a rect too small for
 * one pixel per module draws nothing either. NULL only when out of memory.
 */
ks_widget_t *ks_ui_qr(ks_ui_t *ui, const char *id, ks_rect_t r, const char *text);

size_t ks_ui_count(const ks_ui_t *ui);

/* Mutable access while building (e.g. to size a panel after its contents). */
ks_widget_t *ks_ui_widget(ks_ui_t *ui, size_t i);

/* Drops widgets from index n on (to retry a layout that did not fit). */
void ks_ui_truncate(ks_ui_t *ui, size_t n);

/* Moves widgets [from, count) by dy pixels (to centre a block once its height is known). */
void ks_ui_shift(ks_ui_t *ui, size_t from, int dy);
const ks_widget_t *ks_ui_at(const ks_ui_t *ui, size_t i);
const ks_widget_t *ks_ui_find(const ks_ui_t *ui, const char *id);

/*
 * The button under a logical point, honouring the modal layer: NULL when the
 * point hits no button (or only widgets below an overlay).
 */
const ks_widget_t *ks_ui_hit(const ks_ui_t *ui, int lx, int ly);

/*
 * Marks the button under a finger (NULL: none) so the citizen sees the touch
 * was felt; drawn with a thick accent outline until cleared.
 */
void ks_ui_set_pressed(ks_ui_t *ui, const char *id);

/* Draws the widget list onto the canvas. */
void ks_ui_render(ks_ui_t *ui);

/* Copies the canvas to the window rotated by `rotate` degrees and presents it. */
void ks_ui_present(ks_ui_t *ui, int rotate);

/* Saves the canvas (upright, as designed) as PNG. Returns 0 or a negative KS_E* code. */
int ks_ui_save_png(ks_ui_t *ui, const char *path);

/*
 * Presents the canvas like ks_ui_present and saves what the window shows
 * (rotated, as the panel shows it) as PNG. Returns 0 or a negative KS_E* code.
 */
int ks_ui_save_window_png(ks_ui_t *ui, int rotate, const char *path);

/* Adds "canvas", "theme", "metrics" and "widgets" members to `root`. */
void ks_ui_dump(const ks_ui_t *ui, cJSON *root);

/* The text renderer, for screens that need to measure. */
ks_text_t *ks_ui_text(ks_ui_t *ui);

#endif
