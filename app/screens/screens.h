/*
 * Screen builders: each turns the kiosk's current state into widgets. They
 * hold no state of their own; the kiosk calls one on every change.
 */
#ifndef KS_SCREENS_H
#define KS_SCREENS_H

#include "catalog.h"
#include "identity.h"
#include "ui.h"

/* Actions a button can carry (0 = none). */
typedef enum {
    KS_ACT_NONE = 0,
    KS_ACT_ELDERLY,  /* toggle elderly mode */
    KS_ACT_LANGUAGE, /* toggle 中文/English */
    KS_ACT_EXIT,     /* 退出: end the session */
    KS_ACT_BACK,     /* 返回 */
    KS_ACT_CONTINUE, /* the countdown's 继续办理 */
    KS_ACT_HOME,     /* leave a message screen */
    KS_ACT_RETRY,    /* 重试: try the failed request again */
} ks_action_t;

/* Where the backend lookup of the session's citizen stands. */
typedef enum {
    KS_LOOKUP_NONE = 0, /* no session, or no backend configured */
    KS_LOOKUP_PENDING,
    KS_LOOKUP_OK,
    KS_LOOKUP_OFFLINE, /* unreachable, timed out, server fault: 重试 may help */
    KS_LOOKUP_REFUSED, /* the backend said no (e.g. unknown card): staff can help */
} ks_lookup_state_t;

typedef enum { KS_MSG_INFO, KS_MSG_ERROR } ks_msg_kind_t;

/* What the idle screen knows about the card readers. */
typedef enum {
    KS_READERS_UNKNOWN = 0, /* not watched (cards disabled) or not yet known */
    KS_READERS_OK,          /* at least one reader works */
    KS_READERS_NONE,        /* no reader works: the citizen is told to ask staff */
} ks_reader_status_t;

/* What a builder may read. */
typedef struct {
    ks_ui_t *ui;
    const ks_catalog_t *cat;
    const ks_identity_t *holder; /* NULL when nobody is identified */
    int elderly;
    /* message screen */
    ks_msg_kind_t msg_kind;
    const char *msg_title_key, *msg_body_key;
    /* countdown dialog */
    int countdown_s;
    /* idle screen */
    ks_reader_status_t readers;
    int reading; /* a card is being read */
    /* message screen: offer 重试 */
    int msg_retry;
    /* menu: the backend lookup of the citizen */
    ks_lookup_state_t lookup;
} ks_view_t;

void ks_screen_idle(const ks_view_t *v);
void ks_screen_menu(const ks_view_t *v);
void ks_screen_message(const ks_view_t *v);

/* Overlays, drawn over the current screen. */
void ks_overlay_countdown(const ks_view_t *v);
void ks_overlay_dim(const ks_view_t *v);

/* Shared pieces (screens/common.c). */

/* The title banner; returns the y where content may start. */
int ks_screen_banner(const ks_view_t *v, const char *title);

/*
 * The footer, in the same places on every screen: 返回 bottom-left (when
 * `back`), 退出 bottom-right (when `exit`), and the 长者模式 and 中文/English
 * toggles — a row above them in portrait, between them in landscape.
 * Returns the y above which content must end.
 */
int ks_screen_footer(const ks_view_t *v, int back, int exit);

#endif
