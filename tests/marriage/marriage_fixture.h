/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Shared by the marriage tests: valid ID numbers made from a birth date and
 * sex (the check character computed by ks_idnum_check_char), parties, the
 * bundled holiday file, and a flow driven to a given step. Include after
 * <cmocka.h>.
 */
#ifndef KS_MARRIAGE_FIXTURE_H
#define KS_MARRIAGE_FIXTURE_H

#include "calendar.h"
#include "error.h"
#include "marriage.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FX_REGION  "500381" /* 重庆市江津区 */
#define FX_TOKEN_A "0123456789abcdef0123456789abcdef"
#define FX_TOKEN_B "fedcba9876543210fedcba9876543210"
#define FX_PHONE_A "13800138000"
#define FX_PHONE_B "15912345678"

/* A valid 18-character ID number: region, birth, sequence (odd male, even female). */
static inline void fx_idnum(char out[20], int birth, ks_sex_t sex, int serial)
{
    int seq = (serial % 50) * 2 + (sex == KS_SEX_MALE ? 1 : 2); /* 1..100 */
    snprintf(out, 20, "%s%08d%03d", FX_REGION, birth, seq % 1000);
    out[17] = ks_idnum_check_char(out);
    out[18] = '\0';
}

/* A party as a card gives it: the card states the same sex and birth as the ID number. */
static inline ks_party_t fx_party(int birth, ks_sex_t sex, int serial, const char *name)
{
    ks_party_t p;
    memset(&p, 0, sizeof p);
    fx_idnum(p.idnum, birth, sex, serial);
    snprintf(p.name, sizeof p.name, "%s", name);
    p.sex = sex;
    p.birth_yyyymmdd = birth;
    return p;
}

/* A file of the source tree: KS_SOURCE_DIR under ctest, else from this header's path. */
static inline void fx_source_path(const char *rel, char *out, size_t outlen)
{
    const char *src = getenv("KS_SOURCE_DIR");
    if (src != NULL && src[0] != '\0') {
        snprintf(out, outlen, "%s/%s", src, rel);
        return;
    }
    const char *me = __FILE__;
    const char *cut = strstr(me, "tests/marriage/");
    int dirlen = cut != NULL ? (int)(cut - me) : 0;
    snprintf(out, outlen, "%.*s%s", dirlen, me, rel);
}

/* The bundled config/holidays.txt (asserting it loads); free() the result. */
static inline ks_holidays_t *fx_bundled_holidays(void)
{
    char path[1024], err[1200];
    ks_holidays_t *h = malloc(sizeof *h);
    assert_non_null(h);
    fx_source_path("config/holidays.txt", path, sizeof path);
    int rc = ks_holidays_load_file(path, h, err, sizeof err);
    if (rc != KS_OK)
        fail_msg("config/holidays.txt refused: %s", err);
    return h;
}

/* How many keys fx_keygen has made. */
static inline int *fx_key_calls(void)
{
    static int calls;
    return &calls;
}

/* Deterministic Idempotency-Keys: ...-000000000001, ...-000000000002, ... */
static inline int fx_keygen(char out[37])
{
    int n = ++*fx_key_calls();
    snprintf(out, 37, "00000000-0000-4000-8000-%012d", n);
    return 0;
}

/* A slot of `date` at hh:mm, one hour long, with `remaining` places. */
static inline ks_api_slot_t fx_slot(const char *office, int date, int hh, int mm, int remaining)
{
    ks_api_slot_t s;
    memset(&s, 0, sizeof s);
    snprintf(s.slot, sizeof s.slot, "%.8s-%08d-%02d%02d", office, date, hh, mm);
    snprintf(s.start, sizeof s.start, "%04d-%02d-%02dT%02d:%02d:00+08:00", date / 10000,
             date / 100 % 100, date % 100, hh, mm);
    snprintf(s.end, sizeof s.end, "%04d-%02d-%02dT%02d:%02d:00+08:00", date / 10000,
             date / 100 % 100, date % 100, hh + 1, mm);
    s.capacity = 4;
    s.remaining = remaining;
    return s;
}

/*
 * A marriage flow on Monday 2026-03-02 (window 03-04..04-01, no holidays in
 * it but Qingming 04-04..06 is after) with a man born 1990-05-01 and a woman
 * born 1992-07-15, driven step by step to `until`.
 */
#define FX_TODAY 20260302
#define FX_DATE  20260310 /* a Tuesday inside the window */

static inline void fx_flow_to(ks_booking_flow_t *f, ks_booking_type_t type, ks_booking_step_t until,
                              const ks_holidays_t *h)
{
    assert_int_equal(ks_booking_flow_start(f, FX_TODAY, NULL, h), KS_OK);
    if (until == KS_STEP_KIND)
        return;
    assert_int_equal(ks_booking_flow_set_kind(f, type), KS_OK);
    if (until == KS_STEP_FIRST_CARD)
        return;
    ks_party_t a = fx_party(19900501, KS_SEX_MALE, 1, "张三");
    snprintf(a.citizen, sizeof a.citizen, "%s", FX_TOKEN_A);
    assert_int_equal(ks_booking_flow_add_party(f, &a, 1000), KS_OK);
    explicit_bzero(&a, sizeof a);
    if (until == KS_STEP_SECOND_CARD)
        return;
    ks_party_t b = fx_party(19920715, KS_SEX_FEMALE, 2, "李四");
    snprintf(b.citizen, sizeof b.citizen, "%s", FX_TOKEN_B);
    assert_int_equal(ks_booking_flow_add_party(f, &b, 2000), KS_OK);
    explicit_bzero(&b, sizeof b);
    assert_int_equal(f->step, KS_STEP_CHECKS);
    if (until == KS_STEP_CHECKS)
        return;
    assert_int_equal(ks_booking_flow_proceed(f), KS_OK);
    if (until == KS_STEP_OFFICE)
        return;
    assert_int_equal(ks_booking_flow_set_office(f, "JJ01"), KS_OK);
    if (until == KS_STEP_DATE)
        return;
    assert_int_equal(ks_booking_flow_set_date(f, FX_DATE), KS_OK);
    if (until == KS_STEP_SLOT)
        return;
    ks_api_slot_t s = fx_slot("JJ01", FX_DATE, 9, 0, 3);
    assert_int_equal(ks_booking_flow_set_slot(f, &s), KS_OK);
    if (until == KS_STEP_PHONE_A)
        return;
    assert_int_equal(ks_booking_flow_set_phone(f, 0, FX_PHONE_A), KS_OK);
    if (until == KS_STEP_PHONE_B)
        return;
    assert_int_equal(ks_booking_flow_set_phone(f, 1, FX_PHONE_B), KS_OK);
    assert_int_equal(f->step, KS_STEP_REVIEW);
}

#endif
