/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * 婚姻登记: booking a registration (both parties' cards, office, day, time,
 * phones, review, confirm), managing a booking (cancel, move) and, in a
 * registry kiosk, checking a couple in for the queue. The rules and the
 * booking flow's state are app/services/marriage.c; this file drives them from
 * touches, cards and backend replies, and says what went wrong in plain words.
 */
#include "kiosk_priv.h"

#include "error.h"
#include "log.h"
#include "sign.h"
#include "slip.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Today in China Standard Time, whatever the machine's time zone. */
static int today_cst(void)
{
    ks_datetime_t now;
    if (ks_datetime_from_unix((long long)time(NULL), &now) != 0)
        return 0;
    return now.date;
}

static int now_cst(ks_datetime_t *out)
{
    return ks_datetime_from_unix((long long)time(NULL), out);
}

/* YYYYMMDD of a backend time or date string ("2026-12-01T09:00:00+08:00"), or 0. */
static int date_of(const char *s)
{
    int d = 0;
    if (!s || ks_date_parse(s, strnlen(s, 10), &d) != 0)
        return 0;
    return d;
}

int ks_marry_init(ks_kiosk_t *k, char *err, size_t errlen)
{
    ks_marry_t *m = &k->marry;
    m->holidays = calloc(1, sizeof *m->holidays);
    m->offices = calloc(1, sizeof *m->offices);
    m->slots = calloc(1, sizeof *m->slots);
    m->bookings = calloc(1, sizeof *m->bookings);
    if (!m->holidays || !m->offices || !m->slots || !m->bookings) {
        snprintf(err, errlen, "out of memory");
        return KS_E_NOMEM;
    }
    m->rules.min_notice_workdays = k->cfg->marriage.min_notice_workdays;
    m->rules.horizon_days = k->cfg->marriage.horizon_days;
    m->rules.cancel_notice_hours = k->cfg->marriage.cancel_notice_hours;
    m->rules.second_card_timeout_ms = k->cfg->marriage.second_card_timeout_s * 1000;
    char why[256];
    if (ks_holidays_load_file(k->cfg->marriage.holidays, m->holidays, why, sizeof why) == 0) {
        m->holidays_ok = 1;
    } else {
        /*
         * Without the holiday list a public holiday would look bookable: the
         * kiosk then offers no day at all, and says so, rather than a wrong one.
         */
        ks_log(KS_LOG_ERROR, "marriage", "holiday list unusable, booking disabled: %s", why);
    }
    return 0;
}

void ks_marry_free(ks_kiosk_t *k)
{
    ks_marry_t *m = &k->marry;
    if (m->bookings)
        explicit_bzero(m->bookings, sizeof *m->bookings);
    explicit_bzero(&m->flow, sizeof m->flow);
    free(m->holidays);
    free(m->offices);
    free(m->slots);
    free(m->bookings);
}

/* Ends whatever marriage business the visit had: requests dropped, personal data wiped. */
void ks_marry_wipe(ks_kiosk_t *k)
{
    ks_marry_t *m = &k->marry;
    ks_kiosk_cancel_request(k, &m->party_id);
    ks_kiosk_cancel_request(k, &m->book_id);
    ks_kiosk_cancel_request(k, &m->bookings_id);
    ks_kiosk_cancel_request(k, &m->op_id);
    ks_kiosk_cancel_request(k, &m->slots_id);
    ks_booking_flow_wipe(&m->flow);
    if (m->bookings)
        explicit_bzero(m->bookings, sizeof *m->bookings);
    explicit_bzero(&m->booked, sizeof m->booked);
    explicit_bzero(&m->other, sizeof m->other);
    explicit_bzero(&m->ticket, sizeof m->ticket);
    explicit_bzero(m->field, sizeof m->field);
    explicit_bzero(m->op_key, sizeof m->op_key);
    explicit_bzero(m->op_key_for, sizeof m->op_key_for);
    m->op_after_lookup = 0;
    explicit_bzero(&m->move_slot, sizeof m->move_slot);
    m->mode = KS_MARRY_NONE;
    m->bookings_state = KS_FETCH_NONE;
    m->ticket_ready = 0;
    m->field_err = NULL;
    m->notice_key = NULL;
    m->relookups = 0;
    m->sel = -1;
    m->move_date = 0;
    m->card_deadline_ms = 0;
    m->booked_moved = 0;
    m->was_checked_in = 0;
    ks_kiosk_slip_drop(k, &m->slip);
}

/* The office's address from the list (the slip names it), or NULL. */
static const char *office_address(const ks_marry_t *m, const char *code)
{
    for (int i = 0; m->offices && i < m->offices->n; i++)
        if (strcmp(m->offices->offices[i].code, code) == 0)
            return m->offices->offices[i].address;
    return NULL;
}

static const ks_api_booking_t *selected(const ks_marry_t *m);

/*
 * Shows SCREEN_BOOKED or SCREEN_TICKET and prints its slip when the kiosk has
 * a printer, in the language on the screen. The screen says how printing
 * goes; a slip that cannot be queued is said at once (note the number).
 */
static void show_and_print(ks_kiosk_t *k, screen_t screen)
{
    ks_marry_t *m = &k->marry;
    ks_kiosk_show(k, screen);
    m->slip = (ks_slip_job_t){0, KS_SLIP_NONE};
    if (!k->print)
        return;
    ks_escpos_t *e = ks_escpos_new();
    int rc = KS_E_NOMEM;
    if (e && screen == SCREEN_BOOKED)
        rc =
            ks_slip_booking(e, ks_kiosk_catalog(k), &m->booked, office_address(m, m->booked.office),
                            m->booked_moved, k->cfg->printer.qr_raster);
    else if (e)
        rc = ks_slip_ticket(e, ks_kiosk_catalog(k), &m->ticket, selected(m));
    ks_kiosk_print_slip(k, e, rc, &m->slip);
}

/*
 * The couple's business is over (a refusal, a timeout): its data is wiped,
 * and when the session's card was taken out on the way the session ends too
 * (the message that follows is then shown on the way to the idle screen).
 */
static void end_business(ks_kiosk_t *k, uint64_t now_ms)
{
    ks_marry_wipe(k);
    if (!k->card_present && k->session_reader[0]) {
        ks_log(KS_LOG_INFO, "kiosk", "session ended: its card was taken out earlier");
        ks_kiosk_reset_to_idle(k, now_ms);
    }
}

/* A server's refusal code and the plain words for it. */
typedef struct {
    const char *code, *body;
} refusal_t;

/* The catalogue key for `code` in the table, or NULL when the code is not a refusal there. */
static const char *refusal_body(const char *code, const refusal_t *t, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(code, t[i].code) == 0)
            return t[i].body;
    return NULL;
}

/*
 * The holder's token is older than 10 minutes: drop it and its request's key
 * (the new token makes a new body), look the holder up again; the request is
 * sent afresh once the new token is in (ks_marry_session_token).
 */
static void renew_holder_then_resend(ks_kiosk_t *k, uint64_t now_ms)
{
    ks_marry_t *m = &k->marry;
    explicit_bzero(m->op_key, sizeof m->op_key);
    explicit_bzero(m->op_key_for, sizeof m->op_key_for);
    m->op_after_lookup = 1;
    ks_session_clear_token(k->session);
    ks_kiosk_relookup(k, now_ms);
    k->dirty = 1;
}

int ks_marry_keeps_session(const ks_kiosk_t *k)
{
    const ks_marry_t *m = &k->marry;
    int book = m->mode == KS_MARRY_BOOK && m->flow.step >= KS_STEP_SECOND_CARD;
    int checkin = m->mode == KS_MARRY_CHECKIN && m->checkin_step >= KS_CHECKIN_SECOND_CARD;
    switch (k->screen) {
    case SCREEN_BOOK:
        return book;
    case SCREEN_BOOKED:
        return m->mode == KS_MARRY_BOOK;
    case SCREEN_CHECKIN:
        return checkin;
    case SCREEN_TICKET:
        return m->mode == KS_MARRY_CHECKIN;
    case SCREEN_MESSAGE:
        /* A message on the way back into the couple's business (a retry, a refused card). */
        return (book && k->msg_back == SCREEN_BOOK) || (checkin && k->msg_back == SCREEN_CHECKIN);
    default:
        return 0;
    }
}

/* ---- fetches ------------------------------------------------------------------------------- */

static void fetch_offices(ks_kiosk_t *k)
{
    ks_marry_t *m = &k->marry;
    if (m->offices_state == KS_FETCH_OK || m->offices_id > 0)
        return;
    ks_api_request_t *req = ks_api_req_offices();
    m->offices_id = req ? ks_kiosk_submit(k, req) : 0;
    m->offices_due = 0; /* its own patience, not the last one's */
    m->offices_state = m->offices_id > 0 ? KS_FETCH_PENDING : KS_FETCH_FAILED;
}

