/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Marriage registration booking rules and flow. Dates are YYYYMMDD ints and
 * all arithmetic goes through calendar.c; ID numbers through ks_idnum_validate.
 * The flow is a plain struct moved only by the functions here, so every
 * transition can be unit-tested without a screen.
 */
#include "marriage.h"

#include "error.h"
#include "sign.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

#define NOTICE_MAX_WORKDAYS 60
#define HORIZON_MAX_DAYS    366
#define CANCEL_MAX_HOURS    720
#define CARD_TIMEOUT_MAX_MS (30 * 60 * 1000)

static const char *const WHY_KEYS[KS_MARRIAGE_WHY_COUNT] = {
    [KS_MARRIAGE_WHY_OK] = "marriage.why_ok",
    [KS_MARRIAGE_WHY_BAD_ID] = "marriage.why_bad_id",
    [KS_MARRIAGE_WHY_CARD_MISMATCH] = "marriage.why_card_mismatch",
    [KS_MARRIAGE_WHY_SAME_PERSON] = "marriage.why_same_person",
    [KS_MARRIAGE_WHY_PARTY_MISSING] = "marriage.why_party_missing",
    [KS_MARRIAGE_WHY_UNDER_AGE_MAN] = "marriage.why_under_age_man",
    [KS_MARRIAGE_WHY_UNDER_AGE_WOMAN] = "marriage.why_under_age_woman",
    [KS_MARRIAGE_WHY_TOO_SOON] = "marriage.why_too_soon",
    [KS_MARRIAGE_WHY_TOO_FAR] = "marriage.why_too_far",
    [KS_MARRIAGE_WHY_CLOSED] = "marriage.why_closed",
    [KS_MARRIAGE_WHY_FULL] = "marriage.why_full",
    [KS_MARRIAGE_WHY_BAD_PHONE] = "marriage.why_bad_phone",
    [KS_MARRIAGE_WHY_CARD_TIMEOUT] = "marriage.why_card_timeout",
    [KS_MARRIAGE_WHY_TOO_LATE] = "marriage.why_too_late",
};

const char *ks_marriage_why_key(ks_marriage_why_t why)
{
    if ((unsigned)why >= KS_MARRIAGE_WHY_COUNT)
        return "marriage.why_unknown";
    return WHY_KEYS[why];
}

/* ---- single rules ----------------------------------------------------------- */

int ks_age_on(int birth, int on)
{
    if (!ks_date_valid(birth) || !ks_date_valid(on) || on < birth)
        return KS_E_INVAL;
    int age = on / 10000 - birth / 10000;
    /* Compare (month, day) as MMDD: 0229 > 0228, so a 29 Feb birthday in a
     * common year is reached on 0301. */
    if (on % 10000 < birth % 10000)
        age--;
    return age;
}

int ks_marriage_age_date(int birth, ks_sex_t sex)
{
    if (!ks_date_valid(birth) || (sex != KS_SEX_MALE && sex != KS_SEX_FEMALE))
        return 0;
    int years = sex == KS_SEX_MALE ? KS_MARRIAGE_AGE_MEN : KS_MARRIAGE_AGE_WOMEN;
    int y = birth / 10000 + years, m = birth / 100 % 100, d = birth % 100;
    int date = ks_date_make(y, m, d);
    if (!date && m == 2 && d == 29)
        date = ks_date_make(y, 3, 1);
    return date;
}

int ks_marriage_age_ok(int birth, ks_sex_t sex, int appointment, int *from)
{
    int date = ks_marriage_age_date(birth, sex);
    if (from)
        *from = date;
    if (!date || !ks_date_valid(appointment))
        return KS_E_INVAL;
    return appointment >= date;
}

int ks_marriage_window(int today, int min_notice_workdays, int horizon_days, const ks_holidays_t *h,
                       int *first, int *last)
{
    if (!ks_date_valid(today) || !first || !last)
        return KS_E_INVAL;
    if (min_notice_workdays < 0 || min_notice_workdays > NOTICE_MAX_WORKDAYS || horizon_days < 0 ||
        horizon_days > HORIZON_MAX_DAYS)
        return KS_E_RANGE;
    int a = ks_workday_nth_after(today, min_notice_workdays, h);
    int b = ks_date_add(today, horizon_days);
    if (!a || !b)
        return KS_E_RANGE;
    *first = a;
    *last = b;
    return a <= b ? KS_OK : KS_E_NOTFOUND;
}

