/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The main menu for an identified citizen: who they are (masked), what they can do. */
#include "screens.h"

#include "idnum.h"

#include <string.h>

/* One service on the menu: a big button and a line saying what it is for. */
typedef struct {
    const char *id, *text_key, *hint_key, *hint_id;
    ks_style_t style;
    int action;
} service_t;

/*
 * The service buttons from y in `cols` columns, with or without their hint
 * lines; returns the y below them.
 */
static int services(const ks_view_t *v, const service_t *s, int n, int y, int hints, int cols,
                    int tall)
{
    ks_ui_t *ui = v->ui;
    const ks_metrics_t *m = ks_ui_metrics(ui);
    int w = (m->w - 2 * m->margin - (cols - 1) * m->gap) / cols;
    int row_y = y, row_bottom = y;
    for (int i = 0; i < n; i++) {
        int c = i % cols, x = m->margin + c * (w + m->gap);
        if (c == 0 && i > 0)
            row_y = row_bottom + m->margin / 2;
        ks_widget_t *b =
            ks_ui_button(ui, s[i].id, x, row_y, w, tall ? m->button_h * 3 / 2 : 0,
                         ks_catalog_get(v->cat, s[i].text_key), s[i].style, s[i].action);
        int by = row_y + (b ? b->rect.h : 0) + m->gap / 2;
        if (hints) {
            ks_widget_t *h =
                ks_ui_label(ui, s[i].hint_id, x, by, w, ks_catalog_get(v->cat, s[i].hint_key),
                            KS_TEXT_BODY, KS_STYLE_MUTED, KS_ALIGN_CENTER);
            by += (h ? h->rect.h : 0) + m->gap / 2;
        }
        if (by > row_bottom)
            row_bottom = by;
    }
    return row_bottom;
}

/*
 * Who is identified: the name (shown to its holder only) and the masked ID
 * number, on two lines, or on one (compact) where the height is short.
 * Returns the y under the panel.
 */
static int holder_panel(const ks_view_t *v, int y, int compact)
{
    ks_ui_t *ui = v->ui;
    const ks_metrics_t *m = ks_ui_metrics(ui);
    char line[256], masked[24], both[520];
    size_t panel_idx = ks_ui_count(ui);
    int have_panel =
        ks_ui_panel(ui, "holder-panel", (ks_rect_t){m->margin, y, m->w - 2 * m->margin, 0},
                    KS_STYLE_PANEL) != NULL;
    int inner_x = m->margin + m->pad, inner_w = m->w - 2 * m->margin - 2 * m->pad;
    int py = y + m->pad;
    if (v->holder) {
        ks_catalog_format(line, sizeof line, ks_catalog_get(v->cat, "menu.greeting"), "name",
                          v->holder->name, (const char *)NULL);
        ks_idnum_mask(v->holder->idnum, masked, sizeof masked);
        if (compact) {
            char id[256];
            ks_catalog_format(id, sizeof id, ks_catalog_get(v->cat, "menu.id_line"), "id", masked,
                              (const char *)NULL);
            snprintf(both, sizeof both, "%s　%s", line, id);
            ks_widget_t *w = ks_ui_label(ui, "holder-name", inner_x, py, inner_w, both,
                                         KS_TEXT_HEADING, KS_STYLE_PANEL, KS_ALIGN_LEFT);
            ks_ui_set_private(w);
            py += w ? w->rect.h : 0;
            explicit_bzero(id, sizeof id);
            explicit_bzero(both, sizeof both);
        } else {
            ks_widget_t *w = ks_ui_label(ui, "holder-name", inner_x, py, inner_w, line,
                                         KS_TEXT_TITLE, KS_STYLE_PANEL, KS_ALIGN_LEFT);
            ks_ui_set_private(w);
            py += (w ? w->rect.h : 0) + m->gap / 2;
            ks_catalog_format(line, sizeof line, ks_catalog_get(v->cat, "menu.id_line"), "id",
                              masked, (const char *)NULL);
            w = ks_ui_label(ui, "holder-id", inner_x, py, inner_w, line, KS_TEXT_BODY,
                            KS_STYLE_PANEL, KS_ALIGN_LEFT);
            ks_ui_set_private(w);
            py += w ? w->rect.h : 0;
        }
        explicit_bzero(line, sizeof line);
        explicit_bzero(masked, sizeof masked);
    }
    if (have_panel)
        ks_ui_widget(ui, panel_idx)->rect.h = py + m->pad - y;
    return py + m->pad + m->margin;
}