/* The slots of `office` over the booking window, for `type`. */
static void fetch_slots(ks_kiosk_t *k, const char *office, int first, int last,
                        ks_booking_type_t type)
{
    ks_marry_t *m = &k->marry;
    char from[KS_API_DATE], to[KS_API_DATE];
    ks_kiosk_cancel_request(k, &m->slots_id);
    m->slots->n = 0;
    snprintf(m->slots_office, sizeof m->slots_office, "%s", office);
    ks_api_request_t *req = NULL;
    if (ks_date_format(first, from, sizeof from) == 0 && ks_date_format(last, to, sizeof to) == 0)
        req = ks_api_req_slots(office, from, to, type);
    m->slots_id = req ? ks_kiosk_submit(k, req) : 0;
    m->slots_due = 0; /* its own patience, not the last one's */
    m->slots_state = m->slots_id > 0 ? KS_FETCH_PENDING : KS_FETCH_FAILED;
    m->month = first / 100;
}

static void fetch_bookings(ks_kiosk_t *k)
{
    ks_marry_t *m = &k->marry;
    const char *token = ks_session_token(k->session);
    ks_kiosk_cancel_request(k, &m->bookings_id);
    m->bookings_state = KS_FETCH_PENDING;
    if (!token) {
        /* No token yet (or an expired one dropped): the list is asked for once it is in. */
        ks_kiosk_relookup(k, m->now_ms);
        if (k->lookup != KS_LOOKUP_PENDING)
            m->bookings_state = KS_FETCH_FAILED;
        return;
    }
    ks_api_request_t *req = ks_api_req_bookings(token);
    m->bookings_id = req ? ks_kiosk_submit(k, req) : 0;
    m->bookings_due = 0; /* its own patience, not the last one's */
    if (m->bookings_id == 0)
        m->bookings_state = KS_FETCH_FAILED;
}

/* Looks up a party whose card was read (the ID number goes only in the POST body). */
static void lookup_party(ks_kiosk_t *k, const ks_party_t *p, int index)
{
    ks_marry_t *m = &k->marry;
    ks_kiosk_cancel_request(k, &m->party_id);
    m->party_idx = index;
    ks_api_request_t *req =
        ks_api_req_lookup(p->idnum, "SSC3", p->card_number[0] ? p->card_number : NULL);
    m->party_id = req ? ks_kiosk_submit(k, req) : 0;
    m->party_due = 0; /* its own patience, not the last one's */
    k->dirty = 1;
    if (m->party_id == 0) {
        /* Not even sent (no backend, out of memory): say so, never wait in silence. */
        m->resend = 0;
        screen_t back = m->mode == KS_MARRY_CHECKIN ? SCREEN_CHECKIN : SCREEN_BOOK;
        ks_kiosk_failure(k, "message.lookup_failed_title", "message.lookup_offline_body",
                         RETRY_MARRY, m->now_ms);
        k->msg_back = back;
    }
}

/* The first party of the booking who has no token yet, or -1. */
static int party_without_token(const ks_marry_t *m)
{
    for (int i = 0; i < m->flow.n_parties; i++)
        if (!m->flow.party[i].citizen[0])
            return i;
    return -1;
}

/* ---- the booking flow ----------------------------------------------------------------------- */

/* The holder (whose card opened the session) is the first party. */
static void add_holder(ks_kiosk_t *k, uint64_t now_ms)
{
    ks_marry_t *m = &k->marry;
    ks_party_t p;
    ks_party_from_identity(&p, ks_session_identity(k->session));
    int rc = ks_booking_flow_add_party(&m->flow, &p, (int64_t)now_ms);
    explicit_bzero(&p, sizeof p);
    if (rc == 0 && ks_session_token(k->session))
        ks_booking_flow_set_citizen(&m->flow, 0, ks_session_token(k->session));
}

static void book_start(ks_kiosk_t *k, uint64_t now_ms)
{
    ks_marry_t *m = &k->marry;
    (void)now_ms;
    ks_marry_wipe(k);
    m->today = today_cst();
    if (!m->holidays_ok || ks_booking_flow_start(&m->flow, m->today, &m->rules, m->holidays) != 0) {
        ks_kiosk_failure(k, "marry.unavailable_title", "marry.unavailable_body", RETRY_NONE,
                         now_ms);
        return;
    }
    m->mode = KS_MARRY_BOOK;
    /* A holiday list that ends before the window does would offer holidays: staff must know. */
    int listed = 0;
    for (int i = 0; i < m->holidays->n_off; i++)
        if (m->holidays->off[i] > listed)
            listed = m->holidays->off[i];
    if (listed / 10000 < m->flow.last / 10000)
        ks_log(KS_LOG_WARN, "marriage", "the holiday list has no %d: update %s",
               m->flow.last / 10000, k->cfg->marriage.holidays);
    fetch_offices(k);
    ks_kiosk_show(k, SCREEN_BOOK);
}

/* Sends the booking (first confirm, a retry with the same key, or after new tokens). */
static void book_send(ks_kiosk_t *k, uint64_t now_ms)
{
    ks_marry_t *m = &k->marry;
    ks_booking_step_t before = m->flow.step;
    const char *key = NULL;
    ks_api_party_t parties[2];
    if (before != KS_STEP_REVIEW && before != KS_STEP_FAILED)
        return; /* a second tap on 确认 while it is out: the same request, nothing more */
    int n = ks_booking_flow_api_parties(&m->flow, parties);
    if (n < 0) {
        /* A party's lookup has not answered: look them up; confirm waits on the screen. */
        int i = party_without_token(m);
        if (i >= 0 && m->party_id == 0)
            lookup_party(k, &m->flow.party[i], i);
        return;
    }
    if (ks_booking_flow_confirm(&m->flow, NULL, &key) != 0) {
        ks_kiosk_failure(k, "marry.book_failed_title", "marry.book_unknown_body", RETRY_MARRY,
                         now_ms);
        k->msg_back = SCREEN_BOOK;
        return;
    }
    ks_api_request_t *req =
        ks_api_req_book(m->flow.type, m->flow.slot, parties, n, m->flow.idempotency_key);
    m->book_id = req ? ks_kiosk_submit(k, req) : 0;
    m->book_due = 0; /* its own patience, not the last one's */
    if (m->book_id == 0) {
        ks_booking_flow_failed(&m->flow);
        ks_kiosk_failure(k, "marry.book_failed_title", "marry.book_unknown_body", RETRY_MARRY,
                         now_ms);
        k->msg_back = SCREEN_BOOK;
        return;
    }
    ks_log(KS_LOG_INFO, "marriage", "booking sent (%s)", ks_booking_type_str(m->flow.type));
    ks_kiosk_show(k, SCREEN_BOOK);
}

/* Steps the flow back until it stands at `step` (a refusal sends the citizen to choose again). */
static void book_back_to(ks_marry_t *m, ks_booking_step_t step)
{
    for (int i = 0; i < 12 && m->flow.step != step; i++)
        if (ks_booking_flow_back(&m->flow) != 0)
            break;
}

