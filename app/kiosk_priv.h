/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The kiosk's state, shared by its parts (kiosk.c: sessions, cards, the
 * services screens; marry.c: marriage booking, managing and check-in). UI
 * thread only. Not part of the kiosk's interface (kiosk.h).
 */
#ifndef KS_KIOSK_PRIV_H
#define KS_KIOSK_PRIV_H

#include "catalog.h"
#include "escpos.h"
#include "kiosk.h"
#include "marry.h"
#include "screens.h"
#include "session.h"
#include "subsidy.h"

typedef enum {
    SCREEN_IDLE,
    SCREEN_MENU,
    SCREEN_MESSAGE,
    SCREEN_ASSIST,      /* 救助状态查询 */
    SCREEN_SUBSIDY,     /* 补贴政策咨询: the programmes */
    SCREEN_POLICY,      /* one programme in full */
    SCREEN_WIZARD,      /* the estimate's questions */
    SCREEN_RESULT,      /* the estimate */
    SCREEN_BOOK,        /* 婚姻登记预约: one step of the booking flow (the name says which) */
    SCREEN_BOOKED,      /* a booking made or moved: number, QR code, what to bring */
    SCREEN_BOOKINGS,    /* 我的预约: the citizen's bookings */
    SCREEN_BOOKING,     /* one booking: cancel or move it */
    SCREEN_CANCEL,      /* 确定取消吗？ */
    SCREEN_MOVE,        /* moving a booking: date, slot, review (the name says which) */
    SCREEN_CHECKIN,     /* 签到取号: finding today's booking, the other party's card */
    SCREEN_TICKET,      /* the queue ticket */
    SCREEN_STAFF_PIN,   /* staff entry: the PIN */
    SCREEN_STAFF,       /* staff: the diagnostics report */
    SCREEN_STAFF_TOUCH, /* staff: the touch test grid */
} screen_t;

/* What 重试 on a message screen tries again. */
typedef enum { RETRY_NONE = 0, RETRY_LOOKUP, RETRY_ASSIST, RETRY_MARRY } retry_t;

/* The estimate's questions, in order. */
enum { Q_AREA = 0, Q_PERSONS, Q_INCOME, Q_AGE, Q_DISABILITY, Q_WORK, Q_COUNT };

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
    int card_present;           /* a card of the session is in that reader */
    unsigned long sessions_started;

    /* district backend: requests go out through these hooks, replies come back as events */
    ks_kiosk_submit_fn submit;
    ks_kiosk_cancel_fn cancel;
    void *backend_ctx;
    ks_lookup_state_t lookup;    /* of the current session */
    long long lookup_id;         /* the request in flight, 0 if none */
    uint64_t lookup_deadline_ms; /* a pending lookup gives up then */
    uintptr_t session_gen;       /* tags requests: replies for an ended session are dropped */
    int msg_retry;               /* the message offers 重试 */
    retry_t retry;               /* ... and this is what it tries again */
    screen_t msg_back;           /* where the message's 返回 leads */
    /* a line under the message naming a booking: catalogue key with {date} {time} {office} */
    const char *msg_detail_key;
    char msg_detail_time[KS_API_TIME];
    char msg_detail_office[96];

    /* 救助状态查询: the citizen's records (personal: wiped with the session) */
    ks_api_assistance_t *assist; /* valid when assist_ready */
    int assist_ready;
    long long assist_id;         /* the request in flight */
    uint64_t assist_deadline_ms; /* it gives up then (GETs retry: three attempts' worth) */
    int assist_after_lookup;     /* the token expired: ask again once looked up */

    /* 补贴政策咨询: policy data (not personal) */
    ks_api_policies_t *policies; /* never NULL after ks_kiosk_new */
    ks_policy_origin_t policy_origin;
    long long policies_id;        /* GET /policies in flight */
    uint64_t policies_fetched_ms; /* when the last answer came (0 = never) */
    int policy_sel;               /* the programme shown in full */
    int page, pages;              /* paging of long screens */

    /* the estimate: answers are personal (income): wiped with the visit */
    int q;                 /* current question */
    ks_answers_t answers;  /* answered so far */
    char field[24];        /* digits typed on the keypad (at most 7) */
    const char *field_err; /* catalogue key of a refusal of what was typed */
    int age_from_card;     /* the age answer was prefilled from the card */
    int answered[Q_COUNT]; /* which questions have an answer (0 is an answer too) */
    ks_estimate_t estimate;

    /* the heartbeat: a status summary without personal data, every backend.heartbeat_s */
    uint64_t started_ms;
    uint64_t heartbeat_due_ms; /* 0: not yet scheduled */
    long long heartbeat_id;
    int heartbeat_ok; /* the last one was answered */

    /* the receipt printer (NULL hooks: none configured) */
    ks_kiosk_print_fn print;
    ks_kiosk_print_cancel_fn print_cancel;
    void *print_ctx;
    struct {
        ks_print_result_t result; /* of the last job that ended or is being retried */
        int any;                  /* a job has been reported since start */
        char why[160];            /* the transport's reason (no personal data) */
        uint64_t at_ms;
        long long at_unix;
    } printer_last;

    /* the district backend as the kiosk's own requests found it (staff diagnostics) */
    long long backend_ok_at;  /* unix s of the last answer from the server, 0: none yet */
    long long backend_err_at; /* unix s of the last request that got none */
    char backend_err[256];    /* its reason (no personal data) */

    /* staff diagnostics: the report is gathered through this hook, off the UI thread */
    ks_kiosk_diag_fn diag;
    void *diag_ctx;
    ks_staff_t staff;

    /* marriage booking, managing and check-in (marry.c; personal: wiped with the visit) */
    ks_marry_t marry;
};

