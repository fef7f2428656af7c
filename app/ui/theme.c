/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "theme.h"

#include "error.h"
#include "inifile.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const style_names[KS_STYLE_COUNT] = {
    "screen", "muted",     "banner", "button", "primary",
    "danger", "toggle_on", "dialog", "panel",  "error",
};

static const char *const text_names[KS_TEXT_COUNT] = {
    "small", "body", "button", "heading", "title", "huge",
};

const char *ks_style_name(ks_style_t s)
{
    return (unsigned)s < KS_STYLE_COUNT ? style_names[s] : "?";
}

const char *ks_text_role_name(ks_text_role_t r)
{
    return (unsigned)r < KS_TEXT_COUNT ? text_names[r] : "?";
}

/* Parse state: which keys were seen. */
typedef struct {
    ks_theme_t *theme;
    unsigned seen_text, seen_fg, seen_bg;
    int seen_target, seen_gap, seen_spacing, seen_contrast, seen_name, seen_accent, seen_veil;
} theme_parse_t;

static int parse_rgb(const char *v, ks_rgb_t *out)
{
    if (strlen(v) != 7 || v[0] != '#')
        return -1;
    char *end = NULL;
    unsigned long x = strtoul(v + 1, &end, 16);
    if (*end != '\0')
        return -1;
    out->r = (uint8_t)(x >> 16);
    out->g = (uint8_t)(x >> 8);
    out->b = (uint8_t)x;
    return 0;
}

static int parse_num(const char *v, double lo, double hi, double *out)
{
    char *end = NULL;
    double d = strtod(v, &end);
    if (end == v || *end != '\0' || !(d >= lo && d <= hi))
        return -1;
    *out = d;
    return 0;
}

static int find_name(const char *const *names, int n, const char *name)
{
    for (int i = 0; i < n; i++)
        if (strcmp(names[i], name) == 0)
            return i;
    return -1;
}

static int theme_handler(void *user, ks_ini_t *ini, const char *section, const char *name,
                         const char *value)
{
    theme_parse_t *p = user;
    ks_theme_t *t = p->theme;
    double d;

    if (strcmp(section, "theme") == 0) {
        if (strcmp(name, "name") == 0) {
            if (strlen(value) >= sizeof t->name)
                return ks_ini_fail_value(ini, section, name, value, "a name under 32 bytes");
            snprintf(t->name, sizeof t->name, "%s", value);
            p->seen_name = 1;
            return KS_OK;
        }
        if (strcmp(name, "target_mm") == 0) {
            if (parse_num(value, 20.0, 60.0, &d) != 0)
                return ks_ini_fail_value(ini, section, name, value, "millimetres from 20 to 60");
            t->target_mm = d;
            p->seen_target = 1;
            return KS_OK;
        }
        if (strcmp(name, "gap_mm") == 0) {
            if (parse_num(value, 2.0, 30.0, &d) != 0)
                return ks_ini_fail_value(ini, section, name, value, "millimetres from 2 to 30");
            t->gap_mm = d;
            p->seen_gap = 1;
            return KS_OK;
        }
        if (strcmp(name, "line_spacing") == 0) {
            if (parse_num(value, 1.3, 3.0, &d) != 0)
                return ks_ini_fail_value(ini, section, name, value, "a factor from 1.3 to 3.0");
            t->line_spacing = d;
            p->seen_spacing = 1;
            return KS_OK;
        }
        if (strcmp(name, "min_contrast") == 0) {
            if (parse_num(value, 4.5, 21.0, &d) != 0)
                return ks_ini_fail_value(ini, section, name, value, "a ratio from 4.5 to 21");
            t->min_contrast = d;
            p->seen_contrast = 1;
            return KS_OK;
        }
        if (strcmp(name, "accent") == 0 || strcmp(name, "veil") == 0) {
            ks_rgb_t c;
            if (parse_rgb(value, &c) != 0)
                return ks_ini_fail_value(ini, section, name, value, "a colour #RRGGBB");
            if (name[0] == 'a') {
                t->accent = c;
                p->seen_accent = 1;
            } else {
                t->veil = c;
                p->seen_veil = 1;
            }
            return KS_OK;
        }
    } else if (strcmp(section, "text_px") == 0) {
        int i = find_name(text_names, KS_TEXT_COUNT, name);
        if (i >= 0) {
            if (parse_num(value, 16, 400, &d) != 0)
                return ks_ini_fail_value(ini, section, name, value, "pixels from 16 to 400");
            t->text_px[i] = (int)d;
            p->seen_text |= 1u << i;
            return KS_OK;
        }
    } else if (strncmp(section, "style.", 6) == 0) {
        int i = find_name(style_names, KS_STYLE_COUNT, section + 6);
        int is_fg = strcmp(name, "fg") == 0, is_bg = strcmp(name, "bg") == 0;
        if (i >= 0 && (is_fg || is_bg)) {
            ks_rgb_t c;
            if (parse_rgb(value, &c) != 0)
                return ks_ini_fail_value(ini, section, name, value, "a colour #RRGGBB");
            if (is_fg) {
                t->style[i].fg = c;
                p->seen_fg |= 1u << i;
            } else {
                t->style[i].bg = c;
                p->seen_bg |= 1u << i;
            }
            return KS_OK;
        }
    }
    ks_ini_fail(ini, "unknown key '%s' in section [%s]", name, section);
    return KS_E_PARSE;
}