ks_marriage_why_t ks_marriage_day_check(int date, int today, int min_notice_workdays,
                                        int horizon_days, const ks_holidays_t *h)
{
    int first = 0, last = 0;
    int rc = ks_marriage_window(today, min_notice_workdays, horizon_days, h, &first, &last);
    if ((rc < 0 && rc != KS_E_NOTFOUND) || !ks_date_valid(date))
        return KS_MARRIAGE_WHY_TOO_FAR;
    if (date < first)
        return KS_MARRIAGE_WHY_TOO_SOON;
    if (date > last)
        return KS_MARRIAGE_WHY_TOO_FAR;
    return ks_workday_is(date, h) ? KS_MARRIAGE_WHY_OK : KS_MARRIAGE_WHY_CLOSED;
}

int ks_marriage_day_bookable(int date, int today, int min_notice_workdays, int horizon_days,
                             const ks_holidays_t *h)
{
    return ks_marriage_day_check(date, today, min_notice_workdays, horizon_days, h) ==
           KS_MARRIAGE_WHY_OK;
}

int ks_marriage_can_cancel(const ks_datetime_t *now, const ks_datetime_t *start, int notice_hours)
{
    long long a = 0, b = 0;
    if (notice_hours < 0 || notice_hours > CANCEL_MAX_HOURS || ks_datetime_minutes(now, &a) < 0 ||
        ks_datetime_minutes(start, &b) < 0)
        return KS_E_INVAL;
    return b - a >= (long long)notice_hours * 60;
}

int ks_divorce_second_window(int start, int *from, int *to)
{
    if (!from || !to)
        return KS_E_INVAL;
    int a = ks_date_add(start, KS_DIVORCE_COOLING_OFF_DAYS);
    int b = ks_date_add(start, KS_DIVORCE_COOLING_OFF_DAYS + KS_DIVORCE_SECOND_WINDOW_DAYS);
    if (!a || !b)
        return KS_E_INVAL;
    *from = a;
    *to = b;
    return KS_OK;
}

int ks_marriage_day_remaining(const ks_api_slots_t *slots, int date)
{
    if (!slots)
        return 0;
    long long total = 0;
    for (int i = 0; i < slots->n && i < KS_API_MAX_SLOTS; i++) {
        ks_datetime_t t;
        const ks_api_slot_t *s = &slots->slots[i];
        if (memchr(s->start, '\0', sizeof s->start) && ks_datetime_parse(s->start, &t) == KS_OK &&
            t.date == date && s->remaining > 0)
            total += s->remaining;
    }
    return total > INT_MAX ? INT_MAX : (int)total;
}

/* ---- parties ---------------------------------------------------------------- */

void ks_party_from_identity(ks_party_t *out, const ks_identity_t *id)
{
    explicit_bzero(out, sizeof *out);
    if (!id)
        return;
    snprintf(out->idnum, sizeof out->idnum, "%.18s", id->idnum);
    snprintf(out->name, sizeof out->name, "%s", id->name);
    snprintf(out->card_number, sizeof out->card_number, "%s", id->card_number);
    out->sex = id->sex;
    out->birth_yyyymmdd = id->birth_yyyymmdd;
}

ks_marriage_why_t ks_marriage_party_check(const ks_party_t *p, int today, ks_idnum_info_t *info)
{
    ks_idnum_info_t in;
    if (!p || memchr(p->idnum, '\0', sizeof p->idnum) == NULL ||
        ks_idnum_validate(p->idnum, today, &in) != KS_IDNUM_OK)
        return KS_MARRIAGE_WHY_BAD_ID;
    int birth = in.year * 10000 + in.month * 100 + in.day;
    if ((p->sex != KS_SEX_UNKNOWN && p->sex != in.sex) ||
        (p->birth_yyyymmdd != 0 && p->birth_yyyymmdd != birth))
        return KS_MARRIAGE_WHY_CARD_MISMATCH;
    if (info)
        *info = in;
    return KS_MARRIAGE_WHY_OK;
}

