/* The idle (attract) screen: what to do, large and plain; nothing personal. */
#include "screens.h"

void ks_screen_idle(const ks_view_t *v)
{
    ks_ui_t *ui = v->ui;
    const ks_metrics_t *m = ks_ui_metrics(ui);
    int top = ks_screen_banner(v, ks_catalog_get(v->cat, "app.banner")) + m->margin;
    int bottom = ks_screen_settings_row(v, m->h - m->margin) - m->gap;

    int col_x = m->margin, col_w = m->w - 2 * m->margin, y = top;
    size_t first = ks_ui_count(ui);
    if (m->portrait) {
        int icon_h = (bottom - top) * 36 / 100;
        ks_ui_icon(ui, "card-icon", (ks_rect_t){col_x, y, col_w, icon_h}, KS_ICON_CARD,
                   KS_STYLE_PRIMARY);
        y += icon_h + m->margin;
    } else {
        /* Landscape: the picture on the left, the words on the right. */
        int icon_w = (m->w - 2 * m->margin) * 40 / 100;
        int icon_h = (bottom - top) * 80 / 100;
        ks_ui_icon(ui, "card-icon",
                   (ks_rect_t){col_x, top + (bottom - top - icon_h) / 2, icon_w, icon_h},
                   KS_ICON_CARD, KS_STYLE_PRIMARY);
        col_x += icon_w + m->margin;
        col_w = m->w - m->margin - col_x;
        first = ks_ui_count(ui); /* only the words are centred in their column */
    }
    ks_widget_t *w = ks_ui_label(ui, "idle-title", col_x, y, col_w,
                                 ks_catalog_get(v->cat, "idle.title"), KS_TEXT_HUGE, KS_STYLE_SCREEN,
                                 KS_ALIGN_CENTER);
    y += (w ? w->rect.h : 0) + m->gap;
    w = ks_ui_label(ui, "idle-hint", col_x, y, col_w, ks_catalog_get(v->cat, "idle.hint"),
                    KS_TEXT_HEADING, KS_STYLE_SCREEN, KS_ALIGN_CENTER);
    y += (w ? w->rect.h : 0) + m->gap * 2;
    w = ks_ui_label(ui, "idle-privacy", col_x, y, col_w, ks_catalog_get(v->cat, "idle.privacy"),
                    KS_TEXT_BODY, KS_STYLE_MUTED, KS_ALIGN_CENTER);
    y += w ? w->rect.h : 0;
    /* Centre the block in the space between the banner and the buttons. */
    if (bottom - y > 0)
        ks_ui_shift(ui, first, (bottom - y) / 2);
}
