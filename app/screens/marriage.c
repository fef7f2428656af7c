/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * 婚姻登记 screens: the booking steps (kind, the other party's card, checks,
 * office, calendar, time, phones, review), the booking made (number, QR code,
 * what to bring), the citizen's bookings (cancel, move) and the registry's
 * check-in (the other party's card, the queue ticket). Big targets, one thing
 * per screen, every refusal in plain words.
 */
#include "screens.h"

#include "words.h"

#include <stdio.h>
#include <string.h>

static const char *const KIND_KEYS[] = {"marry.kind_marriage", "marry.kind_divorce",
                                        "marry.kind_reissue"};
static const char *const KIND_HINTS[] = {"marry.kind_marriage_hint", "marry.kind_divorce_hint",
                                         "marry.kind_reissue_hint"};
static const char *const BRING_KEYS[] = {"marry.bring_marriage", "marry.bring_divorce",
                                         "marry.bring_reissue"};

static const char *kind_name(const ks_view_t *v, ks_booking_type_t t)
{
    return ks_catalog_get(v->cat, KIND_KEYS[(unsigned)t % 3]);
}

/* A label across the content width; returns the y under it. */
static int line(const ks_view_t *v, const char *id, int y, const char *text, ks_text_role_t role,
                ks_style_t style, ks_align_t align)
{
    const ks_metrics_t *m = ks_ui_metrics(v->ui);
    ks_widget_t *w =
        ks_ui_label(v->ui, id, m->margin, y, m->w - 2 * m->margin, text, role, style, align);
    if (w && (style == KS_STYLE_ERROR || style == KS_STYLE_PANEL))
        w->fill = 1;
    return y + (w ? w->rect.h : 0) + m->gap / 2;
}

static int notice(const ks_view_t *v, int y)
{
    if (!v->marry->notice_key)
        return y;
    return line(v, "notice", y, ks_catalog_get(v->cat, v->marry->notice_key), KS_TEXT_BODY,
                KS_STYLE_ERROR, KS_ALIGN_CENTER) +
           ks_ui_metrics(v->ui)->gap / 2;
}

/* "2026年12月3日 星期四 9:00–10:00" from a slot's start and end. */
static void format_when(const ks_view_t *v, const char *start, const char *end, char *out,
                        size_t outlen)
{
    ks_words_when(v->cat, start, end, out, outlen);
}

static void format_day(const ks_view_t *v, int day, char *out, size_t outlen)
{
    char iso[KS_API_DATE];
    if (ks_date_format(day, iso, sizeof iso) != 0)
        iso[0] = '\0';
    ks_format_date(v, iso, out, outlen);
}

/* The office's name and address from the list, or the code. */
static const ks_api_office_t *office_of(const ks_view_t *v, const char *code)
{
    const ks_api_offices_t *o = v->marry->offices;
    for (int i = 0; o && i < o->n; i++)
        if (strcmp(o->offices[i].code, code) == 0)
            return &o->offices[i];
    return NULL;
}

/* A waiting line with the … badge, centred. */
static void waiting(const ks_view_t *v, int y, const char *key)
{
    const ks_metrics_t *m = ks_ui_metrics(v->ui);
    int icon = m->text_px[KS_TEXT_HUGE] * 2;
    ks_ui_icon(v->ui, "wait-icon", (ks_rect_t){(m->w - icon) / 2, y, icon, icon}, KS_ICON_WAIT,
               KS_STYLE_PRIMARY);
    line(v, "wait-text", y + icon + m->margin, ks_catalog_get(v->cat, key), KS_TEXT_TITLE,
         KS_STYLE_SCREEN, KS_ALIGN_CENTER);
}

/* What could not be fetched, in words, with 重试. */
static void fetch_failed(const ks_view_t *v, int y, const char *body_key)
{
    const ks_metrics_t *m = ks_ui_metrics(v->ui);
    y = line(v, "fetch-failed", y, ks_catalog_get(v->cat, body_key), KS_TEXT_BODY, KS_STYLE_ERROR,
             KS_ALIGN_CENTER);
    ks_ui_button(v->ui, "btn-retry", m->margin, y + m->gap, m->w - 2 * m->margin, 0,
                 ks_catalog_get(v->cat, "message.retry"), KS_STYLE_PRIMARY, KS_ACT_RETRY);
}

/*
 * Big buttons one under the other, each with an optional muted line under it.
 * Where that is too tall: without the lines; then (landscape) two by two; then
 * in pages turned with 上一页 / 下一页, so every button keeps its full size.
 */
static int big_buttons(const ks_view_t *v, int y, int bottom, const char *const *texts,
                       const char *const *hints, const int *actions, const ks_style_t *styles,
                       int n, const char *prefix)
{
    ks_ui_t *ui = v->ui;
    const ks_metrics_t *m = ks_ui_metrics(ui);
    int yy = y;
    for (int pass = 0; pass < 4; pass++) {
        if (pass == 2 && m->portrait)
            continue; /* half-width buttons in portrait would wrap their words */
        size_t first = ks_ui_count(ui);
        int cols = pass >= 2 && !m->portrait ? (n == 3 ? 3 : 2) : 1, paged = pass == 3;
        int w = (m->w - 2 * m->margin - (cols - 1) * m->gap) / cols;
        ks_flow_t f;
        ks_flow_begin(&f, ui, y, paged ? bottom - ks_screen_pager_height(v) : 1 << 29,
                      paged ? v->page : 0);
        for (int i = 0; i < n; i += cols) {
            size_t row_first = ks_ui_count(ui);
            int row_end = f.y;
            for (int c = 0; c < cols && i + c < n; c++) {
                char id[32];
                int k = i + c, x = m->margin + c * (w + m->gap);
                snprintf(id, sizeof id, "%s-%d", prefix, k);
                ks_widget_t *b =
                    ks_ui_button(ui, id, x, f.y, w, pass == 0 ? m->button_h * 3 / 2 : 0, texts[k],
                                 styles ? styles[k] : KS_STYLE_BUTTON, actions[k]);
                int by = f.y + (b ? b->rect.h : 0);
                if (hints && hints[k] && pass == 0) {
                    snprintf(id, sizeof id, "%s-hint-%d", prefix, k);
                    ks_widget_t *h = ks_ui_label(ui, id, x, by + m->gap / 2, w, hints[k],
                                                 KS_TEXT_BODY, KS_STYLE_MUTED, KS_ALIGN_CENTER);
                    by += m->gap / 2 + (h ? h->rect.h : 0);
                }
                if (by > row_end)
                    row_end = by;
            }
            (void)row_end;
            ks_flow_end_block(&f, row_first, m->gap);
        }
        yy = f.y;
        if (paged) {
            int pages = ks_flow_pages(&f);
            if (v->pages)
                *v->pages = pages;
            ks_screen_pager(v, bottom, pages);
            return yy;
        }
        if (yy - m->gap <= bottom)
            return yy;
        ks_ui_truncate(ui, first);
    }
    return yy;
}

/* The height of a screen's main action button: tall in portrait, standard where height is short. */
static int action_h(const ks_metrics_t *m)
{
    return m->portrait ? m->button_h * 3 / 2 : m->button_h;
}

/* A screen's action at the end of its content. */
typedef struct {
    const char *id, *key;
    ks_style_t style;
    int action;
} act_t;

/* The height to keep free at the bottom for end_row() with n actions (gap included). */
static int end_row_height(const ks_view_t *v, int n)
{
    const ks_metrics_t *m = ks_ui_metrics(v->ui);
    int bh = action_h(m);
    int acts = m->portrait ? n * bh + (n - 1) * m->gap : bh;
    int pager = ks_screen_pager_height(v) - m->gap;
    return (acts > pager ? acts : pager) + m->gap;
}

/*
 * The end of a paged screen: 上一页 · n/N · 下一页 while there is more to read
 * (so everything is read before it is acted on); on the last page its actions,
 * stacked in portrait or in one row in landscape, with 上一页 beside the last
 * one when there are earlier pages.
 */
static void end_row(const ks_view_t *v, int bottom, int pages, const act_t *a, int n)
{
    ks_ui_t *ui = v->ui;
    const ks_metrics_t *m = ks_ui_metrics(ui);
    if (v->page + 1 < pages) {
        ks_screen_pager(v, bottom, pages);
        return;
    }
    int bh = action_h(m), x = m->margin, w = m->w - 2 * m->margin;
    int cols = m->portrait ? 1 : n + (pages > 1);
    int cw = (w - (cols - 1) * m->gap) / cols;
    int y = m->portrait ? bottom - n * bh - (n - 1) * m->gap : bottom - bh;
    for (int i = 0; i < n; i++) {
        int bx = x, bw = m->portrait ? w : cw;
        if (!m->portrait)
            bx = x + (i + (pages > 1)) * (cw + m->gap);
        if (m->portrait && pages > 1 && i == n - 1) {
            /* The way back to the earlier pages, beside the last action. */
            int pw = w / 3;
            ks_ui_button(ui, "btn-page-prev", x, y, pw, bh,
                         ks_catalog_get(v->cat, "common.page_prev"), KS_STYLE_BUTTON,
                         KS_ACT_PAGE_PREV);
            bx = x + pw + m->gap;
            bw = w - pw - m->gap;
        }
        ks_widget_t *b = ks_ui_button(ui, a[i].id, bx, y, bw, bh, ks_catalog_get(v->cat, a[i].key),
                                      a[i].style, a[i].action);
        if (b)
            b->rect.h = bh;
        if (m->portrait)
            y += bh + m->gap;
    }
    if (!m->portrait && pages > 1)
        ks_ui_button(ui, "btn-page-prev", x, bottom - bh, cw, bh,
                     ks_catalog_get(v->cat, "common.page_prev"), KS_STYLE_BUTTON, KS_ACT_PAGE_PREV);
}

/* ---- steps ------------------------------------------------------------------------------------
 */

static void step_kind(const ks_view_t *v, int y, int bottom)
{
    const char *texts[3], *hints[3];
    int actions[3];
    for (int i = 0; i < 3; i++) {
        texts[i] = ks_catalog_get(v->cat, KIND_KEYS[i]);
        hints[i] = ks_catalog_get(v->cat, KIND_HINTS[i]);
        actions[i] = KS_ACT_CHOICE_0 + i;
    }
    /* A booking already made: see, move or cancel it (below the three kinds). */
    const ks_metrics_t *m = ks_ui_metrics(v->ui);
    int bh = action_h(m);
    ks_ui_button(v->ui, "btn-my-bookings", m->margin, bottom - bh, m->w - 2 * m->margin, bh,
                 ks_catalog_get(v->cat, "menu.my_bookings"), KS_STYLE_BUTTON, KS_ACT_MY_BOOKINGS);
    bottom -= bh + m->gap;
    y = line(v, "question", y, ks_catalog_get(v->cat, "marry.choose_kind"), KS_TEXT_TITLE,
             KS_STYLE_SCREEN, KS_ALIGN_LEFT);
    big_buttons(v, y + ks_ui_metrics(v->ui)->gap, bottom, texts, hints, actions, NULL, 3,
                "btn-kind");
}

/* The other party's card: a card picture, what to do, the seconds left. */
static void card_prompt(const ks_view_t *v, int y, int bottom, const char *why_key, int one_party)
{
    ks_ui_t *ui = v->ui;
    const ks_metrics_t *m = ks_ui_metrics(ui);
    int icon = m->text_px[KS_TEXT_HUGE] * 3;
    int x = m->margin, w = m->w - 2 * m->margin;
    ks_align_t align = KS_ALIGN_CENTER;
    if (m->portrait) {
        ks_ui_icon(ui, "card-icon", (ks_rect_t){(m->w - icon) / 2, y, icon, icon}, KS_ICON_CARD,
                   KS_STYLE_PRIMARY);
        y += icon + m->margin;
    } else {
        /* Landscape: the picture beside the words, which keep the height for themselves. */
        if (icon > m->w / 5)
            icon = m->w / 5;
        ks_ui_icon(ui, "card-icon", (ks_rect_t){x, y, icon, icon}, KS_ICON_CARD, KS_STYLE_PRIMARY);
        x += icon + m->margin;
        w -= icon + m->margin;
        align = KS_ALIGN_LEFT;
    }
    const struct {
        const char *id, *text;
        ks_text_role_t role;
        ks_style_t style;
    } lines[] = {
        {"card-title", ks_catalog_get(v->cat, "marry.other_card_title"), KS_TEXT_TITLE,
         KS_STYLE_SCREEN},
        {"card-body", ks_catalog_get(v->cat, "marry.other_card_body"), KS_TEXT_BODY,
         KS_STYLE_SCREEN},
        {"card-refused", why_key ? ks_catalog_get(v->cat, why_key) : NULL, KS_TEXT_BODY,
         KS_STYLE_ERROR},
    };
    for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) {
        if (!lines[i].text)
            continue;
        ks_widget_t *l = ks_ui_label(ui, lines[i].id, x, y, w, lines[i].text, lines[i].role,
                                     lines[i].style, align);
        if (l && lines[i].style == KS_STYLE_ERROR)
            l->fill = 1;
        y += (l ? l->rect.h : 0) + m->gap / 2;
    }
    if (v->card_left_s >= 0) {
        char n[16], text[96];
        snprintf(n, sizeof n, "%d", v->card_left_s);
        ks_catalog_format(text, sizeof text, ks_catalog_get(v->cat, "marry.card_left"), "n", n,
                          (const char *)NULL);
        ks_widget_t *l =
            ks_ui_label(ui, "card-left", x, y, w, text, KS_TEXT_HEADING, KS_STYLE_MUTED, align);
        y += (l ? l->rect.h : 0) + m->gap / 2;
    }
    if (one_party) {
        int bh = m->button_h, by = y + m->gap / 2;
        if (by + bh > bottom)
            by = bottom - bh;
        ks_ui_button(ui, "btn-one-party", x, by, w, bh, ks_catalog_get(v->cat, "marry.one_party"),
                     KS_STYLE_BUTTON, KS_ACT_ONE_PARTY);
    }
}

