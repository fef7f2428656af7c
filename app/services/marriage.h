/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Marriage registration (婚姻登记) booking rules and the booking flow as plain
 * data: legal age, the booking window, cancel notice, the divorce second
 * window, the checks on the two parties, and the steps a booking goes through
 * on the kiosk. The same rules as the district backend (docs/backend-api.md),
 * so the kiosk explains a refusal before the server would return it.
 * Plain C: no SDL, no network, no threads, no allocation.
 *
 * Personal data (ID numbers, names, phones, backend tokens) lives only in
 * ks_party_t values and in ks_booking_flow_t, and ks_booking_flow_wipe()
 * overwrites all of it.
 */
#ifndef KS_MARRIAGE_H
#define KS_MARRIAGE_H

#include "api.h"
#include "calendar.h"
#include "identity.h"
#include "idnum.h"

#include <stdint.h>

/* Legal marriage age, on the registration date (Civil Code art. 1047). */
#define KS_MARRIAGE_AGE_MEN   22
#define KS_MARRIAGE_AGE_WOMEN 20

/* Defaults of the bureau's booking rules (domain.md; the server's values). */
#define KS_MARRIAGE_NOTICE_WORKDAYS   2  /* first bookable day: the 2nd working day after today */
#define KS_MARRIAGE_HORIZON_DAYS      30 /* last bookable day: today + 30 */
#define KS_MARRIAGE_CANCEL_HOURS      24 /* cancel/reschedule until 24 h before the start */
#define KS_MARRIAGE_SECOND_CARD_MS    120000 /* the second party's card, after the first */
#define KS_DIVORCE_COOLING_OFF_DAYS   30     /* Civil Code art. 1077 */
#define KS_DIVORCE_SECOND_WINDOW_DAYS 30     /* both come back within the following 30 days */

/*
 * Why a rule refused (or KS_MARRIAGE_WHY_OK). Each value has a catalogue key
 * "marriage.why_<name>" (ks_marriage_why_key) for the plain-words explanation.
 */
typedef enum {
    KS_MARRIAGE_WHY_OK = 0,
    KS_MARRIAGE_WHY_BAD_ID,          /* the ID number is not a valid one */
    KS_MARRIAGE_WHY_CARD_MISMATCH,   /* the card's sex or birth date disagree with its ID number */
    KS_MARRIAGE_WHY_SAME_PERSON,     /* both cards are the same person */
    KS_MARRIAGE_WHY_PARTY_MISSING,   /* marriage and divorce need both parties */
    KS_MARRIAGE_WHY_UNDER_AGE_MAN,   /* a man under 22 on the appointment date */
    KS_MARRIAGE_WHY_UNDER_AGE_WOMAN, /* a woman under 20 on the appointment date */
    KS_MARRIAGE_WHY_TOO_SOON,        /* before the first bookable day (notice) */
    KS_MARRIAGE_WHY_TOO_FAR,         /* after the last bookable day (horizon) */
    KS_MARRIAGE_WHY_CLOSED,          /* a weekend or public holiday */
    KS_MARRIAGE_WHY_FULL,            /* no place left in the slot */
    KS_MARRIAGE_WHY_BAD_PHONE,       /* not an 11-digit mainland mobile number */
    KS_MARRIAGE_WHY_CARD_TIMEOUT,    /* the second card did not come in time */
    KS_MARRIAGE_WHY_TOO_LATE,        /* cancel/reschedule less than the notice before the start */
    KS_MARRIAGE_WHY_COUNT
} ks_marriage_why_t;

/* The catalogue key of a reason ("marriage.why_same_person"); "marriage.why_ok" for OK. */
const char *ks_marriage_why_key(ks_marriage_why_t why);

/* ---- single rules ----------------------------------------------------------- */

/*
 * Completed years of age on `on` for someone born on `birth` (both YYYYMMDD).
 * A birthday is reached when (month, day) of `on` is not before (month, day)
 * of `birth`, so a person born on 29 February becomes a year older on 1 March
 * in a common year (and on 29 February in a leap year). KS_E_INVAL for an
 * invalid date or `on` before `birth`.
 */
int ks_age_on(int birth, int on);

/*
 * The first day on which someone of this sex and birth date has the legal
 * marriage age (the 22nd/20th birthday, 1 March for a 29 February birth when
 * that year is common), or 0 for an invalid date or KS_SEX_UNKNOWN.
 */
int ks_marriage_age_date(int birth, ks_sex_t sex);

