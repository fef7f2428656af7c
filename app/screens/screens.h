/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Screen builders: each turns the kiosk's current state into widgets. They
 * hold no state of their own; the kiosk calls one on every change.
 */
#ifndef KS_SCREENS_H
#define KS_SCREENS_H

#include "api.h"
#include "catalog.h"
#include "identity.h"
#include "marry.h"
#include "staffmode.h"
#include "policy.h"
#include "subsidy.h"
#include "ui.h"

/* Actions a button can carry (0 = none). */
typedef enum {
    KS_ACT_NONE = 0,
    KS_ACT_ELDERLY,              /* toggle elderly mode */
    KS_ACT_LANGUAGE,             /* toggle 中文/English */
    KS_ACT_EXIT,                 /* 退出: end the session */
    KS_ACT_BACK,                 /* 返回 */
    KS_ACT_CONTINUE,             /* the countdown's 继续办理 */
    KS_ACT_HOME,                 /* leave a message screen */
    KS_ACT_RETRY,                /* 重试: try the failed request again */
    KS_ACT_ASSIST,               /* 救助状态查询 */
    KS_ACT_SUBSIDY,              /* 补贴政策咨询 (open to anyone) */
    KS_ACT_WIZARD,               /* start the estimate's questions */
    KS_ACT_NEXT,                 /* 下一步: take what was typed */
    KS_ACT_KEY_DEL,              /* keypad 删除 */
    KS_ACT_PAGE_PREV,            /* 上一页 */
    KS_ACT_PAGE_NEXT,            /* 下一页 */
    KS_ACT_MARRY,                /* 婚姻登记预约 */
    KS_ACT_MY_BOOKINGS,          /* 我的婚姻登记预约 */
    KS_ACT_CHECKIN,              /* 签到取号 (registry) */
    KS_ACT_DONE,                 /* 完成: the business is done, the visit ends */
    KS_ACT_ONE_PARTY,            /* 补领: only I came */
    KS_ACT_CONFIRM,              /* 确认 (a booking, a cancel, a move) */
    KS_ACT_CANCEL_BOOKING,       /* 取消预约 */
    KS_ACT_MOVE_BOOKING,         /* 改约 */
    KS_ACT_MONTH_PREV,           /* the calendar's 上个月 */
    KS_ACT_MONTH_NEXT,           /* 下个月 */
    KS_ACT_KEY_0 = 100,          /* keypad digits: KS_ACT_KEY_0 + d */
    KS_ACT_CHOICE_0 = 120,       /* a question's choices: KS_ACT_CHOICE_0 + i */
    KS_ACT_POLICY_0 = 140,       /* open programme i: KS_ACT_POLICY_0 + i */
    KS_ACT_DAY_0 = 1000,         /* the calendar: the day first + i of the booking window */
    KS_ACT_SLOT_0 = 2000,        /* time slot i of the slots list */
    KS_ACT_BOOKING_0 = 3000,     /* booking i of the citizen's list */
    KS_ACT_STAFF_REFRESH = 3900, /* staff: gather the diagnostics again */
    KS_ACT_STAFF_TEST_PRINT,     /* staff: print a test page */
    KS_ACT_STAFF_TOUCH,          /* staff: open the touch test grid */
    KS_ACT_GRID_0 = 4000,        /* the touch grid's cell i */
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
    int has_token; /* the citizen's records can be asked for */
    /* 救助状态查询: NULL while they are being fetched */
    const ks_api_assistance_t *assist;
    /* 补贴政策咨询 */
    const ks_api_policies_t *policies;
    ks_policy_origin_t policy_origin;
    int policy_sel;
    /* paging: the page to show; builders of long screens write how many there are */
    int page;
    int *pages;
    /* the estimate */
    int q; /* question 0..5 */
    const ks_answers_t *answers;
    const char *field;     /* digits typed */
    const char *field_err; /* catalogue key, or NULL */
    int age_from_card;
    const ks_estimate_t *estimate;
    /* message screen: a line naming a booking ({date} {time} {office}), or NULL */
    const char *msg_detail_key, *msg_detail_time, *msg_detail_office;
    /* marriage booking, managing, check-in */
    const ks_marry_t *marry;
    int registry;    /* mode = registry: couples check in here */
    int backend;     /* a backend is configured: the marriage services can be offered */
    int card_left_s; /* seconds left for the other party's card, or -1 */
    /* staff diagnostics */
    const ks_staff_t *staff;
    int has_printer; /* a receipt printer is configured and started */
} ks_view_t;

