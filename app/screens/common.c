/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "screens.h"

#include "words.h"

#include <stdio.h>
#include <string.h>

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

/* ---- paging ------------------------------------------------------------------------ */

void ks_flow_begin(ks_flow_t *f, ks_ui_t *ui, int top, int bottom, int want_page)
{
    f->ui = ui;
    f->top = top;
    f->bottom = bottom;
    f->y = top;
    f->page = 0;
    f->want = want_page;
}

void ks_flow_end_block(ks_flow_t *f, size_t first, int gap_after)
{
    size_t n = ks_ui_count(f->ui);
    if (first >= n)
        return;
    int block_top = f->y, block_bottom = f->y;
    for (size_t i = first; i < n; i++) {
        const ks_widget_t *w = ks_ui_at(f->ui, i);
        if (w->rect.y + w->rect.h > block_bottom)
            block_bottom = w->rect.y + w->rect.h;
    }
    /* A block that does not fit starts the next page (unless it is alone on its page). */
    if (block_bottom > f->bottom && block_top > f->top) {
        f->page++;
        ks_ui_shift(f->ui, first, f->top - block_top);
        block_bottom += f->top - block_top;
    }
    if (f->page != f->want)
        ks_ui_truncate(f->ui, first);
    f->y = block_bottom + gap_after;
}

int ks_flow_pages(const ks_flow_t *f)
{
    return f->page + 1;
}

/* ---- cards ------------------------------------------------------------------------- */

void ks_card_begin(ks_card_t *c, const ks_view_t *v, ks_flow_t *f, const char *prefix)
{
    const ks_metrics_t *m = ks_ui_metrics(v->ui);
    memset(c, 0, sizeof *c);
    c->v = v;
    c->f = f;
    c->x = m->margin;
    c->w = m->w - 2 * m->margin;
    snprintf(c->prefix, sizeof c->prefix, "%s", prefix);
}

void ks_card_begin_at(ks_card_t *c, const ks_view_t *v, ks_flow_t *f, const char *prefix, int x,
                      int w)
{
    ks_card_begin(c, v, f, prefix);
    c->x = x;
    c->w = w;
}

void ks_card_group_begin(ks_card_t *c)
{
    const ks_metrics_t *m = ks_ui_metrics(c->v->ui);
    char id[48];
    snprintf(id, sizeof id, "%s-card-%d", c->prefix, c->groups);
    c->first = ks_ui_count(c->v->ui);
    ks_ui_panel(c->v->ui, id, (ks_rect_t){c->x, c->f->y, c->w, 0}, KS_STYLE_PANEL);
    c->y = c->f->y + (c->groups == 0 ? m->pad : m->pad / 4);
}

void ks_card_group_end(ks_card_t *c, int last)
{
    const ks_metrics_t *m = ks_ui_metrics(c->v->ui);
    ks_widget_t *panel = ks_ui_widget(c->v->ui, c->first);
    if (panel)
        panel->rect.h = c->y + (last ? m->pad : m->pad / 4) - panel->rect.y;
    ks_flow_end_block(c->f, c->first, last ? m->gap : 0);
    c->groups++;
}

void ks_card_head(ks_card_t *c, const char *name, ks_icon_t icon, ks_style_t style,
                  const char *status)
{
    ks_ui_t *ui = c->v->ui;
    const ks_metrics_t *m = ks_ui_metrics(ui);
    int x = c->x + m->pad, w = c->w - 2 * m->pad;
    char id[48];
    ks_card_group_begin(c);
    snprintf(id, sizeof id, "%s-name", c->prefix);
    ks_widget_t *l =
        ks_ui_label(ui, id, x, c->y, w, name, KS_TEXT_HEADING, KS_STYLE_PANEL, KS_ALIGN_LEFT);
    if (c->private_text)
        ks_ui_set_private(l);
    c->y += (l ? l->rect.h : 0) + m->gap / 3;
    int icon_px = m->text_px[KS_TEXT_HEADING] * 3 / 2;
    snprintf(id, sizeof id, "%s-icon", c->prefix);
    ks_ui_icon(ui, id, (ks_rect_t){x, c->y, icon_px, icon_px}, icon, style);
    snprintf(id, sizeof id, "%s-status", c->prefix);
    ks_widget_t *st = ks_ui_label(ui, id, x + icon_px + m->gap / 2, c->y, w - icon_px - m->gap / 2,
                                  status, KS_TEXT_HEADING, KS_STYLE_PANEL, KS_ALIGN_LEFT);
    if (c->private_text)
        ks_ui_set_private(st);
    int sh = st ? st->rect.h : 0;
    if (st && sh < icon_px)
        st->rect.y = c->y + (icon_px - sh) / 2;
    c->y += sh > icon_px ? sh : icon_px;
}

void ks_card_line(ks_card_t *c, const char *what, const char *text, ks_text_role_t role, int last)
{
    const ks_metrics_t *m = ks_ui_metrics(c->v->ui);
    char id[48];
    ks_card_group_begin(c);
    snprintf(id, sizeof id, "%s-%s", c->prefix, what);
    ks_widget_t *l = ks_ui_label(c->v->ui, id, c->x + m->pad, c->y, c->w - 2 * m->pad, text, role,
                                 KS_STYLE_PANEL, KS_ALIGN_LEFT);
    if (c->private_text)
        ks_ui_set_private(l);
    c->y += l ? l->rect.h : 0;
    ks_card_group_end(c, last);
}

int ks_screen_pager_height(const ks_view_t *v)
{
    const ks_metrics_t *m = ks_ui_metrics(v->ui);
    return m->button_h + m->gap;
}

