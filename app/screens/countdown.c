/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * "还要继续吗？": the inactivity dialog. Large, one big button, and a touch
 * anywhere also continues (the kiosk handles that), so nobody loses their
 * place for missing a target.
 */
#include "screens.h"

#include <stdio.h>

void ks_overlay_countdown(const ks_view_t *v)
{
    ks_ui_t *ui = v->ui;
    const ks_metrics_t *m = ks_ui_metrics(ui);
    char num[16], line[64];
    ks_ui_begin_overlay(ui, 170);
    int pw = m->portrait ? m->w - 2 * m->margin : m->w * 60 / 100;
    int px = (m->w - pw) / 2, inner_x = px + m->margin, inner_w = pw - 2 * m->margin;
    size_t panel_idx = ks_ui_count(ui);
    if (!ks_ui_panel(ui, "dialog", (ks_rect_t){px, 0, pw, 0}, KS_STYLE_DIALOG))
        return; /* out of memory: the veil alone; a touch still continues */
    int y = m->margin;
    ks_widget_t *w = ks_ui_label(ui, "dialog-title", inner_x, y, inner_w,
                                 ks_catalog_get(v->cat, "countdown.title"), KS_TEXT_TITLE,
                                 KS_STYLE_DIALOG, KS_ALIGN_CENTER);
    y += (w ? w->rect.h : 0) + m->gap;
    snprintf(num, sizeof num, "%d", v->countdown_s);
    ks_catalog_format(line, sizeof line, ks_catalog_get(v->cat, "countdown.seconds"), "sec", num,
                      (const char *)NULL);
    w = ks_ui_label(ui, "dialog-seconds", inner_x, y, inner_w, line, KS_TEXT_HUGE, KS_STYLE_DIALOG,
                    KS_ALIGN_CENTER);
    y += (w ? w->rect.h : 0) + m->gap;
    w = ks_ui_label(ui, "dialog-body", inner_x, y, inner_w,
                    ks_catalog_get(v->cat, "countdown.body"), KS_TEXT_BODY, KS_STYLE_DIALOG,
                    KS_ALIGN_CENTER);
    y += (w ? w->rect.h : 0) + m->margin;
    w = ks_ui_button(ui, "btn-continue", inner_x, y, inner_w, m->button_h * 3 / 2,
                     ks_catalog_get(v->cat, "countdown.continue"), KS_STYLE_PRIMARY,
                     KS_ACT_CONTINUE);
    y += (w ? w->rect.h : 0) + m->gap;
    w = ks_ui_label(ui, "dialog-hint", inner_x, y, inner_w,
                    ks_catalog_get(v->cat, "countdown.hint"), KS_TEXT_SMALL, KS_STYLE_DIALOG,
                    KS_ALIGN_CENTER);
    y += (w ? w->rect.h : 0) + m->margin;
    int top = (m->h - y) / 2;
    ks_ui_widget(ui, panel_idx)->rect.h = y;
    ks_ui_shift(ui, panel_idx, top);
}

void ks_overlay_dim(const ks_view_t *v)
{
    /* A veil and nothing to press: the first touch only wakes the screen. */
    ks_ui_begin_overlay(v->ui, 200);
}
