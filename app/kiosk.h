/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The kiosk's top-level state machine (UI thread only): which screen shows,
 * the citizen session, the inactivity countdown, dimming, and what a touch
 * means. Time comes in as monotonic milliseconds so tests can drive it.
 */
#ifndef KS_KIOSK_H
#define KS_KIOSK_H

#include "client.h"
#include "config.h"
#include "diag.h"
#include "identity.h"
#include "monitor.h"
#include "printer.h"
#include "ui.h"

#include <cjson/cJSON.h>
#include <stdint.h>

typedef struct ks_kiosk ks_kiosk_t;

/* Loads the string catalogues from <assets_dir>/strings. NULL on error (err filled). */
ks_kiosk_t *ks_kiosk_new(const ks_config_t *cfg, ks_ui_t *ui, const char *assets_dir,
                         uint64_t now_ms, char *err, size_t errlen);

/*
 * How the kiosk reaches the district backend without knowing its thread: submit
 * takes ownership of the request and returns its id (> 0) or a negative code;
 * cancel drops a request whose reply is no longer wanted. Without hooks (no
 * backend configured) nothing is looked up.
 */
typedef long long (*ks_kiosk_submit_fn)(void *ctx, ks_api_request_t *req);
typedef void (*ks_kiosk_cancel_fn)(void *ctx, long long id);
void ks_kiosk_set_backend(ks_kiosk_t *k, ks_kiosk_submit_fn submit, ks_kiosk_cancel_fn cancel,
                          void *ctx);

/*
 * A reply from the backend (the caller keeps ownership). The lookup after a
 * card was read stores the citizen token in the session, or shows a plain
 * message with 重试 when the backend could not be reached.
 */
void ks_kiosk_backend_reply(ks_kiosk_t *k, const ks_backend_reply_t *r, uint64_t now_ms);

/*
 * The receipt printer, when one is configured: print queues a copy of ESC/POS
 * bytes and returns the job's id (> 0) without waiting, or a negative code
 * when it cannot take it; cancel drops a job whose citizen has gone. Without
 * hooks nothing is printed and the screens say nothing about printing.
 */
typedef long long (*ks_kiosk_print_fn)(void *ctx, const unsigned char *bytes, size_t n);
typedef void (*ks_kiosk_print_cancel_fn)(void *ctx, long long job);
void ks_kiosk_set_printer(ks_kiosk_t *k, ks_kiosk_print_fn print, ks_kiosk_print_cancel_fn cancel,
                          void *ctx);
/* What became of a print job (from the queue, via the UI thread); why is for staff. */
void ks_kiosk_print_result(ks_kiosk_t *k, long long job, ks_print_result_t result, const char *why,
                           uint64_t now_ms);

/*
 * Staff diagnostics: diag starts gathering a report (app/staff/diag.h) off the
 * UI thread from what the kiosk knows (live; the caller adds the display) and
 * returns 0, or non-zero when it cannot; the report comes back through
 * ks_kiosk_diag_report, which takes it over (NULL: gathering failed).
 */
typedef int (*ks_kiosk_diag_fn)(void *ctx, const ks_diag_live_t *live);
void ks_kiosk_set_diag(ks_kiosk_t *k, ks_kiosk_diag_fn diag, void *ctx);
void ks_kiosk_diag_report(ks_kiosk_t *k, cJSON *report, uint64_t now_ms);

/* Ends any session (wiping it) and frees. */
void ks_kiosk_free(ks_kiosk_t *k);

/*
 * A finger (or the mouse, with its own id) went down / up at a canvas point.
 * The kiosk follows one finger at a time; other contacts are ignored until it
 * lifts.
 */
void ks_kiosk_pointer_down(ks_kiosk_t *k, long finger, int lx, int ly, uint64_t now_ms);
void ks_kiosk_pointer_up(ks_kiosk_t *k, long finger, int lx, int ly, uint64_t now_ms);

/*
 * An event from the card reader monitor: identity read (starts a session),
 * card removed (ends the session started from that reader), read errors
 * (a plain message), reader availability (shown on the idle screen).
 */
void ks_kiosk_card_event(ks_kiosk_t *k, const ks_cardev_t *ev, uint64_t now_ms);

/* Advances timers (session countdown, dimming, message timeout). */
void ks_kiosk_tick(ks_kiosk_t *k, uint64_t now_ms);

/* Milliseconds until ks_kiosk_tick has work; -1 when nothing is scheduled. */
int64_t ks_kiosk_next_deadline_ms(const ks_kiosk_t *k, uint64_t now_ms);

/* Rebuilds widgets and renders when something changed. Returns 1 if it drew a new frame. */
int ks_kiosk_render(ks_kiosk_t *k, uint64_t now_ms);

/* How many sessions began since start (for the test harness). */
unsigned long ks_kiosk_sessions_started(const ks_kiosk_t *k);

/* The layout must be built again (e.g. the window changed size). */
void ks_kiosk_invalidate(ks_kiosk_t *k);

/* Current screen id ("idle", "menu", "message"). */
const char *ks_kiosk_screen(const ks_kiosk_t *k);

/* Adds screen, overlay, session, language and the widget tree to `root`. */
void ks_kiosk_dump(const ks_kiosk_t *k, cJSON *root);

#endif
