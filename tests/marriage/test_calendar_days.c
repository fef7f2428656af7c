/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Date arithmetic without time zones (calendar.h): validity, day numbers
 * against known values, adding across month, year and leap-day ends, the
 * distance between dates, ISO weekdays, "YYYY-MM-DD" parsing and formatting,
 * and backend times converted to China Standard Time by offset arithmetic.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "marriage_fixture.h"

static void test_valid_dates(void **state)
{
    (void)state;
    static const int good[] = {19000101, 20000229, 20240229, 20261231, 99991231, 20260131};
    static const int bad[] = {0,        -20260101, 18991231, 19000229,  20260229, 20261301,
                              20260001, 20260100,  20260431, 100000101, 2026101};
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
        assert_true(ks_date_valid(good[i]));
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (ks_date_valid(bad[i]))
            fail_msg("%d accepted as a date", bad[i]);
    assert_int_equal(ks_date_make(2026, 2, 29), 0);
    assert_int_equal(ks_date_make(2028, 2, 29), 20280229);
    assert_true(ks_year_is_leap(2000));
    assert_false(ks_year_is_leap(1900));
    assert_false(ks_year_is_leap(2026));
}

static void test_day_numbers(void **state)
{
    (void)state;
    assert_int_equal(ks_date_to_days(19700101), 0);
    assert_int_equal(ks_date_to_days(19691231), -1);
    assert_int_equal(ks_date_to_days(20000301), 11017);
    assert_int_equal(ks_date_to_days(20260101), 20454);
    assert_int_equal(ks_date_to_days(19000101), -25567);
    assert_int_equal(ks_date_to_days(20260230), KS_DAYS_INVALID);
    /* Every day of 1900..2100 round-trips and follows its predecessor. */
    int prev = 18991231, n = ks_date_to_days(19000101) - 1;
    for (int d = 19000101; d <= 21001231; d = ks_date_add(d, 1)) {
        assert_int_equal(ks_date_to_days(d), n + 1);
        assert_int_equal(ks_date_from_days(n + 1), d);
        assert_true(d > prev);
        prev = d;
        n++;
    }
    assert_int_equal(ks_date_from_days(-25568), 0); /* 1899-12-31 */
    assert_int_equal(ks_date_from_days(2932896), 99991231);
    assert_int_equal(ks_date_from_days(2932897), 0);
}

