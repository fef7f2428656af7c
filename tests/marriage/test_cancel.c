/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Cancel and reschedule notice (ks_marriage_can_cancel): allowed while the
 * start is at least 24 hours away — exactly 24 h is still allowed, 24 h − 1
 * minute is too late, as the server's TOO_LATE — across midnight, month and
 * year ends; with the slot start as the backend sends it (any offset) and the
 * kiosk clock as Unix time; other notice values; invalid input.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "marriage_fixture.h"

typedef struct {
    ks_datetime_t now, start;
    int hours;
    int want;
} cancel_case_t;

#define AT(d, h, m)                                                                                \
    {                                                                                              \
        (d), (h)*60 + (m)                                                                          \
    }

static const cancel_case_t CASES[] = {
    {AT(20260309, 9, 0), AT(20260310, 9, 0), 24, 1},     /* exactly 24 h */
    {AT(20260309, 9, 1), AT(20260310, 9, 0), 24, 0},     /* 24 h − 1 min */
    {AT(20260309, 8, 59), AT(20260310, 9, 0), 24, 1},    /* 24 h + 1 min */
    {AT(20260309, 23, 59), AT(20260310, 9, 0), 24, 0},   /* the evening before */
    {AT(20260310, 9, 0), AT(20260310, 9, 0), 24, 0},     /* at the start */
    {AT(20260311, 9, 0), AT(20260310, 9, 0), 24, 0},     /* after it */
    {AT(20260228, 14, 30), AT(20260301, 14, 30), 24, 1}, /* across a month end */
    {AT(20260228, 14, 31), AT(20260301, 14, 30), 24, 0},
    {AT(20261231, 10, 0), AT(20270101, 10, 0), 24, 1}, /* across a year end */
    {AT(20261231, 10, 0), AT(20270101, 9, 59), 24, 0},
    {AT(20260301, 0, 0), AT(20260310, 9, 0), 24, 1}, /* days ahead */
    {AT(20260308, 9, 0), AT(20260310, 9, 0), 48, 1}, /* a 2-day notice */
    {AT(20260308, 9, 1), AT(20260310, 9, 0), 48, 0},
    {AT(20260310, 8, 59), AT(20260310, 9, 0), 0, 1}, /* no notice */
    {AT(20260310, 9, 0), AT(20260310, 9, 0), 0, 1},
};

static void test_notice_edges(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof CASES / sizeof CASES[0]; i++) {
        const cancel_case_t *c = &CASES[i];
        int got = ks_marriage_can_cancel(&c->now, &c->start, c->hours);
        if (got != c->want)
            fail_msg("case %zu: %d %d → %d %d (%d h): %d, want %d", i, c->now.date, c->now.minute,
                     c->start.date, c->start.minute, c->hours, got, c->want);
    }
}

static void test_with_backend_times(void **state)
{
    (void)state;
    ks_datetime_t start, now;
    assert_int_equal(ks_datetime_parse("2026-03-10T09:00:00+08:00", &start), KS_OK);
    /* 2026-03-09 09:00 CST = 01:00 UTC = 1773018000. */
    assert_int_equal(ks_datetime_from_unix(1773018000LL, &now), KS_OK);
    assert_int_equal(ks_marriage_can_cancel(&now, &start, KS_MARRIAGE_CANCEL_HOURS), 1);
    assert_int_equal(ks_datetime_from_unix(1773018000LL + 59, &now), KS_OK); /* same minute */
    assert_int_equal(ks_marriage_can_cancel(&now, &start, KS_MARRIAGE_CANCEL_HOURS), 1);
    assert_int_equal(ks_datetime_from_unix(1773018000LL + 60, &now), KS_OK);
    assert_int_equal(ks_marriage_can_cancel(&now, &start, KS_MARRIAGE_CANCEL_HOURS), 0);
    /* The same start written in UTC. */
    assert_int_equal(ks_datetime_parse("2026-03-10T01:00:00+00:00", &start), KS_OK);
    assert_int_equal(ks_datetime_from_unix(1773018000LL, &now), KS_OK);
    assert_int_equal(ks_marriage_can_cancel(&now, &start, KS_MARRIAGE_CANCEL_HOURS), 1);
}

static void test_invalid(void **state)
{
    (void)state;
    ks_datetime_t ok = AT(20260310, 9, 0), bad_date = AT(20260230, 9, 0);
    ks_datetime_t bad_min = {20260310, 1440}, neg = {20260310, -1};
    assert_int_equal(ks_marriage_can_cancel(&bad_date, &ok, 24), KS_E_INVAL);
    assert_int_equal(ks_marriage_can_cancel(&ok, &bad_min, 24), KS_E_INVAL);
    assert_int_equal(ks_marriage_can_cancel(&neg, &ok, 24), KS_E_INVAL);
    assert_int_equal(ks_marriage_can_cancel(NULL, &ok, 24), KS_E_INVAL);
    assert_int_equal(ks_marriage_can_cancel(&ok, NULL, 24), KS_E_INVAL);
    assert_int_equal(ks_marriage_can_cancel(&ok, &ok, -1), KS_E_INVAL);
    assert_int_equal(ks_marriage_can_cancel(&ok, &ok, 721), KS_E_INVAL);
    assert_string_equal(ks_marriage_why_key(KS_MARRIAGE_WHY_TOO_LATE), "marriage.why_too_late");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_notice_edges),
        cmocka_unit_test(test_with_backend_times),
        cmocka_unit_test(test_invalid),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