static void book_reply(ks_kiosk_t *k, const ks_backend_reply_t *r, uint64_t now_ms)
{
    ks_marry_t *m = &k->marry;
    if ((long long)r->id != m->book_id)
        return;
    m->book_id = 0;
    const ks_api_booking_t *b = r->answer;
    if (r->result == KS_NET_OK && b && ks_booking_flow_done(&m->flow, b->number) == 0) {
        ks_log(KS_LOG_INFO, "marriage", "booking made%s", r->replayed ? " (replayed answer)" : "");
        memcpy(&m->booked, b, sizeof m->booked);
        m->booked_moved = 0;
        m->relookups = 0;
        show_and_print(k, SCREEN_BOOKED);
        return;
    }
    ks_booking_flow_failed(&m->flow);
    ks_log(KS_LOG_WARN, "marriage", "booking failed: %s", r->reason);
    const char *code = r->result == KS_NET_HTTP ? r->error.code : "";
    if (r->status == 401 && strcmp(code, "TOKEN_EXPIRED") == 0 && m->relookups < 1) {
        /* Tokens live 10 minutes: look both up again, then send (a new body, so a new key). */
        m->relookups++;
        for (int i = 0; i < m->flow.n_parties; i++)
            m->flow.party[i].citizen[0] = '\0';
        explicit_bzero(m->flow.idempotency_key, sizeof m->flow.idempotency_key);
        m->resend = 1;
        lookup_party(k, &m->flow.party[0], 0);
        ks_kiosk_show(k, SCREEN_BOOK);
        return;
    }
    if (strcmp(code, "SLOT_FULL") == 0) {
        /* Another kiosk took the last place: choose again from what is left. */
        book_back_to(m, KS_STEP_SLOT);
        m->notice_key = "marry.notice_slot_taken";
        fetch_slots(k, m->flow.office, m->flow.first, m->flow.last, m->flow.type);
        m->month = m->flow.date / 100;
        ks_kiosk_show(k, SCREEN_BOOK);
        return;
    }
    if (strcmp(code, "OUTSIDE_WINDOW") == 0) {
        book_back_to(m, KS_STEP_DATE);
        m->notice_key = "marry.notice_day_gone";
        fetch_slots(k, m->flow.office, m->flow.first, m->flow.last, m->flow.type);
        ks_kiosk_show(k, SCREEN_BOOK);
        return;
    }
    static const refusal_t refusals[] = {
        {"ALREADY_BOOKED", "marry.already_booked_body"},
        {"UNDER_AGE", "marry.under_age_body"},
        {"SAME_PERSON", "marriage.why_same_person"},
    };
    const char *body = refusal_body(code, refusals, sizeof refusals / sizeof refusals[0]);
    if (body) {
        /* A rule refused it: trying again cannot help. */
        end_business(k, now_ms);
        ks_kiosk_failure(k, "marry.book_refused_title", body, RETRY_NONE, now_ms);
        return;
    }
    /*
     * The outcome is unknown (no answer, a server fault): 重试 sends the same
     * request with the same key, so it cannot make a second booking.
     */
    ks_kiosk_failure(k, "marry.book_failed_title", "marry.book_unknown_body", RETRY_MARRY, now_ms);
    k->msg_back = SCREEN_BOOK;
}

/* A party's lookup answered (booking or check-in). */
static void party_reply(ks_kiosk_t *k, const ks_backend_reply_t *r, uint64_t now_ms)
{
    ks_marry_t *m = &k->marry;
    m->party_id = 0;
    const ks_api_lookup_t *ans = r->answer;
    int ok = r->result == KS_NET_OK && ans && ks_api_token_valid(ans->citizen);
    if (!ok) {
        ks_log(KS_LOG_WARN, "marriage", "party lookup failed: %s", r->reason);
        m->resend = 0;
        int refused = r->result == KS_NET_HTTP && (r->status == 400 || r->status == 422);
        ks_kiosk_failure(k, "message.lookup_failed_title",
                         refused ? "message.lookup_refused_body" : "message.lookup_offline_body",
                         refused ? RETRY_NONE : RETRY_MARRY, now_ms);
        k->msg_back = m->mode == KS_MARRY_CHECKIN ? SCREEN_MENU : SCREEN_BOOK;
        return;
    }
    if (m->mode == KS_MARRY_CHECKIN) {
        snprintf(m->other.citizen, sizeof m->other.citizen, "%s", ans->citizen);
        ks_marry_checkin_send(k, now_ms);
        return;
    }
    /* The token is the looked-up party's, never the next one's without a token. */
    if (m->party_idx >= 0 && m->party_idx < m->flow.n_parties &&
        !m->flow.party[m->party_idx].citizen[0])
        ks_booking_flow_set_citizen(&m->flow, m->party_idx, ans->citizen);
    int i = party_without_token(m);
    /* The holder's token comes from the session's own lookup while that is out. */
    if (i >= 0 && !(i == 0 && k->lookup == KS_LOOKUP_PENDING && !m->resend)) {
        lookup_party(k, &m->flow.party[i], i);
        return;
    }
    if (m->resend) {
        m->resend = 0;
        book_send(k, now_ms);
    }
    k->dirty = 1;
}

/* The other party's card, in the booking flow. */
static void book_card(ks_kiosk_t *k, const ks_identity_t *id, uint64_t now_ms)
{
    ks_marry_t *m = &k->marry;
    ks_party_t p;
    ks_party_from_identity(&p, id);
    int rc = ks_booking_flow_add_party(&m->flow, &p, (int64_t)now_ms);
    explicit_bzero(&p, sizeof p);
    ks_session_activity(k->session, now_ms);
    k->dirty = 1;
    if (rc != 0) {
        ks_log(KS_LOG_INFO, "marriage", "second card not taken: %s",
               ks_marriage_why_key(m->flow.why));
        return; /* the card screen says why (the same person, an unreadable number) */
    }
    ks_log(KS_LOG_INFO, "marriage", "both parties read: %s", ks_marriage_why_key(m->flow.why));
    m->notice_key = NULL;
    if (m->flow.why == KS_MARRIAGE_WHY_OK) {
        int i = m->flow.n_parties - 1; /* the card just read */
        if (!m->flow.party[i].citizen[0])
            lookup_party(k, &m->flow.party[i], i);
    }
}

/* ---- managing a booking --------------------------------------------------------------------- */

static const ks_api_booking_t *selected(const ks_marry_t *m)
{
    if (m->sel < 0 || m->sel >= m->bookings->n)
        return NULL;
    return &m->bookings->bookings[m->sel];
}

/* Whether booking b may still be cancelled or moved now (1), by the configured notice. */
int ks_marry_can_change(const ks_kiosk_t *k, const ks_api_booking_t *b)
{
    ks_datetime_t now, start;
    if (!b || b->status != KS_BOOKED || now_cst(&now) != 0 ||
        ks_datetime_parse(b->start, &start) != 0)
        return 0;
    return ks_marriage_can_cancel(&now, &start, k->marry.rules.cancel_notice_hours) == 1;
}

static void manage_start(ks_kiosk_t *k)
{
    ks_marry_t *m = &k->marry;
    ks_marry_wipe(k);
    m->mode = KS_MARRY_MANAGE;
    m->today = today_cst();
    k->page = 0;
    fetch_bookings(k);
    fetch_offices(k);
    ks_kiosk_show(k, SCREEN_BOOKINGS);
}

/*
 * The Idempotency-Key for the request described by `what` ("cancel:NUMBER"):
 * the same request again (a retry, a second tap after 不取消) keeps its key,
 * so the server does it once; another request gets a new one. 0 or KS_E_IO.
 */
static int op_key(ks_marry_t *m, const char *what)
{
    if (m->op_key[0] && strcmp(m->op_key_for, what) == 0)
        return 0;
    snprintf(m->op_key_for, sizeof m->op_key_for, "%s", what);
    return ks_sign_uuid4(m->op_key) == 0 ? 0 : KS_E_IO;
}

static void op_send(ks_kiosk_t *k, uint64_t now_ms)
{
    ks_marry_t *m = &k->marry;
    const ks_api_booking_t *b = selected(m);
    const char *token = ks_session_token(k->session);
    if (!b || m->op_id > 0)
        return;
    if (!token) {
        m->op_after_lookup = 1; /* sent once the holder is looked up (again) */
        ks_kiosk_relookup(k, now_ms);
        k->dirty = 1;
        return;
    }
    char what[64];
    snprintf(what, sizeof what, "%s:%s:%s", k->screen == SCREEN_CANCEL ? "cancel" : "move",
             b->number, k->screen == SCREEN_CANCEL ? "" : m->move_slot.slot);
    if (op_key(m, what) != 0) {
        ks_kiosk_failure(k, "marry.change_failed_title", "marry.change_unknown_body", RETRY_MARRY,
                         now_ms);
        return;
    }
    ks_api_request_t *req =
        k->screen == SCREEN_CANCEL
            ? ks_api_req_cancel(b->number, token, m->op_key)
            : ks_api_req_reschedule(b->number, token, m->move_slot.slot, m->op_key);
    m->op_call = k->screen == SCREEN_CANCEL ? KS_CALL_CANCEL : KS_CALL_RESCHEDULE;
    m->op_id = req ? ks_kiosk_submit(k, req) : 0;
    m->op_due = 0; /* its own patience, not the last one's */
    if (m->op_id == 0) {
        screen_t back = k->screen;
        ks_kiosk_failure(k, "marry.change_failed_title", "marry.change_unknown_body", RETRY_MARRY,
                         now_ms);
        k->msg_back = back;
        return;
    }
    if (k->screen == SCREEN_MOVE)
        m->move_step = KS_MOVE_SENDING;
    k->dirty = 1;
}

