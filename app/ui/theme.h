/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Themes are data (assets/theme/<name>.ini), loaded here without SDL so the
 * contrast rules can be unit-tested from the same files the kiosk draws with.
 *
 * A theme is a set of text sizes (px at a 1080-px short screen side), a
 * minimum touch-target size in millimetres, line spacing, and styles: every
 * style is a text colour on a background colour, so every pair the kiosk can
 * draw is known and checkable.
 */
#ifndef KS_THEME_H
#define KS_THEME_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
    uint8_t r, g, b;
} ks_rgb_t;

/* Text sizes by role. */
typedef enum {
    KS_TEXT_SMALL = 0, /* footnotes, hints */
    KS_TEXT_BODY,      /* paragraphs */
    KS_TEXT_BUTTON,    /* button labels */
    KS_TEXT_HEADING,   /* section headings */
    KS_TEXT_TITLE,     /* screen titles */
    KS_TEXT_HUGE,      /* the idle call to action, countdown digits, ticket numbers */
    KS_TEXT_COUNT
} ks_text_role_t;

/* Colour pairs by role; each must meet the theme's contrast minimum. */
typedef enum {
    KS_STYLE_SCREEN = 0, /* body text on the screen background */
    KS_STYLE_MUTED,      /* secondary text on the screen background */
    KS_STYLE_BANNER,     /* title banner */
    KS_STYLE_BUTTON,     /* ordinary button */
    KS_STYLE_PRIMARY,    /* the main action */
    KS_STYLE_DANGER,     /* 退出 and destructive actions */
    KS_STYLE_TOGGLE_ON,  /* a switched-on toggle (e.g. elderly mode on) */
    KS_STYLE_DIALOG,     /* modal dialog panel */
    KS_STYLE_PANEL,      /* cards/panels on the screen */
    KS_STYLE_ERROR,      /* error message panel */
    KS_STYLE_COUNT
} ks_style_t;

typedef struct {
    ks_rgb_t fg, bg;
} ks_pair_t;

typedef struct {
    char name[32];
    int text_px[KS_TEXT_COUNT]; /* at a 1080-px short side */
    double target_mm;           /* minimum touch target edge */
    double gap_mm;              /* minimum gap between targets */
    double line_spacing;        /* line height / font size, >= 1.3 */
    double min_contrast;        /* contrast every style must meet */
    ks_pair_t style[KS_STYLE_COUNT];
    ks_rgb_t accent; /* focus/selection outline (not used for text) */
    ks_rgb_t veil;   /* colour laid over a dimmed idle screen */
} ks_theme_t;

/*
 * Loads a theme file. Every size, style and the contrast minimum must be
 * present; on error returns a negative KS_E* code with "path:line: message"
 * (or "path: missing ...") in err.
 */
int ks_theme_load(ks_theme_t *theme, const char *path, char *err, size_t errlen);

/* WCAG 2.x contrast ratio of two colours (1.0 .. 21.0). */
double ks_contrast_ratio(ks_rgb_t a, ks_rgb_t b);

/*
 * Checks every style against the theme's min_contrast. Returns the number of
 * failing styles; the first failure is described in err.
 */
int ks_theme_check_contrast(const ks_theme_t *theme, char *err, size_t errlen);

/* Names used in theme files, for messages and dumps. */
const char *ks_style_name(ks_style_t s);
const char *ks_text_role_name(ks_text_role_t r);

#endif