void ks_screen_menu(const ks_view_t *v)
{
    ks_ui_t *ui = v->ui;
    const ks_metrics_t *m = ks_ui_metrics(ui);
    int y = ks_screen_banner(v, ks_catalog_get(v->cat, "app.banner")) + m->margin;
    int bottom = ks_screen_footer(v, 0, 1);

    size_t top_first = ks_ui_count(ui), first = 0;
    int top = y;
    for (int compact = 0; compact < 2; compact++) {
        y = holder_panel(v, top, compact);

        if (v->lookup == KS_LOOKUP_PENDING) {
            ks_widget_t *st = ks_ui_label(ui, "lookup-status", m->margin, y, m->w - 2 * m->margin,
                                          ks_catalog_get(v->cat, "menu.checking"), KS_TEXT_BODY,
                                          KS_STYLE_SCREEN, KS_ALIGN_CENTER);
            y += (st ? st->rect.h : 0) + m->margin;
        }

        /*
         * The services, each a big button with a line saying what it is for.
         * 救助状态查询 needs the district's records: it is there (inert) while the
         * lookup runs, so nothing moves under a finger when the answer comes, and it
         * works once it succeeded; after a failed lookup it stays and works (the
         * records screen looks the citizen up again). Where the screen is short the
         * lines go first, then the buttons stand two by two.
         */
        service_t s[4];
        int n = 0;
        int show_assist =
            v->has_token || v->lookup == KS_LOOKUP_PENDING || v->lookup == KS_LOOKUP_OFFLINE;
        int assist_live = v->has_token || v->lookup == KS_LOOKUP_OFFLINE;
        if (v->registry && v->backend)
            s[n++] = (service_t){"btn-checkin",  "menu.checkin",   "menu.checkin_hint",
                                 "checkin-hint", KS_STYLE_PRIMARY, KS_ACT_CHECKIN};
        if (show_assist)
            s[n++] = (service_t){"btn-assist",
                                 "menu.assist",
                                 "menu.assist_hint",
                                 "assist-hint",
                                 assist_live && !v->registry ? KS_STYLE_PRIMARY : KS_STYLE_BUTTON,
                                 assist_live ? KS_ACT_ASSIST : KS_ACT_NONE};
        s[n++] = (service_t){"btn-subsidy",
                             "menu.subsidy",
                             "menu.subsidy_hint",
                             "subsidy-hint",
                             v->has_token || v->registry ? KS_STYLE_BUTTON : KS_STYLE_PRIMARY,
                             KS_ACT_SUBSIDY};
        if (v->backend) {
            s[n++] = (service_t){"btn-marry",  "menu.marry",    "menu.marry_hint",
                                 "marry-hint", KS_STYLE_BUTTON, KS_ACT_MARRY};
        }
        first = ks_ui_count(ui);
        int end = services(v, s, n, y, 1, 1, 1);
        if (end > bottom) {
            ks_ui_truncate(ui, first);
            end = services(v, s, n, y, 0, 1, 1);
        }
        if (end > bottom) {
            ks_ui_truncate(ui, first);
            end = services(v, s, n, y, 0, 2, 1);
        }
        if (end > bottom) {
            ks_ui_truncate(ui, first);
            end = services(v, s, n, y, 0, 2, 0);
        }
        if (end > bottom) {
            ks_ui_truncate(ui, first);
            end = services(v, s, n, y, 0, 3, 0);
        }
        if (end <= bottom || compact == 1) {
            y = end;
            break;
        }
        ks_ui_truncate(ui, top_first); /* too tall: the holder on one line, and again */
    }
    if (bottom - y > 0)
        ks_ui_shift(ui, first, (bottom - y) / 3);
}