static void op_reply(ks_kiosk_t *k, const ks_backend_reply_t *r, uint64_t now_ms)
{
    ks_marry_t *m = &k->marry;
    if ((long long)r->id != m->op_id)
        return;
    m->op_id = 0;
    const ks_api_booking_t *b = r->answer;
    int cancel = r->call == KS_CALL_CANCEL;
    if (r->result == KS_NET_OK && b && m->sel >= 0 && m->sel < m->bookings->n) {
        explicit_bzero(m->op_key, sizeof m->op_key);
        memcpy(&m->bookings->bookings[m->sel], b, sizeof *b);
        ks_log(KS_LOG_INFO, "marriage", "booking %s", cancel ? "cancelled" : "moved");
        if (cancel) {
            ks_kiosk_message(k, KS_MSG_INFO, "marry.cancelled_title", "marry.cancelled_body",
                             now_ms);
            k->msg_back = SCREEN_BOOKINGS;
        } else {
            memcpy(&m->booked, b, sizeof m->booked);
            m->booked_moved = 1;
            show_and_print(k, SCREEN_BOOKED);
        }
        return;
    }
    ks_log(KS_LOG_WARN, "marriage", "%s failed: %s", cancel ? "cancel" : "move", r->reason);
    const char *code = r->result == KS_NET_HTTP ? r->error.code : "";
    if (r->status == 401 && strcmp(code, "TOKEN_EXPIRED") == 0 && !m->op_after_lookup) {
        renew_holder_then_resend(k, now_ms);
        return;
    }
    screen_t here = k->screen;
    if (!cancel && strcmp(code, "SLOT_FULL") == 0) {
        explicit_bzero(m->op_key, sizeof m->op_key);
        m->move_step = KS_MOVE_SLOT;
        m->notice_key = "marry.notice_slot_taken";
        int first = 0, last = 0;
        ks_marriage_window(m->today, m->rules.min_notice_workdays, m->rules.horizon_days,
                           m->holidays, &first, &last);
        const ks_api_booking_t *cur = selected(m);
        if (cur)
            fetch_slots(k, cur->office, first, last, cur->type);
        m->month = m->move_date / 100;
        ks_kiosk_show(k, SCREEN_MOVE);
        return;
    }
    static const refusal_t refusals[] = {
        {"TOO_LATE", "marry.too_late_body"},         {"CANCELLED", "marry.already_cancelled_body"},
        {"OUTSIDE_WINDOW", "marry.notice_day_gone"}, {"UNDER_AGE", "marry.under_age_body"},
        {"NOT_A_PARTY", "marry.not_yours_body"},     {"NOT_FOUND", "marry.not_yours_body"},
        {"TOKEN_EXPIRED", "marry.expired_body"},
    };
    const char *body = refusal_body(code, refusals, sizeof refusals / sizeof refusals[0]);
    if (body) {
        explicit_bzero(m->op_key, sizeof m->op_key);
        ks_kiosk_failure(k, "marry.change_refused_title", body, RETRY_NONE, now_ms);
        k->msg_back = SCREEN_BOOKINGS;
        fetch_bookings(k);
        return;
    }
    /* Unknown outcome: 重试 repeats it with the same key (a cancel is not done twice). */
    if (here == SCREEN_MOVE)
        m->move_step = KS_MOVE_REVIEW;
    ks_kiosk_failure(k, "marry.change_failed_title", "marry.change_unknown_body", RETRY_MARRY,
                     now_ms);
    k->msg_back = here;
}

static void move_start(ks_kiosk_t *k)
{
    ks_marry_t *m = &k->marry;
    const ks_api_booking_t *b = selected(m);
    int first = 0, last = 0;
    if (!b)
        return;
    m->today = today_cst();
    ks_marriage_window(m->today, m->rules.min_notice_workdays, m->rules.horizon_days, m->holidays,
                       &first, &last);
    m->move_step = KS_MOVE_DATE;
    m->move_date = 0;
    m->notice_key = NULL;
    fetch_slots(k, b->office, first, last, b->type);
    ks_kiosk_show(k, SCREEN_MOVE);
}

/* ---- check-in at the registry --------------------------------------------------------------- */

/* Chooses the booking to check in from the holder's list; shows a message when there is none. */
static void checkin_choose(ks_kiosk_t *k, uint64_t now_ms)
{
    ks_marry_t *m = &k->marry;
    const char *office = k->cfg->marriage.office;
    int today = today_cst();
    int here = -1, elsewhere = -1, cancelled = -1, later = -1;
    for (int i = 0; i < m->bookings->n; i++) {
        const ks_api_booking_t *b = &m->bookings->bookings[i];
        int day = date_of(b->start);
        if (day == today && b->status != KS_CANCELLED) {
            if (strcmp(b->office, office) == 0)
                here = here < 0 ? i : here;
            else
                elsewhere = elsewhere < 0 ? i : elsewhere;
        } else if (day == today && b->status == KS_CANCELLED) {
            cancelled = cancelled < 0 ? i : cancelled;
        } else if (day > today && b->status == KS_BOOKED) {
            if (later < 0 || day < date_of(m->bookings->bookings[later].start))
                later = i;
        }
    }
    k->msg_detail_key = NULL;
    if (here >= 0) {
        m->sel = here;
        m->was_checked_in = m->bookings->bookings[here].status == KS_CHECKED_IN;
        m->checkin_step = KS_CHECKIN_SECOND_CARD;
        m->card_deadline_ms = (int64_t)now_ms + m->rules.second_card_timeout_ms;
        ks_kiosk_show(k, SCREEN_CHECKIN);
        return;
    }
    const char *body = "marry.checkin_none_body";
    int show = -1;
    if (elsewhere >= 0) {
        body = "marry.checkin_elsewhere_body";
        show = elsewhere;
    } else if (later >= 0) {
        body = "marry.checkin_other_day_body";
        show = later;
    } else if (cancelled >= 0) {
        body = "marry.checkin_cancelled_body";
        show = cancelled;
    }
    char when[KS_API_TIME] = "", where[96] = "";
    if (show >= 0) {
        snprintf(when, sizeof when, "%s", m->bookings->bookings[show].start);
        snprintf(where, sizeof where, "%s", m->bookings->bookings[show].office_name);
    }
    end_business(k, now_ms);
    ks_kiosk_message(k, KS_MSG_ERROR, "marry.checkin_failed_title", body, now_ms);
    if (show >= 0) {
        k->msg_detail_key = "marry.detail_booking";
        snprintf(k->msg_detail_time, sizeof k->msg_detail_time, "%s", when);
        snprintf(k->msg_detail_office, sizeof k->msg_detail_office, "%s", where);
    }
}

static void checkin_start(ks_kiosk_t *k)
{
    ks_marry_t *m = &k->marry;
    ks_marry_wipe(k);
    m->mode = KS_MARRY_CHECKIN;
    m->checkin_step = KS_CHECKIN_FINDING;
    fetch_bookings(k);
    ks_kiosk_show(k, SCREEN_CHECKIN);
}

void ks_marry_checkin_send(ks_kiosk_t *k, uint64_t now_ms)
{
    ks_marry_t *m = &k->marry;
    const ks_api_booking_t *b = selected(m);
    const char *holder = ks_session_token(k->session);
    if (!b || m->op_id > 0)
        return;
    m->checkin_step = KS_CHECKIN_SENDING;
    if (!holder) {
        m->op_after_lookup = 1; /* sent once the holder is looked up (again) */
        ks_kiosk_relookup(k, now_ms);
        ks_kiosk_show(k, SCREEN_CHECKIN);
        return;
    }
    const char *tokens[2] = {holder, m->other.citizen};
    int n = m->other.citizen[0] ? 2 : 1;
    char what[64];
    snprintf(what, sizeof what, "checkin:%s:%d", b->number, n);
    if (op_key(m, what) != 0) {
        ks_kiosk_failure(k, "marry.checkin_failed_title", "marry.checkin_offline_body", RETRY_MARRY,
                         now_ms);
        return;
    }
    ks_api_request_t *req =
        ks_api_req_checkin(b->number, k->cfg->marriage.office, tokens, n, m->op_key);
    m->op_call = KS_CALL_CHECKIN;
    m->op_id = req ? ks_kiosk_submit(k, req) : 0;
    m->op_due = 0; /* its own patience, not the last one's */
    m->checkin_step = KS_CHECKIN_SENDING;
    if (m->op_id == 0) {
        ks_kiosk_failure(k, "marry.checkin_failed_title", "marry.checkin_offline_body", RETRY_MARRY,
                         now_ms);
        k->msg_back = SCREEN_MENU;
        return;
    }
    ks_kiosk_show(k, SCREEN_CHECKIN);
}

