/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "kiosk_priv.h"

#include "catalog.h"
#include "error.h"
#include "idnum.h"
#include "log.h"
#include "policy.h"
#include "subsidy.h"
#include "screens.h"
#include "session.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Indexed by screen_t (the marriage screens' names say their step: ks_marry_screen_name). */
static const char *const screen_names[] = {
    "idle",     "menu",   "message",   "assistance", "subsidy",    "policy",         "wizard",
    "estimate", "book",   "booked",    "bookings",   "booking",    "booking-cancel", "move",
    "checkin",  "ticket", "staff-pin", "staff",      "staff-touch"};
_Static_assert(sizeof screen_names / sizeof screen_names[0] == SCREEN_STAFF_TOUCH + 1,
               "a name for every screen");

static const ks_catalog_t *catalog(const ks_kiosk_t *k)
{
    return k->english ? k->en : k->zh;
}

/*
 * The bundled policy data, read at start; a kiosk without it still starts
 * (consultation then says the data is unavailable) — but the file is part of
 * the install, so its absence is logged as an error.
 */
static void load_fallback_policies(ks_kiosk_t *k)
{
    char err[512];
    if (ks_policy_load_file(k->cfg->policies_fallback, k->policies, err, sizeof err) == 0) {
        k->policy_origin = KS_POLICY_FROM_FALLBACK;
        return;
    }
    ks_log(KS_LOG_ERROR, "kiosk", "bundled policy data unusable: %s", err);
    memset(k->policies, 0, sizeof *k->policies);
    k->policy_origin = KS_POLICY_FROM_FALLBACK;
}

ks_kiosk_t *ks_kiosk_new(const ks_config_t *cfg, ks_ui_t *ui, const char *assets_dir,
                         uint64_t now_ms, char *err, size_t errlen)
{
    char path[1024];
    ks_kiosk_t *k = calloc(1, sizeof *k);
    if (!k) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    k->cfg = cfg;
    k->ui = ui;
    snprintf(path, sizeof path, "%s/strings/zh_CN.ini", assets_dir);
    k->zh = ks_catalog_load(path, NULL, err, errlen);
    if (!k->zh)
        goto fail;
    snprintf(path, sizeof path, "%s/strings/en.ini", assets_dir);
    k->en = ks_catalog_load(path, k->zh, err, errlen);
    if (!k->en)
        goto fail;
    k->session =
        ks_session_new((uint32_t)cfg->idle_timeout_s * 1000u, (uint32_t)cfg->countdown_s * 1000u);
    if (!k->session) {
        snprintf(err, errlen, "out of memory");
        goto fail;
    }
    k->policies = calloc(1, sizeof *k->policies);
    k->assist = calloc(1, sizeof *k->assist);
    if (!k->policies || !k->assist) {
        snprintf(err, errlen, "out of memory");
        goto fail;
    }
    load_fallback_policies(k);
    if (ks_marry_init(k, err, errlen) != 0)
        goto fail;
    k->english = strcmp(cfg->language, "en") == 0;
    ks_ui_set_elderly(ui, cfg->elderly_default);
    k->screen = SCREEN_IDLE;
    k->started_ms = now_ms;
    k->last_input_ms = now_ms;
    k->dirty = 1;
    return k;
fail:
    ks_kiosk_free(k);
    return NULL;
}

void ks_kiosk_free(ks_kiosk_t *k)
{
    if (!k)
        return;
    ks_session_free(k->session);
    ks_marry_free(k);
    ks_staff_free(k);
    explicit_bzero(&k->answers, sizeof k->answers);
    explicit_bzero(k->field, sizeof k->field);
    explicit_bzero(&k->estimate, sizeof k->estimate);
    if (k->assist)
        explicit_bzero(k->assist, sizeof *k->assist);
    free(k->assist);
    free(k->policies);
    ks_catalog_free(k->en);
    ks_catalog_free(k->zh);
    free(k);
}

static void cancel_request(ks_kiosk_t *k, long long *id);

static void show(ks_kiosk_t *k, screen_t s)
{
    if (k->screen == SCREEN_ASSIST && s != SCREEN_ASSIST) {
        /* Whoever leaves the records no longer waits for them. */
        cancel_request(k, &k->assist_id);
        k->assist_after_lookup = 0;
    }
    k->screen = s;
    k->dirty = 1;
}

static int reset_settings(ks_kiosk_t *k);
static void build(ks_kiosk_t *k, uint64_t now_ms);
static void begin_session(ks_kiosk_t *k, const ks_identity_t *id, const char *reader,
                          uint64_t now_ms);

static void show_message(ks_kiosk_t *k, ks_msg_kind_t kind, const char *title_key,
                         const char *body_key, uint64_t now_ms);

/*
 * A request for the citizen failed: the message, 重试 for `retry` (none with
 * RETRY_NONE, where trying again cannot help), and 返回 to the menu.
 */
static void show_failure(ks_kiosk_t *k, const char *title_key, const char *body_key, retry_t retry,
                         uint64_t now_ms)
{
    show_message(k, KS_MSG_ERROR, title_key, body_key, now_ms);
    k->msg_retry = retry != RETRY_NONE;
    k->retry = retry;
    k->msg_back = ks_session_identity(k->session) ? SCREEN_MENU : SCREEN_IDLE;
}

static void cancel_request(ks_kiosk_t *k, long long *id)
{
    if (*id > 0 && k->cancel)
        k->cancel(k->backend_ctx, *id);
    *id = 0;
}

/* Drops everything a visit left behind: requests in flight, records, answers. */
static void drop_lookup(ks_kiosk_t *k)
{
    cancel_request(k, &k->lookup_id);
    cancel_request(k, &k->assist_id);
    k->lookup = KS_LOOKUP_NONE;
    k->assist_after_lookup = 0;
    k->assist_ready = 0;
    explicit_bzero(k->assist, sizeof *k->assist);
    explicit_bzero(&k->answers, sizeof k->answers);
    explicit_bzero(k->field, sizeof k->field);
    explicit_bzero(&k->estimate, sizeof k->estimate);
    memset(k->answered, 0, sizeof k->answered);
    k->field_err = NULL;
    k->age_from_card = 0;
    k->q = 0;
    k->page = k->pages = 0;
    ks_marry_wipe(k);
    k->session_gen++;
}

/*
 * How long the kiosk waits for a lookup before it says the backend is not
 * answering, even if no reply ever comes (a reply lost inside the process).
 */
static uint64_t lookup_patience_ms(const ks_kiosk_t *k)
{
    return (uint64_t)k->cfg->backend.connect_timeout_ms + (uint64_t)k->cfg->backend.timeout_ms +
           5000u;
}

/* Asks the backend for this session's citizen token (the ID number goes in a POST body). */
static void start_lookup(ks_kiosk_t *k, uint64_t now_ms)
{
    const ks_identity_t *id = ks_session_identity(k->session);
    if (!k->submit || !id)
        return;
    ks_api_request_t *req = ks_api_req_lookup(id->idnum, "SSC3", id->card_number);
    if (!req) {
        k->lookup = KS_LOOKUP_REFUSED;
        return;
    }
    req->user = (void *)k->session_gen;
    long long rid = k->submit(k->backend_ctx, req);
    k->lookup_id = rid > 0 ? rid : 0;
    k->lookup = rid > 0 ? KS_LOOKUP_PENDING : KS_LOOKUP_OFFLINE;
    k->lookup_deadline_ms = now_ms + lookup_patience_ms(k);
    k->dirty = 1;
}