static void test_add_and_diff(void **state)
{
    (void)state;
    static const struct {
        int d, n, want;
    } cases[] = {
        {20260131, 1, 20260201},  {20260228, 1, 20260301},   {20280228, 1, 20280229},
        {20261231, 1, 20270101},  {20270101, -1, 20261231},  {20260302, 30, 20260401},
        {20260301, -1, 20260228}, {20280301, -1, 20280229},  {20260310, 60, 20260509},
        {20261215, 60, 20270213}, {20260101, 365, 20270101}, {20280101, 366, 20290101},
        {20260101, 0, 20260101},  {99991231, 1, 0},          {19000101, -1, 0},
        {20260230, 1, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int got = ks_date_add(cases[i].d, cases[i].n);
        if (got != cases[i].want)
            fail_msg("%d + %d = %d, want %d", cases[i].d, cases[i].n, got, cases[i].want);
        if (cases[i].want)
            assert_int_equal(ks_date_diff(cases[i].d, cases[i].want), cases[i].n);
    }
    assert_int_equal(ks_date_add(20260101, 2147483647), 0);
    assert_int_equal(ks_date_add(20260101, -2147483647 - 1), 0);
    assert_int_equal(ks_date_diff(20260101, 20260230), KS_DAYS_INVALID);
}

static void test_weekdays(void **state)
{
    (void)state;
    static const struct {
        int d, wd;
    } cases[] = {
        {19700101, 4}, {20000101, 6}, {20260101, 4}, {20260302, 1}, {20260306, 5}, {20260307, 6},
        {20260308, 7}, {20261001, 4}, {20261010, 6}, {19000101, 1}, {20270206, 6}, {20280229, 2},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        if (ks_date_weekday(cases[i].d) != cases[i].wd)
            fail_msg("%d: weekday %d, want %d", cases[i].d, ks_date_weekday(cases[i].d),
                     cases[i].wd);
    assert_int_equal(ks_date_weekday(20260229), KS_E_INVAL);
}

static void test_parse_format(void **state)
{
    (void)state;
    int d = 0;
    assert_int_equal(ks_date_parse("2026-10-01", 10, &d), KS_OK);
    assert_int_equal(d, 20261001);
    assert_int_equal(ks_date_parse("2026-10-01x", 10, &d), KS_OK); /* length is what counts */
    assert_int_equal(ks_date_parse("2026-02-29", 10, &d), KS_E_RANGE);
    assert_int_equal(ks_date_parse("2026-13-01", 10, &d), KS_E_RANGE);
    assert_int_equal(ks_date_parse("2026-1-01", 9, &d), KS_E_PARSE);
    assert_int_equal(ks_date_parse("2026/10/01", 10, &d), KS_E_PARSE);
    assert_int_equal(ks_date_parse("20261001", 8, &d), KS_E_PARSE);
    assert_int_equal(ks_date_parse("2026-10-0a", 10, &d), KS_E_PARSE);
    assert_int_equal(ks_date_parse(NULL, 10, &d), KS_E_PARSE);
    char out[11];
    assert_int_equal(ks_date_format(20260301, out, sizeof out), KS_OK);
    assert_string_equal(out, "2026-03-01");
    assert_int_equal(ks_date_format(20260230, out, sizeof out), KS_E_INVAL);
    assert_string_equal(out, "");
    assert_int_equal(ks_date_format(20260301, out, 10), KS_E_TOOBIG);
}

static void test_datetimes(void **state)
{
    (void)state;
    ks_datetime_t t;
    assert_int_equal(ks_datetime_parse("2026-03-10T09:00:00+08:00", &t), KS_OK);
    assert_int_equal(t.date, 20260310);
    assert_int_equal(t.minute, 9 * 60);
    /* The same moment in UTC, and one offset that crosses midnight. */
    assert_int_equal(ks_datetime_parse("2026-03-10T01:00:59+00:00", &t), KS_OK);
    assert_int_equal(t.date, 20260310);
    assert_int_equal(t.minute, 9 * 60);
    assert_int_equal(ks_datetime_parse("2026-03-09T20:30:00-05:00", &t), KS_OK);
    assert_int_equal(t.date, 20260310);
    assert_int_equal(t.minute, 9 * 60 + 30);
    assert_int_equal(ks_datetime_parse("2026-12-31T20:00:00+00:00", &t), KS_OK);
    assert_int_equal(t.date, 20270101);
    assert_int_equal(t.minute, 4 * 60);
    static const char *const bad[] = {
        "2026-03-10T09:00:00",        "2026-03-10 09:00:00+08:00",
        "2026-03-10T24:00:00+08:00",  "2026-03-10T09:60:00+08:00",
        "2026-02-29T09:00:00+08:00",  "2026-03-10T09:00:00+15:00",
        "2026-03-10T09:00:00+08:00Z", "",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (ks_datetime_parse(bad[i], &t) >= 0)
            fail_msg("\"%s\" accepted", bad[i]);
    /* Unix time: the epoch is 08:00 in Beijing; 2026-03-10 01:00 UTC is 09:00 CST. */
    assert_int_equal(ks_datetime_from_unix(0, &t), KS_OK);
    assert_int_equal(t.date, 19700101);
    assert_int_equal(t.minute, 8 * 60);
    assert_int_equal(ks_datetime_from_unix(1773104400LL, &t), KS_OK);
    assert_int_equal(t.date, 20260310);
    assert_int_equal(t.minute, 9 * 60);
    assert_int_equal(ks_datetime_from_unix(-1, &t), KS_OK);
    assert_int_equal(t.date, 19700101);
    assert_int_equal(t.minute, 8 * 60 - 1);
    long long m = 0;
    ks_datetime_t x = {20260310, 1440};
    assert_int_equal(ks_datetime_minutes(&x, &m), KS_E_INVAL);
    x.minute = 0;
    assert_int_equal(ks_datetime_minutes(&x, &m), KS_OK);
    assert_int_equal(m, (long long)ks_date_to_days(20260310) * 1440);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_dates),  cmocka_unit_test(test_day_numbers),
        cmocka_unit_test(test_add_and_diff), cmocka_unit_test(test_weekdays),
        cmocka_unit_test(test_parse_format), cmocka_unit_test(test_datetimes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