static void checkin_reply(ks_kiosk_t *k, const ks_backend_reply_t *r, uint64_t now_ms)
{
    ks_marry_t *m = &k->marry;
    if ((long long)r->id != m->op_id)
        return;
    m->op_id = 0;
    const ks_api_checkin_t *t = r->answer;
    if (r->result == KS_NET_OK && t) {
        memcpy(&m->ticket, t, sizeof m->ticket);
        m->ticket_ready = 1;
        explicit_bzero(m->op_key, sizeof m->op_key);
        ks_log(KS_LOG_INFO, "marriage", "checked in");
        show_and_print(k, SCREEN_TICKET);
        return;
    }
    ks_log(KS_LOG_WARN, "marriage", "check-in failed: %s", r->reason);
    const char *code = r->result == KS_NET_HTTP ? r->error.code : "";
    if (r->status == 401 && strcmp(code, "TOKEN_EXPIRED") == 0 && !m->op_after_lookup) {
        renew_holder_then_resend(k, now_ms);
        return;
    }
    static const refusal_t refusals[] = {
        {"NOT_A_PARTY", "marry.checkin_not_party_body"},
        {"PARTY_MISSING", "marry.checkin_alone_body"},
        {"NOT_TODAY", "marry.checkin_other_day_body"},
        {"WRONG_OFFICE", "marry.checkin_elsewhere_body"},
        {"CANCELLED", "marry.checkin_cancelled_body"},
        {"NOT_FOUND", "marry.checkin_none_body"},
        {"TOKEN_EXPIRED", "marry.expired_body"},
    };
    const char *body = refusal_body(code, refusals, sizeof refusals / sizeof refusals[0]);
    if (body) {
        end_business(k, now_ms);
        ks_kiosk_message(k, KS_MSG_ERROR, "marry.checkin_failed_title", body, now_ms);
        return;
    }
    ks_kiosk_failure(k, "marry.checkin_failed_title", "marry.checkin_offline_body", RETRY_MARRY,
                     now_ms);
}

/* The other party's card at the registry. */
static void checkin_card(ks_kiosk_t *k, const ks_identity_t *id, uint64_t now_ms)
{
    ks_marry_t *m = &k->marry;
    const ks_identity_t *holder = ks_session_identity(k->session);
    ks_session_activity(k->session, now_ms);
    k->dirty = 1;
    if (holder && strncasecmp(holder->idnum, id->idnum, 18) == 0) {
        m->notice_key = "marry.notice_other_card";
        return;
    }
    ks_party_from_identity(&m->other, id);
    if (ks_marriage_party_check(&m->other, today_cst(), NULL) != KS_MARRIAGE_WHY_OK) {
        explicit_bzero(&m->other, sizeof m->other);
        m->notice_key = "marriage.why_bad_id";
        return;
    }
    m->notice_key = NULL;
    m->checkin_step = KS_CHECKIN_LOOKUP;
    m->card_deadline_ms = 0;
    lookup_party(k, &m->other, -1);
}

/* ---- what the kiosk calls ------------------------------------------------------------------- */

int ks_marry_identity(ks_kiosk_t *k, const ks_identity_t *id, uint64_t now_ms)
{
    k->marry.now_ms = now_ms;
    ks_marry_t *m = &k->marry;
    if (m->mode == KS_MARRY_BOOK && m->flow.step == KS_STEP_SECOND_CARD &&
        (k->screen == SCREEN_BOOK || k->screen == SCREEN_MESSAGE)) {
        ks_kiosk_show(k, SCREEN_BOOK);
        book_card(k, id, now_ms);
        return 1;
    }
    if (m->mode == KS_MARRY_CHECKIN && m->checkin_step == KS_CHECKIN_SECOND_CARD) {
        checkin_card(k, id, now_ms);
        return 1;
    }
    if (m->mode == KS_MARRY_BOOK) {
        /* A party putting their card back in mid-booking changes nothing. */
        for (int i = 0; i < m->flow.n_parties; i++)
            if (strncasecmp(m->flow.party[i].idnum, id->idnum, 18) == 0)
                return 1;
    }
    if (m->mode == KS_MARRY_CHECKIN) {
        /* ... nor mid-check-in (the holder's card, or the other party's once read). */
        const ks_identity_t *holder = ks_session_identity(k->session);
        if ((holder && strncasecmp(holder->idnum, id->idnum, 18) == 0) ||
            (m->other.idnum[0] && strncasecmp(m->other.idnum, id->idnum, 18) == 0))
            return 1;
    }
    return 0;
}

void ks_marry_card_error(ks_kiosk_t *k)
{
    ks_marry_t *m = &k->marry;
    if ((m->mode == KS_MARRY_BOOK && m->flow.step == KS_STEP_SECOND_CARD) ||
        (m->mode == KS_MARRY_CHECKIN && m->checkin_step == KS_CHECKIN_SECOND_CARD)) {
        m->notice_key = "marry.notice_card_error";
        k->dirty = 1;
    }
}

void ks_marry_session_token(ks_kiosk_t *k, uint64_t now_ms)
{
    k->marry.now_ms = now_ms;
    ks_marry_t *m = &k->marry;
    const char *token = ks_session_token(k->session);
    if (!token)
        return;
    if (m->mode == KS_MARRY_BOOK && m->flow.n_parties > 0)
        ks_booking_flow_set_citizen(&m->flow, 0, token);
    if ((m->mode == KS_MARRY_MANAGE || m->mode == KS_MARRY_CHECKIN) &&
        m->bookings_state == KS_FETCH_PENDING && m->bookings_id == 0)
        fetch_bookings(k);
    if (m->op_after_lookup) {
        m->op_after_lookup = 0;
        if (m->mode == KS_MARRY_CHECKIN && k->screen == SCREEN_CHECKIN)
            ks_marry_checkin_send(k, now_ms);
        else if (k->screen == SCREEN_CANCEL || k->screen == SCREEN_MOVE)
            op_send(k, now_ms);
    }
}

void ks_marry_lookup_failed(ks_kiosk_t *k, int refused, uint64_t now_ms)
{
    k->marry.now_ms = now_ms;
    ks_marry_t *m = &k->marry;
    if (m->op_after_lookup) {
        m->op_after_lookup = 0;
        if (m->mode == KS_MARRY_CHECKIN)
            m->checkin_step = KS_CHECKIN_SENDING; /* 重试 sends it again */
        if (k->screen == SCREEN_MOVE)
            m->move_step = KS_MOVE_REVIEW;
        screen_t here = k->screen;
        ks_kiosk_failure(k, "message.lookup_failed_title",
                         refused ? "message.lookup_refused_body" : "message.lookup_offline_body",
                         refused ? RETRY_NONE : RETRY_MARRY, now_ms);
        k->msg_back = here;
        return;
    }
    if ((m->mode == KS_MARRY_MANAGE || m->mode == KS_MARRY_CHECKIN) &&
        m->bookings_state == KS_FETCH_PENDING && m->bookings_id == 0) {
        m->bookings_state = KS_FETCH_FAILED;
        ks_kiosk_failure(k, "message.lookup_failed_title",
                         refused ? "message.lookup_refused_body" : "message.lookup_offline_body",
                         refused ? RETRY_NONE : RETRY_LOOKUP, now_ms);
    }
}

/*
 * A fetched list arrived (or did not): copied into dst when it is the request
 * still awaited. Returns 1 when the list is in, 0 when it failed, -1 for a
 * stale reply (dropped).
 */
static int take_list(ks_kiosk_t *k, const ks_backend_reply_t *r, long long *id, void *dst,
                     size_t size, ks_fetch_t *state, const char *what)
{
    if ((long long)r->id != *id)
        return -1;
    *id = 0;
    k->dirty = 1;
    if (r->result == KS_NET_OK && r->answer) {
        memcpy(dst, r->answer, size);
        *state = KS_FETCH_OK;
        return 1;
    }
    ks_log(KS_LOG_WARN, "marriage", "%s: %s", what, r->reason);
    *state = KS_FETCH_FAILED;
    return 0;
}