/* Same person: the same 18 characters, a final x equal to X (both validated). */
static int same_idnum(const char *a, const char *b)
{
    if (memcmp(a, b, 17) != 0)
        return 0;
    char x = a[17] == 'x' ? 'X' : a[17], y = b[17] == 'x' ? 'X' : b[17];
    return x == y;
}

static int birth_of(const ks_idnum_info_t *in)
{
    return in->year * 10000 + in->month * 100 + in->day;
}

/* UNDER_AGE_MAN/WOMAN for a party not of legal age on `date`, else OK. */
static ks_marriage_why_t age_why(const ks_idnum_info_t *in, int date)
{
    if (ks_marriage_age_ok(birth_of(in), in->sex, date, NULL) == 1)
        return KS_MARRIAGE_WHY_OK;
    return in->sex == KS_SEX_MALE ? KS_MARRIAGE_WHY_UNDER_AGE_MAN : KS_MARRIAGE_WHY_UNDER_AGE_WOMAN;
}

int ks_marriage_parties_check(const ks_party_t *a, const ks_party_t *b, ks_booking_type_t type,
                              int appointment, ks_marriage_why_t *why)
{
    if (!why)
        return KS_E_INVAL;
    *why = KS_MARRIAGE_WHY_OK;
    if (!a || (unsigned)type > KS_REISSUE || !ks_date_valid(appointment))
        return KS_E_INVAL;
    ks_idnum_info_t ia = {0}, ib = {0};
    *why = ks_marriage_party_check(a, appointment, &ia);
    if (*why == KS_MARRIAGE_WHY_OK && !b && type != KS_REISSUE)
        *why = KS_MARRIAGE_WHY_PARTY_MISSING;
    if (*why == KS_MARRIAGE_WHY_OK && b)
        *why = ks_marriage_party_check(b, appointment, &ib);
    if (*why == KS_MARRIAGE_WHY_OK && b && same_idnum(a->idnum, b->idnum))
        *why = KS_MARRIAGE_WHY_SAME_PERSON;
    if (*why == KS_MARRIAGE_WHY_OK && type == KS_MARRIAGE) {
        *why = age_why(&ia, appointment);
        if (*why == KS_MARRIAGE_WHY_OK)
            *why = age_why(&ib, appointment);
    }
    return *why == KS_MARRIAGE_WHY_OK ? KS_OK : KS_E_RANGE;
}

/* ---- the booking flow ------------------------------------------------------- */

void ks_marriage_rules_default(ks_marriage_rules_t *r)
{
    r->min_notice_workdays = KS_MARRIAGE_NOTICE_WORKDAYS;
    r->horizon_days = KS_MARRIAGE_HORIZON_DAYS;
    r->cancel_notice_hours = KS_MARRIAGE_CANCEL_HOURS;
    r->second_card_timeout_ms = KS_MARRIAGE_SECOND_CARD_MS;
}

static int rules_valid(const ks_marriage_rules_t *r)
{
    return r->min_notice_workdays >= 0 && r->min_notice_workdays <= NOTICE_MAX_WORKDAYS &&
           r->horizon_days >= 0 && r->horizon_days <= HORIZON_MAX_DAYS &&
           r->cancel_notice_hours >= 0 && r->cancel_notice_hours <= CANCEL_MAX_HOURS &&
           r->second_card_timeout_ms > 0 && r->second_card_timeout_ms <= CARD_TIMEOUT_MAX_MS;
}

void ks_booking_flow_wipe(ks_booking_flow_t *f)
{
    if (f)
        explicit_bzero(f, sizeof *f);
}

