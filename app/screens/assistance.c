/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * 救助状态查询: each programme the citizen is in or applied for — status in
 * words with an icon, where an application stands, the monthly amount, since
 * when, the next review, the end of a gradual exit, the last payments. Only
 * the name and the masked ID number identify the citizen. Long lists page.
 */
#include "screens.h"

#include "idnum.h"

#include <stdio.h>
#include <string.h>

/* Status → icon, style and the catalogue key of its plain words. */
static void status_look(ks_prog_status_t st, ks_icon_t *icon, ks_style_t *style, const char **key)
{
    static const char *const keys[] = {
        "assist.st_applied", "assist.st_accepted", "assist.st_reviewing", "assist.st_approved",
        "assist.st_paying",  "assist.st_gradual",  "assist.st_suspended", "assist.st_terminated",
    };
    *key = keys[st];
    switch (st) {
    case KS_PROG_PAYING:
    case KS_PROG_APPROVED:
        *icon = KS_ICON_OK;
        *style = KS_STYLE_TOGGLE_ON;
        break;
    case KS_PROG_GRADUAL_EXIT:
        *icon = KS_ICON_INFO;
        *style = KS_STYLE_PRIMARY;
        break;
    case KS_PROG_SUSPENDED:
    case KS_PROG_TERMINATED:
        *icon = KS_ICON_STOP;
        *style = KS_STYLE_DANGER;
        break;
    default:
        *icon = KS_ICON_WAIT;
        *style = KS_STYLE_PRIMARY;
        break;
    }
}

/* The steps of an application, with where it stands: "申请 → 受理 → 【审核】 → 审批 → 发放". */
static void steps_text(const ks_view_t *v, ks_prog_status_t st, char *out, size_t outlen)
{
    static const char *const steps[] = {"assist.step_apply", "assist.step_accept",
                                        "assist.step_review", "assist.step_approve",
                                        "assist.step_pay"};
    size_t n = 0;
    out[0] = '\0';
    for (int i = 0; i < 5; i++) {
        const char *name = ks_catalog_get(v->cat, steps[i]);
        int here = (int)st == i;
        n += (size_t)snprintf(out + n, n < outlen ? outlen - n : 0, "%s%s%s%s", i ? " → " : "",
                              here ? "【" : "", name, here ? "】" : "");
        if (n >= outlen)
            break;
    }
}

static void programme(const ks_view_t *v, ks_flow_t *f, int i, const ks_api_programme_t *p)
{
    char id[48], a[64], b[64], what[16];
    ks_card_t c;
    snprintf(id, sizeof id, "prog-%d", i);
    ks_card_begin(&c, v, f, id);
    c.private_text = 1; /* the citizen's own records */

    /* The name and the status (an icon and words, never colour alone) stay together. */
    ks_icon_t icon;
    ks_style_t style;
    const char *key;
    status_look(p->status, &icon, &style, &key);
    ks_card_head(&c, p->name, icon, style, ks_catalog_get(v->cat, key));

    /* What follows, line by line; the last one closes the card. */
    char texts[8 + 3][320];
    const char *whats[8 + 3];
    ks_text_role_t roles[8 + 3];
    int n = 0;
    if (p->status <= KS_PROG_APPROVED) {
        steps_text(v, p->status, texts[n], sizeof texts[n]);
        whats[n] = "steps";
        roles[n++] = KS_TEXT_BODY;
    }
    if (p->monthly_amount_fen >= 0) {
        ks_format_yuan(v, p->monthly_amount_fen, a, sizeof a);
        ks_catalog_format(texts[n], sizeof texts[n], ks_catalog_get(v->cat, "assist.monthly"),
                          "amount", a, (const char *)NULL);
        whats[n] = "amount";
        roles[n++] = KS_TEXT_HEADING;
    }
    if (p->since[0]) {
        ks_format_date(v, p->since, a, sizeof a);
        ks_catalog_format(texts[n], sizeof texts[n], ks_catalog_get(v->cat, "assist.since"), "date",
                          a, (const char *)NULL);
        whats[n] = "since";
        roles[n++] = KS_TEXT_BODY;
    }
    if (p->gradual_exit_until[0]) {
        ks_format_date(v, p->gradual_exit_until, a, sizeof a);
        ks_catalog_format(texts[n], sizeof texts[n], ks_catalog_get(v->cat, "assist.gradual_until"),
                          "date", a, (const char *)NULL);
        whats[n] = "gradual";
        roles[n++] = KS_TEXT_BODY;
    }
    if (p->next_review[0]) {
        ks_format_date(v, p->next_review, a, sizeof a);
        ks_catalog_format(texts[n], sizeof texts[n], ks_catalog_get(v->cat, "assist.next_review"),
                          "date", a, (const char *)NULL);
        whats[n] = "review";
        roles[n++] = KS_TEXT_BODY;
    }
    /* The last payments, newest first (three: enough to see that they arrive). */
    static const char *const pay_ids[] = {"pay-0", "pay-1", "pay-2"};
    for (int j = 0; j < p->n_payments && j < 3; j++) {
        const ks_api_payment_t *pay = &p->payments[j];
        char month[48], ys[16], ms[16];
        int yy = 0, mm = 0;
        if (sscanf(pay->month, "%4d-%2d", &yy, &mm) != 2 || mm < 1 || mm > 12)
            continue;
        snprintf(ys, sizeof ys, "%d", yy);
        snprintf(ms, sizeof ms, "%d", mm);
        ks_catalog_format(month, sizeof month, ks_catalog_get(v->cat, "common.month"), "y", ys, "m",
                          ms, (const char *)NULL);
        ks_format_date(v, pay->paid_on, b, sizeof b);
        ks_format_yuan(v, pay->amount_fen, a, sizeof a);
        ks_catalog_format(texts[n], sizeof texts[n], ks_catalog_get(v->cat, "assist.payment"),
                          "month", month, "amount", a, "date", b, (const char *)NULL);
        whats[n] = pay_ids[j];
        roles[n++] = KS_TEXT_BODY;
    }
    if (p->office[0]) {
        ks_catalog_format(texts[n], sizeof texts[n], ks_catalog_get(v->cat, "assist.office"),
                          "office", p->office, (const char *)NULL);
        whats[n] = "office";
        roles[n++] = KS_TEXT_SMALL;
    }
    ks_card_group_end(&c, n == 0);
    for (int j = 0; j < n; j++) {
        snprintf(what, sizeof what, "%s", whats[j]);
        ks_card_line(&c, what, texts[j], roles[j], j == n - 1);
    }
    explicit_bzero(texts, sizeof texts);
    explicit_bzero(a, sizeof a);
    explicit_bzero(b, sizeof b);
}