/* One checked rule: a √ or × badge beside plain words. */
static int check_line(const ks_view_t *v, const char *id, int y, int ok, const char *text)
{
    ks_ui_t *ui = v->ui;
    const ks_metrics_t *m = ks_ui_metrics(ui);
    int icon = m->text_px[KS_TEXT_HEADING] * 3 / 2;
    char iid[40];
    snprintf(iid, sizeof iid, "%s-icon", id);
    ks_ui_icon(ui, iid, (ks_rect_t){m->margin, y, icon, icon}, ok ? KS_ICON_OK : KS_ICON_STOP,
               ok ? KS_STYLE_PRIMARY : KS_STYLE_DANGER);
    ks_widget_t *l = ks_ui_label(ui, id, m->margin + icon + m->gap / 2, y,
                                 m->w - 2 * m->margin - icon - m->gap / 2, text, KS_TEXT_HEADING,
                                 KS_STYLE_SCREEN, KS_ALIGN_LEFT);
    int h = l ? l->rect.h : 0;
    return y + (h > icon ? h : icon) + m->gap;
}

static int all_tokens(const ks_booking_flow_t *f)
{
    for (int i = 0; i < f->n_parties; i++)
        if (!f->party[i].citizen[0])
            return 0;
    return f->n_parties > 0;
}