/* The lookup failed: say so plainly; 重试 only where trying again can help. */
static void lookup_failed(ks_kiosk_t *k, int refused, uint64_t now_ms)
{
    if (k->lookup_id > 0 && k->cancel)
        k->cancel(k->backend_ctx, k->lookup_id);
    k->lookup_id = 0;
    k->lookup = refused ? KS_LOOKUP_REFUSED : KS_LOOKUP_OFFLINE;
    if (k->assist_after_lookup && k->screen == SCREEN_ASSIST) {
        /* The records were asked for: the failure is theirs to report. */
        show_failure(k, "message.assist_failed_title",
                     refused ? "message.lookup_refused_body" : "message.assist_failed_body",
                     refused ? RETRY_NONE : RETRY_ASSIST, now_ms);
    } else if (k->screen == SCREEN_MENU) {
        show_failure(k, "message.lookup_failed_title",
                     refused ? "message.lookup_refused_body" : "message.lookup_offline_body",
                     refused ? RETRY_NONE : RETRY_LOOKUP, now_ms);
    }
    k->assist_after_lookup = 0;
    k->dirty = 1;
    ks_marry_lookup_failed(k, refused, now_ms); /* 我的预约 or check-in waited for it */
}

static void start_assist(ks_kiosk_t *k, uint64_t now_ms);
static void fetch_policies(ks_kiosk_t *k, uint64_t now_ms);

/* Back to the attract screen with the settings a new citizen expects. */
static void reset_to_idle(ks_kiosk_t *k, uint64_t now_ms)
{
    drop_lookup(k);
    ks_session_end(k->session);
    k->session_reader[0] = '\0';
    reset_settings(k);
    k->last_input_ms = now_ms;
    show(k, SCREEN_IDLE);
}

static void show_message(ks_kiosk_t *k, ks_msg_kind_t kind, const char *title_key,
                         const char *body_key, uint64_t now_ms)
{
    k->msg_kind = kind;
    k->msg_title_key = title_key;
    k->msg_body_key = body_key;
    k->msg_retry = 0;
    k->retry = RETRY_NONE;
    k->msg_detail_key = NULL;
    k->msg_back = ks_session_identity(k->session) ? SCREEN_MENU : SCREEN_IDLE;
    k->msg_until_ms = now_ms + (uint64_t)k->cfg->message_timeout_s * 1000u;
    show(k, SCREEN_MESSAGE);
}

static int today_yyyymmdd(void)
{
    time_t t = time(NULL);
    struct tm tm;
    localtime_r(&t, &tm);
    return (tm.tm_year + 1900) * 10000 + (tm.tm_mon + 1) * 100 + tm.tm_mday;
}

static void begin_session(ks_kiosk_t *k, const ks_identity_t *id, const char *reader,
                          uint64_t now_ms)
{
    ks_idnum_info_t info;
    ks_idnum_status_t st = ks_idnum_validate(id->idnum, today_yyyymmdd(), &info);
    explicit_bzero(&info, sizeof info); /* birth date and sex: personal, not needed here */
    k->last_input_ms = now_ms;
    k->dimmed = 0;
    k->reading = 0;
    if (ks_session_state(k->session) != KS_SESSION_NONE) {
        /* Another card while a session is open: the previous citizen's session ends first. */
        ks_log(KS_LOG_INFO, "kiosk", "session ended: another card");
        reset_to_idle(k, now_ms);
    }
    if (st != KS_IDNUM_OK) {
        ks_log(KS_LOG_WARN, "kiosk", "card rejected: ID number %s", ks_idnum_status_str(st));
        reset_to_idle(k, now_ms);
        show_message(k, KS_MSG_ERROR, "message.card_unreadable_title",
                     "message.card_unreadable_body", now_ms);
        return;
    }
    ks_session_begin(k->session, id, now_ms);
    k->card_present = 1;
    k->sessions_started++;
    snprintf(k->session_reader, sizeof k->session_reader, "%s", reader);
    ks_log(KS_LOG_INFO, "kiosk", "session started");
    show(k, SCREEN_MENU);
    start_lookup(k, now_ms);
}

void ks_kiosk_set_backend(ks_kiosk_t *k, ks_kiosk_submit_fn submit, ks_kiosk_cancel_fn cancel,
                          void *ctx)
{
    k->submit = submit;
    k->cancel = cancel;
    k->backend_ctx = ctx;
}

void ks_kiosk_set_printer(ks_kiosk_t *k, ks_kiosk_print_fn print, ks_kiosk_print_cancel_fn cancel,
                          void *ctx)
{
    k->print = print;
    k->print_cancel = cancel;
    k->print_ctx = ctx;
}

void ks_kiosk_print_slip(ks_kiosk_t *k, ks_escpos_t *e, int composed, ks_slip_job_t *slot)
{
    long long job = composed == KS_OK ? KS_E_INVAL : composed;
    if (e && composed == KS_OK && k->print) {
        size_t n = 0;
        const unsigned char *bytes = ks_escpos_data(e, &n);
        job = k->print(k->print_ctx, bytes, n);
    }
    ks_escpos_free(e);
    slot->job = job > 0 ? job : 0;
    slot->state = job > 0 ? KS_SLIP_PRINTING : KS_SLIP_FAILED;
    if (job <= 0)
        ks_log(KS_LOG_WARN, "printer", "slip not queued (%s)", ks_strerror((int)job));
}

int ks_kiosk_slip_result(ks_slip_job_t *slot, long long job, ks_print_result_t result)
{
    if (job <= 0 || job != slot->job)
        return 0; /* a slip of a visit (or a staff screen) that has ended */
    slot->state = result == KS_PRINT_DONE       ? KS_SLIP_DONE
                  : result == KS_PRINT_RETRYING ? KS_SLIP_RETRYING
                                                : KS_SLIP_FAILED;
    if (result != KS_PRINT_RETRYING)
        slot->job = 0;
    return 1;
}

void ks_kiosk_slip_drop(ks_kiosk_t *k, ks_slip_job_t *slot)
{
    /* A slip still waiting for the printer must not come out for whoever comes next. */
    if (slot->job > 0 && k->print_cancel &&
        (slot->state == KS_SLIP_PRINTING || slot->state == KS_SLIP_RETRYING))
        k->print_cancel(k->print_ctx, slot->job);
    slot->job = 0;
    slot->state = KS_SLIP_NONE;
}

const char *ks_slip_state_name(ks_slip_state_t s)
{
    static const char *const names[] = {"none", "printing", "done", "retrying", "failed"};
    return (unsigned)s < 5 ? names[s] : "none";
}

