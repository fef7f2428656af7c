/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Staff diagnostics mode (staffmode.h): how staff get in (a 5-second press on
 * the idle screen's top-left corner, then the PIN), what the staff screens do
 * (refresh the report, a test print, the touch grid) and how they close (返回,
 * or 2 minutes untouched). Citizens never see it: it opens only from the idle
 * screen with no session, and a card inserted meanwhile starts no session.
 */
#include "kiosk_priv.h"

#include "error.h"
#include "log.h"
#include "slip.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

int ks_staff_screen(screen_t s)
{
    return s == SCREEN_STAFF_PIN || s == SCREEN_STAFF || s == SCREEN_STAFF_TOUCH;
}

/* The corner that opens staff entry: a touch target's square at the top left. */
static int in_corner(const ks_kiosk_t *k, int lx, int ly)
{
    const ks_metrics_t *m = ks_ui_metrics(k->ui);
    int edge = m->target * 2;
    return lx >= 0 && ly >= 0 && lx < edge && ly < edge;
}

void ks_staff_pointer_down(ks_kiosk_t *k, int lx, int ly, uint64_t now_ms)
{
    ks_staff_t *s = &k->staff;
    s->now_ms = now_ms;
    s->holding = k->screen == SCREEN_IDLE && ks_session_state(k->session) == KS_SESSION_NONE &&
                 in_corner(k, lx, ly);
    s->hold_since_ms = now_ms;
}

void ks_staff_pointer_up(ks_kiosk_t *k)
{
    k->staff.holding = 0;
}

static void wipe_pin(ks_staff_t *s)
{
    explicit_bzero(s->pin, sizeof s->pin);
    s->pin_err = NULL;
    s->tries_left = 0;
    s->locked_min = 0;
}

/* Asks for a fresh report (the caller adds the display); the screen says it is checking. */
/* A report not back after this long is taken as lost (the backend probe's timeouts are far less).
 */
#define COLLECT_LOST_MS (10 * 60 * 1000)

static void collect(ks_kiosk_t *k)
{
    ks_staff_t *s = &k->staff;
    if (!k->diag)
        return;
    if (s->collecting && s->now_ms - s->collect_since_ms < COLLECT_LOST_MS) {
        s->collect_again = 1; /* what changed since it started (a test print, a card) is shown */
        return;
    }
    ks_diag_live_t live;
    memset(&live, 0, sizeof live);
    if (k->print && k->printer_last.any) {
        live.printer_has_job = 1;
        live.printer_last_result = k->printer_last.result;
        snprintf(live.printer_last_reason, sizeof live.printer_last_reason, "%s",
                 k->printer_last.why);
        live.printer_last_at = k->printer_last.at_unix;
    }
    live.backend_last_success = k->backend_ok_at;
    live.backend_last_error_at = k->backend_err_at;
    snprintf(live.backend_last_error, sizeof live.backend_last_error, "%s", k->backend_err);
    if (k->diag(k->diag_ctx, &live) == 0) {
        s->collecting = 1;
        s->collect_again = 0;
        s->collect_since_ms = s->now_ms;
    }
    k->dirty = 1;
}

static void open_staff(ks_kiosk_t *k)
{
    wipe_pin(&k->staff);
    k->page = 0;
    ks_kiosk_show(k, SCREEN_STAFF);
    collect(k);
}

void ks_staff_close(ks_kiosk_t *k, uint64_t now_ms)
{
    ks_staff_t *s = &k->staff;
    wipe_pin(s);
    s->holding = 0;
    ks_kiosk_slip_drop(k, &s->slip);
    k->page = 0;
    ks_log(KS_LOG_INFO, "staff", "staff mode closed");
    ks_kiosk_reset_to_idle(k, now_ms);
}

void ks_staff_tick(ks_kiosk_t *k, uint64_t now_ms)
{
    ks_staff_t *s = &k->staff;
    s->now_ms = now_ms;
    if (s->holding && (k->screen != SCREEN_IDLE || ks_session_state(k->session) != KS_SESSION_NONE))
        s->holding = 0; /* a card came in during the press: that visit is a citizen's */
    if (s->holding && k->finger_down && now_ms - s->hold_since_ms >= KS_STAFF_HOLD_MS) {
        s->holding = 0;
        /* The finger is still down: its release must not press a key of the PIN screen. */
        k->swallow_until_up = 1;
        k->pressed_id[0] = '\0';
        ks_ui_set_pressed(k->ui, NULL);
        wipe_pin(s);
        k->dimmed = 0;
        /* Staff read a long report: standard size (the toggle stays; closing resets it). */
        ks_ui_set_elderly(k->ui, 0);
        ks_log(KS_LOG_INFO, "staff", "staff entry asked for (corner press)");
        /* Without a usable hash no PIN can open it: say so before anyone types one. */
        if (!ks_pin_hash_usable(k->cfg->staff.pin_hash))
            s->pin_err = "staff.pin_no_hash";
        ks_kiosk_show(k, SCREEN_STAFF_PIN);
        return;
    }
    if (ks_staff_screen(k->screen) && !k->finger_down &&
        now_ms - k->last_input_ms >= KS_STAFF_IDLE_MS) {
        ks_log(KS_LOG_INFO, "staff", "staff screen untouched for 2 minutes");
        ks_staff_close(k, now_ms);
    }
}

int64_t ks_staff_next_deadline_ms(const ks_kiosk_t *k, uint64_t now_ms)
{
    const ks_staff_t *s = &k->staff;
    uint64_t due = UINT64_MAX;
    if (s->holding && k->finger_down)
        due = s->hold_since_ms + KS_STAFF_HOLD_MS;
    if (ks_staff_screen(k->screen) && k->last_input_ms + KS_STAFF_IDLE_MS < due)
        due = k->last_input_ms + KS_STAFF_IDLE_MS;
    if (due == UINT64_MAX)
        return -1;
    return due > now_ms ? (int64_t)(due - now_ms) : 0;
}

static void check_pin(ks_kiosk_t *k, uint64_t now_ms)
{
    ks_staff_t *s = &k->staff;
    int64_t retry = 0;
    ks_pin_result_t r =
        ks_pin_check(&s->guard, k->cfg->staff.pin_hash, s->pin, (int64_t)now_ms, &retry);
    explicit_bzero(s->pin, sizeof s->pin);
    s->pin_err = NULL;
    switch (r) {
    case KS_PIN_OK:
        ks_log(KS_LOG_INFO, "staff", "staff mode opened");
        open_staff(k);
        return;
    case KS_PIN_WRONG:
        s->tries_left = KS_PIN_MAX_FAILURES - s->guard.failures;
        s->pin_err = "staff.pin_wrong";
        ks_log(KS_LOG_WARN, "staff", "wrong staff PIN (%d more before the lock)", s->tries_left);
        break;
    case KS_PIN_LOCKED:
        s->locked_min = (int)((retry + 59999) / 60000);
        s->pin_err = "staff.pin_locked";
        ks_log(KS_LOG_WARN, "staff", "staff entry locked for %lld s more",
               (long long)(retry / 1000));
        break;
    case KS_PIN_MALFORMED:
        s->pin_err = "staff.pin_malformed";
        break;
    case KS_PIN_NO_HASH:
        s->pin_err = "staff.pin_no_hash";
        ks_log(KS_LOG_WARN, "staff", "staff entry asked for, but [staff] pin_hash is not set");
        break;
    }
    k->dirty = 1;
}

/* The test page: what a technician checks on paper (Chinese text, QR code, the cut). */
static void test_print(ks_kiosk_t *k)
{
    ks_staff_t *s = &k->staff;
    if (!k->print)
        return;
    char when[32];
    time_t now = time(NULL);
    struct tm tm;
    localtime_r(&now, &tm);
    strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S", &tm);
    ks_escpos_t *e = ks_escpos_new();
    int rc = e ? ks_slip_test(e, ks_kiosk_catalog(k), k->cfg->backend.kiosk_id, when,
                              k->cfg->printer.qr_raster)
               : KS_E_NOMEM;
    ks_kiosk_print_slip(k, e, rc, &s->slip);
    ks_log(KS_LOG_INFO, "staff", "test print %s", s->slip.job > 0 ? "queued" : "not queued");
    k->dirty = 1;
}

void ks_staff_print_result(ks_kiosk_t *k, long long job, ks_print_result_t result)
{
    if (!ks_kiosk_slip_result(&k->staff.slip, job, result))
        return;
    if (result != KS_PRINT_RETRYING && k->screen == SCREEN_STAFF)
        collect(k); /* the printer's section says what happened */
}

/* The touch grid's size for this canvas: cells about two touch targets across. */
static void grid_size(const ks_kiosk_t *k, int *cols, int *rows)
{
    const ks_metrics_t *m = ks_ui_metrics(k->ui);
    int cell = m->target * 2;
    int c = (m->w - 2 * m->margin) / cell, r = (m->h - 2 * m->margin) / cell;
    c = c < 3 ? 3 : c > 12 ? 12 : c;
    r = r < 3 ? 3 : r > 16 ? 16 : r;
    while (c * r > KS_STAFF_GRID_MAX)
        r--;
    *cols = c;
    *rows = r;
}

int ks_staff_action(ks_kiosk_t *k, int action, uint64_t now_ms)
{
    ks_staff_t *s = &k->staff;
    s->now_ms = now_ms;
    switch (k->screen) {
    case SCREEN_STAFF_PIN:
        if (action >= KS_ACT_KEY_0 && action <= KS_ACT_KEY_0 + 9) {
            size_t n = strlen(s->pin);
            if (n < KS_PIN_MAX_DIGITS) {
                s->pin[n] = (char)('0' + action - KS_ACT_KEY_0);
                s->pin[n + 1] = '\0';
            }
            s->pin_err = NULL;
            k->dirty = 1;
            return 1;
        }
        if (action == KS_ACT_KEY_DEL) {
            size_t n = strlen(s->pin);
            if (n > 0)
                s->pin[n - 1] = '\0';
            k->dirty = 1;
            return 1;
        }
        if (action == KS_ACT_NEXT) {
            check_pin(k, now_ms);
            return 1;
        }
        if (action == KS_ACT_BACK || action == KS_ACT_EXIT) {
            ks_staff_close(k, now_ms);
            return 1;
        }
        return 0;
    case SCREEN_STAFF:
        if (action == KS_ACT_STAFF_REFRESH) {
            collect(k);
            return 1;
        }
        if (action == KS_ACT_STAFF_TEST_PRINT) {
            test_print(k);
            return 1;
        }
        if (action == KS_ACT_STAFF_TOUCH) {
            grid_size(k, &s->grid_cols, &s->grid_rows);
            memset(s->touched, 0, sizeof s->touched);
            ks_kiosk_show(k, SCREEN_STAFF_TOUCH);
            return 1;
        }
        if (action == KS_ACT_BACK || action == KS_ACT_EXIT) {
            ks_staff_close(k, now_ms);
            return 1;
        }
        return 0;
    case SCREEN_STAFF_TOUCH:
        if (action >= KS_ACT_GRID_0 && action < KS_ACT_GRID_0 + KS_STAFF_GRID_MAX) {
            s->touched[action - KS_ACT_GRID_0] = 1;
            k->dirty = 1;
            return 1;
        }
        if (action == KS_ACT_BACK || action == KS_ACT_EXIT) {
            k->page = 0;
            ks_kiosk_show(k, SCREEN_STAFF);
            return 1;
        }
        return 0;
    default:
        return 0;
    }
}

void ks_staff_report(ks_kiosk_t *k, cJSON *report)
{
    ks_staff_t *s = &k->staff;
    s->collecting = 0;
    if (report) {
        cJSON_Delete(s->report);
        s->report = report;
        s->report_at = (long long)time(NULL);
    }
    if (ks_staff_screen(k->screen))
        k->dirty = 1;
    if (s->collect_again && k->screen == SCREEN_STAFF)
        collect(k);
}

const char *ks_staff_screen_name(const ks_kiosk_t *k)
{
    switch (k->screen) {
    case SCREEN_STAFF_PIN:
        return "staff-pin";
    case SCREEN_STAFF:
        return "staff";
    case SCREEN_STAFF_TOUCH:
        return "staff-touch";
    default:
        return NULL;
    }
}

void ks_staff_dump(const ks_kiosk_t *k, cJSON *root)
{
    const ks_staff_t *s = &k->staff;
    if (!ks_staff_screen(k->screen))
        return;
    cJSON *o = cJSON_AddObjectToObject(root, "staff");
    cJSON_AddNumberToObject(o, "pin_len", (double)strlen(s->pin));
    if (s->pin_err)
        cJSON_AddStringToObject(o, "pin_err", s->pin_err);
    cJSON_AddNumberToObject(o, "tries_left", s->tries_left);
    cJSON_AddNumberToObject(o, "locked_min", s->locked_min);
    cJSON_AddBoolToObject(o, "collecting", s->collecting);
    if (s->report) {
        const cJSON *h = cJSON_GetObjectItemCaseSensitive(s->report, "healthy");
        cJSON_AddBoolToObject(o, "healthy", cJSON_IsTrue(h));
    }
    cJSON_AddStringToObject(o, "print", ks_slip_state_name(s->slip.state));
    int touched = 0;
    for (int i = 0; i < KS_STAFF_GRID_MAX; i++)
        touched += s->touched[i];
    cJSON_AddNumberToObject(o, "touched", touched);
    cJSON_AddNumberToObject(o, "cells", s->grid_cols * s->grid_rows);
}

void ks_staff_free(ks_kiosk_t *k)
{
    wipe_pin(&k->staff);
    cJSON_Delete(k->staff.report);
    k->staff.report = NULL;
}
