/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * 补贴政策咨询: the programmes (who qualifies, how much, how to apply, what to
 * bring — every figure with its effective date and source), and the
 * estimate: six short questions with big choices or a numeric keypad, then
 * which programmes may apply and about how much. Open to anyone.
 */
#include "screens.h"

#include <stdio.h>
#include <string.h>

/* "政策资料：2020年1月1日起施行，来源：…" and, offline, that it is the kiosk's own copy. */
static int data_line(const ks_view_t *v, int x, int y, int w)
{
    char date[64], text[512];
    const ks_api_policies_t *p = v->policies;
    ks_format_date(v, p->effective, date, sizeof date);
    ks_catalog_format(text, sizeof text,
                      ks_catalog_get(v->cat, v->policy_origin == KS_POLICY_FROM_FALLBACK
                                                 ? "subsidy.data_fallback"
                                                 : "subsidy.data"),
                      "date", date, "source", p->source, (const char *)NULL);
    ks_widget_t *l = ks_ui_label(v->ui, "policy-data", x, y, w, text, KS_TEXT_SMALL, KS_STYLE_MUTED,
                                 KS_ALIGN_LEFT);
    return y + (l ? l->rect.h : 0);
}

void ks_screen_subsidy(const ks_view_t *v)
{
    ks_ui_t *ui = v->ui;
    const ks_metrics_t *m = ks_ui_metrics(ui);
    int y = ks_screen_banner(v, ks_catalog_get(v->cat, "subsidy.title")) + m->margin;
    int bottom = ks_screen_footer(v, 1, 1);
    int x = m->margin, w = m->w - 2 * m->margin;
    if (v->policies->n == 0) {
        ks_ui_label(ui, "policy-none", x, y, w, ks_catalog_get(v->cat, "subsidy.no_data"),
                    KS_TEXT_HEADING, KS_STYLE_SCREEN, KS_ALIGN_CENTER);
        if (v->pages)
            *v->pages = 1;
        return;
    }
    /* Everything is a block of the flow: on a short screen the list continues on page 2. */
    ks_flow_t f;
    ks_flow_begin(&f, ui, y, bottom - ks_screen_pager_height(v), v->page);
    size_t first = ks_ui_count(ui);
    ks_ui_button(ui, "btn-wizard", x, f.y, w, m->portrait ? m->button_h * 3 / 2 : 0,
                 ks_catalog_get(v->cat, "subsidy.wizard"), KS_STYLE_PRIMARY, KS_ACT_WIZARD);
    ks_flow_end_block(&f, first, m->margin);
    /* The heading goes with the first programme (never alone at the foot of a page). */
    first = ks_ui_count(ui);
    ks_widget_t *hd =
        ks_ui_label(ui, "policy-list-hint", x, f.y, w, ks_catalog_get(v->cat, "subsidy.browse"),
                    KS_TEXT_HEADING, KS_STYLE_SCREEN, KS_ALIGN_LEFT);
    int by = f.y + (hd ? hd->rect.h : 0) + m->gap;
    for (int i = 0; i < v->policies->n; i++) {
        char id[32];
        const ks_api_policy_t *p = &v->policies->programmes[i];
        snprintf(id, sizeof id, "btn-policy-%d", i);
        if (i > 0)
            first = ks_ui_count(ui);
        ks_ui_button(ui, id, x, i == 0 ? by : f.y, w, 0, p->name[0] ? p->name : p->code,
                     KS_STYLE_BUTTON, KS_ACT_POLICY_0 + i);
        ks_flow_end_block(&f, first, m->gap);
    }
    /* Which data this is (its date and source; whether it is the kiosk's own copy). */
    first = ks_ui_count(ui);
    data_line(v, x, f.y, w);
    ks_flow_end_block(&f, first, 0);
    int pages = ks_flow_pages(&f);
    if (v->pages)
        *v->pages = pages;
    ks_screen_pager(v, bottom, pages);
}