static const ks_ini_spec_t theme_ini = {
    .on_value = theme_handler,
    .on_section = NULL,
    .syntax_error = "syntax error",
};

int ks_theme_load(ks_theme_t *theme, const char *path, char *err, size_t errlen)
{
    theme_parse_t p;
    memset(&p, 0, sizeof p);
    memset(theme, 0, sizeof *theme);
    p.theme = theme;

    int rc = ks_ini_parse(path, &theme_ini, &p, err, errlen);
    if (rc != KS_OK)
        return rc;
    const char *missing = NULL;
    for (int i = 0; i < KS_TEXT_COUNT && !missing; i++)
        if (!(p.seen_text & (1u << i)))
            missing = text_names[i];
    for (int i = 0; i < KS_STYLE_COUNT && !missing; i++)
        if (!(p.seen_fg & (1u << i)) || !(p.seen_bg & (1u << i)))
            missing = style_names[i];
    if (!missing && !p.seen_name)
        missing = "[theme] name";
    if (!missing && !p.seen_target)
        missing = "[theme] target_mm";
    if (!missing && !p.seen_gap)
        missing = "[theme] gap_mm";
    if (!missing && !p.seen_spacing)
        missing = "[theme] line_spacing";
    if (!missing && !p.seen_contrast)
        missing = "[theme] min_contrast";
    if (!missing && !p.seen_accent)
        missing = "[theme] accent";
    if (!missing && !p.seen_veil)
        missing = "[theme] veil";
    if (missing) {
        snprintf(err, errlen, "%s: missing %s", path, missing);
        return KS_E_PARSE;
    }
    return KS_OK;
}

/* sRGB channel to linear light, as WCAG 2.x defines relative luminance. */
static double linear(uint8_t c)
{
    double s = c / 255.0;
    return s <= 0.04045 ? s / 12.92 : pow((s + 0.055) / 1.055, 2.4);
}

static double luminance(ks_rgb_t c)
{
    return 0.2126 * linear(c.r) + 0.7152 * linear(c.g) + 0.0722 * linear(c.b);
}

double ks_contrast_ratio(ks_rgb_t a, ks_rgb_t b)
{
    double la = luminance(a), lb = luminance(b);
    double hi = la > lb ? la : lb, lo = la > lb ? lb : la;
    return (hi + 0.05) / (lo + 0.05);
}

int ks_theme_check_contrast(const ks_theme_t *theme, char *err, size_t errlen)
{
    int failing = 0;
    if (errlen)
        err[0] = '\0';
    for (int i = 0; i < KS_STYLE_COUNT; i++) {
        double r = ks_contrast_ratio(theme->style[i].fg, theme->style[i].bg);
        if (r < theme->min_contrast) {
            if (failing == 0)
                snprintf(err, errlen, "theme %s: style %s has contrast %.2f:1, below %.1f:1",
                         theme->name, style_names[i], r, theme->min_contrast);
            failing++;
        }
    }
    return failing;
}
