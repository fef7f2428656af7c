#include "screens.h"

int ks_screen_banner(const ks_view_t *v, const char *title)
{
    const ks_metrics_t *m = ks_ui_metrics(v->ui);
    int h = m->text_px[KS_TEXT_TITLE] * 2;
    size_t panel = ks_ui_count(v->ui);
    if (!ks_ui_panel(v->ui, "banner", (ks_rect_t){0, 0, m->w, h}, KS_STYLE_BANNER))
        return h; /* out of memory: no banner, the content still has its place */
    ks_widget_t *t = ks_ui_label(v->ui, "banner-title", m->margin, 0, m->w - 2 * m->margin, title,
                                 KS_TEXT_TITLE, KS_STYLE_BANNER, KS_ALIGN_CENTER);
    if (t) {
        /* A title too long for one line grows the banner rather than being cut. */
        if (t->rect.h + m->pad > h)
            h = t->rect.h + m->pad;
        t->rect.y = (h - t->rect.h) / 2;
        ks_ui_widget(v->ui, panel)->rect.h = h;
    }
    return h;
}

/* Gives buttons [first, count) one height (the tallest) with their bottom edge at `bottom`. */
static int align_row(ks_ui_t *ui, size_t first, int bottom)
{
    int h = 0;
    for (size_t i = first; i < ks_ui_count(ui); i++)
        if (ks_ui_at(ui, i)->rect.h > h)
            h = ks_ui_at(ui, i)->rect.h;
    for (size_t i = first; i < ks_ui_count(ui); i++) {
        ks_widget_t *b = ks_ui_widget(ui, i);
        b->rect.h = h;
        b->rect.y = bottom - h;
    }
    return bottom - h;
}

static void settings_buttons(const ks_view_t *v, int x, int w, int gap)
{
    const char *elderly =
        ks_catalog_get(v->cat, v->elderly ? "common.elderly_on" : "common.elderly_off");
    ks_ui_button(v->ui, "btn-elderly", x, 0, w, 0, elderly,
                 v->elderly ? KS_STYLE_TOGGLE_ON : KS_STYLE_BUTTON, KS_ACT_ELDERLY);
    ks_ui_button(v->ui, "btn-language", x + w + gap, 0, w, 0,
                 ks_catalog_get(v->cat, "common.language"), KS_STYLE_BUTTON, KS_ACT_LANGUAGE);
}

int ks_screen_footer(const ks_view_t *v, int back, int exit)
{
    ks_ui_t *ui = v->ui;
    const ks_metrics_t *m = ks_ui_metrics(ui);
    int inner = m->w - 2 * m->margin;
    int bottom = m->h - m->margin;
    size_t first = ks_ui_count(ui);
    int side_w = m->portrait ? (inner - m->gap) / 2 : m->w / 5;

    if (back)
        ks_ui_button(ui, "btn-back", m->margin, 0, side_w, 0, ks_catalog_get(v->cat, "common.back"),
                     KS_STYLE_BUTTON, KS_ACT_BACK);
    if (exit)
        ks_ui_button(ui, "btn-exit", m->w - m->margin - side_w, 0, side_w, 0,
                     ks_catalog_get(v->cat, "common.exit"), KS_STYLE_DANGER, KS_ACT_EXIT);
    if (m->portrait) {
        int top = bottom;
        if (back || exit)
            top = align_row(ui, first, bottom) - m->gap;
        size_t row = ks_ui_count(ui);
        settings_buttons(v, m->margin, (inner - m->gap) / 2, m->gap);
        return align_row(ui, row, top) - m->gap;
    }
    /* Landscape: one row, the toggles between 返回 and 退出 (their places kept when absent). */
    int mid_x = m->margin + side_w + m->gap;
    int mid_w = inner - 2 * side_w - 2 * m->gap;
    settings_buttons(v, mid_x, (mid_w - m->gap) / 2, m->gap);
    return align_row(ui, first, bottom) - m->gap;
}