/* Length of the first sentence of s: up to and including 。 or ；, or all of it. */
static size_t sentence(const char *s)
{
    static const char *const ends[] = {"。", "；"};
    size_t best = strlen(s);
    for (size_t i = 0; i < sizeof ends / sizeof ends[0]; i++) {
        const char *e = strstr(s, ends[i]);
        if (e && (size_t)(e - s) + strlen(ends[i]) < best)
            best = (size_t)(e - s) + strlen(ends[i]);
    }
    return best;
}

/*
 * A heading and its lines. Each sentence is a block of the flow (the heading
 * stays with the first), so a long section continues on the next page rather
 * than running into the page buttons. Sentences are cut at whole characters.
 */
static void section(const ks_view_t *v, ks_flow_t *f, const char *id, const char *heading_key,
                    const char *const *lines, int n_lines)
{
    const ks_metrics_t *m = ks_ui_metrics(v->ui);
    int x = m->margin, w = m->w - 2 * m->margin;
    char hid[48], piece[1024];
    size_t first = ks_ui_count(v->ui);
    int y = f->y, k = 0;
    if (heading_key) {
        snprintf(hid, sizeof hid, "%s-h", id);
        ks_widget_t *h = ks_ui_label(v->ui, hid, x, y, w, ks_catalog_get(v->cat, heading_key),
                                     KS_TEXT_HEADING, KS_STYLE_SCREEN, KS_ALIGN_LEFT);
        y += (h ? h->rect.h : 0) + m->gap / 3;
    }
    for (int i = 0; i < n_lines; i++) {
        const char *p = lines[i];
        do {
            size_t n = sentence(p);
            snprintf(piece, sizeof piece, "%.*s", (int)(n < sizeof piece ? n : 0), p);
            if (k == 0)
                snprintf(hid, sizeof hid, "%s", id);
            else
                snprintf(hid, sizeof hid, "%s-%d", id, k);
            ks_ui_label(v->ui, hid, x, k == 0 ? y : f->y, w, piece, KS_TEXT_BODY, KS_STYLE_SCREEN,
                        KS_ALIGN_LEFT);
            p += n;
            int last = !*p && i == n_lines - 1;
            ks_flow_end_block(f, first, last ? m->gap : m->gap / 4);
            first = ks_ui_count(v->ui);
            k++;
        } while (*p);
    }
}

void ks_screen_policy(const ks_view_t *v)
{
    ks_ui_t *ui = v->ui;
    const ks_metrics_t *m = ks_ui_metrics(ui);
    if (v->policy_sel < 0 || v->policy_sel >= v->policies->n) {
        ks_screen_subsidy(v);
        return;
    }
    const ks_api_policy_t *p = &v->policies->programmes[v->policy_sel];
    int y = ks_screen_banner(v, p->name[0] ? p->name : p->code) + m->margin;
    int bottom = ks_screen_footer(v, 1, 1);
    char date[64], yuan[64];
    /* One line per figure, then where they come from: every figure dated and sourced. */
    char lines[KS_API_MAX_AMOUNTS + 1][384];
    const char *ptrs[KS_API_MAX_AMOUNTS + 1];
    int n = 0;

    ks_flow_t f;
    ks_flow_begin(&f, ui, y, bottom - ks_screen_pager_height(v), v->page);
    const char *summary = p->summary;
    section(v, &f, "policy-summary", NULL, &summary, 1);

    for (int i = 0; i < p->n_amounts; i++) {
        ks_format_yuan(v, p->amounts[i].amount_fen, yuan, sizeof yuan);
        ks_catalog_format(lines[n], sizeof lines[n], ks_catalog_get(v->cat, "subsidy.amount_line"),
                          "label", p->amounts[i].label, "amount", yuan, (const char *)NULL);
        n++;
    }
    if (p->n_amounts == 0)
        snprintf(lines[n++], sizeof lines[0], "%s",
                 ks_catalog_get(v->cat, "subsidy.amount_by_town"));
    ks_format_date(v, p->effective, date, sizeof date);
    ks_catalog_format(lines[n], sizeof lines[n], ks_catalog_get(v->cat, "subsidy.figures_from"),
                      "date", date, "source", p->source, (const char *)NULL);
    n++;
    for (int i = 0; i < n; i++)
        ptrs[i] = lines[i];
    section(v, &f, "policy-amounts", "subsidy.h_amounts", ptrs, n);
    const char *who = p->who, *how = p->how;
    section(v, &f, "policy-who", "subsidy.h_who", &who, 1);
    section(v, &f, "policy-how", "subsidy.h_how", &how, 1);
    char docs[KS_API_MAX_DOCS][176];
    const char *dptrs[KS_API_MAX_DOCS];
    for (int i = 0; i < p->n_documents; i++) {
        snprintf(docs[i], sizeof docs[i], "· %s", p->documents[i]);
        dptrs[i] = docs[i];
    }
    if (p->n_documents > 0)
        section(v, &f, "policy-docs", "subsidy.h_docs", dptrs, p->n_documents);
    int pages = ks_flow_pages(&f);
    if (v->pages)
        *v->pages = pages;
    ks_screen_pager(v, bottom, pages);
}