void ks_kiosk_print_result(ks_kiosk_t *k, long long job, ks_print_result_t result, const char *why,
                           uint64_t now_ms)
{
    /* Staff see the transport's reason in diagnostics; the log has no slip content. */
    k->printer_last.result = result;
    k->printer_last.any = 1;
    k->printer_last.at_ms = now_ms;
    k->printer_last.at_unix = (long long)time(NULL);
    snprintf(k->printer_last.why, sizeof k->printer_last.why, "%s", why ? why : "");
    ks_log(result == KS_PRINT_DONE ? KS_LOG_INFO : KS_LOG_WARN, "printer", "job %lld %s%s%s", job,
           ks_print_result_name(result), why && why[0] ? ": " : "", why ? why : "");
    ks_kiosk_slip_result(&k->marry.slip, job, result);
    ks_staff_print_result(k, job, result);
    k->dirty = 1;
}

void ks_kiosk_set_diag(ks_kiosk_t *k, ks_kiosk_diag_fn diag, void *ctx)
{
    k->diag = diag;
    k->diag_ctx = ctx;
}

void ks_kiosk_diag_report(ks_kiosk_t *k, cJSON *report, uint64_t now_ms)
{
    (void)now_ms;
    ks_staff_report(k, report);
}

/* GET /policies answered (or served from the disk copy when offline). */
static void policies_reply(ks_kiosk_t *k, const ks_backend_reply_t *r, uint64_t now_ms)
{
    if ((long long)r->id != k->policies_id)
        return;
    k->policies_id = 0;
    char err[256];
    const ks_api_policies_t *p = r->answer;
    if (!p) {
        ks_log(KS_LOG_WARN, "kiosk", "policies: %s; showing the %s data", r->reason,
               k->policy_origin == KS_POLICY_FROM_FALLBACK ? "bundled" : "earlier");
        return;
    }
    if (ks_policy_validate(p, err, sizeof err) < 0) {
        ks_log(KS_LOG_WARN, "kiosk", "policies from the backend refused: %s", err);
        return;
    }
    /* The programme on screen is found again by its code in the new data. */
    char code[sizeof k->policies->programmes[0].code] = "";
    if (k->policy_sel >= 0 && k->policy_sel < k->policies->n)
        snprintf(code, sizeof code, "%s", k->policies->programmes[k->policy_sel].code);
    memcpy(k->policies, p, sizeof *k->policies);
    k->policy_origin = r->from_cache ? KS_POLICY_FROM_CACHE : KS_POLICY_FROM_BACKEND;
    k->policies_fetched_ms = now_ms;
    k->policy_sel = -1;
    for (int i = 0; code[0] && i < k->policies->n; i++)
        if (strcmp(k->policies->programmes[i].code, code) == 0)
            k->policy_sel = i;
    if (k->screen == SCREEN_POLICY && k->policy_sel < 0)
        show(k, SCREEN_SUBSIDY);
    /* An estimate on screen is worked out again with the figures now shown beside it. */
    if (k->screen == SCREEN_RESULT && ks_estimate(k->policies, &k->answers, &k->estimate) < 0)
        show(k, SCREEN_SUBSIDY);
    k->dirty = 1;
}

/* The citizen's assistance records arrived, or did not. */
static void assist_reply(ks_kiosk_t *k, const ks_backend_reply_t *r, uint64_t now_ms)
{
    if ((uintptr_t)r->user != k->session_gen || (long long)r->id != k->assist_id)
        return;
    k->assist_id = 0;
    if (r->result == KS_NET_OK && r->answer) {
        memcpy(k->assist, r->answer, sizeof *k->assist);
        k->assist_ready = 1;
        if (k->screen == SCREEN_ASSIST)
            k->page = 0;
        k->dirty = 1;
        return;
    }
    ks_log(KS_LOG_WARN, "kiosk", "assistance: %s", r->reason);
    if (r->status == 401 && strcmp(r->error.code, "TOKEN_EXPIRED") == 0) {
        /* The token lives 10 minutes: look the citizen up again, then ask again. */
        k->assist_after_lookup = 1;
        start_lookup(k, now_ms);
        return;
    }
    if (k->screen == SCREEN_ASSIST) {
        show_failure(k, "message.assist_failed_title", "message.assist_failed_body", RETRY_ASSIST,
                     now_ms);
    }
}

void ks_kiosk_backend_reply(ks_kiosk_t *k, const ks_backend_reply_t *r, uint64_t now_ms)
{
    /* For staff: an answer from the server (even a refusal) means it is there. */
    if (r->result == KS_NET_OK || (r->result == KS_NET_HTTP && r->status < 500)) {
        k->backend_ok_at = (long long)time(NULL);
    } else {
        k->backend_err_at = (long long)time(NULL);
        snprintf(k->backend_err, sizeof k->backend_err, "%s", r->reason);
    }
    if (r->call == KS_CALL_POLICIES) {
        policies_reply(k, r, now_ms);
        return;
    }
    if (r->call == KS_CALL_ASSISTANCE) {
        assist_reply(k, r, now_ms);
        return;
    }
    if (r->call == KS_CALL_HEARTBEAT) {
        if ((long long)r->id == k->heartbeat_id) {
            k->heartbeat_id = 0;
            k->heartbeat_ok = r->result == KS_NET_OK;
            if (!k->heartbeat_ok)
                ks_log(KS_LOG_WARN, "kiosk", "heartbeat: %s", r->reason);
        }
        return;
    }
    if (ks_marry_reply(k, r, now_ms))
        return;
    if (r->call != KS_CALL_LOOKUP)
        return;
    if ((uintptr_t)r->user != k->session_gen || (long long)r->id != k->lookup_id ||
        ks_session_state(k->session) == KS_SESSION_NONE)
        return; /* for a session that has ended, or a lookup we gave up on */
    k->lookup_id = 0;
    const ks_api_lookup_t *ans = r->answer;
    if (r->result == KS_NET_OK && ans && ks_session_set_token(k->session, ans->citizen) == 0) {
        k->lookup = KS_LOOKUP_OK;
        ks_log(KS_LOG_INFO, "kiosk", "citizen looked up (%s)", ans->known ? "known" : "no records");
        k->dirty = 1;
        if (k->assist_after_lookup) {
            k->assist_after_lookup = 0;
            if (k->screen == SCREEN_ASSIST) /* still waiting there for the records */
                start_assist(k, now_ms);
        }
        ks_marry_session_token(k, now_ms);
        return;
    }
    /*
     * Only the backend saying no to this card (400, 422 INVALID_ID) is a
     * refusal that retrying cannot change; anything else — including the
     * kiosk's own faults (401 signature, certificate) — is an outage for the
     * citizen, with 重试, and a reason in the log for staff.
     */
    int refused = r->result == KS_NET_HTTP && (r->status == 400 || r->status == 422);
    ks_log(KS_LOG_WARN, "kiosk", "lookup failed: %s", r->reason);
    lookup_failed(k, refused, now_ms);
}

/* The message for a card that could not be read, by reason. */
static void card_error(ks_kiosk_t *k, ks_card_result_t why, uint64_t now_ms)
{
    const char *title = "message.card_unreadable_title", *body = "message.card_unreadable_body";
    switch (why) {
    case KS_CARD_NOT_RECOGNISED:
        body = "message.card_unknown_body";
        break;
    case KS_CARD_BAD_DATA:
        title = "message.card_bad_data_title";
        body = "message.card_bad_data_body";
        break;
    case KS_CARD_REMOVED:
        title = "message.card_pulled_title";
        body = "message.card_pulled_body";
        break;
    case KS_CARD_IO_ERROR:
    case KS_CARD_OK:
        break;
    }
    show_message(k, KS_MSG_ERROR, title, body, now_ms);
}