int ks_booking_flow_start(ks_booking_flow_t *f, int today, const ks_marriage_rules_t *rules,
                          const ks_holidays_t *h)
{
    if (!f)
        return KS_E_INVAL;
    ks_booking_flow_wipe(f);
    ks_marriage_rules_t r;
    if (rules)
        r = *rules;
    else
        ks_marriage_rules_default(&r);
    if (!ks_date_valid(today) || !rules_valid(&r))
        return KS_E_INVAL;
    int rc =
        ks_marriage_window(today, r.min_notice_workdays, r.horizon_days, h, &f->first, &f->last);
    if (rc < 0 && rc != KS_E_NOTFOUND) {
        ks_booking_flow_wipe(f);
        return KS_E_INVAL;
    }
    f->step = KS_STEP_KIND;
    f->today = today;
    f->rules = r;
    f->holidays = h;
    return KS_OK;
}

/* Any change of input: a new request, so a new key at the next confirm. */
static void changed(ks_booking_flow_t *f)
{
    f->why = KS_MARRIAGE_WHY_OK;
}

/*
 * FNV-1a over what the booking request carries (type, slot, each party's token
 * and phone): the Idempotency-Key belongs to that content, not to the steps
 * taken to it. Not a security measure, only "is this the same request?".
 */
static uint64_t request_fingerprint(const ks_booking_flow_t *f)
{
    uint64_t h = 1469598103934665603ull;
    const char *parts[6] = {ks_booking_type_str(f->type), f->slot, "", "", "", ""};
    for (int i = 0; i < f->n_parties && i < 2; i++) {
        parts[2 + 2 * i] = f->party[i].citizen;
        parts[3 + 2 * i] = f->party[i].phone;
    }
    for (int i = 0; i < 6; i++) {
        for (const char *c = parts[i]; c && *c; c++) {
            h ^= (unsigned char)*c;
            h *= 1099511628211ull;
        }
        h ^= 0xff; /* a separator no field contains */
        h *= 1099511628211ull;
    }
    return h;
}

static void clear_slot(ks_booking_flow_t *f)
{
    memset(f->slot, 0, sizeof f->slot);
    memset(f->slot_start, 0, sizeof f->slot_start);
    memset(f->slot_end, 0, sizeof f->slot_end);
}

static void clear_date(ks_booking_flow_t *f)
{
    f->date = 0;
    f->second_from = f->second_to = 0;
    clear_slot(f);
}

static void clear_parties(ks_booking_flow_t *f)
{
    explicit_bzero(f->party, sizeof f->party);
    f->n_parties = 0;
    f->age_from = 0;
    f->card_deadline_ms = 0;
    memset(f->office, 0, sizeof f->office);
    clear_date(f);
}

static int refuse(ks_booking_flow_t *f, ks_marriage_why_t why)
{
    f->why = why;
    return KS_E_RANGE;
}

int ks_booking_flow_set_kind(ks_booking_flow_t *f, ks_booking_type_t type)
{
    /* today is 0 only in a wiped (or never started) flow: every step starts here. */
    if (!f || !f->today || f->step != KS_STEP_KIND)
        return KS_E_STATE;
    if ((unsigned)type > KS_REISSUE)
        return KS_E_INVAL;
    changed(f);
    clear_parties(f);
    f->type = type;
    f->step = KS_STEP_FIRST_CARD;
    return KS_OK;
}

/* The pair checks on the cards held, for CHECKS. */
static void run_checks(ks_booking_flow_t *f)
{
    const ks_party_t *b = f->n_parties > 1 ? &f->party[1] : NULL;
    ks_marriage_why_t why = KS_MARRIAGE_WHY_OK;
    f->age_from = 0;
    if (f->type == KS_MARRIAGE) {
        /* Of age on some day of the window at the latest: the calendar then
         * starts at the day both are. Under age: the day they will be (to say so). */
        ks_marriage_parties_check(&f->party[0], b, f->type, f->last, &why);
        for (int i = 0; i < f->n_parties; i++) {
            ks_idnum_info_t in;
            if (ks_marriage_party_check(&f->party[i], f->today, &in) != KS_MARRIAGE_WHY_OK)
                continue;
            int from = ks_marriage_age_date(birth_of(&in), in.sex);
            if (from > f->age_from)
                f->age_from = from;
        }
    } else {
        ks_marriage_parties_check(&f->party[0], b, f->type, f->today, &why);
    }
    f->why = why;
    f->step = KS_STEP_CHECKS;
}

