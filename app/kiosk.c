#include "kiosk.h"

#include "catalog.h"
#include "idnum.h"
#include "log.h"
#include "screens.h"
#include "session.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

typedef enum { SCREEN_IDLE, SCREEN_MENU, SCREEN_MESSAGE } screen_t;

static const char *const screen_names[] = {"idle", "menu", "message"};

struct ks_kiosk {
    const ks_config_t *cfg;
    ks_ui_t *ui;
    ks_catalog_t *zh, *en;
    int english;
    ks_session_t *session;
    screen_t screen;
    int dirty;   /* state changed: rebuild the widgets, then draw */
    int repaint; /* only the look changed (pressed button): draw again */

    /* message screen */
    ks_msg_kind_t msg_kind;
    const char *msg_title_key, *msg_body_key;
    uint64_t msg_until_ms;

    /* dimming of the idle screen */
    int dimmed;
    uint64_t last_input_ms;

    /*
     * Touch handling: an action fires on release over the button that was
     * pressed, on the same screen build. A touch that woke the screen or
     * answered the countdown is swallowed until release.
     */
    char pressed_id[48];
    ks_rect_t pressed_rect; /* where that button was when the finger went down */
    int swallow_until_up;
    int finger_down; /* the finger we follow is on the glass */
    long finger;     /* its id */

    /* card readers */
    ks_reader_status_t readers; /* what the idle screen says about them */
    int reading;                /* a card is being read */
    char reading_reader[128];   /* in this reader */
    char session_reader[128];   /* the reader whose card started the session, "" if none */
    unsigned long sessions_started;

    /* district backend: requests go out through these hooks, replies come back as events */
    ks_kiosk_submit_fn submit;
    ks_kiosk_cancel_fn cancel;
    void *backend_ctx;
    ks_lookup_state_t lookup;    /* of the current session */
    long long lookup_id;         /* the request in flight, 0 if none */
    uint64_t lookup_deadline_ms; /* a pending lookup gives up then */
    uintptr_t session_gen;       /* tags requests: replies for an ended session are dropped */
    int msg_retry;               /* the message offers 重试 (a failed lookup) */
};

static const ks_catalog_t *catalog(const ks_kiosk_t *k)
{
    return k->english ? k->en : k->zh;
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
    k->english = strcmp(cfg->language, "en") == 0;
    ks_ui_set_elderly(ui, cfg->elderly_default);
    k->screen = SCREEN_IDLE;
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
    ks_catalog_free(k->en);
    ks_catalog_free(k->zh);
    free(k);
}

static void show(ks_kiosk_t *k, screen_t s)
{
    k->screen = s;
    k->dirty = 1;
}

static int reset_settings(ks_kiosk_t *k);
static void build(ks_kiosk_t *k, uint64_t now_ms);
static void begin_session(ks_kiosk_t *k, const ks_identity_t *id, const char *reader,
                          uint64_t now_ms);

static void show_message(ks_kiosk_t *k, ks_msg_kind_t kind, const char *title_key,
                         const char *body_key, uint64_t now_ms);

static void drop_lookup(ks_kiosk_t *k)
{
    if (k->lookup_id > 0 && k->cancel)
        k->cancel(k->backend_ctx, k->lookup_id);
    k->lookup_id = 0;
    k->lookup = KS_LOOKUP_NONE;
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
    if (k->screen == SCREEN_MENU) {
        show_message(k, KS_MSG_ERROR, "message.lookup_failed_title",
                     refused ? "message.lookup_refused_body" : "message.lookup_offline_body",
                     now_ms);
        k->msg_retry = !refused;
    }
    k->dirty = 1;
}

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

void ks_kiosk_backend_reply(ks_kiosk_t *k, const ks_backend_reply_t *r, uint64_t now_ms)
{
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
        if (ks_session_state(k->session) == KS_SESSION_NONE) {
            k->reading = 1;
            snprintf(k->reading_reader, sizeof k->reading_reader, "%s", ev->reader);
            if (k->screen == SCREEN_MESSAGE)
                show(k, SCREEN_IDLE);
        }
        k->dirty = 1;
        break;
    case KS_CARDEV_IDENTITY_READ:
        begin_session(k, &ev->identity, ev->reader, now_ms);
        break;
    case KS_CARDEV_CARD_ERROR:
        k->reading = 0;
        if (ks_session_state(k->session) == KS_SESSION_NONE)
            card_error(k, ev->error, now_ms);
        k->dirty = 1;
        break;
    case KS_CARDEV_CARD_REMOVED:
        if (strcmp(k->reading_reader, ev->reader) == 0)
            k->reading = 0; /* only the card being read: another reader's card says nothing */
        if (ks_session_state(k->session) != KS_SESSION_NONE && k->session_reader[0] &&
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

static void do_action(ks_kiosk_t *k, int action, uint64_t now_ms)
{
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
        show(k, ks_session_state(k->session) != KS_SESSION_NONE ? SCREEN_MENU : SCREEN_IDLE);
        break;
    case KS_ACT_BACK:
        show(k, ks_session_state(k->session) != KS_SESSION_NONE ? SCREEN_MENU : SCREEN_IDLE);
        break;
    case KS_ACT_RETRY:
        if (ks_session_state(k->session) != KS_SESSION_NONE && k->lookup_id == 0 &&
            k->lookup != KS_LOOKUP_OK) {
            show(k, SCREEN_MENU);
            start_lookup(k, now_ms);
        }
        break;
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

void ks_kiosk_tick(ks_kiosk_t *k, uint64_t now_ms)
{
    if (k->lookup == KS_LOOKUP_PENDING && now_ms >= k->lookup_deadline_ms) {
        ks_log(KS_LOG_WARN, "kiosk", "lookup: no answer within %llu ms",
               (unsigned long long)lookup_patience_ms(k));
        lookup_failed(k, 0, now_ms);
    }
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
        show(k, ks_session_state(k->session) != KS_SESSION_NONE ? SCREEN_MENU : SCREEN_IDLE);
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

    ks_ui_clear(k->ui);
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
    return screen_names[k->screen];
}

void ks_kiosk_dump(const ks_kiosk_t *k, cJSON *root)
{
    cJSON_AddStringToObject(root, "screen", screen_names[k->screen]);
    cJSON_AddStringToObject(root, "language", k->english ? "en" : "zh_CN");
    cJSON_AddBoolToObject(root, "elderly", ks_ui_elderly(k->ui));
    cJSON_AddBoolToObject(root, "dimmed", k->dimmed);
    cJSON_AddStringToObject(root, "readers",
                            k->readers == KS_READERS_OK     ? "ok"
                            : k->readers == KS_READERS_NONE ? "none"
                                                            : "unknown");
    cJSON_AddBoolToObject(root, "reading", k->reading);
    cJSON_AddNumberToObject(root, "sessions_started", (double)k->sessions_started);
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
    } else {
        cJSON_AddNullToObject(root, "session");
    }
    ks_ui_dump(k->ui, root);
}