void ks_kiosk_card_event(ks_kiosk_t *k, const ks_cardev_t *ev, uint64_t now_ms)
{
    ks_reader_status_t before = k->readers;
    switch (ev->kind) {
    case KS_CARDEV_READER_ADDED:
    case KS_CARDEV_READER_REMOVED:
    case KS_CARDEV_NO_READER:
        k->readers = ev->readers > 0 ? KS_READERS_OK : KS_READERS_NONE;
        break;
    case KS_CARDEV_SERVICE_DOWN:
        k->readers = KS_READERS_NONE;
        k->reading = 0;
        break;
    case KS_CARDEV_CARD_INSERTED:
        /* Someone is here: wake the screen and say the card is being read. */
        k->last_input_ms = now_ms;
        k->dimmed = 0;
        if (ks_session_state(k->session) == KS_SESSION_NONE && !ks_staff_screen(k->screen)) {
            k->reading = 1;
            snprintf(k->reading_reader, sizeof k->reading_reader, "%s", ev->reader);
            if (k->screen == SCREEN_MESSAGE)
                show(k, SCREEN_IDLE);
        }
        k->dirty = 1;
        break;
    case KS_CARDEV_IDENTITY_READ:
        k->reading = 0;
        if (ks_staff_screen(k->screen)) {
            /* Staff testing a reader: no session; the report shows the card's kind. */
            ks_staff_action(k, KS_ACT_STAFF_REFRESH, now_ms);
            break;
        }
        /* The other party's card, while a couple books or checks in. */
        if (ks_session_identity(k->session) && ks_marry_identity(k, &ev->identity, now_ms)) {
            if (k->session_reader[0] && strcmp(k->session_reader, ev->reader) == 0)
                k->card_present = 1; /* a party's card is in the session's reader again */
            break;
        }
        begin_session(k, &ev->identity, ev->reader, now_ms);
        break;
    case KS_CARDEV_CARD_ERROR:
        k->reading = 0;
        if (ks_staff_screen(k->screen))
            ks_staff_action(k, KS_ACT_STAFF_REFRESH, now_ms);
        else if (ks_session_state(k->session) == KS_SESSION_NONE)
            card_error(k, ev->error, now_ms);
        else
            ks_marry_card_error(k); /* the other party's card, unread: say so on the prompt */
        k->dirty = 1;
        break;
    case KS_CARDEV_CARD_REMOVED:
        if (strcmp(k->reading_reader, ev->reader) == 0)
            k->reading = 0; /* only the card being read: another reader's card says nothing */
        if (k->session_reader[0] && strcmp(k->session_reader, ev->reader) == 0)
            k->card_present = 0;
        if (ks_session_state(k->session) != KS_SESSION_NONE && k->session_reader[0] &&
            strcmp(k->session_reader, ev->reader) == 0 && ks_marry_keeps_session(k)) {
            /* The first party takes their card out for the other's: the visit goes on. */
            ks_log(KS_LOG_INFO, "kiosk", "card removed during a marriage step: session kept");
        } else if (ks_session_state(k->session) != KS_SESSION_NONE && k->session_reader[0] &&
                   strcmp(k->session_reader, ev->reader) == 0) {
            ks_log(KS_LOG_INFO, "kiosk", "session ended: card removed");
            reset_to_idle(k, now_ms);
        }
        k->dirty = 1;
        break;
    }
    if (k->readers != before)
        k->dirty = 1;
}

/* ---- 救助状态查询 ------------------------------------------------------------- */

static void start_assist(ks_kiosk_t *k, uint64_t now_ms)
{
    const char *token = ks_session_token(k->session);
    show(k, SCREEN_ASSIST);
    k->assist_ready = 0;
    k->page = 0;
    if (!token) {
        /* The lookup has not succeeded (yet): that is what must happen first. */
        k->assist_after_lookup = 1;
        if (k->lookup_id == 0)
            start_lookup(k, now_ms);
        if (k->lookup == KS_LOOKUP_PENDING)
            return;
        k->assist_after_lookup = 0;
    } else {
        cancel_request(k, &k->assist_id);
        ks_api_request_t *req = k->submit ? ks_api_req_assistance(token) : NULL;
        if (req) {
            req->user = (void *)k->session_gen;
            long long id = k->submit(k->backend_ctx, req);
            k->assist_id = id > 0 ? id : 0;
            k->assist_deadline_ms = now_ms + lookup_patience_ms(k) * (uint64_t)3;
        }
        if (k->assist_id > 0)
            return;
    }
    /* Nothing could be sent (no backend configured, or out of memory). */
    show_failure(k, "message.assist_failed_title", "message.assist_failed_body", RETRY_ASSIST,
                 now_ms);
}

/* ---- 补贴政策咨询 ------------------------------------------------------------- */

/* Asks for fresh policy data at most every 10 minutes; what is there shows meanwhile. */
static void fetch_policies(ks_kiosk_t *k, uint64_t now_ms)
{
    if (!k->submit || k->policies_id > 0)
        return;
    if (k->policies_fetched_ms && now_ms - k->policies_fetched_ms < 10u * 60u * 1000u)
        return;
    ks_api_request_t *req = ks_api_req_policies();
    if (!req)
        return;
    long long id = k->submit(k->backend_ctx, req);
    k->policies_id = id > 0 ? id : 0;
}

/* Age in whole years on today's date from a YYYYMMDD birth date. */
static int age_on(int birth, int today)
{
    int age = today / 10000 - birth / 10000;
    if (today % 10000 < birth % 10000)
        age--;
    return age < 0 ? 0 : age;
}

static void wizard_start(ks_kiosk_t *k)
{
    explicit_bzero(&k->answers, sizeof k->answers);
    explicit_bzero(&k->estimate, sizeof k->estimate);
    memset(k->answered, 0, sizeof k->answered);
    k->answers.can_work = 1;
    k->q = 0;
    k->field[0] = '\0';
    k->field_err = NULL;
    k->age_from_card = 0;
    show(k, SCREEN_WIZARD);
}

/* Prepares the keypad field of question q (what was answered, or the card's age). */
static void wizard_enter(ks_kiosk_t *k, int q)
{
    k->q = q;
    k->field_err = NULL;
    k->field[0] = '\0';
    k->age_from_card = 0;
    if (q == Q_PERSONS && k->answered[q])
        snprintf(k->field, sizeof k->field, "%d", k->answers.household_size);
    else if (q == Q_INCOME && k->answered[q])
        snprintf(k->field, sizeof k->field, "%lld", k->answers.income_fen / 100);
    else if (q == Q_AGE) {
        const ks_identity_t *id = ks_session_identity(k->session);
        if (k->answered[q]) {
            snprintf(k->field, sizeof k->field, "%d", k->answers.age);
        } else if (id && id->birth_yyyymmdd > 0) {
            /* With a card, the age is known: prefilled, and it can still be changed. */
            snprintf(k->field, sizeof k->field, "%d", age_on(id->birth_yyyymmdd, today_yyyymmdd()));
            k->age_from_card = 1;
        }
    }
    show(k, SCREEN_WIZARD);
}