/*
 * 1 when the person has the legal marriage age on the appointment date, 0
 * when not; KS_E_INVAL for invalid dates or an unknown sex. If from is not
 * NULL it receives ks_marriage_age_date (for "可于…起登记").
 */
int ks_marriage_age_ok(int birth, ks_sex_t sex, int appointment, int *from);

/*
 * The booking window seen on `today`: *first is the min_notice_workdays-th
 * working day after today (today never counts, whether or not it is a working
 * day: with the default 2, booking on a Friday opens Tuesday), the same
 * definition as the server's OUTSIDE_WINDOW rule; *last is today +
 * horizon_days (a calendar day, which need not be a working day). 0 = notice
 * of 0 opens today itself. Returns 0; KS_E_INVAL for an invalid today or NULL
 * out pointers; KS_E_RANGE for a notice outside 0..60 or a horizon outside
 * 0..366; KS_E_NOTFOUND when the window is empty (*first > *last, both set).
 */
int ks_marriage_window(int today, int min_notice_workdays, int horizon_days, const ks_holidays_t *h,
                       int *first, int *last);

/*
 * Whether `date` can be booked on `today`: KS_MARRIAGE_WHY_OK, TOO_SOON
 * (before the window), TOO_FAR (after it) or CLOSED (in it, but not a working
 * day). An invalid date, today or rule value counts as TOO_FAR.
 * ks_marriage_day_bookable is 1 for OK, else 0.
 */
ks_marriage_why_t ks_marriage_day_check(int date, int today, int min_notice_workdays,
                                        int horizon_days, const ks_holidays_t *h);
int ks_marriage_day_bookable(int date, int today, int min_notice_workdays, int horizon_days,
                             const ks_holidays_t *h);

/*
 * Whether a booking may still be cancelled or rescheduled at `now`: 1 when
 * the start is at least notice_hours away (exactly 24 h before is still
 * allowed, as on the server), 0 when it is too late; KS_E_INVAL for an
 * invalid moment or notice_hours outside 0..720.
 */
int ks_marriage_can_cancel(const ks_datetime_t *now, const ks_datetime_t *start, int notice_hours);

/*
 * The divorce second appointment window for a first appointment on `start`:
 * *from = start + 30 days (end of the cooling-off), *to = start + 60 days,
 * both included. 0, or KS_E_INVAL.
 */
int ks_divorce_second_window(int start, int *from, int *to);

/* Total remaining places of the slots starting on `date`; 0 for a full or closed day. */
int ks_marriage_day_remaining(const ks_api_slots_t *slots, int date);

/* ---- parties ---------------------------------------------------------------- */

/*
 * A party as read from their own card. sex and birth_yyyymmdd are what the
 * card states (KS_SEX_UNKNOWN / 0 when the card does not hold them); the ID
 * number encodes both too, and the two must agree.
 */
typedef struct {
    char idnum[20];                     /* 18 characters, NUL-terminated */
    char name[96];                      /* UTF-8, for the review screen (shown masked) */
    ks_sex_t sex;                       /* from the card */
    int birth_yyyymmdd;                 /* from the card */
    char card_number[32];               /* the card's own number (sent with the lookup) */
    char citizen[KS_API_TOKEN_LEN + 1]; /* backend token from lookup, "" until known */
    char phone[12];                     /* 11 digits, "" until entered */
} ks_party_t;

/* Fills a party from a card identity (no token, no phone). The caller wipes its identity copy. */
void ks_party_from_identity(ks_party_t *out, const ks_identity_t *id);

/*
 * One party's card on its own: the ID number valid (ks_idnum_validate, birth
 * not after `today`, 0 = no such check) → else BAD_ID; the card's sex and birth
 * date, when given, equal the ID number's → else CARD_MISMATCH. OK fills
 * *info (may be NULL) from the ID number.
 */
ks_marriage_why_t ks_marriage_party_check(const ks_party_t *p, int today, ks_idnum_info_t *info);

/*
 * The checks on the parties of a booking of `type` for `appointment` (a
 * YYYYMMDD; the birth dates must not be after it). b may be NULL only for
 * KS_REISSUE (else PARTY_MISSING). In order: each party (BAD_ID,
 * CARD_MISMATCH; a first), two different people (the same ID number, x and X
 * alike → SAME_PERSON), and for KS_MARRIAGE both of legal age on the
 * appointment date (UNDER_AGE_MAN / UNDER_AGE_WOMAN). The sexes are not
 * compared: domain.md and the server set no rule on them.
 * Returns 0 with *why OK, KS_E_RANGE with the first failed rule in *why, or
 * KS_E_INVAL for NULL a/why, an unknown type or an invalid appointment date.
 */