void ks_screen_idle(const ks_view_t *v);
void ks_screen_menu(const ks_view_t *v);
void ks_screen_message(const ks_view_t *v);
void ks_screen_assistance(const ks_view_t *v);
void ks_screen_subsidy(const ks_view_t *v);
void ks_screen_policy(const ks_view_t *v);
void ks_screen_wizard(const ks_view_t *v);
void ks_screen_estimate(const ks_view_t *v);
/* marriage (screens/marriage.c) */
void ks_screen_book(const ks_view_t *v);
void ks_screen_booked(const ks_view_t *v);
void ks_screen_bookings(const ks_view_t *v);
void ks_screen_booking(const ks_view_t *v);
void ks_screen_cancel(const ks_view_t *v);
void ks_screen_move(const ks_view_t *v);
void ks_screen_checkin(const ks_view_t *v);
void ks_screen_ticket(const ks_view_t *v);
/* staff diagnostics (screens/staff.c) */
void ks_screen_staff_pin(const ks_view_t *v);
void ks_screen_staff(const ks_view_t *v);
void ks_screen_staff_touch(const ks_view_t *v);

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

/*
 * Paging of long screens for people who do not scroll: blocks of widgets are
 * laid out one under the other; a block that does not fit starts a new page;
 * only the wanted page's blocks are kept. Usage: ks_flow_begin, then for each
 * block add its widgets at f.y and call ks_flow_end_block(&f, first_widget).
 */
typedef struct {
    ks_ui_t *ui;
    int top, bottom, y;
    int page, want;
} ks_flow_t;

void ks_flow_begin(ks_flow_t *f, ks_ui_t *ui, int top, int bottom, int want_page);
void ks_flow_end_block(ks_flow_t *f, size_t first, int gap_after);

/*
 * A card of the flow (a programme, an estimate item): groups of lines, each
 * group one block with its own piece of the card behind it, so a long card
 * continues on the next page instead of running off the screen. Widget ids
 * are "<prefix>-<what>".
 */
typedef struct {
    const ks_view_t *v;
    ks_flow_t *f;
    char prefix[24];
    size_t first; /* the open group's panel */
    int y;        /* where the next line goes */
    int groups;
    int private_text; /* the card shows personal data: never cached, wiped */
    int x, w;         /* where it stands across: the content width unless begun _at */
} ks_card_t;

void ks_card_begin(ks_card_t *c, const ks_view_t *v, ks_flow_t *f, const char *prefix);
/* A card in a column: x across, w wide. */
void ks_card_begin_at(ks_card_t *c, const ks_view_t *v, ks_flow_t *f, const char *prefix, int x,
                      int w);
void ks_card_group_begin(ks_card_t *c);
void ks_card_group_end(ks_card_t *c, int last);

/* Opens the card with its first group: a heading, then an icon beside words (left open). */
void ks_card_head(ks_card_t *c, const char *name, ks_icon_t icon, ks_style_t style,
                  const char *status);

/* One line as a group of its own; `last` closes the card. */
void ks_card_line(ks_card_t *c, const char *what, const char *text, ks_text_role_t role, int last);

/* Pages the flow made (at least 1). */
int ks_flow_pages(const ks_flow_t *f);

/*
 * 上一页 · 第 n/N 页 · 下一页 in a row whose bottom is at `bottom` (only when
 * there is more than one page). Returns the top of the row, or `bottom`.
 */
int ks_screen_pager(const ks_view_t *v, int bottom, int pages);

/* Height ks_screen_pager takes (reserve it before laying out a flow). */
int ks_screen_pager_height(const ks_view_t *v);

/*
 * The text typed so far (`shown`, private) with an error (err_key) or a hint
 * (hint_key) under it, and a keypad 1-9 / 删除 0 下一步. Portrait: keys under
 * the text (ky = -1); landscape: keys at (kx, ky), kw wide. Keys as large as
 * the space allows down to `bottom`, never below the theme's touch target.
 */
void ks_screen_keypad(const ks_view_t *v, int x, int y, int w, int bottom, int kx, int ky, int kw,
                      const char *shown, const char *err_key, const char *hint_key);

/* "620 元" / "320.50 元" (zh) or "620 yuan" into out. */
void ks_format_yuan(const ks_view_t *v, long long fen, char *out, size_t outlen);

/* "2027年3月1日" (zh) or "1 Mar 2027" from YYYY-MM-DD; the input itself when malformed. */
void ks_format_date(const ks_view_t *v, const char *date, char *out, size_t outlen);

#endif
