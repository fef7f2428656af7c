/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The citizen session: holds the identity and owns the inactivity rules.
 * No SDL: the UI loop passes the time in (milliseconds, monotonic) and asks
 * what happened. After idle_timeout_ms without activity the countdown starts;
 * activity during the countdown cancels it (the citizen is still there);
 * when it runs out the session expires and the identity is wiped.
 */
#ifndef KS_SESSION_H
#define KS_SESSION_H

#include "identity.h"

#include <stdint.h>

typedef struct ks_session ks_session_t;

typedef enum {
    KS_SESSION_NONE = 0,  /* no citizen */
    KS_SESSION_ACTIVE,    /* identified, recently active */
    KS_SESSION_COUNTDOWN, /* "还要继续吗？" is showing */
} ks_session_state_t;

typedef enum {
    KS_SESSION_EV_NONE = 0,
    KS_SESSION_EV_COUNTDOWN_STARTED,
    KS_SESSION_EV_COUNTDOWN_TICK, /* the remaining whole seconds changed */
    KS_SESSION_EV_EXPIRED,        /* the session ended and was wiped */
} ks_session_event_t;

/* idle_timeout_ms > 0, countdown_ms > 0. Returns NULL on allocation failure. */
ks_session_t *ks_session_new(uint32_t idle_timeout_ms, uint32_t countdown_ms);

/* Wipes and frees. NULL is allowed. */
void ks_session_free(ks_session_t *s);

/* Starts a session for `id` (copied), replacing and wiping any previous one. */
void ks_session_begin(ks_session_t *s, const ks_identity_t *id, uint64_t now_ms);

/*
 * Starts a visit without a card (someone consulting subsidy policies): the
 * same inactivity rules, no identity (ks_session_identity is NULL). What the
 * visitor typed lives in the kiosk and is wiped when this ends.
 */
void ks_session_begin_anonymous(ks_session_t *s, uint64_t now_ms);

/* 1 during a visit without a card. */
int ks_session_anonymous(const ks_session_t *s);

/* Ends the session: every personal field is overwritten. Idempotent. */
void ks_session_end(ks_session_t *s);

ks_session_state_t ks_session_state(const ks_session_t *s);

/* The identity, or NULL when there is no session. Valid until the session ends. */
const ks_identity_t *ks_session_identity(const ks_session_t *s);

/*
 * The district backend's opaque citizen token for this session (after the
 * lookup). It is all the session keeps from the backend; wiped with the
 * session. set: 0, or KS_E_STATE without a session or for a bad token.
 */
int ks_session_set_token(ks_session_t *s, const char *token);

/* Forgets the token (the backend said it expired): the citizen is looked up again. */
void ks_session_clear_token(ks_session_t *s);

/* The token, or NULL before the lookup succeeded or without a session. */
const char *ks_session_token(const ks_session_t *s);

/* A touch or other sign of the citizen: restarts the idle timer, cancels a countdown. */
void ks_session_activity(ks_session_t *s, uint64_t now_ms);

/* Advances the timers to now_ms and reports the most important thing that happened. */
ks_session_event_t ks_session_tick(ks_session_t *s, uint64_t now_ms);

/* Whole seconds left in the countdown (rounded up), 0 when not counting down. */
int ks_session_countdown_left_s(const ks_session_t *s, uint64_t now_ms);

/* Milliseconds until ks_session_tick has something to report; -1 when never. */
int64_t ks_session_next_deadline_ms(const ks_session_t *s, uint64_t now_ms);

#endif
