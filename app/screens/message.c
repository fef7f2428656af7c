/* A generic message: an icon (never colour alone), a title, plain words, one way out. */
#include "screens.h"

void ks_screen_message(const ks_view_t *v)
{
    ks_ui_t *ui = v->ui;
    const ks_metrics_t *m = ks_ui_metrics(ui);
    int top = ks_screen_banner(v, ks_catalog_get(v->cat, "app.banner")) + m->margin;
    int bottom = v->holder ? ks_screen_bottom_bar(v, 0, 1) : m->h - m->margin;
    int w = m->w - 2 * m->margin;
    int icon = m->text_px[KS_TEXT_HUGE] * 2;
    size_t first = ks_ui_count(ui);
    int y = top;
    int is_error = v->msg_kind == KS_MSG_ERROR;
    ks_ui_icon(ui, "msg-icon", (ks_rect_t){(m->w - icon) / 2, y, icon, icon},
               is_error ? KS_ICON_ERROR : KS_ICON_INFO, is_error ? KS_STYLE_DANGER : KS_STYLE_PRIMARY);
    y += icon + m->margin;
    ks_widget_t *wd = ks_ui_label(ui, "msg-title", m->margin, y, w,
                                  ks_catalog_get(v->cat, v->msg_title_key), KS_TEXT_TITLE,
                                  KS_STYLE_SCREEN, KS_ALIGN_CENTER);
    y += (wd ? wd->rect.h : 0) + m->gap;
    wd = ks_ui_label(ui, "msg-body", m->margin, y, w, ks_catalog_get(v->cat, v->msg_body_key),
                     KS_TEXT_HEADING, KS_STYLE_SCREEN, KS_ALIGN_CENTER);
    y += (wd ? wd->rect.h : 0) + m->margin;
    wd = ks_ui_button(ui, "btn-home", m->margin, y, w, 0,
                      ks_catalog_get(v->cat, v->holder ? "common.ok" : "common.home"),
                      KS_STYLE_PRIMARY, KS_ACT_HOME);
    y += wd ? wd->rect.h : 0;
    if (bottom - y - m->gap > 0)
        ks_ui_shift(ui, first, (bottom - y - m->gap) / 3);
}