int ks_screen_pager(const ks_view_t *v, int bottom, int pages)
{
    if (pages <= 1)
        return bottom;
    ks_ui_t *ui = v->ui;
    const ks_metrics_t *m = ks_ui_metrics(ui);
    int inner = m->w - 2 * m->margin;
    int bw = inner / 3;
    char label[64], n[16], total[16];
    snprintf(n, sizeof n, "%d", v->page + 1);
    snprintf(total, sizeof total, "%d", pages);
    ks_catalog_format(label, sizeof label, ks_catalog_get(v->cat, "common.page"), "n", n, "total",
                      total, (const char *)NULL);
    size_t first = ks_ui_count(ui);
    ks_ui_button(ui, "btn-page-prev", m->margin, 0, bw, 0,
                 ks_catalog_get(v->cat, "common.page_prev"), KS_STYLE_BUTTON,
                 v->page > 0 ? KS_ACT_PAGE_PREV : KS_ACT_NONE);
    ks_ui_button(ui, "btn-page-next", m->w - m->margin - bw, 0, bw, 0,
                 ks_catalog_get(v->cat, "common.page_next"),
                 v->page + 1 < pages ? KS_STYLE_PRIMARY : KS_STYLE_BUTTON,
                 v->page + 1 < pages ? KS_ACT_PAGE_NEXT : KS_ACT_NONE);
    int h = bottom - align_row(ui, first, bottom);
    ks_widget_t *l = ks_ui_label(ui, "page-label", m->margin + bw, 0, inner - 2 * bw, label,
                                 KS_TEXT_BODY, KS_STYLE_SCREEN, KS_ALIGN_CENTER);
    if (l)
        l->rect.y = bottom - h + (h - l->rect.h) / 2;
    return bottom - h - m->gap;
}

/*
 * The number typed so far and a keypad: 1-9, then 删除 0 下一步 (下一步 where the
 * thumb ends). Portrait: all in one column; landscape: the number on the left,
 * the keys on the right. Keys as large as the space allows, never below the
 * theme's touch target.
 */
void ks_screen_keypad(const ks_view_t *v, int x, int y, int w, int bottom, int kx, int ky, int kw,
                      const char *shown, const char *err_key, const char *hint_key)
{
    ks_ui_t *ui = v->ui;
    const ks_metrics_t *m = ks_ui_metrics(ui);
    /* What is typed (an income, a phone number) is personal: never cached, wiped with the screen.
     */
    ks_widget_t *f =
        ks_ui_label(ui, "field", x, y, w, shown, m->portrait ? KS_TEXT_HUGE : KS_TEXT_TITLE,
                    KS_STYLE_PANEL, KS_ALIGN_CENTER);
    ks_ui_set_private(f);
    if (f) {
        f->fill = 1;
        y += f->rect.h + m->gap / 2;
    }
    if (err_key || hint_key) {
        ks_widget_t *e =
            ks_ui_label(ui, err_key ? "field-error" : "field-hint", x, y, w,
                        ks_catalog_get(v->cat, err_key ? err_key : hint_key), KS_TEXT_BODY,
                        err_key ? KS_STYLE_ERROR : KS_STYLE_MUTED, KS_ALIGN_CENTER);
        if (e) {
            e->fill = err_key != NULL;
            y += e->rect.h;
        }
    }
    if (ky < 0)
        ky = y + m->gap; /* portrait: the keys under the number */
    int key_h = (bottom - ky - 3 * m->gap) / 4;
    if (key_h > m->button_h * 2)
        key_h = m->button_h * 2;
    if (key_h < m->target)
        key_h = m->target;
    int key_w = (kw - 2 * m->gap) / 3;
    static const char *const digits = "123456789";
    for (int i = 0; i < 12; i++) {
        int r = i / 3, c = i % 3;
        char id[24], label[8];
        const char *text_of = label;
        int action;
        ks_style_t style = KS_STYLE_BUTTON;
        if (i < 9) {
            snprintf(label, sizeof label, "%c", digits[i]);
            snprintf(id, sizeof id, "key-%c", digits[i]);
            action = KS_ACT_KEY_0 + (digits[i] - '0');
        } else if (i == 9) {
            text_of = ks_catalog_get(v->cat, "wizard.key_del");
            snprintf(id, sizeof id, "key-del");
            action = KS_ACT_KEY_DEL;
        } else if (i == 10) {
            snprintf(label, sizeof label, "0");
            snprintf(id, sizeof id, "key-0");
            action = KS_ACT_KEY_0;
        } else {
            text_of = ks_catalog_get(v->cat, "wizard.next");
            snprintf(id, sizeof id, "btn-next");
            action = KS_ACT_NEXT;
            style = KS_STYLE_PRIMARY;
        }
        ks_widget_t *k = ks_ui_button(ui, id, kx + c * (key_w + m->gap), ky + r * (key_h + m->gap),
                                      key_w, key_h, text_of, style, action);
        if (k)
            k->rect.h = key_h;
    }
}

/* ---- numbers and dates in plain words ---------------------------------------------------- */

void ks_format_yuan(const ks_view_t *v, long long fen, char *out, size_t outlen)
{
    char num[32];
    if (fen % 100 == 0)
        snprintf(num, sizeof num, "%lld", fen / 100);
    else
        snprintf(num, sizeof num, "%lld.%02lld", fen / 100, fen % 100);
    ks_catalog_format(out, outlen, ks_catalog_get(v->cat, "common.yuan"), "n", num,
                      (const char *)NULL);
}

void ks_format_date(const ks_view_t *v, const char *date, char *out, size_t outlen)
{
    ks_words_date(v->cat, date, out, outlen);
}
