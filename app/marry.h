/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * What the kiosk holds while a couple books a marriage registration, a party
 * manages a booking, or a couple checks in at the registry (app/marry.c), as
 * plain data the screens read (app/screens/marriage.c). Personal data (the
 * parties, phones, tokens, bookings) is wiped when the visit ends.
 */
#ifndef KS_MARRY_H
#define KS_MARRY_H

#include "api.h"
#include "calendar.h"
#include "marriage.h"

#include <stdint.h>

#define KS_MARRY_MAX_DAYS 368 /* the longest window: horizon 366 days, both ends */

/* What marriage business the visit is on. */
typedef enum {
    KS_MARRY_NONE = 0,
    KS_MARRY_BOOK,
    KS_MARRY_MANAGE,
    KS_MARRY_CHECKIN
} ks_marry_mode_t;

/* Where a fetch the screen needs stands. */
typedef enum { KS_FETCH_NONE = 0, KS_FETCH_PENDING, KS_FETCH_OK, KS_FETCH_FAILED } ks_fetch_t;

/* The steps of moving a booking (SCREEN_MOVE). */
typedef enum { KS_MOVE_DATE = 0, KS_MOVE_SLOT, KS_MOVE_REVIEW, KS_MOVE_SENDING } ks_move_step_t;

/* The steps of the registry's check-in (SCREEN_CHECKIN). */
typedef enum {
    KS_CHECKIN_FINDING = 0, /* asking for the first party's bookings */
    KS_CHECKIN_SECOND_CARD, /* today's booking found: the other party's card */
    KS_CHECKIN_LOOKUP,      /* the other party's card read: their token */
    KS_CHECKIN_SENDING,     /* POST checkin */
} ks_checkin_step_t;

/* The slip of SCREEN_BOOKED or the ticket of SCREEN_TICKET on the receipt printer. */
typedef enum {
    KS_SLIP_NONE = 0, /* no printer configured: nothing is said about printing */
    KS_SLIP_PRINTING,
    KS_SLIP_DONE,
    KS_SLIP_RETRYING, /* the printer is missing or failed: being tried again */
    KS_SLIP_FAILED,   /* given up (or refused at once): note the number */
} ks_slip_state_t;

/* A slip the screen follows: its print job and how it goes. */
typedef struct {
    long long job; /* > 0 while the queue has it */
    ks_slip_state_t state;
} ks_slip_job_t;

typedef struct {
    /* shared */
    ks_marry_mode_t mode;
    uint64_t now_ms;         /* the kiosk's clock at the last call into marry.c */
    const char *notice_key;  /* catalogue key of a note on the step (a slot just taken), or NULL */
    ks_holidays_t *holidays; /* loaded at start (never NULL after ks_marry_init) */
    int holidays_ok;         /* the file was read; without it no day can be offered */
    ks_marriage_rules_t rules;
    int today; /* YYYYMMDD (China Standard Time) when the visit's marriage step started */
    ks_api_offices_t *offices;
    ks_fetch_t offices_state;
    long long offices_id;
    ks_api_slots_t *slots; /* of one office over the booking window */
    ks_fetch_t slots_state;
    long long slots_id;
    char slots_office[16];
    int month;             /* the calendar's month shown, YYYYMM */
    char field[12];        /* the phone number being typed */
    const char *field_err; /* catalogue key of a refusal */
    long long party_id;    /* the other party's lookup in flight */
    int party_idx;         /* ... for flow.party[party_idx], or -1: the check-in's other party */

    /* booking */
    ks_booking_flow_t flow;
    long long book_id;
    int relookups; /* TOKEN_EXPIRED: the parties looked up again (at most once per confirm) */
    int resend;    /* send the booking once the parties' new tokens are in */
    ks_api_booking_t booked; /* SCREEN_BOOKED: what was booked or moved */
    int booked_moved;        /* ... by moving an existing booking */

    /* managing */
    ks_api_bookings_t *bookings;
    ks_fetch_t bookings_state;
    long long bookings_id;
    int sel; /* the booking on SCREEN_BOOKING / SCREEN_CANCEL / SCREEN_MOVE */
    ks_move_step_t move_step;
    int move_date;
    ks_api_slot_t move_slot;
    char op_key[37];     /* the Idempotency-Key of the cancel/move/check-in being sent */
    char op_key_for[64]; /* ... and the request it was made for ("cancel:NUMBER"): a retry
                            of the same request keeps it, another request gets its own */
    int op_after_lookup; /* TOKEN_EXPIRED: send again once the holder is looked up again */
    long long op_id;
    ks_call_t op_call; /* which of them */

    /* when the kiosk stops waiting for each request (0: not yet started, see marry.c) */
    uint64_t offices_due, slots_due, party_due, book_due, bookings_due, op_due;

    /* check-in */
    ks_checkin_step_t checkin_step;
    ks_party_t other; /* the other party (token after its lookup) */
    int64_t card_deadline_ms;
    ks_api_checkin_t ticket;
    int ticket_ready;
    int was_checked_in; /* the booking was checked in before: the same ticket again */

    /* the slip or ticket being printed for the screen shown */
    ks_slip_job_t slip;

    /* derived for the screens (ks_marry_prepare): nothing personal */
    int day_first, day_last;         /* the calendar's window */
    int day_left[KS_MARRY_MAX_DAYS]; /* places left on day_first + i, 0 = not offered */
    unsigned char changeable[KS_API_MAX_BOOKINGS]; /* may still be cancelled or moved */
} ks_marry_t;

#endif