int ks_marriage_parties_check(const ks_party_t *a, const ks_party_t *b, ks_booking_type_t type,
                              int appointment, ks_marriage_why_t *why);

/* ---- the booking flow ------------------------------------------------------- */

typedef enum {
    KS_STEP_KIND = 0,    /* choose 结婚登记 / 离婚登记 / 补领婚姻登记证 */
    KS_STEP_FIRST_CARD,  /* the first party's card */
    KS_STEP_SECOND_CARD, /* the second party's card (REISSUE may skip), with a timeout */
    KS_STEP_CHECKS,      /* the result of the party checks: proceed only when why is OK */
    KS_STEP_OFFICE,
    KS_STEP_DATE,
    KS_STEP_SLOT,
    KS_STEP_PHONE_A,
    KS_STEP_PHONE_B, /* skipped with one party */
    KS_STEP_REVIEW,
    KS_STEP_SUBMITTING, /* the request is out, with the Idempotency-Key */
    KS_STEP_DONE,
    KS_STEP_FAILED, /* the request failed: confirm again retries with the same key */
} ks_booking_step_t;

/* The configurable rules; ks_marriage_rules_default gives the KS_MARRIAGE_* defaults. */
typedef struct {
    int min_notice_workdays;
    int horizon_days;
    int cancel_notice_hours;
    int second_card_timeout_ms;
} ks_marriage_rules_t;

void ks_marriage_rules_default(ks_marriage_rules_t *r);

/* Makes an Idempotency-Key (36-char lower-case UUID): 0 or negative. ks_sign_uuid4 fits. */
typedef int (*ks_keygen_fn)(char out[37]);

/*
 * The booking flow. Plain data, read by the UI; change it only through the
 * functions below. Every field a later step depends on is cleared when an
 * earlier choice changes. The Idempotency-Key belongs to the request's
 * content (type, slot, tokens, phones): confirming the same content again —
 * a retry, or after going back and choosing the same again — reuses it, so
 * the server does it once; different content gets a new key.
 */
typedef struct {
    ks_booking_step_t step;
    ks_marriage_why_t why; /* the reason of the last refusal, or OK */
    ks_booking_type_t type;
    int today;       /* YYYYMMDD, fixed at start */
    int first, last; /* the booking window on today */
    ks_marriage_rules_t rules;
    const ks_holidays_t *holidays; /* not owned; may be NULL */

    int n_parties;
    ks_party_t party[2];
    int age_from;             /* marriage: the first day both have the legal age, else 0 */
    int64_t card_deadline_ms; /* SECOND_CARD: the first card's time + the timeout */

    char office[16];
    int date;                   /* YYYYMMDD, 0 until chosen */
    int second_from, second_to; /* divorce: the second appointment window, else 0 */
    char slot[32];
    char slot_start[KS_API_TIME];
    char slot_end[KS_API_TIME];

    char idempotency_key[37]; /* "" until confirm; then the same for the same request */
    uint64_t key_for;         /* ... the request content it was made for (a fingerprint) */
    char booking_number[24];  /* DONE */
} ks_booking_flow_t;

/*
 * Starts a flow at KIND for a citizen on `today` with `rules` (NULL: the
 * defaults) and the holiday list `h` (kept by pointer, may be NULL). 0, or
 * KS_E_INVAL (bad today or rules; the flow is then wiped).
 */
int ks_booking_flow_start(ks_booking_flow_t *f, int today, const ks_marriage_rules_t *rules,
                          const ks_holidays_t *h);

/*
 * Each setter is allowed only at its own step (else KS_E_STATE, nothing
 * changes) and on success moves to the next step. A refused input returns
 * KS_E_RANGE with f->why set and the step unchanged (except as stated); a
 * malformed argument is KS_E_INVAL.
 */

/* KIND → FIRST_CARD. */
int ks_booking_flow_set_kind(ks_booking_flow_t *f, ks_booking_type_t type);

/*
 * Copies the party p (the caller then wipes its own copy). FIRST_CARD →
 * SECOND_CARD (the timeout starts at now_ms), or SECOND_CARD →
 * CHECKS. A card that fails ks_marriage_party_check, or the first card again
 * (SAME_PERSON), is not taken: KS_E_RANGE, same step, ask for a (different)
 * card. With two parties the flow runs the pair checks and moves to CHECKS
 * whatever they say: f->why tells the citizen (for a marriage, UNDER_AGE when
 * a party is under age even on the window's last day).
 */