/* Takes the keypad field as the answer to the current question. 0, or -1 (field_err set). */
static int wizard_take_field(ks_kiosk_t *k)
{
    char *end = NULL;
    long v = k->field[0] ? strtol(k->field, &end, 10) : -1;
    if (v < 0 || (end && *end)) {
        k->field_err = "wizard.err_empty";
        return -1;
    }
    switch (k->q) {
    case Q_PERSONS:
        if (v < 1 || v > 20) {
            k->field_err = "wizard.err_persons";
            return -1;
        }
        k->answers.household_size = (int)v;
        return 0;
    case Q_INCOME:
        if (v > 9999999) {
            k->field_err = "wizard.err_income";
            return -1;
        }
        k->answers.income_fen = (long long)v * 100;
        return 0;
    case Q_AGE:
        if (v > 130) {
            k->field_err = "wizard.err_age";
            return -1;
        }
        k->answers.age = (int)v;
        return 0;
    default:
        return 0;
    }
}

static void wizard_next(ks_kiosk_t *k)
{
    k->answered[k->q] = 1;
    if (k->q + 1 < Q_COUNT) {
        wizard_enter(k, k->q + 1);
        return;
    }
    if (ks_estimate(k->policies, &k->answers, &k->estimate) < 0) {
        ks_log(KS_LOG_WARN, "kiosk", "estimate refused the answers");
        wizard_enter(k, Q_PERSONS);
        k->field_err = "wizard.err_persons";
        return;
    }
    k->page = 0;
    show(k, SCREEN_RESULT);
}

/* A choice on a question with buttons (户口, 残疾等级, 劳动能力). */
static void wizard_choice(ks_kiosk_t *k, int choice)
{
    switch (k->q) {
    case Q_AREA:
        k->answers.area = choice == 0 ? KS_AREA_URBAN : KS_AREA_RURAL;
        break;
    case Q_DISABILITY:
        if (choice < 0 || choice > 4)
            return;
        k->answers.disability_grade = choice;
        break;
    case Q_WORK:
        k->answers.can_work = choice == 0;
        break;
    default:
        return;
    }
    wizard_next(k);
}

static void wizard_key(ks_kiosk_t *k, int action)
{
    size_t n = strlen(k->field);
    k->field_err = NULL;
    if (k->age_from_card && action != KS_ACT_KEY_DEL) {
        n = 0; /* typing over the card's age replaces it */
        k->field[0] = '\0';
    }
    k->age_from_card = 0;
    if (action == KS_ACT_KEY_DEL) {
        if (n > 0)
            k->field[n - 1] = '\0';
    } else if (n < 7) {
        if (n == 1 && k->field[0] == '0')
            n = 0; /* no leading zeros: "05" is 5 */
        k->field[n] = (char)('0' + (action - KS_ACT_KEY_0));
        k->field[n + 1] = '\0';
    }
    k->dirty = 1;
}

/* Where 返回 leads from each screen. */
static void go_back(ks_kiosk_t *k, uint64_t now_ms)
{
    int identified = ks_session_identity(k->session) != NULL;
    switch (k->screen) {
    case SCREEN_POLICY:
    case SCREEN_RESULT:
        k->page = 0;
        show(k, SCREEN_SUBSIDY);
        break;
    case SCREEN_WIZARD:
        if (k->q > 0)
            wizard_enter(k, k->q - 1);
        else
            show(k, SCREEN_SUBSIDY);
        break;
    case SCREEN_SUBSIDY:
        if (identified)
            show(k, SCREEN_MENU);
        else
            reset_to_idle(k, now_ms); /* a visit without a card ends here */
        break;
    case SCREEN_MESSAGE:
        show(k, k->msg_back);
        break;
    default:
        show(k, identified ? SCREEN_MENU : SCREEN_IDLE);
        break;
    }
}

static int marry_screen(screen_t s)
{
    return s >= SCREEN_BOOK && s <= SCREEN_TICKET;
}

static void do_action(ks_kiosk_t *k, int action, uint64_t now_ms)
{
    if (ks_staff_screen(k->screen) && action != KS_ACT_ELDERLY && action != KS_ACT_LANGUAGE &&
        action != KS_ACT_PAGE_PREV && action != KS_ACT_PAGE_NEXT &&
        ks_staff_action(k, action, now_ms))
        return;
    if ((marry_screen(k->screen) || action == KS_ACT_MARRY || action == KS_ACT_MY_BOOKINGS ||
         action == KS_ACT_CHECKIN || action == KS_ACT_DONE) &&
        action != KS_ACT_ELDERLY && action != KS_ACT_LANGUAGE && action != KS_ACT_EXIT &&
        action != KS_ACT_CONTINUE && action != KS_ACT_PAGE_PREV && action != KS_ACT_PAGE_NEXT &&
        ks_marry_action(k, action, now_ms))
        return;
    if (action >= KS_ACT_KEY_0 && action <= KS_ACT_KEY_0 + 9) {
        wizard_key(k, action);
        return;
    }
    if (action >= KS_ACT_CHOICE_0 && action < KS_ACT_CHOICE_0 + 10) {
        wizard_choice(k, action - KS_ACT_CHOICE_0);
        return;
    }
    if (action >= KS_ACT_POLICY_0 && action < KS_ACT_POLICY_0 + KS_API_MAX_PROGRAMMES) {
        k->policy_sel = action - KS_ACT_POLICY_0;
        k->page = 0;
        show(k, SCREEN_POLICY);
        return;
    }
    switch ((ks_action_t)action) {
    case KS_ACT_ELDERLY:
        ks_ui_set_elderly(k->ui, !ks_ui_elderly(k->ui));
        k->dirty = 1;
        break;
    case KS_ACT_LANGUAGE:
        k->english = !k->english;
        k->dirty = 1;
        break;
    case KS_ACT_EXIT:
        ks_log(KS_LOG_INFO, "kiosk", "session ended by the citizen");
        reset_to_idle(k, now_ms);
        break;
    case KS_ACT_CONTINUE:
        ks_session_activity(k->session, now_ms);
        k->dirty = 1;
        break;
    case KS_ACT_HOME:
    case KS_ACT_BACK:
        go_back(k, now_ms);
        break;
    case KS_ACT_RETRY:
        if (k->retry == RETRY_MARRY && ks_session_identity(k->session)) {
            ks_marry_retry(k, now_ms);
        } else if (k->retry == RETRY_ASSIST && ks_session_identity(k->session)) {
            start_assist(k, now_ms);
        } else if (ks_session_identity(k->session) && k->lookup_id == 0 &&
                   k->lookup != KS_LOOKUP_OK) {
            show(k, SCREEN_MENU);
            start_lookup(k, now_ms);
        }
        break;
    case KS_ACT_ASSIST:
        if (ks_session_identity(k->session))
            start_assist(k, now_ms);
        break;
    case KS_ACT_SUBSIDY:
        if (ks_session_state(k->session) == KS_SESSION_NONE) {
            /* Open to anyone: a visit without a card, with the same timeouts. */
            ks_session_begin_anonymous(k->session, now_ms);
            k->session_gen++;
        }
        k->page = 0;
        show(k, SCREEN_SUBSIDY);
        fetch_policies(k, now_ms);
        break;
    case KS_ACT_WIZARD:
        wizard_start(k);
        break;
    case KS_ACT_NEXT:
        if (wizard_take_field(k) == 0)
            wizard_next(k);
        k->dirty = 1;
        break;
    case KS_ACT_KEY_DEL:
        wizard_key(k, action);
        break;
    case KS_ACT_PAGE_PREV:
        if (k->page > 0)
            k->page--;
        k->dirty = 1;
        break;
    case KS_ACT_PAGE_NEXT:
        if (k->page + 1 < k->pages)
            k->page++;
        k->dirty = 1;
        break;
    case KS_ACT_KEY_0:
    case KS_ACT_CHOICE_0:
    case KS_ACT_POLICY_0: /* ranges, handled above */
    case KS_ACT_DAY_0:
    case KS_ACT_SLOT_0:
    case KS_ACT_BOOKING_0:
    case KS_ACT_STAFF_REFRESH: /* staff screens: staffmode.c */
    case KS_ACT_STAFF_TEST_PRINT:
    case KS_ACT_STAFF_TOUCH:
    case KS_ACT_GRID_0:
    case KS_ACT_MARRY: /* marriage business: marry.c */
    case KS_ACT_MY_BOOKINGS:
    case KS_ACT_CHECKIN:
    case KS_ACT_DONE:
    case KS_ACT_ONE_PARTY:
    case KS_ACT_CONFIRM:
    case KS_ACT_CANCEL_BOOKING:
    case KS_ACT_MOVE_BOOKING:
    case KS_ACT_MONTH_PREV:
    case KS_ACT_MONTH_NEXT:
    case KS_ACT_NONE:
        break;
    }
}

