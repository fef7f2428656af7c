/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The idle (attract) screen: what to do, large and plain; nothing personal. */
#include "screens.h"

/* Lays out the words from y down; returns the y below the last one. */
static int words(const ks_view_t *v, int x, int y, int w, ks_text_role_t title_role, int privacy)
{
    const ks_metrics_t *m = ks_ui_metrics(v->ui);
    ks_widget_t *wd =
        ks_ui_label(v->ui, "idle-title", x, y, w, ks_catalog_get(v->cat, "idle.title"), title_role,
                    KS_STYLE_SCREEN, KS_ALIGN_CENTER);
    y += (wd ? wd->rect.h : 0) + m->gap;
    /* While a card is read, the hint says so: the citizen waits rather than pulls it out. */
    wd = ks_ui_label(v->ui, v->reading ? "idle-reading" : "idle-hint", x, y, w,
                     ks_catalog_get(v->cat, v->reading ? "idle.reading" : "idle.hint"),
                     KS_TEXT_HEADING, KS_STYLE_SCREEN, KS_ALIGN_CENTER);
    y += wd ? wd->rect.h : 0;
    if (v->readers == KS_READERS_NONE) {
        /* No reader works: say so plainly, in place of the privacy note. */
        y += m->gap * 2;
        wd = ks_ui_label(v->ui, "idle-no-reader", x, y, w, ks_catalog_get(v->cat, "idle.no_reader"),
                         KS_TEXT_HEADING, KS_STYLE_ERROR, KS_ALIGN_CENTER);
        if (wd) {
            wd->fill = 1;
            y += wd->rect.h;
        }
    } else if (privacy) {
        y += m->gap * 2;
        wd = ks_ui_label(v->ui, "idle-privacy", x, y, w, ks_catalog_get(v->cat, "idle.privacy"),
                         KS_TEXT_BODY, KS_STYLE_MUTED, KS_ALIGN_CENTER);
        y += wd ? wd->rect.h : 0;
    }
    return y;
}

void ks_screen_idle(const ks_view_t *v)
{
    ks_ui_t *ui = v->ui;
    const ks_metrics_t *m = ks_ui_metrics(ui);
    int top = ks_screen_banner(v, ks_catalog_get(v->cat, "app.banner")) + m->margin;
    int bottom = ks_screen_footer(v, 0, 0);
    /* Policy consultation is open to anyone, card or not. */
    ks_widget_t *sb =
        ks_ui_button(ui, "btn-subsidy", m->margin, 0, m->w - 2 * m->margin, 0,
                     ks_catalog_get(v->cat, "idle.subsidy"), KS_STYLE_BUTTON, KS_ACT_SUBSIDY);
    if (sb) {
        sb->rect.y = bottom - sb->rect.h;
        bottom = sb->rect.y - m->margin;
    }
    int col_x = m->margin, col_w = m->w - 2 * m->margin, y = top;
    size_t first = ks_ui_count(ui);

    if (m->portrait) {
        /*
         * The picture takes what the words leave: 36% of the height, less
         * when the huge call to action (elderly mode) needs the room.
         */
        int icon_h = (bottom - top) * 36 / 100;
        size_t probe = ks_ui_count(ui);
        int need = words(v, col_x, y, col_w, KS_TEXT_HUGE, 1) - y;
        ks_ui_truncate(ui, probe);
        if (bottom - top - need - m->margin < icon_h)
            icon_h = bottom - top - need - m->margin;
        if (icon_h < (bottom - top) / 6)
            icon_h = (bottom - top) / 6;
        ks_ui_icon(ui, "card-icon", (ks_rect_t){col_x, y, col_w, icon_h}, KS_ICON_CARD,
                   KS_STYLE_PRIMARY);
        y += icon_h + m->margin;
    } else {
        /* Landscape: the picture on the left, the words on the right. */
        int icon_w = (m->w - 2 * m->margin) * 35 / 100;
        int icon_h = (bottom - top) * 80 / 100;
        ks_ui_icon(ui, "card-icon",
                   (ks_rect_t){col_x, top + (bottom - top - icon_h) / 2, icon_w, icon_h},
                   KS_ICON_CARD, KS_STYLE_PRIMARY);
        col_x += icon_w + m->margin;
        col_w = m->w - m->margin - col_x;
        first = ks_ui_count(ui); /* only the words are centred in their column */
    }
    /*
     * The call to action is as large as the space allows: a smaller title
     * before dropping the privacy note, and never text running into buttons.
     */
    size_t words_at = ks_ui_count(ui);
    int end = words(v, col_x, y, col_w, KS_TEXT_HUGE, 1);
    if (end > bottom) {
        ks_ui_truncate(ui, words_at);
        end = words(v, col_x, y, col_w, KS_TEXT_TITLE, 1);
    }
    if (end > bottom) {
        ks_ui_truncate(ui, words_at);
        end = words(v, col_x, y, col_w, KS_TEXT_TITLE, 0);
    }
    /* Centre the block in the space between the banner and the buttons. */
    if (bottom - end > 0)
        ks_ui_shift(ui, first, (bottom - end) / 2);
}