/* Shared between kiosk.c and marry.c. */
const ks_catalog_t *ks_kiosk_catalog(const ks_kiosk_t *k);
void ks_kiosk_show(ks_kiosk_t *k, screen_t s);
void ks_kiosk_message(ks_kiosk_t *k, ks_msg_kind_t kind, const char *title_key,
                      const char *body_key, uint64_t now_ms);
void ks_kiosk_failure(ks_kiosk_t *k, const char *title_key, const char *body_key, retry_t retry,
                      uint64_t now_ms);
void ks_kiosk_cancel_request(ks_kiosk_t *k, long long *id);
/* Sends req tagged with the session (owned by the call); the request id, or 0 when it could not. */
long long ks_kiosk_submit(ks_kiosk_t *k, ks_api_request_t *req);
uint64_t ks_kiosk_patience_ms(const ks_kiosk_t *k);
void ks_kiosk_reset_to_idle(ks_kiosk_t *k, uint64_t now_ms);
/* Looks the session's citizen up again (an expired token), unless a lookup is out. */
void ks_kiosk_relookup(ks_kiosk_t *k, uint64_t now_ms);

/* marry.c: marriage booking, managing, check-in. */
int ks_marry_init(ks_kiosk_t *k, char *err, size_t errlen);
void ks_marry_free(ks_kiosk_t *k);
void ks_marry_wipe(ks_kiosk_t *k);
/*
 * A couple's business where the cards change hands (the other party's card,
 * the steps after it, the booking made, the queue ticket): the session
 * outlives its card's removal; anywhere else it ends with it.
 */
int ks_marry_keeps_session(const ks_kiosk_t *k);
/* A card read during the visit: 1 when it was the other party's (consumed). */
int ks_marry_identity(ks_kiosk_t *k, const ks_identity_t *id, uint64_t now_ms);
/* A card could not be read while the kiosk waits for the other party's: a note on the prompt. */
void ks_marry_card_error(ks_kiosk_t *k);
/* The session's citizen token arrived / its lookup failed. */
void ks_marry_session_token(ks_kiosk_t *k, uint64_t now_ms);
void ks_marry_lookup_failed(ks_kiosk_t *k, int refused, uint64_t now_ms);
/* A backend reply: 1 when it was marriage business (handled or dropped). */
int ks_marry_reply(ks_kiosk_t *k, const ks_backend_reply_t *r, uint64_t now_ms);
/* A button: 1 when handled. */
int ks_marry_action(ks_kiosk_t *k, int action, uint64_t now_ms);
void ks_marry_retry(ks_kiosk_t *k, uint64_t now_ms);
void ks_marry_tick(ks_kiosk_t *k, uint64_t now_ms);
int64_t ks_marry_next_deadline_ms(const ks_kiosk_t *k, uint64_t now_ms);
int ks_marry_card_left_s(const ks_kiosk_t *k, uint64_t now_ms);
int ks_marry_day_left(const ks_kiosk_t *k, int date);
int ks_marry_can_change(const ks_kiosk_t *k, const ks_api_booking_t *b);
void ks_marry_month(ks_kiosk_t *k, int dir, int first, int last);
void ks_marry_checkin_send(ks_kiosk_t *k, uint64_t now_ms);
const char *ks_marry_screen_name(const ks_kiosk_t *k);
/* Works out what the screens show that depends on the clock (days, changeable bookings). */
void ks_marry_prepare(ks_kiosk_t *k);
void ks_marry_dump(const ks_kiosk_t *k, cJSON *root);
/*
 * Slips on the receipt printer (kiosk.c), for the booked and ticket screens
 * and the staff's test page. ks_kiosk_print_slip queues e's bytes when
 * composed is KS_OK (no printer: nothing, the slot says NONE) and frees e;
 * ks_kiosk_slip_result follows the slot's job (1 when it was its job);
 * ks_kiosk_slip_drop cancels a job not yet printed and clears the slot.
 */
void ks_kiosk_print_slip(ks_kiosk_t *k, ks_escpos_t *e, int composed, ks_slip_job_t *slot);
int ks_kiosk_slip_result(ks_slip_job_t *slot, long long job, ks_print_result_t result);
void ks_kiosk_slip_drop(ks_kiosk_t *k, ks_slip_job_t *slot);
/* "none", "printing", "done", "retrying", "failed" (for dumps). */
const char *ks_slip_state_name(ks_slip_state_t s);

/* staffmode.c: the staff's diagnostics mode. */
int ks_staff_screen(screen_t s);
void ks_staff_pointer_down(ks_kiosk_t *k, int lx, int ly, uint64_t now_ms);
void ks_staff_pointer_up(ks_kiosk_t *k);
void ks_staff_tick(ks_kiosk_t *k, uint64_t now_ms);
int64_t ks_staff_next_deadline_ms(const ks_kiosk_t *k, uint64_t now_ms);
int ks_staff_action(ks_kiosk_t *k, int action, uint64_t now_ms);
void ks_staff_close(ks_kiosk_t *k, uint64_t now_ms);
void ks_staff_report(ks_kiosk_t *k, cJSON *report);
void ks_staff_print_result(ks_kiosk_t *k, long long job, ks_print_result_t result);
const char *ks_staff_screen_name(const ks_kiosk_t *k);
void ks_staff_dump(const ks_kiosk_t *k, cJSON *root);
void ks_staff_free(ks_kiosk_t *k);

#endif