/* ---- the estimate's questions ----------------------------------------------------------- */

static const char *const QUESTION_KEYS[] = {"wizard.q_area",       "wizard.q_persons",
                                            "wizard.q_income",     "wizard.q_age",
                                            "wizard.q_disability", "wizard.q_work"};

/* Big choice buttons, one under the other; in two or three columns when one does not fit. */
static void choices(const ks_view_t *v, int y, int bottom, const char *const *keys, int n)
{
    ks_ui_t *ui = v->ui;
    const ks_metrics_t *m = ks_ui_metrics(ui);
    int w = m->w - 2 * m->margin;
    for (int cols = 1; cols <= 3; cols++) {
        size_t first = ks_ui_count(ui);
        int cw = (w - (cols - 1) * m->gap) / cols, end = y, ry = y;
        for (int i = 0; i < n; i++) {
            char id[32];
            int c = i % cols;
            snprintf(id, sizeof id, "btn-choice-%d", i);
            ks_widget_t *b =
                ks_ui_button(ui, id, m->margin + c * (cw + m->gap), ry, cw, 0,
                             ks_catalog_get(v->cat, keys[i]), KS_STYLE_BUTTON, KS_ACT_CHOICE_0 + i);
            if (b && b->rect.y + b->rect.h > end)
                end = b->rect.y + b->rect.h;
            if (c == cols - 1 || i == n - 1)
                ry = end + m->gap;
        }
        if (end <= bottom || cols == 3)
            return;
        ks_ui_truncate(ui, first);
    }
}

