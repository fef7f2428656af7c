/* The main menu for an identified citizen: who they are (masked), what they can do. */
#include "screens.h"

#include "idnum.h"

#include <string.h>

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
     * The services a citizen can use here. Each service is listed only once it
     * works end to end; until then the citizen is told plainly where to go.
     */
    ks_widget_t *w = ks_ui_label(ui, "menu-none", m->margin, y, m->w - 2 * m->margin,
                                 ks_catalog_get(v->cat, "menu.none"), KS_TEXT_HEADING,
                                 KS_STYLE_SCREEN, KS_ALIGN_CENTER);
    if (w && bottom - (y + w->rect.h) > 0)
        ks_ui_shift(ui, ks_ui_count(ui) - 1, (bottom - (y + w->rect.h)) / 2);
}