void ks_kiosk_pointer_down(ks_kiosk_t *k, long finger, int lx, int ly, uint64_t now_ms)
{
    /*
     * One finger at a time: a second contact (a resting palm, a sleeve) while
     * one is down neither cancels nor presses anything.
     */
    if (k->finger_down)
        return;
    k->finger_down = 1;
    k->finger = finger;
    k->last_input_ms = now_ms;
    ks_staff_pointer_down(k, lx, ly, now_ms); /* the corner press that opens staff entry */
    k->pressed_id[0] = '\0';
    k->swallow_until_up = 0;
    if (k->dimmed) {
        /* The touch that wakes the screen must not also press what is under it. */
        k->dimmed = 0;
        k->dirty = 1;
        k->swallow_until_up = 1;
        return;
    }
    if (ks_session_state(k->session) == KS_SESSION_COUNTDOWN) {
        /* Any touch means the citizen is still here. */
        ks_session_activity(k->session, now_ms);
        k->dirty = 1;
        k->swallow_until_up = 1;
        return;
    }
    ks_session_activity(k->session, now_ms);
    const ks_widget_t *w = ks_ui_hit(k->ui, lx, ly);
    if (w) {
        snprintf(k->pressed_id, sizeof k->pressed_id, "%s", w->id);
        k->pressed_rect = w->rect;
        ks_ui_set_pressed(k->ui, w->id);
        k->repaint = 1;
    }
}

void ks_kiosk_pointer_up(ks_kiosk_t *k, long finger, int lx, int ly, uint64_t now_ms)
{
    if (!k->finger_down || finger != k->finger)
        return; /* not the finger we follow (or its press was never seen) */
    k->finger_down = 0;
    k->last_input_ms = now_ms;
    ks_staff_pointer_up(k);
    char pressed[sizeof k->pressed_id];
    memcpy(pressed, k->pressed_id, sizeof pressed);
    k->pressed_id[0] = '\0';
    if (pressed[0]) {
        ks_ui_set_pressed(k->ui, NULL);
        k->repaint = 1;
    }
    if (k->swallow_until_up) {
        k->swallow_until_up = 0;
        return;
    }
    if (!pressed[0])
        return;
    /*
     * The screen may have changed while the finger was down (a status line, a
     * new screen): act only if the same button is still in the same place
     * under the finger.
     */
    if (k->dirty) {
        build(k, now_ms);
        k->dirty = 0;
        k->repaint = 1;
    }
    const ks_widget_t *w = ks_ui_hit(k->ui, lx, ly);
    if (w && strcmp(w->id, pressed) == 0 && w->rect.x == k->pressed_rect.x &&
        w->rect.y == k->pressed_rect.y && w->rect.w == k->pressed_rect.w &&
        w->rect.h == k->pressed_rect.h) {
        int action = w->action;
        ks_session_activity(k->session, now_ms);
        do_action(k, action, now_ms);
    }
}

/* Language and elderly mode back to the configured defaults. Returns 1 if anything changed. */
static int reset_settings(ks_kiosk_t *k)
{
    int english = strcmp(k->cfg->language, "en") == 0;
    int changed = english != k->english || ks_ui_elderly(k->ui) != (k->cfg->elderly_default != 0);
    k->english = english;
    ks_ui_set_elderly(k->ui, k->cfg->elderly_default);
    return changed;
}

/*
 * The heartbeat: how this kiosk is, for the district's monitoring — never who
 * is using it. The first goes out soon after start, then one per interval.
 */
static void send_heartbeat(ks_kiosk_t *k, uint64_t now_ms)
{
    int every = k->cfg->backend.heartbeat_s;
    if (!k->submit || every <= 0)
        return;
    if (!k->heartbeat_due_ms)
        k->heartbeat_due_ms = now_ms + 2000u;
    if (now_ms < k->heartbeat_due_ms)
        return;
    k->heartbeat_due_ms = now_ms + (uint64_t)every * 1000u;
    if (k->heartbeat_id > 0)
        return; /* the last one is still out: its answer says more than a second one */
    const char *readers = k->readers == KS_READERS_OK     ? "ok"
                          : k->readers == KS_READERS_NONE ? "none"
                                                          : "unknown";
    const char *kv[] = {"readers",
                        readers,
                        "session",
                        ks_session_state(k->session) == KS_SESSION_NONE ? "none" : "active",
                        "screen",
                        ks_kiosk_screen(k),
                        "policies",
                        k->policy_origin == KS_POLICY_FROM_BACKEND ? "backend"
                        : k->policy_origin == KS_POLICY_FROM_CACHE ? "cache"
                                                                   : "fallback",
                        "holidays",
                        k->marry.holidays_ok ? "ok" : "unusable"};
    ks_api_request_t *req = ks_api_req_heartbeat(
        k->cfg->backend.kiosk_id, KS_VERSION, (long long)((now_ms - k->started_ms) / 1000u),
        k->cfg->mode == KS_MODE_REGISTRY ? "registry" : "service", kv,
        (int)(sizeof kv / sizeof kv[0] / 2));
    if (!req)
        return;
    long long id = k->submit(k->backend_ctx, req);
    k->heartbeat_id = id > 0 ? id : 0;
}

