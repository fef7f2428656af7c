/* The main menu for an identified citizen: who they are (masked), what they can do. */
#include "screens.h"

#include "idnum.h"

#include <string.h>

/*
 * The service buttons from y; returns the y below them. 救助状态查询 needs the
 * district's records: it is there (inert) while the lookup runs, so nothing
 * moves under a finger when the answer comes, and it works once it succeeded.
 */
static int services(const ks_view_t *v, int y, int hints, int side_by_side)
{
    ks_ui_t *ui = v->ui;
    const ks_metrics_t *m = ks_ui_metrics(ui);
    /*
     * After a failed lookup the button stays and works: the records screen
     * looks the citizen up again (and says so plainly if that fails again).
     */
    int show_assist =
        v->has_token || v->lookup == KS_LOOKUP_PENDING || v->lookup == KS_LOOKUP_OFFLINE;
    int assist_live = v->has_token || v->lookup == KS_LOOKUP_OFFLINE;
    int x = m->margin, w = m->w - 2 * m->margin;
    if (side_by_side && show_assist)
        w = (w - m->gap) / 2;
    int bottom = y;
    if (show_assist) {
        ks_widget_t *b = ks_ui_button(ui, "btn-assist", x, y, w, m->button_h * 3 / 2,
                                      ks_catalog_get(v->cat, "menu.assist"),
                                      assist_live ? KS_STYLE_PRIMARY : KS_STYLE_BUTTON,
                                      assist_live ? KS_ACT_ASSIST : KS_ACT_NONE);
        int by = y + (b ? b->rect.h : 0) + m->gap / 2;
        if (hints) {
            ks_widget_t *h =
                ks_ui_label(ui, "assist-hint", x, by, w, ks_catalog_get(v->cat, "menu.assist_hint"),
                            KS_TEXT_BODY, KS_STYLE_MUTED, KS_ALIGN_CENTER);
            by += (h ? h->rect.h : 0) + m->gap / 2;
        }
        bottom = by;
        if (side_by_side)
            x += w + m->gap;
        else
            y = by + m->margin / 2;
    }
    ks_widget_t *b = ks_ui_button(
        ui, "btn-subsidy", x, y, w, m->button_h * 3 / 2, ks_catalog_get(v->cat, "menu.subsidy"),
        v->has_token ? KS_STYLE_BUTTON : KS_STYLE_PRIMARY, KS_ACT_SUBSIDY);
    int sy = y + (b ? b->rect.h : 0) + m->gap / 2;
    if (hints) {
        ks_widget_t *h =
            ks_ui_label(ui, "subsidy-hint", x, sy, w, ks_catalog_get(v->cat, "menu.subsidy_hint"),
                        KS_TEXT_BODY, KS_STYLE_MUTED, KS_ALIGN_CENTER);
        sy += h ? h->rect.h : 0;
    }
    return sy > bottom ? sy : bottom;
}

void ks_screen_menu(const ks_view_t *v)
{
    ks_ui_t *ui = v->ui;
    const ks_metrics_t *m = ks_ui_metrics(ui);
    char line[256], masked[24];
    int y = ks_screen_banner(v, ks_catalog_get(v->cat, "app.banner")) + m->margin;
    int bottom = ks_screen_footer(v, 0, 1);

    /* Who is identified: the name (shown to its holder only) and the masked ID number. */
    size_t panel_idx = ks_ui_count(ui);
    int have_panel =
        ks_ui_panel(ui, "holder-panel", (ks_rect_t){m->margin, y, m->w - 2 * m->margin, 0},
                    KS_STYLE_PANEL) != NULL;
    int inner_x = m->margin + m->pad, inner_w = m->w - 2 * m->margin - 2 * m->pad;
    int py = y + m->pad;
    if (v->holder) {
        ks_catalog_format(line, sizeof line, ks_catalog_get(v->cat, "menu.greeting"), "name",
                          v->holder->name, (const char *)NULL);
        ks_widget_t *w = ks_ui_label(ui, "holder-name", inner_x, py, inner_w, line, KS_TEXT_TITLE,
                                     KS_STYLE_PANEL, KS_ALIGN_LEFT);
        ks_ui_set_private(w);
        py += (w ? w->rect.h : 0) + m->gap / 2;
        ks_idnum_mask(v->holder->idnum, masked, sizeof masked);
        ks_catalog_format(line, sizeof line, ks_catalog_get(v->cat, "menu.id_line"), "id", masked,
                          (const char *)NULL);
        w = ks_ui_label(ui, "holder-id", inner_x, py, inner_w, line, KS_TEXT_BODY, KS_STYLE_PANEL,
                        KS_ALIGN_LEFT);
        ks_ui_set_private(w);
        py += w ? w->rect.h : 0;
        explicit_bzero(line, sizeof line);
        explicit_bzero(masked, sizeof masked);
    }
    if (have_panel)
        ks_ui_widget(ui, panel_idx)->rect.h = py + m->pad - y;
    y = py + m->pad + m->margin;

    if (v->lookup == KS_LOOKUP_PENDING) {
        ks_widget_t *st = ks_ui_label(ui, "lookup-status", m->margin, y, m->w - 2 * m->margin,
                                      ks_catalog_get(v->cat, "menu.checking"), KS_TEXT_BODY,
                                      KS_STYLE_SCREEN, KS_ALIGN_CENTER);
        y += (st ? st->rect.h : 0) + m->margin;
    }

    /*
     * The services, each a big button with a line saying what it is for. Where
     * the screen is short (landscape, elderly mode) the lines go first, then
     * the buttons stand side by side.
     */
    size_t first = ks_ui_count(ui);
    int end = services(v, y, 1, 0);
    if (end > bottom) {
        ks_ui_truncate(ui, first);
        end = services(v, y, 0, 0);
    }
    if (end > bottom) {
        ks_ui_truncate(ui, first);
        end = services(v, y, 0, 1);
    }
    y = end;
    if (bottom - y > 0)
        ks_ui_shift(ui, first, (bottom - y) / 3);
}