void ks_screen_assistance(const ks_view_t *v)
{
    ks_ui_t *ui = v->ui;
    const ks_metrics_t *m = ks_ui_metrics(ui);
    char text[256], masked[24], date[64];
    int y = ks_screen_banner(v, ks_catalog_get(v->cat, "assist.title")) + m->margin;
    int bottom = ks_screen_footer(v, 1, 1);
    int x = m->margin, w = m->w - 2 * m->margin;

    /*
     * Whose records these are (the name and the masked number only) and how
     * recent; on a short landscape screen both on one line, to leave the
     * height to the records.
     */
    char date_line[160] = "";
    if (v->assist) {
        ks_format_date(v, v->assist->as_of, date, sizeof date);
        ks_catalog_format(date_line, sizeof date_line, ks_catalog_get(v->cat, "assist.as_of"),
                          "date", date, (const char *)NULL);
    }
    int one_line = !m->portrait && date_line[0];
    if (v->holder) {
        ks_idnum_mask(v->holder->idnum, masked, sizeof masked);
        ks_catalog_format(text, sizeof text, ks_catalog_get(v->cat, "assist.whose"), "name",
                          v->holder->name, "id", masked, (const char *)NULL);
        if (one_line) {
            size_t n = strlen(text);
            snprintf(text + n, sizeof text - n, " · %s", date_line);
        }
        ks_widget_t *who = ks_ui_label(ui, "assist-whose", x, y, w, text, KS_TEXT_BODY,
                                       KS_STYLE_SCREEN, KS_ALIGN_LEFT);
        ks_ui_set_private(who);
        y += (who ? who->rect.h : 0) + m->gap / 2;
        explicit_bzero(text, sizeof text);
        explicit_bzero(masked, sizeof masked);
    }
    if (!v->assist) {
        ks_ui_label(ui, "assist-loading", x, y + m->margin, w,
                    ks_catalog_get(v->cat, "assist.loading"), KS_TEXT_HEADING, KS_STYLE_SCREEN,
                    KS_ALIGN_CENTER);
        if (v->pages)
            *v->pages = 1;
        return;
    }
    if (!one_line || !v->holder) {
        ks_widget_t *asof = ks_ui_label(ui, "assist-as-of", x, y, w, date_line, KS_TEXT_SMALL,
                                        KS_STYLE_MUTED, KS_ALIGN_LEFT);
        y += asof ? asof->rect.h : 0;
    }
    y += m->gap;

    if (v->assist->n == 0) {
        /* No records: say so, and how to apply — where to go and what to bring. */
        int icon = m->text_px[KS_TEXT_HUGE] * 2;
        ks_ui_icon(ui, "assist-none-icon", (ks_rect_t){(m->w - icon) / 2, y, icon, icon},
                   KS_ICON_INFO, KS_STYLE_PRIMARY);
        y += icon + m->margin;
        ks_widget_t *t =
            ks_ui_label(ui, "assist-none", x, y, w, ks_catalog_get(v->cat, "assist.none"),
                        KS_TEXT_TITLE, KS_STYLE_SCREEN, KS_ALIGN_CENTER);
        y += (t ? t->rect.h : 0) + m->gap;
        t = ks_ui_label(ui, "assist-how", x, y, w, ks_catalog_get(v->cat, "assist.how_to_apply"),
                        KS_TEXT_BODY, KS_STYLE_SCREEN, KS_ALIGN_LEFT);
        y += (t ? t->rect.h : 0) + m->margin;
        ks_ui_button(ui, "btn-subsidy", x, y, w, 0, ks_catalog_get(v->cat, "assist.see_policies"),
                     KS_STYLE_PRIMARY, KS_ACT_SUBSIDY);
        if (v->pages)
            *v->pages = 1;
        return;
    }

    ks_flow_t f;
    ks_flow_begin(&f, ui, y, bottom - ks_screen_pager_height(v), v->page);
    for (int i = 0; i < v->assist->n; i++)
        programme(v, &f, i, &v->assist->programmes[i]);
    int pages = ks_flow_pages(&f);
    if (v->pages)
        *v->pages = pages;
    ks_screen_pager(v, bottom, pages);
}