void ks_kiosk_tick(ks_kiosk_t *k, uint64_t now_ms)
{
    if (k->assist_id > 0 && now_ms >= k->assist_deadline_ms) {
        ks_log(KS_LOG_WARN, "kiosk", "assistance: no answer in time");
        cancel_request(k, &k->assist_id);
        if (k->screen == SCREEN_ASSIST) {
            show_failure(k, "message.assist_failed_title", "message.assist_failed_body",
                         RETRY_ASSIST, now_ms);
        }
    }
    if (k->lookup == KS_LOOKUP_PENDING && now_ms >= k->lookup_deadline_ms) {
        ks_log(KS_LOG_WARN, "kiosk", "lookup: no answer within %llu ms",
               (unsigned long long)lookup_patience_ms(k));
        lookup_failed(k, 0, now_ms);
    }
    send_heartbeat(k, now_ms);
    ks_marry_tick(k, now_ms);
    ks_staff_tick(k, now_ms);
    if (ks_session_identity(k->session) && !k->card_present && k->session_reader[0] &&
        !ks_marry_keeps_session(k)) {
        /* The card left during a couple's business, which is over now: so is the session. */
        ks_log(KS_LOG_INFO, "kiosk", "session ended: its card was taken out earlier");
        reset_to_idle(k, now_ms);
    }
    if (ks_marry_card_left_s(k, now_ms) >= 0)
        k->dirty = 1; /* the seconds left for the other party's card */
    switch (ks_session_tick(k->session, now_ms)) {
    case KS_SESSION_EV_COUNTDOWN_STARTED:
    case KS_SESSION_EV_COUNTDOWN_TICK:
        k->dirty = 1;
        break;
    case KS_SESSION_EV_EXPIRED:
        ks_log(KS_LOG_INFO, "kiosk", "session ended after inactivity");
        reset_to_idle(k, now_ms);
        break;
    case KS_SESSION_EV_NONE:
        break;
    }
    if (k->screen == SCREEN_MESSAGE && now_ms >= k->msg_until_ms) {
        show(k, ks_session_state(k->session) != KS_SESSION_NONE ? k->msg_back : SCREEN_IDLE);
        k->last_input_ms = now_ms; /* the idle screen starts its own clock */
    }
    if (k->screen != SCREEN_IDLE)
        return;
    uint64_t quiet = now_ms - k->last_input_ms;
    /* Settings chosen by someone who walked away do not carry over to the next citizen. */
    if (quiet >= (uint64_t)k->cfg->idle_timeout_s * 1000u && reset_settings(k))
        k->dirty = 1;
    if (!k->dimmed && k->cfg->dim_after_s > 0 && quiet >= (uint64_t)k->cfg->dim_after_s * 1000u) {
        k->dimmed = 1;
        reset_settings(k);
        k->dirty = 1;
    }
}

int64_t ks_kiosk_next_deadline_ms(const ks_kiosk_t *k, uint64_t now_ms)
{
    int64_t next = ks_session_next_deadline_ms(k->session, now_ms);
    if (k->lookup == KS_LOOKUP_PENDING) {
        int64_t l = k->lookup_deadline_ms > now_ms ? (int64_t)(k->lookup_deadline_ms - now_ms) : 0;
        if (next < 0 || l < next)
            next = l;
    }
    if (k->assist_id > 0) {
        int64_t a = k->assist_deadline_ms > now_ms ? (int64_t)(k->assist_deadline_ms - now_ms) : 0;
        if (next < 0 || a < next)
            next = a;
    }
    if (k->submit && k->cfg->backend.heartbeat_s > 0) {
        int64_t h = k->heartbeat_due_ms > now_ms ? (int64_t)(k->heartbeat_due_ms - now_ms) : 0;
        if (next < 0 || h < next)
            next = h;
    }
    int64_t mm = ks_marry_next_deadline_ms(k, now_ms);
    if (mm >= 0 && (next < 0 || mm < next))
        next = mm;
    int64_t st = ks_staff_next_deadline_ms(k, now_ms);
    if (st >= 0 && (next < 0 || st < next))
        next = st;
    int64_t other = -1;
    if (k->screen == SCREEN_MESSAGE)
        other = k->msg_until_ms > now_ms ? (int64_t)(k->msg_until_ms - now_ms) : 0;
    else if (k->screen == SCREEN_IDLE) {
        /* The next of: settings reset (only if something differs), dimming. */
        uint64_t due = UINT64_MAX;
        int english = strcmp(k->cfg->language, "en") == 0;
        if (english != k->english || ks_ui_elderly(k->ui) != (k->cfg->elderly_default != 0))
            due = k->last_input_ms + (uint64_t)k->cfg->idle_timeout_s * 1000u;
        if (!k->dimmed && k->cfg->dim_after_s > 0) {
            uint64_t dim = k->last_input_ms + (uint64_t)k->cfg->dim_after_s * 1000u;
            if (dim < due)
                due = dim;
        }
        if (due != UINT64_MAX)
            other = due > now_ms ? (int64_t)(due - now_ms) : 0;
    }
    if (other >= 0 && (next < 0 || other < next))
        next = other;
    return next;
}

static void build(ks_kiosk_t *k, uint64_t now_ms)
{
    ks_view_t v;
    memset(&v, 0, sizeof v);
    v.ui = k->ui;
    v.cat = catalog(k);
    v.holder = ks_session_identity(k->session);
    v.elderly = ks_ui_elderly(k->ui);
    v.msg_kind = k->msg_kind;
    v.msg_title_key = k->msg_title_key;
    v.msg_body_key = k->msg_body_key;
    v.countdown_s = ks_session_countdown_left_s(k->session, now_ms);
    v.readers = k->readers;
    v.reading = k->reading;
    v.msg_retry = k->msg_retry;
    v.lookup = k->lookup;
    v.has_token = ks_session_token(k->session) != NULL;
    v.assist = k->assist_ready ? k->assist : NULL;
    v.policies = k->policies;
    v.policy_origin = k->policy_origin;
    v.policy_sel = k->policy_sel;
    v.page = k->page;
    v.pages = &k->pages;
    v.q = k->q;
    v.answers = &k->answers;
    v.field = k->field;
    v.field_err = k->field_err;
    v.age_from_card = k->age_from_card;
    v.estimate = &k->estimate;
    v.msg_detail_key = k->msg_detail_key;
    v.msg_detail_time = k->msg_detail_time;
    v.msg_detail_office = k->msg_detail_office;
    v.marry = &k->marry;
    v.registry = k->cfg->mode == KS_MODE_REGISTRY;
    v.backend = k->submit != NULL;
    v.card_left_s = ks_marry_card_left_s(k, now_ms);
    v.staff = &k->staff;
    v.has_printer = k->print != NULL;

    if (marry_screen(k->screen))
        ks_marry_prepare(k);
    ks_ui_clear(k->ui);
    k->pages = 1; /* screens that page say how many they made */
    switch (k->screen) {
    case SCREEN_IDLE:
        ks_screen_idle(&v);
        break;
    case SCREEN_MENU:
        ks_screen_menu(&v);
        break;
    case SCREEN_MESSAGE:
        ks_screen_message(&v);
        break;
    case SCREEN_ASSIST:
        ks_screen_assistance(&v);
        break;
    case SCREEN_SUBSIDY:
        ks_screen_subsidy(&v);
        break;
    case SCREEN_POLICY:
        ks_screen_policy(&v);
        break;
    case SCREEN_WIZARD:
        ks_screen_wizard(&v);
        break;
    case SCREEN_RESULT:
        ks_screen_estimate(&v);
        break;
    case SCREEN_BOOK:
        ks_screen_book(&v);
        break;
    case SCREEN_BOOKED:
        ks_screen_booked(&v);
        break;
    case SCREEN_BOOKINGS:
        ks_screen_bookings(&v);
        break;
    case SCREEN_BOOKING:
        ks_screen_booking(&v);
        break;
    case SCREEN_CANCEL:
        ks_screen_cancel(&v);
        break;
    case SCREEN_MOVE:
        ks_screen_move(&v);
        break;
    case SCREEN_CHECKIN:
        ks_screen_checkin(&v);
        break;
    case SCREEN_TICKET:
        ks_screen_ticket(&v);
        break;
    case SCREEN_STAFF_PIN:
        ks_screen_staff_pin(&v);
        break;
    case SCREEN_STAFF:
        ks_screen_staff(&v);
        break;
    case SCREEN_STAFF_TOUCH:
        ks_screen_staff_touch(&v);
        break;
    }
    if (k->page >= k->pages && k->pages > 0) {
        /* The content shrank (a language or text-size change): show its last page. */
        k->page = k->pages - 1;
        build(k, now_ms);
        return;
    }
    if (ks_session_state(k->session) == KS_SESSION_COUNTDOWN)
        ks_overlay_countdown(&v);
    else if (k->screen == SCREEN_IDLE && k->dimmed)
        ks_overlay_dim(&v);
}

