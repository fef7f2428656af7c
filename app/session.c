/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "session.h"

#include "error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct ks_session {
    ks_identity_t id; /* personal data: wiped on every exit path */
    char token[40];   /* the backend's citizen token, "" until the lookup succeeded */
    int anonymous;    /* a visit without a card (subsidy consultation) */
    ks_session_state_t state;
    uint32_t idle_timeout_ms, countdown_ms;
    uint64_t last_activity_ms; /* start of the idle period */
    uint64_t countdown_end_ms;
    int last_left_s; /* remaining seconds last reported */
};

ks_session_t *ks_session_new(uint32_t idle_timeout_ms, uint32_t countdown_ms)
{
    ks_session_t *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->idle_timeout_ms = idle_timeout_ms;
    s->countdown_ms = countdown_ms;
    return s;
}

void ks_session_free(ks_session_t *s)
{
    if (!s)
        return;
    ks_session_end(s);
    free(s);
}

void ks_session_begin(ks_session_t *s, const ks_identity_t *id, uint64_t now_ms)
{
    ks_session_end(s);
    s->id = *id;
    /* Whatever the source, every text field ends inside its buffer. */
    s->id.name[sizeof s->id.name - 1] = '\0';
    s->id.idnum[sizeof s->id.idnum - 1] = '\0';
    s->id.card_number[sizeof s->id.card_number - 1] = '\0';
    s->id.nation[sizeof s->id.nation - 1] = '\0';
    s->state = KS_SESSION_ACTIVE;
    s->last_activity_ms = now_ms;
}

void ks_session_begin_anonymous(ks_session_t *s, uint64_t now_ms)
{
    ks_session_end(s);
    s->anonymous = 1;
    s->state = KS_SESSION_ACTIVE;
    s->last_activity_ms = now_ms;
}

int ks_session_anonymous(const ks_session_t *s)
{
    return s->state != KS_SESSION_NONE && s->anonymous;
}

void ks_session_end(ks_session_t *s)
{
    ks_identity_wipe(&s->id);
    explicit_bzero(s->token, sizeof s->token);
    s->anonymous = 0;
    s->state = KS_SESSION_NONE;
    s->countdown_end_ms = 0;
    s->last_left_s = 0;
}

ks_session_state_t ks_session_state(const ks_session_t *s)
{
    return s->state;
}

const ks_identity_t *ks_session_identity(const ks_session_t *s)
{
    return s->state == KS_SESSION_NONE || s->anonymous ? NULL : &s->id;
}

void ks_session_activity(ks_session_t *s, uint64_t now_ms)
{
    if (s->state == KS_SESSION_NONE)
        return;
    s->state = KS_SESSION_ACTIVE;
    s->last_activity_ms = now_ms;
    s->countdown_end_ms = 0;
}

int ks_session_countdown_left_s(const ks_session_t *s, uint64_t now_ms)
{
    if (s->state != KS_SESSION_COUNTDOWN || now_ms >= s->countdown_end_ms)
        return 0;
    return (int)((s->countdown_end_ms - now_ms + 999) / 1000);
}

ks_session_event_t ks_session_tick(ks_session_t *s, uint64_t now_ms)
{
    if (s->state == KS_SESSION_ACTIVE) {
        if (now_ms - s->last_activity_ms < s->idle_timeout_ms)
            return KS_SESSION_EV_NONE;
        /*
         * The whole countdown starts when the dialog appears: a loop that
         * noticed late must not shorten the citizen's time to answer.
         */
        s->state = KS_SESSION_COUNTDOWN;
        s->countdown_end_ms = now_ms + s->countdown_ms;
        s->last_left_s = ks_session_countdown_left_s(s, now_ms);
        return KS_SESSION_EV_COUNTDOWN_STARTED;
    }
    if (s->state == KS_SESSION_COUNTDOWN) {
        if (now_ms >= s->countdown_end_ms) {
            ks_session_end(s);
            return KS_SESSION_EV_EXPIRED;
        }
        int left = ks_session_countdown_left_s(s, now_ms);
        if (left != s->last_left_s) {
            s->last_left_s = left;
            return KS_SESSION_EV_COUNTDOWN_TICK;
        }
    }
    return KS_SESSION_EV_NONE;
}

int64_t ks_session_next_deadline_ms(const ks_session_t *s, uint64_t now_ms)
{
    if (s->state == KS_SESSION_ACTIVE) {
        uint64_t due = s->last_activity_ms + s->idle_timeout_ms;
        return due > now_ms ? (int64_t)(due - now_ms) : 0;
    }
    if (s->state == KS_SESSION_COUNTDOWN) {
        if (now_ms >= s->countdown_end_ms)
            return 0;
        /* Next whole-second boundary of the remaining time, so the digits tick on time. */
        uint64_t rem = s->countdown_end_ms - now_ms;
        uint64_t to_next = rem % 1000;
        return (int64_t)(to_next ? to_next : 1000);
    }
    return -1;
}

int ks_session_set_token(ks_session_t *s, const char *token)
{
    if (s->state == KS_SESSION_NONE || s->anonymous || !token || strlen(token) >= sizeof s->token)
        return KS_E_STATE;
    snprintf(s->token, sizeof s->token, "%s", token);
    return KS_OK;
}

void ks_session_clear_token(ks_session_t *s)
{
    explicit_bzero(s->token, sizeof s->token);
}

const char *ks_session_token(const ks_session_t *s)
{
    return s->state != KS_SESSION_NONE && s->token[0] ? s->token : NULL;
}