int ks_booking_flow_add_party(ks_booking_flow_t *f, const ks_party_t *p, int64_t now_ms)
{
    if (!f || (f->step != KS_STEP_FIRST_CARD && f->step != KS_STEP_SECOND_CARD) ||
        f->n_parties != (f->step == KS_STEP_SECOND_CARD))
        return KS_E_STATE;
    if (!p)
        return KS_E_INVAL;
    changed(f);
    ks_idnum_info_t in;
    ks_marriage_why_t why = ks_marriage_party_check(p, f->today, &in);
    if (why != KS_MARRIAGE_WHY_OK)
        return refuse(f, why);
    if (!memchr(p->citizen, '\0', sizeof p->citizen) ||
        (p->citizen[0] && !ks_api_token_valid(p->citizen)))
        return KS_E_INVAL;
    if (f->step == KS_STEP_SECOND_CARD && same_idnum(f->party[0].idnum, p->idnum))
        return refuse(f, KS_MARRIAGE_WHY_SAME_PERSON);

    ks_party_t *q = &f->party[f->n_parties];
    explicit_bzero(q, sizeof *q);
    memcpy(q->idnum, p->idnum, 18);
    if (q->idnum[17] == 'x')
        q->idnum[17] = 'X';
    snprintf(q->name, sizeof q->name, "%.*s", (int)strnlen(p->name, sizeof p->name - 1), p->name);
    q->sex = in.sex; /* the ID number's, equal to the card's when it has one */
    q->birth_yyyymmdd = birth_of(&in);
    snprintf(q->card_number, sizeof q->card_number, "%.*s",
             (int)strnlen(p->card_number, sizeof p->card_number - 1), p->card_number);
    memcpy(q->citizen, p->citizen, strnlen(p->citizen, KS_API_TOKEN_LEN));
    f->n_parties++;

    if (f->step == KS_STEP_FIRST_CARD) {
        int64_t t = f->rules.second_card_timeout_ms;
        f->card_deadline_ms = now_ms > INT64_MAX - t ? INT64_MAX : now_ms + t;
        f->step = KS_STEP_SECOND_CARD;
    } else {
        f->card_deadline_ms = 0;
        run_checks(f);
    }
    return KS_OK;
}

int ks_booking_flow_set_citizen(ks_booking_flow_t *f, int i, const char *token)
{
    if (!f || f->step < KS_STEP_SECOND_CARD || f->step > KS_STEP_FAILED ||
        f->step == KS_STEP_SUBMITTING || f->step == KS_STEP_DONE)
        return KS_E_STATE;
    if (i < 0 || i >= f->n_parties || !ks_api_token_valid(token))
        return KS_E_INVAL;
    if (strcmp(f->party[i].citizen, token) != 0) /* a new body: confirm makes a new key */
        snprintf(f->party[i].citizen, sizeof f->party[i].citizen, "%s", token);
    return KS_OK;
}

int ks_booking_flow_one_party(ks_booking_flow_t *f)
{
    if (!f || f->step != KS_STEP_SECOND_CARD || f->type != KS_REISSUE || f->n_parties != 1)
        return KS_E_STATE;
    changed(f);
    f->card_deadline_ms = 0;
    run_checks(f);
    return KS_OK;
}

int ks_booking_flow_proceed(ks_booking_flow_t *f)
{
    if (!f || f->step != KS_STEP_CHECKS || f->why != KS_MARRIAGE_WHY_OK)
        return KS_E_STATE;
    f->step = KS_STEP_OFFICE;
    return KS_OK;
}

static int office_valid(const char *s)
{
    size_t n = s ? strnlen(s, 16) : 0;
    if (n == 0 || n > 15)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '-'))
            return 0;
    }
    return 1;
}

int ks_booking_flow_set_office(ks_booking_flow_t *f, const char *code)
{
    if (!f || f->step != KS_STEP_OFFICE)
        return KS_E_STATE;
    if (!office_valid(code))
        return KS_E_INVAL;
    changed(f);
    clear_date(f);
    memset(f->office, 0, sizeof f->office);
    memcpy(f->office, code, strlen(code));
    f->step = KS_STEP_DATE;
    return KS_OK;
}