int ks_kiosk_render(ks_kiosk_t *k, uint64_t now_ms)
{
    if (!k->dirty && !k->repaint)
        return 0;
    if (k->dirty) {
        /* A new screen: no finger is on any of its buttons yet. */
        ks_ui_set_pressed(k->ui, NULL);
        build(k, now_ms);
    }
    ks_ui_render(k->ui);
    k->dirty = 0;
    k->repaint = 0;
    return 1;
}

unsigned long ks_kiosk_sessions_started(const ks_kiosk_t *k)
{
    return k->sessions_started;
}

void ks_kiosk_invalidate(ks_kiosk_t *k)
{
    k->dirty = 1;
}

const char *ks_kiosk_screen(const ks_kiosk_t *k)
{
    const char *name = ks_marry_screen_name(k);
    if (!name)
        name = ks_staff_screen_name(k);
    return name ? name : screen_names[k->screen];
}

void ks_kiosk_dump(const ks_kiosk_t *k, cJSON *root)
{
    cJSON_AddStringToObject(root, "screen", ks_kiosk_screen(k));
    cJSON_AddStringToObject(root, "language", k->english ? "en" : "zh_CN");
    cJSON_AddBoolToObject(root, "elderly", ks_ui_elderly(k->ui));
    cJSON_AddBoolToObject(root, "dimmed", k->dimmed);
    cJSON_AddStringToObject(root, "readers",
                            k->readers == KS_READERS_OK     ? "ok"
                            : k->readers == KS_READERS_NONE ? "none"
                                                            : "unknown");
    cJSON_AddBoolToObject(root, "reading", k->reading);
    cJSON_AddNumberToObject(root, "sessions_started", (double)k->sessions_started);
    ks_staff_dump(k, root);
    if (k->print) {
        static const char *const results[] = {"done", "retrying", "failed"};
        cJSON *p = cJSON_AddObjectToObject(root, "printer");
        cJSON_AddStringToObject(p, "last",
                                k->printer_last.any ? results[(unsigned)k->printer_last.result % 3]
                                                    : "none");
        cJSON_AddStringToObject(p, "why", k->printer_last.why);
    }
    const ks_identity_t *id = ks_session_identity(k->session);
    if (id) {
        char masked[24];
        cJSON *s = cJSON_AddObjectToObject(root, "session");
        ks_idnum_mask(id->idnum, masked, sizeof masked);
        cJSON_AddStringToObject(s, "id_masked", masked);
        cJSON_AddStringToObject(s, "state",
                                ks_session_state(k->session) == KS_SESSION_COUNTDOWN ? "countdown"
                                                                                     : "active");
        static const char *const lookups[] = {"none", "pending", "ok", "offline", "refused"};
        cJSON_AddStringToObject(s, "lookup", lookups[k->lookup]);
        cJSON_AddBoolToObject(s, "token", ks_session_token(k->session) != NULL);
        cJSON_AddBoolToObject(s, "assistance", k->assist_ready);
    } else if (ks_session_anonymous(k->session)) {
        cJSON *s = cJSON_AddObjectToObject(root, "session");
        cJSON_AddStringToObject(s, "state",
                                ks_session_state(k->session) == KS_SESSION_COUNTDOWN ? "countdown"
                                                                                     : "anonymous");
    } else {
        cJSON_AddNullToObject(root, "session");
    }
    static const char *const origins[] = {"backend", "cache", "fallback"};
    cJSON *pol = cJSON_AddObjectToObject(root, "policies");
    cJSON_AddStringToObject(pol, "origin", origins[k->policy_origin]);
    cJSON_AddStringToObject(pol, "version", k->policies->version);
    cJSON_AddStringToObject(pol, "effective", k->policies->effective);
    cJSON_AddNumberToObject(root, "page", k->page);
    cJSON_AddNumberToObject(root, "pages", k->pages);
    if (k->screen == SCREEN_WIZARD)
        cJSON_AddNumberToObject(root, "question", k->q);
    ks_marry_dump(k, root);
    ks_ui_dump(k->ui, root);
}

/* ---- shared with marry.c ----------------------------------------------------------------------
 */

const ks_catalog_t *ks_kiosk_catalog(const ks_kiosk_t *k)
{
    return catalog(k);
}

void ks_kiosk_show(ks_kiosk_t *k, screen_t s)
{
    if (k->screen != s)
        k->page = 0; /* another screen starts on its first page */
    show(k, s);
}

void ks_kiosk_message(ks_kiosk_t *k, ks_msg_kind_t kind, const char *title_key,
                      const char *body_key, uint64_t now_ms)
{
    show_message(k, kind, title_key, body_key, now_ms);
}

void ks_kiosk_failure(ks_kiosk_t *k, const char *title_key, const char *body_key, retry_t retry,
                      uint64_t now_ms)
{
    show_failure(k, title_key, body_key, retry, now_ms);
}

void ks_kiosk_cancel_request(ks_kiosk_t *k, long long *id)
{
    cancel_request(k, id);
}

long long ks_kiosk_submit(ks_kiosk_t *k, ks_api_request_t *req)
{
    if (!k->submit) {
        ks_api_request_free(req);
        return 0;
    }
    req->user = (void *)k->session_gen;
    long long id = k->submit(k->backend_ctx, req);
    return id > 0 ? id : 0;
}

uint64_t ks_kiosk_patience_ms(const ks_kiosk_t *k)
{
    return lookup_patience_ms(k);
}

void ks_kiosk_reset_to_idle(ks_kiosk_t *k, uint64_t now_ms)
{
    reset_to_idle(k, now_ms);
}

void ks_kiosk_relookup(ks_kiosk_t *k, uint64_t now_ms)
{
    if (k->lookup_id == 0)
        start_lookup(k, now_ms);
}