int ks_booking_flow_add_party(ks_booking_flow_t *f, const ks_party_t *p, int64_t now_ms);

/*
 * Sets party i's backend token (from the lookup that follows the card read),
 * at any step from SECOND_CARD to REVIEW or FAILED. KS_E_INVAL for a bad token
 * or no such party; KS_E_STATE otherwise.
 */
int ks_booking_flow_set_citizen(ks_booking_flow_t *f, int i, const char *token);

/* REISSUE only: SECOND_CARD → CHECKS with one party. KS_E_STATE for other types. */
int ks_booking_flow_one_party(ks_booking_flow_t *f);

/* CHECKS → OFFICE when f->why is OK; else KS_E_STATE (go back). */
int ks_booking_flow_proceed(ks_booking_flow_t *f);

/* OFFICE → DATE. code: 1..15 of [A-Za-z0-9_-] (a code from GET /marriage/offices). */
int ks_booking_flow_set_office(ks_booking_flow_t *f, const char *code);

/*
 * Whether the calendar may offer `date`: inside the window and a working day,
 * and for a marriage not before both parties have the legal age. Full days
 * are the UI's to grey out (ks_marriage_day_remaining). OK or the reason.
 */
ks_marriage_why_t ks_booking_flow_check_date(const ks_booking_flow_t *f, int date);

/* DATE → SLOT after ks_booking_flow_check_date; a divorce also gets second_from/to. */
int ks_booking_flow_set_date(ks_booking_flow_t *f, int date);

/*
 * SLOT → PHONE_A. The slot must start on the chosen date (else KS_E_INVAL)
 * and have a place left (else KS_E_RANGE, FULL).
 */
int ks_booking_flow_set_slot(ks_booking_flow_t *f, const ks_api_slot_t *slot);

/* PHONE_A (i = 0) → PHONE_B, or PHONE_B (i = 1) → REVIEW; one party: PHONE_A → REVIEW. */
int ks_booking_flow_set_phone(ks_booking_flow_t *f, int i, const char *digits);

/*
 * REVIEW or FAILED → SUBMITTING. The first confirm makes the Idempotency-Key
 * with gen (NULL: ks_sign_uuid4) and every later confirm of the same request
 * content reuses it (other content: a new key);
 * *key (may be NULL) points to it. KS_E_IO when gen fails or makes no UUID
 * (the step stays). In SUBMITTING, confirm (a double tap) returns the same key
 * and changes nothing.
 */
int ks_booking_flow_confirm(ks_booking_flow_t *f, ks_keygen_fn gen, const char **key);

/* SUBMITTING → DONE with the server's booking number (1..23 characters). */
int ks_booking_flow_done(ks_booking_flow_t *f, const char *number);

/* SUBMITTING → FAILED (the UI shows why from the server's answer). */
int ks_booking_flow_failed(ks_booking_flow_t *f);

/*
 * One step back: FIRST_CARD → KIND, SECOND_CARD → FIRST_CARD and CHECKS →
 * FIRST_CARD (the parties are wiped: cards are read again), OFFICE → CHECKS,
 * DATE → OFFICE, SLOT → DATE, PHONE_A → SLOT, PHONE_B → PHONE_A, REVIEW →
 * the last phone step, FAILED → REVIEW. KS_E_STATE at KIND, SUBMITTING, DONE.
 */
int ks_booking_flow_back(ks_booking_flow_t *f);

/*
 * The UI loop's clock. In SECOND_CARD, at or after the deadline the first
 * party is wiped and the flow returns to FIRST_CARD with why CARD_TIMEOUT:
 * returns 1 then, else 0.
 */
int ks_booking_flow_tick(ks_booking_flow_t *f, int64_t now_ms);

/*
 * The parties for ks_api_req_book: pointers into f (valid until the next
 * change or wipe). Returns the number of parties, or KS_E_STATE before REVIEW
 * or when a party has no backend token yet.
 */
int ks_booking_flow_api_parties(const ks_booking_flow_t *f, ks_api_party_t out[2]);

/*
 * Overwrites the whole flow with zeros (explicit_bzero): every personal byte
 * is gone, and the flow refuses every step until ks_booking_flow_start.
 */
void ks_booking_flow_wipe(ks_booking_flow_t *f);

/* The step's name for logs ("SECOND_CARD"). */
const char *ks_booking_step_name(ks_booking_step_t step);

#endif
