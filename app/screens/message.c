/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A generic message: an icon (never colour alone), a title, plain words, one way out. */
#include "screens.h"

#include <stdio.h>
#include <string.h>

void ks_screen_message(const ks_view_t *v)
{
    ks_ui_t *ui = v->ui;
    const ks_metrics_t *m = ks_ui_metrics(ui);
    int top = ks_screen_banner(v, ks_catalog_get(v->cat, "app.banner")) + m->margin;
    int bottom = v->holder ? ks_screen_footer(v, 0, 1) : m->h - m->margin;
    int is_error = v->msg_kind == KS_MSG_ERROR;
    int icon = m->text_px[KS_TEXT_HUGE] * 2;
    int x = m->margin, w = m->w - 2 * m->margin, y = top;
    size_t first = ks_ui_count(ui);

    if (m->portrait) {
        ks_ui_icon(ui, "msg-icon", (ks_rect_t){(m->w - icon) / 2, y, icon, icon},
                   is_error ? KS_ICON_ERROR : KS_ICON_INFO,
                   is_error ? KS_STYLE_DANGER : KS_STYLE_PRIMARY);
        y += icon + m->margin;
    } else {
        /* Landscape: the icon beside the words, which keep the height for themselves. */
        if (icon > m->w / 6)
            icon = m->w / 6;
        ks_ui_icon(ui, "msg-icon", (ks_rect_t){x, y, icon, icon},
                   is_error ? KS_ICON_ERROR : KS_ICON_INFO,
                   is_error ? KS_STYLE_DANGER : KS_STYLE_PRIMARY);
        x += icon + m->margin;
        w -= icon + m->margin;
    }
    ks_widget_t *wd =
        ks_ui_label(ui, "msg-title", x, y, w, ks_catalog_get(v->cat, v->msg_title_key),
                    KS_TEXT_TITLE, KS_STYLE_SCREEN, m->portrait ? KS_ALIGN_CENTER : KS_ALIGN_LEFT);
    y += (wd ? wd->rect.h : 0) + m->gap;
    wd = ks_ui_label(ui, "msg-body", x, y, w, ks_catalog_get(v->cat, v->msg_body_key), KS_TEXT_BODY,
                     KS_STYLE_SCREEN, m->portrait ? KS_ALIGN_CENTER : KS_ALIGN_LEFT);
    y += (wd ? wd->rect.h : 0) + m->margin;
    if (v->msg_detail_key) {
        /* Which booking the message is about: its day and time, its office. */
        char date[64], from[8] = "", line[320];
        ks_format_date(v, v->msg_detail_time, date, sizeof date);
        if (v->msg_detail_time && strlen(v->msg_detail_time) >= 16)
            snprintf(from, sizeof from, "%.5s", v->msg_detail_time + 11);
        ks_catalog_format(line, sizeof line, ks_catalog_get(v->cat, v->msg_detail_key), "date",
                          date, "time", from[0] == '0' ? from + 1 : from, "office",
                          v->msg_detail_office ? v->msg_detail_office : "", (const char *)NULL);
        wd = ks_ui_label(ui, "msg-detail", x, y, w, line, KS_TEXT_HEADING, KS_STYLE_PANEL,
                         m->portrait ? KS_ALIGN_CENTER : KS_ALIGN_LEFT);
        if (wd)
            wd->fill = 1;
        y += (wd ? wd->rect.h : 0) + m->margin;
    }
    if (v->msg_retry) {
        /* Retrying is what most people want; going back is the other, quieter choice. */
        wd = ks_ui_button(ui, "btn-retry", x, y, w, 0, ks_catalog_get(v->cat, "message.retry"),
                          KS_STYLE_PRIMARY, KS_ACT_RETRY);
        y += (wd ? wd->rect.h : 0) + m->gap;
    }
    wd = ks_ui_button(ui, "btn-home", x, y, w, 0,
                      ks_catalog_get(v->cat, v->msg_retry ? "common.back"
                                             : v->holder  ? "common.ok"
                                                          : "common.home"),
                      v->msg_retry ? KS_STYLE_BUTTON : KS_STYLE_PRIMARY, KS_ACT_HOME);
    y += wd ? wd->rect.h : 0;
    /* Sit a little above the middle of the free space, where the eye looks first. */
    if (bottom - y - m->gap > 0)
        ks_ui_shift(ui, first, (bottom - y - m->gap) / 3);
}