void ks_screen_wizard(const ks_view_t *v)
{
    ks_ui_t *ui = v->ui;
    const ks_metrics_t *m = ks_ui_metrics(ui);
    char title[128], n[16];
    snprintf(n, sizeof n, "%d", v->q + 1);
    ks_catalog_format(title, sizeof title, ks_catalog_get(v->cat, "wizard.title"), "n", n,
                      (const char *)NULL);
    int y = ks_screen_banner(v, title) + m->margin;
    int bottom = ks_screen_footer(v, 1, 1);
    int x = m->margin, w = m->w - 2 * m->margin;
    /* Questions answered with the keypad: in landscape the keys take the right side. */
    int keyed = v->q >= 1 && v->q <= 3, side = keyed && !m->portrait;
    int kw = side ? w * 55 / 100 : w, qw = side ? w - kw - m->margin : w, top = y;
    /* Above a keypad the question is a heading: the keys need the height. */
    ks_widget_t *q =
        ks_ui_label(ui, "question", x, y, qw, ks_catalog_get(v->cat, QUESTION_KEYS[v->q % 6]),
                    keyed ? KS_TEXT_HEADING : KS_TEXT_TITLE, KS_STYLE_SCREEN, KS_ALIGN_LEFT);
    y += (q ? q->rect.h : 0) + m->margin;
    static const char *const area[] = {"wizard.urban", "wizard.rural"};
    static const char *const grade[] = {"wizard.grade_0", "wizard.grade_1", "wizard.grade_2",
                                        "wizard.grade_3", "wizard.grade_4"};
    static const char *const work[] = {"wizard.can_work", "wizard.cannot_work"};
    static const char *const units[] = {NULL, "wizard.unit_persons", "wizard.unit_yuan",
                                        "wizard.unit_age"};
    if (keyed) {
        char text[64];
        ks_catalog_format(text, sizeof text, ks_catalog_get(v->cat, units[v->q]), "n",
                          v->field[0] ? v->field : "＿", (const char *)NULL);
        ks_screen_keypad(v, x, y, qw, bottom, side ? x + qw + m->margin : x, side ? top : -1, kw,
                         text, v->field_err,
                         v->age_from_card && !v->field_err ? "wizard.age_from_card" : NULL);
        explicit_bzero(text, sizeof text);
    } else if (v->q == 0) {
        choices(v, y, bottom, area, 2);
    } else if (v->q == 4) {
        choices(v, y, bottom, grade, 5);
    } else {
        choices(v, y, bottom, work, 2);
    }
    if (v->pages)
        *v->pages = 1;
}

/* ---- the estimate ------------------------------------------------------------------------ */

/* The programme's name from the data (falls back to the code). */
static const char *programme_name(const ks_view_t *v, const char *code)
{
    const ks_api_policy_t *p = ks_policy_find(v->policies, code);
    return p && p->name[0] ? p->name : code;
}

static const char *amount_label(const ks_view_t *v, const char *code, const char *key)
{
    const ks_api_policy_t *p = ks_policy_find(v->policies, code);
    for (int i = 0; p && i < p->n_amounts; i++)
        if (strcmp(p->amounts[i].key, key) == 0)
            return p->amounts[i].label;
    return NULL;
}

static void estimate_item(const ks_view_t *v, ks_flow_t *f, int i, const ks_estimate_item_t *it)
{
    char id[48], name[256], text[384], yuan[64], months[16];
    ks_card_t c;
    snprintf(id, sizeof id, "est-%d", i);
    ks_card_begin(&c, v, f, id);
    c.private_text = 1; /* the amounts tell the household's income */

    /* Two items of one programme (the disability allowances) are told apart by their label. */
    const char *label = NULL;
    if (strcmp(it->key, "SHENGHUO") == 0 || strcmp(it->key, "HULI") == 0) {
        label = amount_label(v, it->code, it->key);
        if (!label)
            label =
                ks_catalog_get(v->cat, strcmp(it->key, "HULI") == 0 ? "estimate.label_huli"
                                                                    : "estimate.label_shenghuo");
    }
    snprintf(name, sizeof name, "%s%s%s", programme_name(v, it->code), label ? " · " : "",
             label ? label : "");
    static const char *const fits[] = {"estimate.fit_no", "estimate.fit_maybe", "estimate.fit_yes",
                                       "estimate.fit_gradual"};
    ks_card_head(&c, name, it->fit == KS_FIT_YES ? KS_ICON_OK : KS_ICON_INFO,
                 it->fit == KS_FIT_YES ? KS_STYLE_TOGGLE_ON : KS_STYLE_PRIMARY,
                 ks_catalog_get(v->cat, fits[it->fit]));
    ks_card_group_end(&c, 0);
    if (it->monthly_fen >= 0) {
        ks_format_yuan(v, it->monthly_fen, yuan, sizeof yuan);
        ks_catalog_format(text, sizeof text, ks_catalog_get(v->cat, "estimate.monthly"), "amount",
                          yuan, (const char *)NULL);
    } else if (it->fit == KS_FIT_GRADUAL) {
        snprintf(months, sizeof months, "%d", it->months);
        ks_catalog_format(text, sizeof text, ks_catalog_get(v->cat, "estimate.gradual_months"),
                          "months", months, (const char *)NULL);
    } else {
        snprintf(text, sizeof text, "%s", ks_catalog_get(v->cat, "estimate.amount_by_town"));
    }
    ks_card_line(&c, "amount", text, KS_TEXT_HEADING, !it->why);
    if (it->why)
        ks_card_line(&c, "why", ks_catalog_get(v->cat, it->why), KS_TEXT_BODY, 1);
}