static void step_checks(const ks_view_t *v, int y, int bottom)
{
    ks_ui_t *ui = v->ui;
    const ks_metrics_t *m = ks_ui_metrics(ui);
    const ks_booking_flow_t *f = &v->marry->flow;
    int ok = f->why == KS_MARRIAGE_WHY_OK;
    y = line(v, "question", y,
             ks_catalog_get(v->cat, ok ? "marry.checks_ok_title" : "marry.checks_bad_title"),
             KS_TEXT_TITLE, KS_STYLE_SCREEN, KS_ALIGN_LEFT);
    if (ok) {
        y = check_line(v, "check-people", y, 1,
                       ks_catalog_get(v->cat, f->n_parties > 1 ? "marry.check_two_people"
                                                               : "marry.check_one_person"));
        if (f->type == KS_MARRIAGE)
            y = check_line(v, "check-age", y, 1, ks_catalog_get(v->cat, "marry.check_age"));
        if (f->type == KS_DIVORCE)
            y = line(v, "check-cooling", y, ks_catalog_get(v->cat, "marry.cooling_off"),
                     KS_TEXT_BODY, KS_STYLE_PANEL, KS_ALIGN_LEFT);
        if (f->type == KS_MARRIAGE && f->age_from > f->first) {
            char date[64], text[256];
            format_day(v, f->age_from, date, sizeof date);
            ks_catalog_format(text, sizeof text, ks_catalog_get(v->cat, "marry.age_from_note"),
                              "date", date, (const char *)NULL);
            y = line(v, "check-age-from", y, text, KS_TEXT_BODY, KS_STYLE_MUTED, KS_ALIGN_LEFT);
        }
        if (!all_tokens(f)) {
            line(v, "checks-wait", y + m->gap, ks_catalog_get(v->cat, "marry.checking_other"),
                 KS_TEXT_BODY, KS_STYLE_SCREEN, KS_ALIGN_CENTER);
            return;
        }
        /* At the bottom where the thumb ends, never over the lines above it. */
        int bh = action_h(m), by = bottom - bh - m->gap;
        if (by < y)
            by = y;
        ks_ui_button(ui, "btn-next", m->margin, by, m->w - 2 * m->margin, bh,
                     ks_catalog_get(v->cat, "marry.next"), KS_STYLE_PRIMARY, KS_ACT_NEXT);
        return;
    }
    y = check_line(v, "check-refused", y, 0, ks_catalog_get(v->cat, ks_marriage_why_key(f->why)));
    if ((f->why == KS_MARRIAGE_WHY_UNDER_AGE_MAN || f->why == KS_MARRIAGE_WHY_UNDER_AGE_WOMAN) &&
        f->age_from) {
        char date[64], text[256];
        format_day(v, f->age_from, date, sizeof date);
        ks_catalog_format(text, sizeof text, ks_catalog_get(v->cat, "marry.age_from_line"), "date",
                          date, (const char *)NULL);
        y = line(v, "check-age-from", y, text, KS_TEXT_HEADING, KS_STYLE_PANEL, KS_ALIGN_LEFT);
    }
    ks_ui_button(ui, "btn-again", m->margin, y + m->gap, m->w - 2 * m->margin, 0,
                 ks_catalog_get(v->cat, "marry.card_again"), KS_STYLE_PRIMARY, KS_ACT_BACK);
}

static void step_office(const ks_view_t *v, int y, int bottom)
{
    const ks_marry_t *mm = v->marry;
    y = line(v, "question", y, ks_catalog_get(v->cat, "marry.choose_office"), KS_TEXT_TITLE,
             KS_STYLE_SCREEN, KS_ALIGN_LEFT);
    if (mm->offices_state != KS_FETCH_OK) {
        line(v, "offices-status", y,
             ks_catalog_get(v->cat, mm->offices_state == KS_FETCH_FAILED ? "marry.offices_failed"
                                                                         : "marry.loading"),
             KS_TEXT_BODY, mm->offices_state == KS_FETCH_FAILED ? KS_STYLE_ERROR : KS_STYLE_SCREEN,
             KS_ALIGN_CENTER);
        return;
    }
    const char *texts[KS_API_MAX_OFFICES], *hints[KS_API_MAX_OFFICES];
    int actions[KS_API_MAX_OFFICES];
    for (int i = 0; i < mm->offices->n; i++) {
        texts[i] = mm->offices->offices[i].name;
        hints[i] = mm->offices->offices[i].address;
        actions[i] = KS_ACT_CHOICE_0 + i;
    }
    big_buttons(v, y + ks_ui_metrics(v->ui)->gap, bottom, texts, hints, actions, NULL,
                mm->offices->n, "btn-office");
}

/*
 * The calendar of one month: a row of weekday names, then the weeks. A day
 * that can be booked is a button with the places left; every other day of
 * the window is greyed with its reason in words (约满 / 休息); days outside
 * the window are faint numbers. 上个月 / 下个月 when the window spans months.
 */
static void calendar(const ks_view_t *v, int y, int bottom)
{
    ks_ui_t *ui = v->ui;
    const ks_metrics_t *m = ks_ui_metrics(ui);
    const ks_marry_t *mm = v->marry;
    if (mm->slots_state != KS_FETCH_OK) {
        line(v, "slots-status", y,
             ks_catalog_get(v->cat, mm->slots_state == KS_FETCH_FAILED ? "marry.slots_failed"
                                                                       : "marry.loading"),
             KS_TEXT_BODY, mm->slots_state == KS_FETCH_FAILED ? KS_STYLE_ERROR : KS_STYLE_SCREEN,
             KS_ALIGN_CENTER);
        return;
    }
    int month = mm->month ? mm->month : mm->day_first / 100;
    int year = month / 100, mon = month % 100;
    char title[64], ys[16], ms[16];
    snprintf(ys, sizeof ys, "%d", year);
    snprintf(ms, sizeof ms, "%d", mon);
    ks_catalog_format(title, sizeof title, ks_catalog_get(v->cat, "common.month"), "y", ys, "m", ms,
                      (const char *)NULL);
    int inner = m->w - 2 * m->margin, bw = inner / 4;
    int has_prev = month > mm->day_first / 100, has_next = month < mm->day_last / 100;
    ks_widget_t *b = NULL;
    if (has_prev || has_next) {
        ks_ui_button(ui, "btn-month-prev", m->margin, y, bw, 0,
                     ks_catalog_get(v->cat, "marry.month_prev"), KS_STYLE_BUTTON,
                     has_prev ? KS_ACT_MONTH_PREV : KS_ACT_NONE);
        b = ks_ui_button(ui, "btn-month-next", m->w - m->margin - bw, y, bw, 0,
                         ks_catalog_get(v->cat, "marry.month_next"),
                         has_next ? KS_STYLE_PRIMARY : KS_STYLE_BUTTON,
                         has_next ? KS_ACT_MONTH_NEXT : KS_ACT_NONE);
    }
    int nav = has_prev || has_next; /* without the buttons the title has the whole row */
    ks_widget_t *t =
        ks_ui_label(ui, "month", nav ? m->margin + bw : m->margin, y, nav ? inner - 2 * bw : inner,
                    title, KS_TEXT_TITLE, KS_STYLE_SCREEN, KS_ALIGN_CENTER);
    int rowh = b ? b->rect.h : 0;
    if (t && t->rect.h > rowh)
        rowh = t->rect.h;
    if (t)
        t->rect.y = y + (rowh - t->rect.h) / 2;
    y += rowh + m->gap;

    int gap = m->gap, cw = (inner - 6 * gap) / 7;
    static const char *const heads[] = {"marry.wd_short_1", "marry.wd_short_2", "marry.wd_short_3",
                                        "marry.wd_short_4", "marry.wd_short_5", "marry.wd_short_6",
                                        "marry.wd_short_7"};
    int hh = 0;
    for (int c = 0; c < 7; c++) {
        char id[16];
        snprintf(id, sizeof id, "wd-%d", c + 1);
        ks_widget_t *h =
            ks_ui_label(ui, id, m->margin + c * (cw + gap), y, cw, ks_catalog_get(v->cat, heads[c]),
                        KS_TEXT_BODY, c >= 5 ? KS_STYLE_MUTED : KS_STYLE_SCREEN, KS_ALIGN_CENTER);
        if (h && h->rect.h > hh)
            hh = h->rect.h;
    }
    y += hh + gap;
    int first_day = ks_date_make(year, mon, 1);
    int lead = ks_date_weekday(first_day) - 1, days = ks_days_in_month(year, mon);
    int weeks = (lead + days + 6) / 7;
    int legend_h = m->text_px[KS_TEXT_BODY] * 3;
    int ch = (bottom - y - legend_h - (weeks - 1) * gap) / weeks;
    if (ch > cw * 5 / 4)
        ch = cw * 5 / 4;
    if (ch < m->target)
        ch = m->target;
    for (int d = 1; d <= days; d++) {
        int date = ks_date_make(year, mon, d), cell = lead + d - 1;
        int x = m->margin + (cell % 7) * (cw + gap), cy = y + (cell / 7) * (ch + gap);
        int idx = ks_date_diff(mm->day_first, date);
        int in_window = date >= mm->day_first && date <= mm->day_last;
        int left = in_window && idx >= 0 && idx < KS_MARRY_MAX_DAYS ? mm->day_left[idx] : 0;
        char id[24], text[64], n[16];
        snprintf(id, sizeof id, "day-%d", d);
        snprintf(n, sizeof n, "%d", d);
        if (left > 0) {
            ks_catalog_format(text, sizeof text, ks_catalog_get(v->cat, "marry.day_open"), "d", n,
                              (const char *)NULL);
            int sel = date == mm->flow.date || date == mm->move_date;
            ks_widget_t *db =
                ks_ui_button(ui, id, x, cy, cw, ch, text,
                             sel ? KS_STYLE_TOGGLE_ON : KS_STYLE_PRIMARY, KS_ACT_DAY_0 + idx);
            if (db) {
                db->rect.h = ch;
                ks_ui_set_compact(ui, db);
            }
        } else {
            const char *why = "";
            if (in_window)
                why =
                    ks_workday_is(date, mm->holidays) == 1 ? "marry.day_full" : "marry.day_closed";
            ks_catalog_format(text, sizeof text,
                              ks_catalog_get(v->cat, in_window ? why : "marry.day_out"), "d", n,
                              (const char *)NULL);
            ks_ui_panel(ui, id, (ks_rect_t){x, cy, cw, ch}, KS_STYLE_SCREEN);
            char lid[32];
            snprintf(lid, sizeof lid, "%s-text", id);
            size_t li = ks_ui_count(ui);
            ks_widget_t *l = ks_ui_label(ui, lid, x, cy, cw, text, KS_TEXT_BODY, KS_STYLE_MUTED,
                                         KS_ALIGN_CENTER);
            if (l && l->rect.h > ch) {
                /* Large text in a small cell: the number alone (the legend says why). */
                ks_ui_truncate(ui, li);
                l = ks_ui_label(ui, lid, x, cy, cw, n, KS_TEXT_BODY, KS_STYLE_MUTED,
                                KS_ALIGN_CENTER);
            }
            if (l)
                l->rect.y = cy + (ch - l->rect.h) / 2;
        }
    }
    y += weeks * (ch + gap);
    size_t li = ks_ui_count(ui);
    ks_widget_t *lg = ks_ui_label(ui, "calendar-legend", m->margin, y, inner,
                                  ks_catalog_get(v->cat, "marry.calendar_legend"), KS_TEXT_SMALL,
                                  KS_STYLE_MUTED, KS_ALIGN_LEFT);
    if (lg && lg->rect.y + lg->rect.h > bottom) {
        /* No room for the whole legend: its first words, which say what can be tapped. */
        ks_ui_truncate(ui, li);
        lg = ks_ui_label(ui, "calendar-legend", m->margin, y, inner,
                         ks_catalog_get(v->cat, "marry.calendar_legend_short"), KS_TEXT_SMALL,
                         KS_STYLE_MUTED, KS_ALIGN_LEFT);
        if (lg && lg->rect.y + lg->rect.h > bottom)
            ks_ui_truncate(ui, li); /* none at all: the day buttons speak for themselves */
    }
}