ks_marriage_why_t ks_booking_flow_check_date(const ks_booking_flow_t *f, int date)
{
    if (!f)
        return KS_MARRIAGE_WHY_TOO_FAR;
    ks_marriage_why_t why = ks_marriage_day_check(date, f->today, f->rules.min_notice_workdays,
                                                  f->rules.horizon_days, f->holidays);
    if (why != KS_MARRIAGE_WHY_OK || f->type != KS_MARRIAGE)
        return why;
    for (int i = 0; i < f->n_parties && i < 2; i++) {
        const ks_party_t *p = &f->party[i];
        if (ks_marriage_age_ok(p->birth_yyyymmdd, p->sex, date, NULL) != 1)
            return p->sex == KS_SEX_MALE ? KS_MARRIAGE_WHY_UNDER_AGE_MAN
                                         : KS_MARRIAGE_WHY_UNDER_AGE_WOMAN;
    }
    return KS_MARRIAGE_WHY_OK;
}

int ks_booking_flow_set_date(ks_booking_flow_t *f, int date)
{
    if (!f || f->step != KS_STEP_DATE)
        return KS_E_STATE;
    changed(f);
    ks_marriage_why_t why = ks_booking_flow_check_date(f, date);
    if (why != KS_MARRIAGE_WHY_OK)
        return refuse(f, why);
    clear_date(f);
    f->date = date;
    if (f->type == KS_DIVORCE)
        ks_divorce_second_window(date, &f->second_from, &f->second_to);
    f->step = KS_STEP_SLOT;
    return KS_OK;
}

int ks_booking_flow_set_slot(ks_booking_flow_t *f, const ks_api_slot_t *slot)
{
    if (!f || f->step != KS_STEP_SLOT)
        return KS_E_STATE;
    ks_datetime_t t;
    if (!slot || !memchr(slot->slot, '\0', sizeof slot->slot) || !slot->slot[0] ||
        !memchr(slot->start, '\0', sizeof slot->start) ||
        !memchr(slot->end, '\0', sizeof slot->end) || ks_datetime_parse(slot->start, &t) < 0 ||
        t.date != f->date)
        return KS_E_INVAL;
    changed(f);
    if (slot->remaining <= 0)
        return refuse(f, KS_MARRIAGE_WHY_FULL);
    clear_slot(f);
    memcpy(f->slot, slot->slot, strlen(slot->slot));
    memcpy(f->slot_start, slot->start, strlen(slot->start));
    memcpy(f->slot_end, slot->end, strlen(slot->end));
    f->step = KS_STEP_PHONE_A;
    return KS_OK;
}

int ks_booking_flow_set_phone(ks_booking_flow_t *f, int i, const char *digits)
{
    if (!f || (i == 0 && f->step != KS_STEP_PHONE_A) || (i == 1 && f->step != KS_STEP_PHONE_B))
        return KS_E_STATE;
    if (i != 0 && i != 1)
        return KS_E_INVAL;
    changed(f);
    if (!digits || strnlen(digits, 12) != 11 || !ks_api_phone_valid(digits))
        return refuse(f, KS_MARRIAGE_WHY_BAD_PHONE);
    explicit_bzero(f->party[i].phone, sizeof f->party[i].phone);
    memcpy(f->party[i].phone, digits, 11);
    f->step = i == 0 && f->n_parties > 1 ? KS_STEP_PHONE_B : KS_STEP_REVIEW;
    return KS_OK;
}