int ks_marry_reply(ks_kiosk_t *k, const ks_backend_reply_t *r, uint64_t now_ms)
{
    k->marry.now_ms = now_ms;
    ks_marry_t *m = &k->marry;
    if (r->call == KS_CALL_OFFICES) {
        take_list(k, r, &m->offices_id, m->offices, sizeof *m->offices, &m->offices_state,
                  "offices");
        return 1;
    }
    if ((uintptr_t)r->user != k->session_gen)
        return r->call != KS_CALL_LOOKUP; /* for a visit that has ended */
    switch (r->call) {
    case KS_CALL_LOOKUP:
        if ((long long)r->id != m->party_id || m->party_id == 0)
            return 0;
        party_reply(k, r, now_ms);
        return 1;
    case KS_CALL_SLOTS:
        take_list(k, r, &m->slots_id, m->slots, sizeof *m->slots, &m->slots_state, "slots");
        return 1;
    case KS_CALL_BOOK:
        book_reply(k, r, now_ms);
        return 1;
    case KS_CALL_BOOKINGS: {
        int got = take_list(k, r, &m->bookings_id, m->bookings, sizeof *m->bookings,
                            &m->bookings_state, "bookings");
        if (got == 1 && m->mode == KS_MARRY_CHECKIN && k->screen == SCREEN_CHECKIN) {
            checkin_choose(k, now_ms);
        } else if (got == 0 && r->status == 401 && strcmp(r->error.code, "TOKEN_EXPIRED") == 0 &&
                   ks_session_token(k->session)) {
            /* A token older than 10 minutes: look the holder up again; the list follows. */
            ks_session_clear_token(k->session);
            m->bookings_state = KS_FETCH_PENDING;
            ks_kiosk_relookup(k, now_ms);
        }
        /* A failure shows on the list or check-in screen itself, with 重试. */
        return 1;
    }
    case KS_CALL_CANCEL:
    case KS_CALL_RESCHEDULE:
        op_reply(k, r, now_ms);
        return 1;
    case KS_CALL_CHECKIN:
        checkin_reply(k, r, now_ms);
        return 1;
    default:
        return 0;
    }
}

/* A request the screen waits for, and when the kiosk stops waiting for it. */
typedef struct {
    long long *id;
    uint64_t *due;
    ks_call_t call;
} pending_t;

static int pendings(ks_marry_t *m, pending_t out[6])
{
    out[0] = (pending_t){&m->offices_id, &m->offices_due, KS_CALL_OFFICES};
    out[1] = (pending_t){&m->slots_id, &m->slots_due, KS_CALL_SLOTS};
    out[2] = (pending_t){&m->party_id, &m->party_due, KS_CALL_LOOKUP};
    out[3] = (pending_t){&m->book_id, &m->book_due, KS_CALL_BOOK};
    out[4] = (pending_t){&m->bookings_id, &m->bookings_due, KS_CALL_BOOKINGS};
    out[5] = (pending_t){&m->op_id, &m->op_due, m->op_call};
    return 6;
}

/*
 * A reply that never comes (lost inside the process, a client stuck) must not
 * leave the citizen before a spinner: after the client's own timeouts and
 * retries have had their time, the request is given up and answered as a
 * timeout, through the same paths as a real one (a booking: 重试 with the
 * same key).
 */
static void give_up_stalled(ks_kiosk_t *k, uint64_t now_ms)
{
    ks_marry_t *m = &k->marry;
    pending_t p[6];
    int n = pendings(m, p);
    uint64_t patience = ks_kiosk_patience_ms(k) * (uint64_t)(k->cfg->backend.attempts + 1);
    for (int i = 0; i < n; i++) {
        if (*p[i].id <= 0) {
            *p[i].due = 0;
            continue;
        }
        if (!*p[i].due) {
            *p[i].due = now_ms + patience;
            continue;
        }
        if (now_ms < *p[i].due)
            continue;
        long long id = *p[i].id;
        ks_log(KS_LOG_WARN, "marriage", "%s: no answer in time; given up", ks_call_name(p[i].call));
        if (k->cancel)
            k->cancel(k->backend_ctx, id);
        ks_backend_reply_t r;
        memset(&r, 0, sizeof r);
        r.id = (uint64_t)id;
        r.call = p[i].call;
        r.user = (void *)k->session_gen;
        r.result = KS_NET_TIMEOUT;
        snprintf(r.reason, sizeof r.reason, "no answer in time");
        ks_marry_reply(k, &r, now_ms);
        if (*p[i].id == id)
            *p[i].id = 0;
        *p[i].due = 0;
    }
}

void ks_marry_tick(ks_kiosk_t *k, uint64_t now_ms)
{
    k->marry.now_ms = now_ms;
    ks_marry_t *m = &k->marry;
    give_up_stalled(k, now_ms);
    /*
     * While the other party fetches their card the session is not idle: the
     * card's own timeout (second_card_timeout_s) decides, not the touch timeout.
     */
    if ((k->screen == SCREEN_BOOK || k->screen == SCREEN_CHECKIN) &&
        ks_marry_card_left_s(k, now_ms) > 0)
        ks_session_activity(k->session, now_ms);
    if (m->mode == KS_MARRY_BOOK && ks_booking_flow_tick(&m->flow, (int64_t)now_ms) == 1) {
        /* The other party never came: the booking ends (and the session, without a card). */
        ks_log(KS_LOG_INFO, "marriage", "second card timed out");
        end_business(k, now_ms);
        ks_kiosk_message(k, KS_MSG_ERROR, "marry.card_timeout_title", "marriage.why_card_timeout",
                         now_ms);
    }
    if (m->mode == KS_MARRY_CHECKIN && m->checkin_step == KS_CHECKIN_SECOND_CARD &&
        m->card_deadline_ms > 0 && (int64_t)now_ms >= m->card_deadline_ms) {
        ks_log(KS_LOG_INFO, "marriage", "check-in: the other party's card did not come");
        end_business(k, now_ms);
        ks_kiosk_message(k, KS_MSG_ERROR, "marry.checkin_failed_title", "marry.checkin_alone_body",
                         now_ms);
    }
}

int64_t ks_marry_next_deadline_ms(const ks_kiosk_t *k, uint64_t now_ms)
{
    const ks_marry_t *m = &k->marry;
    const long long ids[6] = {m->offices_id, m->slots_id,    m->party_id,
                              m->book_id,    m->bookings_id, m->op_id};
    const uint64_t dues[6] = {m->offices_due, m->slots_due,    m->party_due,
                              m->book_due,    m->bookings_due, m->op_due};
    int64_t stall = -1;
    for (int i = 0; i < 6; i++) {
        if (ids[i] <= 0)
            continue;
        /* A request not yet given its patience: at once, so the tick starts its clock. */
        int64_t left = dues[i] > now_ms ? (int64_t)(dues[i] - now_ms) : 0;
        if (stall < 0 || left < stall)
            stall = left;
    }
    int64_t due = -1;
    if (m->mode == KS_MARRY_BOOK && m->flow.step == KS_STEP_SECOND_CARD)
        due = m->flow.card_deadline_ms;
    else if (m->mode == KS_MARRY_CHECKIN && m->checkin_step == KS_CHECKIN_SECOND_CARD)
        due = m->card_deadline_ms;
    int64_t card = -1;
    if (due > 0) {
        /* Wake every second as well: the screen counts the time left down. */
        int64_t left = due - (int64_t)now_ms;
        card = left < 0 ? 0 : left < 1000 ? left : 1000;
    }
    if (stall >= 0 && (card < 0 || stall < card))
        return stall;
    return card;
}

/* Seconds the other party has left to put their card in, or -1. */
int ks_marry_card_left_s(const ks_kiosk_t *k, uint64_t now_ms)
{
    const ks_marry_t *m = &k->marry;
    int64_t due = -1;
    if (m->mode == KS_MARRY_BOOK && m->flow.step == KS_STEP_SECOND_CARD)
        due = m->flow.card_deadline_ms;
    else if (m->mode == KS_MARRY_CHECKIN && m->checkin_step == KS_CHECKIN_SECOND_CARD)
        due = m->card_deadline_ms;
    if (due <= 0)
        return -1;
    int64_t left = due - (int64_t)now_ms;
    return left <= 0 ? 0 : (int)((left + 999) / 1000);
}

/* Remaining places on `date` if it may be offered now (else 0): the calendar's days. */
int ks_marry_day_left(const ks_kiosk_t *k, int date)
{
    const ks_marry_t *m = &k->marry;
    if (m->slots_state != KS_FETCH_OK)
        return 0;
    if (k->screen == SCREEN_BOOK) {
        if (ks_booking_flow_check_date(&m->flow, date) != KS_MARRIAGE_WHY_OK)
            return 0;
    } else if (ks_marriage_day_check(date, m->today, m->rules.min_notice_workdays,
                                     m->rules.horizon_days, m->holidays) != KS_MARRIAGE_WHY_OK) {
        return 0;
    }
    return ks_marriage_day_remaining(m->slots, date);
}