/*
 * On a landscape panel a month grid does not fit at a touchable size: the
 * window's working days as a list of big buttons instead (paged), each with
 * its weekday and places left; full days greyed with 已约满; weekends and
 * holidays left out, as a line above the list says.
 */
static void day_list(const ks_view_t *v, int y, int bottom)
{
    const ks_marry_t *mm = v->marry;
    enum { MAX = KS_MARRY_MAX_DAYS };
    static char texts[MAX][128];
    static const char *tptr[MAX];
    static int actions[MAX];
    static ks_style_t styles[MAX];
    int n = 0, span = ks_date_diff(mm->day_first, mm->day_last);
    for (int i = 0; span != KS_DAYS_INVALID && i <= span && i < MAX; i++) {
        int date = ks_date_add(mm->day_first, i);
        if (ks_workday_is(date, mm->holidays) != 1)
            continue;
        char day[64], wd[32] = "", left[16], ms[8], ds[8];
        static const char *const mons[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                           "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
        snprintf(ms, sizeof ms, "%d", date / 100 % 100);
        snprintf(ds, sizeof ds, "%d", date % 100);
        ks_catalog_format(day, sizeof day, ks_catalog_get(v->cat, "marry.month_day"), "m", ms, "d",
                          ds, "mon", mons[(date / 100 % 100 + 11) % 12], (const char *)NULL);
        static const char *const wkeys[] = {"marry.wd_1", "marry.wd_2", "marry.wd_3", "marry.wd_4",
                                            "marry.wd_5", "marry.wd_6", "marry.wd_7"};
        int w = ks_date_weekday(date);
        if (w >= 1 && w <= 7)
            snprintf(wd, sizeof wd, "%s", ks_catalog_get(v->cat, wkeys[w - 1]));
        snprintf(left, sizeof left, "%d", mm->day_left[i]);
        ks_catalog_format(
            texts[n], sizeof texts[n],
            ks_catalog_get(v->cat, mm->day_left[i] > 0 ? "marry.day_item" : "marry.day_item_full"),
            "date", day, "weekday", wd, "n", left, (const char *)NULL);
        tptr[n] = texts[n];
        actions[n] = mm->day_left[i] > 0 ? KS_ACT_DAY_0 + i : KS_ACT_NONE;
        styles[n] = mm->day_left[i] > 0 ? KS_STYLE_BUTTON : KS_STYLE_MUTED;
        n++;
    }
    if (n == 0) {
        line(v, "days-none", y, ks_catalog_get(v->cat, "marry.days_none"), KS_TEXT_BODY,
             KS_STYLE_ERROR, KS_ALIGN_CENTER);
        return;
    }
    big_buttons(v, y, bottom, tptr, NULL, actions, styles, n, "day");
}

/* The days to choose from: a month grid in portrait, a list of days in landscape. */
static void days(const ks_view_t *v, int y, int bottom)
{
    const ks_marry_t *mm = v->marry;
    if (mm->slots_state != KS_FETCH_OK || ks_ui_metrics(v->ui)->portrait) {
        calendar(v, y, bottom);
        return;
    }
    day_list(v, y, bottom);
}

/* The time slots of `date`: a button each with the places left; full ones greyed. */
static void slots(const ks_view_t *v, int y, int bottom, int date)
{
    const ks_marry_t *mm = v->marry;
    char day[64], text[128];
    format_day(v, date, day, sizeof day);
    ks_catalog_format(text, sizeof text, ks_catalog_get(v->cat, "marry.slots_of"), "date", day,
                      (const char *)NULL);
    y = line(v, "slots-day", y, text, KS_TEXT_HEADING, KS_STYLE_SCREEN, KS_ALIGN_LEFT);
    if (mm->slots_state != KS_FETCH_OK) {
        line(v, "slots-status", y, ks_catalog_get(v->cat, "marry.loading"), KS_TEXT_BODY,
             KS_STYLE_SCREEN, KS_ALIGN_CENTER);
        return;
    }
    enum { MAX_DAY_SLOTS = 16 };
    char texts[MAX_DAY_SLOTS][128];
    const char *tptr[MAX_DAY_SLOTS];
    int actions[MAX_DAY_SLOTS], n = 0;
    ks_style_t styles[MAX_DAY_SLOTS];
    for (int i = 0; i < mm->slots->n && n < MAX_DAY_SLOTS; i++) {
        const ks_api_slot_t *s = &mm->slots->slots[i];
        int d = 0;
        if (ks_date_parse(s->start, 10, &d) != 0 || d != date)
            continue;
        char from[8], to[8], left[16];
        snprintf(from, sizeof from, "%.5s", s->start + 11);
        snprintf(to, sizeof to, "%.5s", s->end + 11);
        snprintf(left, sizeof left, "%d", s->remaining);
        ks_catalog_format(
            texts[n], sizeof texts[n],
            ks_catalog_get(v->cat, s->remaining > 0 ? "marry.slot_open" : "marry.slot_full"),
            "from", from[0] == '0' ? from + 1 : from, "to", to[0] == '0' ? to + 1 : to, "n", left,
            (const char *)NULL);
        tptr[n] = texts[n];
        actions[n] = s->remaining > 0 ? KS_ACT_SLOT_0 + i : KS_ACT_NONE;
        styles[n] = s->remaining > 0 ? KS_STYLE_BUTTON : KS_STYLE_MUTED;
        n++;
    }
    if (n == 0) {
        line(v, "slots-none", y, ks_catalog_get(v->cat, "marry.day_gone"), KS_TEXT_BODY,
             KS_STYLE_ERROR, KS_ALIGN_CENTER);
        return;
    }
    big_buttons(v, y + ks_ui_metrics(v->ui)->gap / 2, bottom, tptr, NULL, actions, styles, n,
                "btn-slot");
}

/* "138 0013 8000" while typing. */
static void phone_shown(const char *digits, char *out, size_t outlen)
{
    size_t o = 0, n = strlen(digits);
    for (size_t i = 0; i < n && o + 2 < outlen; i++) {
        if (i == 3 || i == 7)
            out[o++] = ' ';
        out[o++] = digits[i];
    }
    out[o] = '\0';
    if (n == 0)
        snprintf(out, outlen, "%s", "＿＿＿ ＿＿＿＿");
}

static void step_phone(const ks_view_t *v, int y, int bottom)
{
    ks_ui_t *ui = v->ui;
    const ks_metrics_t *m = ks_ui_metrics(ui);
    const ks_booking_flow_t *f = &v->marry->flow;
    int i = f->step == KS_STEP_PHONE_B ? 1 : 0;
    char text[256], shown[48];
    ks_catalog_format(text, sizeof text,
                      ks_catalog_get(v->cat, f->n_parties > 1 ? "marry.phone_of" : "marry.phone"),
                      "name", f->party[i].name, (const char *)NULL);
    int side = !m->portrait, x = m->margin, w = m->w - 2 * m->margin, top = y;
    int kw = side ? w * 55 / 100 : w, qw = side ? w - kw - m->margin : w;
    ks_widget_t *q = ks_ui_label(ui, "question", x, y, qw, text, KS_TEXT_HEADING, KS_STYLE_SCREEN,
                                 KS_ALIGN_LEFT);
    ks_ui_set_private(q);
    explicit_bzero(text, sizeof text);
    y += (q ? q->rect.h : 0) + m->gap;
    phone_shown(v->marry->field, shown, sizeof shown);
    ks_screen_keypad(v, x, y, qw, bottom, side ? x + qw + m->margin : x, side ? top : -1, kw, shown,
                     v->marry->field_err, "marry.phone_hint");
    explicit_bzero(shown, sizeof shown);
}

/* One line of the review: what, then the value in large text. */
static void review_line(ks_card_t *c, const char *what_key, const char *id, const char *value,
                        int last)
{
    char text[512];
    ks_catalog_format(text, sizeof text, ks_catalog_get(c->v->cat, "marry.review_line"), "what",
                      ks_catalog_get(c->v->cat, what_key), "value", value, (const char *)NULL);
    ks_card_line(c, id, text, KS_TEXT_HEADING, last);
    explicit_bzero(text, sizeof text);
}

static void step_review(const ks_view_t *v, int y, int bottom)
{
    ks_ui_t *ui = v->ui;
    const ks_metrics_t *m = ks_ui_metrics(ui);
    const ks_booking_flow_t *f = &v->marry->flow;
    int ready = all_tokens(f);
    int content_bottom = bottom - end_row_height(v, 1);
    if (m->portrait) /* landscape: the height is for the lines themselves */
        y = line(v, "question", y, ks_catalog_get(v->cat, "marry.review_title"), KS_TEXT_TITLE,
                 KS_STYLE_SCREEN, KS_ALIGN_LEFT);
    if (f->step == KS_STEP_FAILED)
        y = line(v, "review-failed", y, ks_catalog_get(v->cat, "marry.review_again"), KS_TEXT_BODY,
                 KS_STYLE_ERROR, KS_ALIGN_CENTER);
    ks_flow_t fl;
    ks_card_t c;
    ks_flow_begin(&fl, ui, y, content_bottom, v->page);
    ks_card_begin(&c, v, &fl, "review");
    c.private_text = 1; /* names and phones */
    char when[128], text[320];
    review_line(&c, "marry.r_kind", "kind", kind_name(v, f->type), 0);
    const ks_api_office_t *o = office_of(v, f->office);
    if (o) {
        snprintf(text, sizeof text, "%s\n%s", o->name, o->address);
        review_line(&c, "marry.r_office", "office", text, 0);
    }
    format_when(v, f->slot_start, f->slot_end, when, sizeof when);
    review_line(&c, "marry.r_when", "when", when, 0);
    for (int i = 0; i < f->n_parties; i++) {
        char id[24];
        snprintf(id, sizeof id, "party-%d", i);
        snprintf(text, sizeof text, "%s  %.3s %.4s %.4s", f->party[i].name, f->party[i].phone,
                 f->party[i].phone + 3, f->party[i].phone + 7);
        review_line(&c, i == 0 ? "marry.r_party_a" : "marry.r_party_b", id, text,
                    i == f->n_parties - 1 && f->type != KS_DIVORCE);
    }
    explicit_bzero(text, sizeof text);
    if (f->type == KS_DIVORCE) {
        char a[64], b[64], w[256];
        format_day(v, f->second_from, a, sizeof a);
        format_day(v, f->second_to, b, sizeof b);
        ks_catalog_format(w, sizeof w, ks_catalog_get(v->cat, "marry.second_window"), "from", a,
                          "to", b, (const char *)NULL);
        ks_card_line(&c, "second", w, KS_TEXT_BODY, 1);
    }
    int pages = ks_flow_pages(&fl);
    if (v->pages)
        *v->pages = pages;
    static const act_t confirm = {"btn-confirm", "marry.confirm", KS_STYLE_PRIMARY, KS_ACT_CONFIRM};
    if (ready) {
        end_row(v, bottom, pages, &confirm, 1);
    } else if (v->page + 1 < pages) {
        ks_screen_pager(v, bottom, pages);
    } else {
        /* The other party's lookup is still out: 确认预约 comes when it is in. */
        line(v, "review-wait", bottom - action_h(m), ks_catalog_get(v->cat, "marry.checking_other"),
             KS_TEXT_BODY, KS_STYLE_SCREEN, KS_ALIGN_CENTER);
    }
}

void ks_screen_book(const ks_view_t *v)
{
    const ks_metrics_t *m = ks_ui_metrics(v->ui);
    const ks_booking_flow_t *f = &v->marry->flow;
    char title[128];
    if (f->step == KS_STEP_KIND)
        snprintf(title, sizeof title, "%s", ks_catalog_get(v->cat, "marry.title"));
    else if (f->step == KS_STEP_DATE && !m->portrait)
        ks_catalog_format(title, sizeof title, ks_catalog_get(v->cat, "marry.title_step"), "kind",
                          kind_name(v, f->type), "what", ks_catalog_get(v->cat, "marry.choose_day"),
                          (const char *)NULL);
    else
        snprintf(title, sizeof title, "%s", kind_name(v, f->type));
    int y = ks_screen_banner(v, title) + m->margin;
    int sending = f->step == KS_STEP_SUBMITTING;
    int bottom = ks_screen_footer(v, !sending, 1) - m->gap;
    if (v->pages)
        *v->pages = 1;
    y = notice(v, y);
    switch (f->step) {
    case KS_STEP_KIND:
        step_kind(v, y, bottom);
        break;
    case KS_STEP_FIRST_CARD:
    case KS_STEP_SECOND_CARD:
        card_prompt(v, y, bottom, f->why != KS_MARRIAGE_WHY_OK ? ks_marriage_why_key(f->why) : NULL,
                    f->type == KS_REISSUE);
        break;
    case KS_STEP_CHECKS:
        step_checks(v, y, bottom);
        break;
    case KS_STEP_OFFICE:
        step_office(v, y, bottom);
        break;
    case KS_STEP_DATE:
        if (m->portrait) /* landscape: the banner asks (the height is for the days) */
            y = line(v, "question", y, ks_catalog_get(v->cat, "marry.choose_date"), KS_TEXT_HEADING,
                     KS_STYLE_SCREEN, KS_ALIGN_LEFT);
        days(v, y, bottom);
        break;
    case KS_STEP_SLOT:
        slots(v, y, bottom, f->date);
        break;
    case KS_STEP_PHONE_A:
    case KS_STEP_PHONE_B:
        step_phone(v, y, bottom);
        break;
    case KS_STEP_REVIEW:
    case KS_STEP_FAILED:
        step_review(v, y, bottom);
        break;
    case KS_STEP_SUBMITTING:
    case KS_STEP_DONE:
        waiting(v, y + m->margin, "marry.sending");
        break;
    }
}

/* ---- the booking made -------------------------------------------------------------------------
 */

/* A booking as card lines: when, where, number (what = which lines). */
static void booking_lines(const ks_view_t *v, ks_card_t *c, const ks_api_booking_t *b, int last)
{
    char when[128], text[320];
    format_when(v, b->start, b->end, when, sizeof when);
    review_line(c, "marry.r_when", "when", when, 0);
    const ks_api_office_t *o = office_of(v, b->office);
    if (o)
        snprintf(text, sizeof text, "%s\n%s", b->office_name, o->address);
    else
        snprintf(text, sizeof text, "%s", b->office_name);
    review_line(c, "marry.r_office", "office", text, 0);
    if (b->type == KS_DIVORCE && b->second_from[0]) {
        char a[64], z[64];
        ks_format_date(v, b->second_from, a, sizeof a);
        ks_format_date(v, b->second_to, z, sizeof z);
        ks_catalog_format(text, sizeof text, ks_catalog_get(v->cat, "marry.second_window"), "from",
                          a, "to", z, (const char *)NULL);
        ks_card_line(c, "second", text, KS_TEXT_BODY, last);
    } else {
        review_line(c, "marry.r_number", "number", b->number, last);
    }
}

/*
 * How printing the slip (or the ticket) goes, as a line on the screen: nothing
 * without a printer; when it fails, what to do instead. NULL: no line.
 */
static const char *print_note(const ks_view_t *v, int ticket, ks_style_t *style)
{
    static const char *const keys[2][5] = {
        {NULL, "marry.print_printing", "marry.print_done", "marry.print_retrying",
         "marry.print_failed"},
        {NULL, "marry.ticket_print_printing", "marry.ticket_print_done",
         "marry.ticket_print_retrying", "marry.ticket_print_failed"},
    };
    ks_slip_state_t st = v->marry->slip.state;
    *style = st == KS_SLIP_FAILED || st == KS_SLIP_RETRYING ? KS_STYLE_ERROR : KS_STYLE_PANEL;
    const char *key = keys[ticket ? 1 : 0][(unsigned)st % 5];
    return key ? ks_catalog_get(v->cat, key) : NULL;
}

/* The print line at y across w (filled, centred); its height, 0 when there is none. */
static int print_line(const ks_view_t *v, int ticket, int x, int y, int w)
{
    ks_style_t style;
    const char *text = print_note(v, ticket, &style);
    if (!text)
        return 0;
    /* Its id says the state ("print-done"): tests wait for it. */
    static const char *const ids[] = {"", "print-printing", "print-done", "print-retrying",
                                      "print-failed"};
    ks_widget_t *l = ks_ui_label(v->ui, ids[(unsigned)v->marry->slip.state % 5], x, y, w, text,
                                 KS_TEXT_BODY, style, KS_ALIGN_CENTER);
    if (!l)
        return 0;
    l->fill = 1;
    return l->rect.h;
}

void ks_screen_booked(const ks_view_t *v)
{
    ks_ui_t *ui = v->ui;
    const ks_metrics_t *m = ks_ui_metrics(ui);
    const ks_api_booking_t *b = &v->marry->booked;
    int y =
        ks_screen_banner(v, ks_catalog_get(v->cat, v->marry->booked_moved ? "marry.moved_title"
                                                                          : "marry.booked_title")) +
        m->margin;
    int bottom = ks_screen_footer(v, 0, 1) - m->gap;
    ks_flow_t fl;
    ks_card_t c;
    /*
     * The number large, its QR code beside it: staff scan it, the couple can
     * photograph it. Portrait: above the details on every page. Landscape: the
     * first block of the pages (the height is short), a size smaller.
     */
    if (!m->portrait)
        ks_flow_begin(&fl, ui, y, bottom - end_row_height(v, 1), v->page);
    size_t first = ks_ui_count(ui);
    int top = m->portrait ? y : fl.y;
    int qr = m->portrait ? m->w / 3 : m->text_px[KS_TEXT_BODY] * 2 + m->text_px[KS_TEXT_TITLE] * 2;
    int tx = m->margin, tw = m->w - 2 * m->margin - qr - m->gap;
    ks_widget_t *l =
        ks_ui_label(ui, "number-label", tx, top, tw, ks_catalog_get(v->cat, "marry.number_label"),
                    m->portrait ? KS_TEXT_HEADING : KS_TEXT_BODY, KS_STYLE_SCREEN, KS_ALIGN_LEFT);
    int ny = top + (l ? l->rect.h : 0) + m->gap / 2;
    size_t ni = ks_ui_count(ui);
    ks_widget_t *n =
        ks_ui_label(ui, "booking-number", tx, ny, tw, b->number,
                    m->portrait ? KS_TEXT_HUGE : KS_TEXT_TITLE, KS_STYLE_SCREEN, KS_ALIGN_LEFT);
    /* A number read in one go: smaller, but never broken over two lines. */
    static const ks_text_role_t smaller[] = {KS_TEXT_TITLE, KS_TEXT_HEADING, KS_TEXT_BODY};
    for (size_t i = 0; n && n->text_lines > 1 && i < sizeof smaller / sizeof smaller[0]; i++) {
        ks_ui_truncate(ui, ni);
        n = ks_ui_label(ui, "booking-number", tx, ny, tw, b->number, smaller[i], KS_STYLE_SCREEN,
                        KS_ALIGN_LEFT);
    }
    if (n)
        n->bold = 1;
    int th = ny + (n ? n->rect.h : 0) - top;
    if (!m->portrait && th < qr)
        qr = th;
    ks_ui_qr(ui, "booking-qr", (ks_rect_t){m->w - m->margin - qr, top, qr, qr}, b->number);
    if (m->portrait) {
        y += (th > qr ? th : qr) + m->gap;
        int ph = print_line(v, 0, m->margin, y, m->w - 2 * m->margin);
        y += ph ? ph + m->gap : 0;
        ks_flow_begin(&fl, ui, y, bottom - end_row_height(v, 1), v->page);
    } else {
        /* With the number: the first page says whether the slip came out. */
        print_line(v, 0, m->margin, top + (th > qr ? th : qr) + m->gap / 2, m->w - 2 * m->margin);
        ks_flow_end_block(&fl, first, m->gap);
    }
    ks_card_begin(&c, v, &fl, "booked");
    booking_lines(v, &c, b, 0);
    char bring[512];
    ks_catalog_format(bring, sizeof bring, ks_catalog_get(v->cat, "marry.bring"), "list",
                      ks_catalog_get(v->cat, BRING_KEYS[(unsigned)b->type % 3]),
                      (const char *)NULL);
    ks_card_line(&c, "bring", bring, KS_TEXT_BODY, 0);
    ks_card_line(&c, "together", ks_catalog_get(v->cat, "marry.come_together"), KS_TEXT_BODY, 1);
    int pages = ks_flow_pages(&fl);
    if (v->pages)
        *v->pages = pages;
    static const act_t done = {"btn-done", "marry.done", KS_STYLE_PRIMARY, KS_ACT_DONE};
    end_row(v, bottom, pages, &done, 1);
}

/* ---- managing -------------------------------------------------------------------------------- */

static const char *status_key(const ks_api_booking_t *b)
{
    return b->status == KS_CANCELLED    ? "marry.st_cancelled"
           : b->status == KS_CHECKED_IN ? "marry.st_checked_in"
                                        : "marry.st_booked";
}

static void booking_card(const ks_view_t *v, ks_flow_t *fl, int i)
{
    const ks_api_booking_t *b = &v->marry->bookings->bookings[i];
    ks_card_t c;
    char prefix[16];
    snprintf(prefix, sizeof prefix, "bk-%d", i);
    ks_card_begin(&c, v, fl, prefix);
    ks_card_head(&c, kind_name(v, b->type),
                 b->status == KS_CANCELLED    ? KS_ICON_STOP
                 : b->status == KS_CHECKED_IN ? KS_ICON_OK
                                              : KS_ICON_WAIT,
                 b->status == KS_CANCELLED ? KS_STYLE_DANGER : KS_STYLE_PRIMARY,
                 ks_catalog_get(v->cat, status_key(b)));
    ks_card_group_end(&c, 0);
    booking_lines(v, &c, b, 1);
}

void ks_screen_bookings(const ks_view_t *v)
{
    ks_ui_t *ui = v->ui;
    const ks_metrics_t *m = ks_ui_metrics(ui);
    const ks_marry_t *mm = v->marry;
    int y = ks_screen_banner(v, ks_catalog_get(v->cat, "marry.bookings_title")) + m->margin;
    int bottom = ks_screen_footer(v, 1, 1) - m->gap;
    if (v->pages)
        *v->pages = 1;
    if (mm->bookings_state == KS_FETCH_FAILED) {
        fetch_failed(v, y, "marry.bookings_failed_body");
        return;
    }
    /* Shown once the offices' addresses are in too: nothing moves under a finger after. */
    if (mm->bookings_state != KS_FETCH_OK || mm->offices_state == KS_FETCH_PENDING) {
        waiting(v, y + m->margin, "marry.loading");
        return;
    }
    if (mm->bookings->n == 0) {
        y = line(v, "bookings-none", y, ks_catalog_get(v->cat, "marry.bookings_none"),
                 KS_TEXT_TITLE, KS_STYLE_SCREEN, KS_ALIGN_CENTER);
        if (v->backend)
            ks_ui_button(ui, "btn-marry", m->margin, y + m->margin, m->w - 2 * m->margin, 0,
                         ks_catalog_get(v->cat, "menu.marry"), KS_STYLE_PRIMARY, KS_ACT_MARRY);
        return;
    }
    /* One big button per booking: what, when, where, how it stands; tap for the rest. */
    y = line(v, "bookings-hint", y, ks_catalog_get(v->cat, "marry.bookings_hint"), KS_TEXT_BODY,
             KS_STYLE_MUTED, KS_ALIGN_LEFT);
    char texts[KS_API_MAX_BOOKINGS][384];
    const char *tptr[KS_API_MAX_BOOKINGS];
    int actions[KS_API_MAX_BOOKINGS];
    ks_style_t styles[KS_API_MAX_BOOKINGS];
    int n = mm->bookings->n < KS_API_MAX_BOOKINGS ? mm->bookings->n : KS_API_MAX_BOOKINGS;
    for (int i = 0; i < n; i++) {
        const ks_api_booking_t *b = &mm->bookings->bookings[i];
        char when[128];
        format_when(v, b->start, b->end, when, sizeof when);
        ks_catalog_format(texts[i], sizeof texts[i], ks_catalog_get(v->cat, "marry.booking_item"),
                          "kind", kind_name(v, b->type), "when", when, "office", b->office_name,
                          "status", ks_catalog_get(v->cat, status_key(b)), (const char *)NULL);
        tptr[i] = texts[i];
        actions[i] = KS_ACT_BOOKING_0 + i;
        styles[i] = mm->changeable[i] ? KS_STYLE_BUTTON : KS_STYLE_MUTED;
    }
    big_buttons(v, y + m->gap / 2, bottom, tptr, NULL, actions, styles, n, "btn-booking");
}

void ks_screen_booking(const ks_view_t *v)
{
    ks_ui_t *ui = v->ui;
    const ks_metrics_t *m = ks_ui_metrics(ui);
    const ks_marry_t *mm = v->marry;
    int y = ks_screen_banner(v, ks_catalog_get(v->cat, "marry.booking_title")) + m->margin;
    int bottom = ks_screen_footer(v, 1, 1) - m->gap;
    if (v->pages)
        *v->pages = 1;
    if (mm->sel < 0 || mm->sel >= mm->bookings->n)
        return;
    int changeable = mm->changeable[mm->sel];
    static const act_t acts[] = {
        {"btn-move", "marry.move", KS_STYLE_PRIMARY, KS_ACT_MOVE_BOOKING},
        {"btn-cancel-booking", "marry.cancel", KS_STYLE_DANGER, KS_ACT_CANCEL_BOOKING},
    };
    ks_flow_t fl;
    ks_flow_begin(&fl, ui, y, bottom - end_row_height(v, changeable ? 2 : 0), v->page);
    booking_card(v, &fl, mm->sel);
    char hours[16], text[256];
    snprintf(hours, sizeof hours, "%d", mm->rules.cancel_notice_hours);
    ks_catalog_format(text, sizeof text,
                      ks_catalog_get(v->cat, changeable ? "marry.change_until" : "marry.locked"),
                      "hours", hours, (const char *)NULL);
    ks_card_t c;
    ks_card_begin(&c, v, &fl, "booking");
    ks_card_line(&c, changeable ? "rule" : "locked", text, KS_TEXT_BODY, 1);
    int pages = ks_flow_pages(&fl);
    if (v->pages)
        *v->pages = pages;
    end_row(v, bottom, pages, acts, changeable ? 2 : 0);
}

void ks_screen_cancel(const ks_view_t *v)
{
    ks_ui_t *ui = v->ui;
    const ks_metrics_t *m = ks_ui_metrics(ui);
    const ks_marry_t *mm = v->marry;
    int y = ks_screen_banner(v, ks_catalog_get(v->cat, "marry.cancel_question")) + m->margin;
    int sending = mm->op_id > 0 || mm->op_after_lookup;
    int bottom = ks_screen_footer(v, !sending, 1) - m->gap;
    if (v->pages)
        *v->pages = 1;
    if (mm->sel < 0 || mm->sel >= mm->bookings->n)
        return;
    if (sending) {
        waiting(v, y + m->margin, "marry.cancelling");
        return;
    }
    static const act_t acts[] = {
        {"btn-keep", "marry.keep", KS_STYLE_PRIMARY, KS_ACT_BACK},
        {"btn-confirm", "marry.cancel_confirm", KS_STYLE_DANGER, KS_ACT_CONFIRM},
    };
    ks_flow_t fl;
    ks_flow_begin(&fl, ui, y, bottom - end_row_height(v, 2), v->page);
    booking_card(v, &fl, mm->sel);
    ks_card_t c;
    ks_card_begin(&c, v, &fl, "cancel");
    ks_card_line(&c, "note", ks_catalog_get(v->cat, "marry.cancel_note"), KS_TEXT_BODY, 1);
    int pages = ks_flow_pages(&fl);
    if (v->pages)
        *v->pages = pages;
    end_row(v, bottom, pages, acts, 2);
}

void ks_screen_move(const ks_view_t *v)
{
    ks_ui_t *ui = v->ui;
    const ks_metrics_t *m = ks_ui_metrics(ui);
    const ks_marry_t *mm = v->marry;
    char title[128];
    if (mm->move_step == KS_MOVE_DATE && !m->portrait)
        ks_catalog_format(title, sizeof title, ks_catalog_get(v->cat, "marry.title_step"), "kind",
                          ks_catalog_get(v->cat, "marry.move_title"), "what",
                          ks_catalog_get(v->cat, "marry.choose_day"), (const char *)NULL);
    else
        snprintf(title, sizeof title, "%s", ks_catalog_get(v->cat, "marry.move_title"));
    int y = ks_screen_banner(v, title) + m->margin;
    int sending = mm->move_step == KS_MOVE_SENDING;
    int bottom = ks_screen_footer(v, !sending, 1) - m->gap;
    if (v->pages)
        *v->pages = 1;
    if (mm->sel < 0 || mm->sel >= mm->bookings->n)
        return;
    const ks_api_booking_t *b = &mm->bookings->bookings[mm->sel];
    y = notice(v, y);
    switch (mm->move_step) {
    case KS_MOVE_DATE:
        if (m->portrait)
            y = line(v, "question", y, ks_catalog_get(v->cat, "marry.choose_new_date"),
                     KS_TEXT_HEADING, KS_STYLE_SCREEN, KS_ALIGN_LEFT);
        days(v, y, bottom);
        break;
    case KS_MOVE_SLOT:
        slots(v, y, bottom, mm->move_date);
        break;
    case KS_MOVE_REVIEW: {
        char was[128], now[128], text[320];
        format_when(v, b->start, b->end, was, sizeof was);
        format_when(v, mm->move_slot.start, mm->move_slot.end, now, sizeof now);
        if (m->portrait)
            y = line(v, "question", y, ks_catalog_get(v->cat, "marry.move_question"), KS_TEXT_TITLE,
                     KS_STYLE_SCREEN, KS_ALIGN_LEFT);
        ks_flow_t fl;
        ks_card_t c;
        ks_flow_begin(&fl, ui, y, bottom - end_row_height(v, 1), v->page);
        ks_card_begin(&c, v, &fl, "move");
        ks_catalog_format(text, sizeof text, ks_catalog_get(v->cat, "marry.move_from"), "when", was,
                          (const char *)NULL);
        ks_card_line(&c, "from", text, KS_TEXT_HEADING, 0);
        ks_catalog_format(text, sizeof text, ks_catalog_get(v->cat, "marry.move_to"), "when", now,
                          (const char *)NULL);
        ks_card_line(&c, "to", text, KS_TEXT_HEADING, 0);
        ks_card_line(&c, "office", b->office_name, KS_TEXT_BODY, 1);
        int pages = ks_flow_pages(&fl);
        if (v->pages)
            *v->pages = pages;
        static const act_t confirm = {"btn-confirm", "marry.move_confirm", KS_STYLE_PRIMARY,
                                      KS_ACT_CONFIRM};
        end_row(v, bottom, pages, &confirm, 1);
        break;
    }
    case KS_MOVE_SENDING:
        waiting(v, y + m->margin, "marry.sending");
        break;
    }
}

/* ---- check-in ----------------------------------------------------------------------------------
 */

void ks_screen_checkin(const ks_view_t *v)
{
    const ks_metrics_t *m = ks_ui_metrics(v->ui);
    const ks_marry_t *mm = v->marry;
    int y = ks_screen_banner(v, ks_catalog_get(v->cat, "marry.checkin_title")) + m->margin;
    int card = mm->checkin_step == KS_CHECKIN_SECOND_CARD;
    int bottom = ks_screen_footer(v, card || mm->checkin_step == KS_CHECKIN_FINDING, 1) - m->gap;
    if (v->pages)
        *v->pages = 1;
    if (mm->checkin_step == KS_CHECKIN_FINDING && mm->bookings_state == KS_FETCH_FAILED) {
        fetch_failed(v, y, "marry.bookings_failed_body");
        return;
    }
    if (!card) {
        waiting(v, y + m->margin,
                mm->checkin_step == KS_CHECKIN_FINDING ? "marry.finding" : "marry.checking_in");
        return;
    }
    if (mm->sel >= 0 && mm->sel < mm->bookings->n) {
        const ks_api_booking_t *b = &mm->bookings->bookings[mm->sel];
        char when[128], text[256];
        format_when(v, b->start, b->end, when, sizeof when);
        snprintf(text, sizeof text, "%s  %s", kind_name(v, b->type), when);
        y = line(v, "checkin-booking", y, text, KS_TEXT_HEADING, KS_STYLE_PANEL, KS_ALIGN_CENTER);
    }
    y = notice(v, y);
    int reissue = mm->sel >= 0 && mm->sel < mm->bookings->n &&
                  mm->bookings->bookings[mm->sel].type == KS_REISSUE;
    card_prompt(v, y + m->gap, bottom, NULL, reissue);
}

void ks_screen_ticket(const ks_view_t *v)
{
    ks_ui_t *ui = v->ui;
    const ks_metrics_t *m = ks_ui_metrics(ui);
    const ks_marry_t *mm = v->marry;
    int y = ks_screen_banner(v, ks_catalog_get(v->cat, "marry.ticket_title")) + m->margin;
    int bottom = ks_screen_footer(v, 0, 1) - m->gap;
    if (v->pages)
        *v->pages = 1;
    static const act_t done = {"btn-done", "marry.done", KS_STYLE_PRIMARY, KS_ACT_DONE};
    end_row(v, bottom, 1, &done, 1);
    bottom -= end_row_height(v, 1);
    /* Portrait: one column. Landscape: the number on the left, what to do on the right. */
    int x = m->margin, w = m->w - 2 * m->margin, rx = x, rw = w;
    if (!m->portrait) {
        w = (m->w - 2 * m->margin - m->gap) / 2;
        rx = x + w + m->gap;
        rw = w;
    }
    int ly = y;
    if (mm->was_checked_in) {
        ks_widget_t *a =
            ks_ui_label(ui, "ticket-again", x, ly, w, ks_catalog_get(v->cat, "marry.ticket_again"),
                        KS_TEXT_BODY, KS_STYLE_PANEL, KS_ALIGN_CENTER);
        if (a) {
            a->fill = 1;
            ly += a->rect.h + m->gap / 2;
        }
    }
    ks_widget_t *l =
        ks_ui_label(ui, "ticket-label", x, ly, w, ks_catalog_get(v->cat, "marry.ticket_label"),
                    KS_TEXT_TITLE, KS_STYLE_SCREEN, KS_ALIGN_CENTER);
    ly += (l ? l->rect.h : 0) + m->gap / 2;
    /* The number as large as the screen allows: it is what the couple listens for. */
    ks_widget_t *t = ks_ui_label(ui, "ticket-number", x, ly, w, mm->ticket.ticket, KS_TEXT_HUGE,
                                 KS_STYLE_PANEL, KS_ALIGN_CENTER);
    if (t) {
        t->bold = 1;
        t->fill = 1;
        ly += t->rect.h + m->gap;
    }
    int ry = m->portrait ? ly : y;
    int ph = print_line(v, 1, rx, ry, rw);
    ry += ph ? ph + m->gap / 2 : 0;
    char n[16], text[256];
    snprintf(n, sizeof n, "%d", mm->ticket.waiting_ahead);
    ks_catalog_format(text, sizeof text, ks_catalog_get(v->cat, "marry.waiting_ahead"), "n", n,
                      (const char *)NULL);
    const struct {
        const char *id, *text;
        ks_text_role_t role;
        ks_style_t style;
    } lines[] = {
        {"ticket-waiting", text, KS_TEXT_TITLE, KS_STYLE_SCREEN},
        {"ticket-counter", mm->ticket.counter_hint[0] ? mm->ticket.counter_hint : NULL,
         KS_TEXT_HEADING, KS_STYLE_SCREEN},
        {"ticket-note", ks_catalog_get(v->cat, "marry.ticket_note"), KS_TEXT_BODY, KS_STYLE_MUTED},
    };
    for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) {
        if (!lines[i].text)
            continue;
        size_t li = ks_ui_count(ui);
        ks_widget_t *wd = ks_ui_label(ui, lines[i].id, rx, ry, rw, lines[i].text, lines[i].role,
                                      lines[i].style, KS_ALIGN_CENTER);
        if (wd && wd->rect.y + wd->rect.h > bottom && i > 0) {
            ks_ui_truncate(ui, li); /* what does not fit is said by staff at the counter */
            break;
        }
        ry += (wd ? wd->rect.h : 0) + m->gap / 2;
    }
}