void ks_screen_estimate(const ks_view_t *v)
{
    ks_ui_t *ui = v->ui;
    const ks_metrics_t *m = ks_ui_metrics(ui);
    int y = ks_screen_banner(v, ks_catalog_get(v->cat, "estimate.title")) + m->margin;
    int bottom = ks_screen_footer(v, 1, 1);
    int x = m->margin, w = m->w - 2 * m->margin;

    /* The reservation first and large: an estimate, not a decision. */
    ks_widget_t *d = ks_ui_label(ui, "estimate-disclaimer", x, y, w,
                                 ks_catalog_get(v->cat, "estimate.disclaimer"), KS_TEXT_HEADING,
                                 KS_STYLE_ERROR, KS_ALIGN_CENTER);
    if (d) {
        d->fill = 1;
        y += d->rect.h + m->gap / 2;
    }
    ks_flow_t f;
    ks_flow_begin(&f, ui, y, bottom - ks_screen_pager_height(v), v->page);
    /* Which data the estimate used, dated and sourced: the first block of the flow. */
    size_t data_first = ks_ui_count(ui);
    data_line(v, x, f.y, w);
    ks_flow_end_block(&f, data_first, m->gap);
    /* What does not apply, once per programme (names joined with 、). */
    char none[2048];
    const char *listed[KS_ESTIMATE_MAX];
    int n_listed = 0;
    size_t n = 0;
    none[0] = '\0';
    int shown = 0;
    for (int i = 0; i < v->estimate->n; i++) {
        const ks_estimate_item_t *it = &v->estimate->items[i];
        if (it->fit == KS_FIT_NO) {
            const char *name = programme_name(v, it->code);
            int seen = 0;
            for (int j = 0; j < n_listed; j++)
                seen |= strcmp(listed[j], name) == 0;
            if (!seen && n + strlen(name) + 4 < sizeof none) {
                listed[n_listed++] = name;
                n += (size_t)snprintf(none + n, sizeof none - n, "%s%s", n ? "、" : "", name);
            }
            continue;
        }
        estimate_item(v, &f, i, it);
        shown++;
    }
    if (shown == 0) {
        size_t first = ks_ui_count(ui);
        ks_ui_label(ui, "estimate-nothing", x, f.y, w, ks_catalog_get(v->cat, "estimate.nothing"),
                    KS_TEXT_HEADING, KS_STYLE_SCREEN, KS_ALIGN_LEFT);
        ks_flow_end_block(&f, first, m->gap);
    }
    if (none[0]) {
        char text[2200];
        ks_catalog_format(text, sizeof text, ks_catalog_get(v->cat, "estimate.not_now"), "names",
                          none, (const char *)NULL);
        size_t first = ks_ui_count(ui);
        ks_ui_set_private(ks_ui_label(ui, "estimate-not", x, f.y, w, text, KS_TEXT_BODY,
                                      KS_STYLE_SCREEN, KS_ALIGN_LEFT));
        ks_flow_end_block(&f, first, m->gap);
    }
    size_t first = ks_ui_count(ui);
    ks_ui_button(ui, "btn-wizard", x, f.y, w, 0, ks_catalog_get(v->cat, "estimate.again"),
                 KS_STYLE_BUTTON, KS_ACT_WIZARD);
    ks_flow_end_block(&f, first, 0);
    int pages = ks_flow_pages(&f);
    if (v->pages)
        *v->pages = pages;
    ks_screen_pager(v, bottom, pages);
}