void ks_marry_retry(ks_kiosk_t *k, uint64_t now_ms)
{
    k->marry.now_ms = now_ms;
    ks_marry_t *m = &k->marry;
    if (m->mode == KS_MARRY_BOOK) {
        ks_kiosk_show(k, SCREEN_BOOK);
        if (m->flow.step == KS_STEP_FAILED) {
            book_send(k, now_ms);
        } else if (party_without_token(m) >= 0 && m->party_id == 0) {
            m->resend = m->flow.step == KS_STEP_FAILED;
            lookup_party(k, &m->flow.party[party_without_token(m)], party_without_token(m));
        }
        return;
    }
    if (m->mode == KS_MARRY_CHECKIN) {
        if (m->checkin_step == KS_CHECKIN_SENDING) {
            ks_marry_checkin_send(k, now_ms);
        } else if (m->checkin_step == KS_CHECKIN_LOOKUP) {
            ks_kiosk_show(k, SCREEN_CHECKIN);
            lookup_party(k, &m->other, -1);
        } else {
            checkin_start(k);
        }
        return;
    }
    if (m->mode == KS_MARRY_MANAGE) {
        if (k->msg_back == SCREEN_CANCEL || k->msg_back == SCREEN_MOVE) {
            ks_kiosk_show(k, k->msg_back);
            op_send(k, now_ms);
        } else {
            ks_kiosk_show(k, SCREEN_BOOKINGS);
            fetch_bookings(k);
        }
    }
}

/* Typing a phone number: digits, at most 11. */
static void phone_key(ks_marry_t *m, int action)
{
    size_t n = strlen(m->field);
    m->field_err = NULL;
    if (action == KS_ACT_KEY_DEL) {
        if (n > 0)
            m->field[n - 1] = '\0';
    } else if (n < 11) {
        m->field[n] = (char)('0' + (action - KS_ACT_KEY_0));
        m->field[n + 1] = '\0';
    }
}

/* After a step changed: what the new step starts with. */
static void book_entered(ks_kiosk_t *k)
{
    ks_marry_t *m = &k->marry;
    explicit_bzero(m->field, sizeof m->field);
    m->field_err = NULL;
    int i = m->flow.step == KS_STEP_PHONE_A ? 0 : m->flow.step == KS_STEP_PHONE_B ? 1 : -1;
    if (i >= 0) /* back to a phone already typed: it is there to check or change */
        snprintf(m->field, sizeof m->field, "%s", m->flow.party[i].phone);
    if (m->flow.step == KS_STEP_FIRST_CARD)
        m->notice_key = NULL;
    k->page = 0;
    k->dirty = 1;
}

static int book_action(ks_kiosk_t *k, int action, uint64_t now_ms)
{
    ks_marry_t *m = &k->marry;
    ks_booking_flow_t *f = &m->flow;
    if (action == KS_ACT_BACK || action == KS_ACT_HOME) {
        if (f->step == KS_STEP_KIND || f->step == KS_STEP_SECOND_CARD) {
            /* Leaving the booking before anything was chosen: back to the menu. */
            ks_marry_wipe(k);
            ks_kiosk_show(k, SCREEN_MENU);
            return 1;
        }
        if (ks_booking_flow_back(f) == 0) {
            if (f->step == KS_STEP_FIRST_CARD) /* the pair is read again: the holder first */
                add_holder(k, now_ms);
            m->notice_key = NULL;
            book_entered(k);
        }
        return 1;
    }
    switch (f->step) {
    case KS_STEP_KIND:
        if (action >= KS_ACT_CHOICE_0 && action <= KS_ACT_CHOICE_0 + KS_REISSUE &&
            ks_booking_flow_set_kind(f, (ks_booking_type_t)(action - KS_ACT_CHOICE_0)) == 0) {
            add_holder(k, now_ms);
            book_entered(k);
        }
        return 1;
    case KS_STEP_SECOND_CARD:
        if (action == KS_ACT_ONE_PARTY && ks_booking_flow_one_party(f) == 0)
            book_entered(k);
        return 1;
    case KS_STEP_CHECKS:
        if (action == KS_ACT_NEXT && ks_booking_flow_proceed(f) == 0) {
            fetch_offices(k);
            book_entered(k);
        }
        return 1;
    case KS_STEP_OFFICE:
        if (action >= KS_ACT_CHOICE_0 && action < KS_ACT_CHOICE_0 + m->offices->n &&
            ks_booking_flow_set_office(f, m->offices->offices[action - KS_ACT_CHOICE_0].code) ==
                0) {
            m->notice_key = NULL;
            fetch_slots(k, f->office, f->first, f->last, f->type);
            book_entered(k);
        }
        return 1;
    case KS_STEP_DATE:
        if (action >= KS_ACT_DAY_0 && action < KS_ACT_DAY_0 + 400) {
            int date = ks_date_add(f->first, action - KS_ACT_DAY_0);
            if (ks_marry_day_left(k, date) > 0 && ks_booking_flow_set_date(f, date) == 0) {
                m->notice_key = NULL;
                book_entered(k);
            }
        } else if (action == KS_ACT_MONTH_PREV || action == KS_ACT_MONTH_NEXT) {
            ks_marry_month(k, action == KS_ACT_MONTH_NEXT ? 1 : -1, f->first, f->last);
        }
        return 1;
    case KS_STEP_SLOT:
        if (action >= KS_ACT_SLOT_0 && action < KS_ACT_SLOT_0 + m->slots->n &&
            ks_booking_flow_set_slot(f, &m->slots->slots[action - KS_ACT_SLOT_0]) == 0) {
            m->notice_key = NULL;
            book_entered(k);
        }
        return 1;
    case KS_STEP_PHONE_A:
    case KS_STEP_PHONE_B:
        if ((action >= KS_ACT_KEY_0 && action <= KS_ACT_KEY_0 + 9) || action == KS_ACT_KEY_DEL) {
            phone_key(m, action);
            k->dirty = 1;
        } else if (action == KS_ACT_NEXT) {
            int i = f->step == KS_STEP_PHONE_A ? 0 : 1;
            if (!ks_api_phone_valid(m->field)) {
                m->field_err = "marry.phone_invalid";
                k->dirty = 1;
            } else if (ks_booking_flow_set_phone(f, i, m->field) == 0) {
                book_entered(k);
            }
        }
        return 1;
    case KS_STEP_REVIEW:
    case KS_STEP_FAILED:
        if (action == KS_ACT_CONFIRM)
            book_send(k, now_ms);
        return 1;
    case KS_STEP_DONE:
    case KS_STEP_SUBMITTING:
    case KS_STEP_FIRST_CARD:
        return 1;
    }
    return 1;
}

void ks_marry_month(ks_kiosk_t *k, int dir, int first, int last)
{
    ks_marry_t *m = &k->marry;
    int y = m->month / 100, mo = m->month % 100 + dir;
    if (mo < 1) {
        mo = 12;
        y--;
    } else if (mo > 12) {
        mo = 1;
        y++;
    }
    int month = y * 100 + mo;
    if (month >= first / 100 && month <= last / 100)
        m->month = month;
    k->dirty = 1;
}

static int move_action(ks_kiosk_t *k, int action, uint64_t now_ms)
{
    ks_marry_t *m = &k->marry;
    int first = 0, last = 0;
    ks_marriage_window(m->today, m->rules.min_notice_workdays, m->rules.horizon_days, m->holidays,
                       &first, &last);
    if (action == KS_ACT_BACK || action == KS_ACT_HOME) {
        m->notice_key = NULL;
        if (m->move_step == KS_MOVE_DATE)
            ks_kiosk_show(k, SCREEN_BOOKING);
        else if (m->move_step == KS_MOVE_SLOT || m->move_step == KS_MOVE_REVIEW)
            m->move_step--;
        k->page = 0;
        k->dirty = 1;
        return 1;
    }
    ks_move_step_t before = m->move_step;
    switch (m->move_step) {
    case KS_MOVE_DATE:
        if (action >= KS_ACT_DAY_0 && action < KS_ACT_DAY_0 + 400) {
            int date = ks_date_add(first, action - KS_ACT_DAY_0);
            if (ks_marry_day_left(k, date) > 0) {
                m->move_date = date;
                m->move_step = KS_MOVE_SLOT;
                m->notice_key = NULL;
            }
        } else if (action == KS_ACT_MONTH_PREV || action == KS_ACT_MONTH_NEXT) {
            ks_marry_month(k, action == KS_ACT_MONTH_NEXT ? 1 : -1, first, last);
        }
        break;
    case KS_MOVE_SLOT:
        if (action >= KS_ACT_SLOT_0 && action < KS_ACT_SLOT_0 + m->slots->n) {
            const ks_api_slot_t *s = &m->slots->slots[action - KS_ACT_SLOT_0];
            if (s->remaining > 0 && date_of(s->start) == m->move_date) {
                memcpy(&m->move_slot, s, sizeof *s); /* another slot: another key (op_key) */
                m->move_step = KS_MOVE_REVIEW;
                m->notice_key = NULL;
            }
        }
        break;
    case KS_MOVE_REVIEW:
        if (action == KS_ACT_CONFIRM)
            op_send(k, now_ms);
        break;
    case KS_MOVE_SENDING:
        break;
    }
    if (m->move_step != before)
        k->page = 0; /* a new step starts on its first page */
    k->dirty = 1;
    return 1;
}