int ks_booking_flow_confirm(ks_booking_flow_t *f, ks_keygen_fn gen, const char **key)
{
    if (!f ||
        (f->step != KS_STEP_REVIEW && f->step != KS_STEP_FAILED && f->step != KS_STEP_SUBMITTING))
        return KS_E_STATE;
    uint64_t fp = f->step == KS_STEP_SUBMITTING ? f->key_for : request_fingerprint(f);
    if (!f->idempotency_key[0] || fp != f->key_for) {
        char k[37] = "";
        int rc = (gen ? gen : ks_sign_uuid4)(k);
        if (rc < 0 || !memchr(k, '\0', sizeof k) || !ks_api_uuid_valid(k)) {
            explicit_bzero(k, sizeof k);
            return KS_E_IO;
        }
        memcpy(f->idempotency_key, k, sizeof k);
        f->key_for = fp;
    }
    f->why = KS_MARRIAGE_WHY_OK;
    f->step = KS_STEP_SUBMITTING;
    if (key)
        *key = f->idempotency_key;
    return KS_OK;
}

int ks_booking_flow_done(ks_booking_flow_t *f, const char *number)
{
    if (!f || f->step != KS_STEP_SUBMITTING)
        return KS_E_STATE;
    size_t n = number ? strnlen(number, sizeof f->booking_number) : 0;
    if (n == 0 || n >= sizeof f->booking_number)
        return KS_E_INVAL;
    memcpy(f->booking_number, number, n + 1);
    f->step = KS_STEP_DONE;
    return KS_OK;
}

int ks_booking_flow_failed(ks_booking_flow_t *f)
{
    if (!f || f->step != KS_STEP_SUBMITTING)
        return KS_E_STATE;
    f->step = KS_STEP_FAILED;
    return KS_OK;
}

int ks_booking_flow_back(ks_booking_flow_t *f)
{
    if (!f)
        return KS_E_STATE;
    switch (f->step) {
    case KS_STEP_FIRST_CARD:
        f->step = KS_STEP_KIND;
        break;
    case KS_STEP_SECOND_CARD:
    case KS_STEP_CHECKS:
        clear_parties(f);
        f->step = KS_STEP_FIRST_CARD;
        break;
    case KS_STEP_OFFICE:
        f->step = KS_STEP_CHECKS;
        break;
    case KS_STEP_DATE:
        f->step = KS_STEP_OFFICE;
        break;
    case KS_STEP_SLOT:
        f->step = KS_STEP_DATE;
        break;
    case KS_STEP_PHONE_A:
        f->step = KS_STEP_SLOT;
        break;
    case KS_STEP_PHONE_B:
        f->step = KS_STEP_PHONE_A;
        break;
    case KS_STEP_REVIEW:
        f->step = f->n_parties > 1 ? KS_STEP_PHONE_B : KS_STEP_PHONE_A;
        break;
    case KS_STEP_FAILED:
        f->step = KS_STEP_REVIEW;
        break;
    case KS_STEP_KIND:
    case KS_STEP_SUBMITTING:
    case KS_STEP_DONE:
    default:
        return KS_E_STATE;
    }
    f->why = KS_MARRIAGE_WHY_OK;
    return KS_OK;
}

int ks_booking_flow_tick(ks_booking_flow_t *f, int64_t now_ms)
{
    if (!f || f->step != KS_STEP_SECOND_CARD || now_ms < f->card_deadline_ms)
        return 0;
    changed(f);
    clear_parties(f);
    f->why = KS_MARRIAGE_WHY_CARD_TIMEOUT;
    f->step = KS_STEP_FIRST_CARD;
    return 1;
}

int ks_booking_flow_api_parties(const ks_booking_flow_t *f, ks_api_party_t out[2])
{
    if (!f || !out || f->step < KS_STEP_REVIEW || f->step == KS_STEP_DONE)
        return KS_E_STATE;
    for (int i = 0; i < f->n_parties; i++) {
        if (!f->party[i].citizen[0])
            return KS_E_STATE;
        out[i].citizen = f->party[i].citizen;
        out[i].phone = f->party[i].phone;
    }
    return f->n_parties;
}

const char *ks_booking_step_name(ks_booking_step_t step)
{
    static const char *const names[] = {
        "KIND",    "FIRST_CARD", "SECOND_CARD", "CHECKS",     "OFFICE", "DATE",   "SLOT",
        "PHONE_A", "PHONE_B",    "REVIEW",      "SUBMITTING", "DONE",   "FAILED",
    };
    if ((unsigned)step >= sizeof names / sizeof names[0])
        return "UNKNOWN";
    return names[step];
}
