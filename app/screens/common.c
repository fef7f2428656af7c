#include "screens.h"

int ks_screen_banner(const ks_view_t *v, const char *title)
{
    const ks_metrics_t *m = ks_ui_metrics(v->ui);
    int h = m->text_px[KS_TEXT_TITLE] * 2;
    ks_ui_panel(v->ui, "banner", (ks_rect_t){0, 0, m->w, h}, KS_STYLE_BANNER);
    ks_widget_t *t = ks_ui_label(v->ui, "banner-title", m->margin, 0, m->w - 2 * m->margin, title,
                                 KS_TEXT_TITLE, KS_STYLE_BANNER, KS_ALIGN_CENTER);
    if (t) {
        /* A title too long for one line grows the banner rather than being cut. */
        if (t->rect.h + m->pad > h) {
            h = t->rect.h + m->pad;
            ks_widget_t *panel = ks_ui_widget(v->ui, ks_ui_count(v->ui) - 2);
            panel->rect.h = h;
            t = ks_ui_widget(v->ui, ks_ui_count(v->ui) - 1);
        }
        t->rect.y = (h - t->rect.h) / 2;
    }
    return h;
}

int ks_screen_bottom_bar(const ks_view_t *v, int back, int exit)
{
    const ks_metrics_t *m = ks_ui_metrics(v->ui);
    int w = (m->w - 2 * m->margin - m->gap) / 2;
    int y = m->h - m->margin - m->button_h;
    if (back)
        ks_ui_button(v->ui, "btn-back", m->margin, y, w, 0, ks_catalog_get(v->cat, "common.back"),
                     KS_STYLE_BUTTON, KS_ACT_BACK);
    if (exit)
        ks_ui_button(v->ui, "btn-exit", m->w - m->margin - w, y, w, 0,
                     ks_catalog_get(v->cat, "common.exit"), KS_STYLE_DANGER, KS_ACT_EXIT);
    return y - m->gap;
}

int ks_screen_settings_row(const ks_view_t *v, int bottom)
{
    const ks_metrics_t *m = ks_ui_metrics(v->ui);
    int w = (m->w - 2 * m->margin - m->gap) / 2;
    const char *elderly = ks_catalog_get(v->cat, v->elderly ? "common.elderly_on" : "common.elderly_off");
    size_t first = ks_ui_count(v->ui);
    ks_ui_button(v->ui, "btn-elderly", m->margin, 0, w, 0, elderly,
                 v->elderly ? KS_STYLE_TOGGLE_ON : KS_STYLE_BUTTON, KS_ACT_ELDERLY);
    ks_ui_button(v->ui, "btn-language", m->w - m->margin - w, 0, w, 0,
                 ks_catalog_get(v->cat, "common.language"), KS_STYLE_BUTTON, KS_ACT_LANGUAGE);
    /* One row, one height: the taller label decides, and the row ends at `bottom`. */
    int h = 0;
    for (size_t i = first; i < ks_ui_count(v->ui); i++)
        if (ks_ui_at(v->ui, i)->rect.h > h)
            h = ks_ui_at(v->ui, i)->rect.h;
    for (size_t i = first; i < ks_ui_count(v->ui); i++) {
        ks_widget_t *b = ks_ui_widget(v->ui, i);
        b->rect.h = h;
        b->rect.y = bottom - h;
    }
    return bottom - h;
}