int ks_marry_action(ks_kiosk_t *k, int action, uint64_t now_ms)
{
    k->marry.now_ms = now_ms;
    ks_marry_t *m = &k->marry;
    switch (action) {
    case KS_ACT_MARRY:
        if (ks_session_identity(k->session))
            book_start(k, now_ms);
        return 1;
    case KS_ACT_MY_BOOKINGS:
        if (ks_session_identity(k->session))
            manage_start(k);
        return 1;
    case KS_ACT_CHECKIN:
        if (ks_session_identity(k->session) && k->cfg->mode == KS_MODE_REGISTRY)
            checkin_start(k);
        return 1;
    case KS_ACT_DONE:
        ks_log(KS_LOG_INFO, "kiosk", "session ended: marriage business done");
        ks_kiosk_reset_to_idle(k, now_ms);
        return 1;
    default:
        break;
    }
    switch (k->screen) {
    case SCREEN_BOOK:
        return book_action(k, action, now_ms);
    case SCREEN_BOOKINGS:
        if (action == KS_ACT_RETRY) {
            fetch_bookings(k);
            k->dirty = 1;
            return 1;
        }
        if (action >= KS_ACT_BOOKING_0 && action < KS_ACT_BOOKING_0 + m->bookings->n) {
            m->sel = action - KS_ACT_BOOKING_0;
            ks_kiosk_show(k, SCREEN_BOOKING);
            return 1;
        }
        if (action == KS_ACT_BACK) {
            ks_marry_wipe(k);
            ks_kiosk_show(k, SCREEN_MENU);
            return 1;
        }
        return 0;
    case SCREEN_BOOKING:
        if (action == KS_ACT_CANCEL_BOOKING && ks_marry_can_change(k, selected(m))) {
            ks_kiosk_show(k, SCREEN_CANCEL);
        } else if (action == KS_ACT_MOVE_BOOKING && ks_marry_can_change(k, selected(m))) {
            move_start(k);
        } else if (action == KS_ACT_BACK) {
            ks_kiosk_show(k, SCREEN_BOOKINGS);
        } else {
            return 0;
        }
        return 1;
    case SCREEN_CANCEL:
        if (action == KS_ACT_CONFIRM)
            op_send(k, now_ms);
        else if (action == KS_ACT_BACK && m->op_id == 0)
            ks_kiosk_show(k, SCREEN_BOOKING);
        else
            return 0;
        return 1;
    case SCREEN_MOVE:
        return move_action(k, action, now_ms);
    case SCREEN_CHECKIN:
        if (action == KS_ACT_RETRY && m->checkin_step == KS_CHECKIN_FINDING) {
            fetch_bookings(k);
            k->dirty = 1;
            return 1;
        }
        if (action == KS_ACT_BACK) {
            ks_marry_wipe(k);
            ks_kiosk_show(k, SCREEN_MENU);
            return 1;
        }
        if (action == KS_ACT_ONE_PARTY && m->checkin_step == KS_CHECKIN_SECOND_CARD &&
            selected(m) && selected(m)->type == KS_REISSUE) {
            m->card_deadline_ms = 0;
            ks_marry_checkin_send(k, now_ms);
            return 1;
        }
        return 0;
    case SCREEN_BOOKED:
    case SCREEN_TICKET:
        if (action == KS_ACT_BACK) {
            ks_kiosk_reset_to_idle(k, now_ms);
            return 1;
        }
        return 0;
    default:
        return 0;
    }
}

/* The screen's name for tests and logs ("book-date", "checkin-card"). */
const char *ks_marry_screen_name(const ks_kiosk_t *k)
{
    const ks_marry_t *m = &k->marry;
    static const char *const book[] = {"book-kind",   "book-card",   "book-card",    "book-checks",
                                       "book-office", "book-date",   "book-slot",    "book-phone",
                                       "book-phone",  "book-review", "book-sending", "booked",
                                       "book-review"};
    static const char *const move[] = {"move-date", "move-slot", "move-review", "move-sending"};
    static const char *const checkin[] = {"checkin-finding", "checkin-card", "checkin-lookup",
                                          "checkin-sending"};
    switch (k->screen) {
    case SCREEN_BOOK:
        return book[(unsigned)m->flow.step % (sizeof book / sizeof book[0])];
    case SCREEN_MOVE:
        return move[(unsigned)m->move_step % 4];
    case SCREEN_CHECKIN:
        return checkin[(unsigned)m->checkin_step % 4];
    case SCREEN_BOOKED:
        return "booked";
    case SCREEN_BOOKINGS:
        return "bookings";
    case SCREEN_BOOKING:
        return "booking";
    case SCREEN_CANCEL:
        return "booking-cancel";
    case SCREEN_TICKET:
        return "ticket";
    default:
        return NULL;
    }
}

void ks_marry_prepare(ks_kiosk_t *k)
{
    ks_marry_t *m = &k->marry;
    m->day_first = m->day_last = 0;
    if (k->screen == SCREEN_BOOK) {
        m->day_first = m->flow.first;
        m->day_last = m->flow.last;
    } else if (k->screen == SCREEN_MOVE) {
        ks_marriage_window(m->today, m->rules.min_notice_workdays, m->rules.horizon_days,
                           m->holidays, &m->day_first, &m->day_last);
    }
    memset(m->day_left, 0, sizeof m->day_left);
    int n = ks_date_diff(m->day_first, m->day_last);
    for (int i = 0; m->day_first && n != KS_DAYS_INVALID && i <= n && i < KS_MARRY_MAX_DAYS; i++)
        m->day_left[i] = ks_marry_day_left(k, ks_date_add(m->day_first, i));
    memset(m->changeable, 0, sizeof m->changeable);
    for (int i = 0; i < m->bookings->n && i < KS_API_MAX_BOOKINGS; i++)
        m->changeable[i] = (unsigned char)ks_marry_can_change(k, &m->bookings->bookings[i]);
}

void ks_marry_dump(const ks_kiosk_t *k, cJSON *root)
{
    const ks_marry_t *m = &k->marry;
    static const char *const modes[] = {"none", "book", "manage", "checkin"};
    static const char *const fetches[] = {"none", "pending", "ok", "failed"};
    cJSON *o = cJSON_AddObjectToObject(root, "marriage");
    cJSON_AddStringToObject(o, "mode", modes[m->mode]);
    cJSON_AddBoolToObject(o, "holidays", m->holidays_ok);
    if (m->mode == KS_MARRY_BOOK) {
        cJSON_AddStringToObject(o, "step", ks_booking_step_name(m->flow.step));
        cJSON_AddStringToObject(o, "why", ks_marriage_why_key(m->flow.why));
        cJSON_AddNumberToObject(o, "parties", m->flow.n_parties);
        int tokens = 0;
        for (int i = 0; i < m->flow.n_parties; i++)
            tokens += m->flow.party[i].citizen[0] != 0;
        cJSON_AddNumberToObject(o, "tokens", tokens);
        cJSON_AddBoolToObject(o, "key", m->flow.idempotency_key[0] != 0);
        cJSON_AddNumberToObject(o, "first", m->flow.first);
        cJSON_AddNumberToObject(o, "last", m->flow.last);
        cJSON_AddNumberToObject(o, "date", m->flow.date);
        cJSON_AddStringToObject(o, "slot", m->flow.slot);
    }
    cJSON_AddStringToObject(o, "offices", fetches[m->offices_state]);
    cJSON_AddStringToObject(o, "slots", fetches[m->slots_state]);
    cJSON_AddStringToObject(o, "bookings", fetches[m->bookings_state]);
    cJSON_AddNumberToObject(o, "month", m->month);
    cJSON_AddNumberToObject(o, "field_len", (double)strlen(m->field));
    if (m->notice_key)
        cJSON_AddStringToObject(o, "notice", m->notice_key);
    if (k->screen == SCREEN_BOOKED)
        cJSON_AddStringToObject(o, "number", m->booked.number);
    cJSON_AddStringToObject(o, "print", ks_slip_state_name(m->slip.state));
    if (k->screen == SCREEN_TICKET && m->ticket_ready) {
        cJSON_AddStringToObject(o, "ticket", m->ticket.ticket);
        cJSON_AddNumberToObject(o, "waiting_ahead", m->ticket.waiting_ahead);
    }
}
