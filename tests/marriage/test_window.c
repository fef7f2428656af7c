/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The booking window (ks_marriage_window, ks_marriage_day_check): the first
 * bookable day is the 2nd working day after today — today never counts — as
 * on the server (OUTSIDE_WINDOW); the last is today + 30, and day 31 is out.
 * Edges: today a Friday, a Saturday, the day before a holiday week, a
 * make-up working weekend day; weekends and holidays inside the window are
 * CLOSED; other rule values; invalid input.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "marriage_fixture.h"

typedef struct {
    int today;
    int first, last;
} window_case_t;

static const window_case_t WITH_HOLIDAYS[] = {
    {20260302, 20260304, 20260401}, /* Monday → Wednesday */
    {20260306, 20260310, 20260405}, /* Friday → Tuesday */
    {20260307, 20260310, 20260406}, /* Saturday → Tuesday */
    {20260308, 20260310, 20260407}, /* Sunday → Tuesday */
    {20260930, 20261009, 20261030}, /* before 国庆: 10-08 and 10-09 */
    {20260929, 20261008, 20261029}, /* Tuesday: the 30th, then 10-08 after 国庆 */
    {20260917, 20260920, 20261017}, /* Thursday: Friday 18th, make-up Sunday 20th */
    {20260212, 20260214, 20260314}, /* Thursday: Friday 13th, make-up Saturday 14th */
    {20260213, 20260224, 20260315}, /* Friday: the 14th, then the 24th after 春节 */
};

static void test_window_edges(void **state)
{
    (void)state;
    ks_holidays_t *h = fx_bundled_holidays();
    for (size_t i = 0; i < sizeof WITH_HOLIDAYS / sizeof WITH_HOLIDAYS[0]; i++) {
        const window_case_t *c = &WITH_HOLIDAYS[i];
        int first = 0, last = 0;
        int rc = ks_marriage_window(c->today, KS_MARRIAGE_NOTICE_WORKDAYS, KS_MARRIAGE_HORIZON_DAYS,
                                    h, &first, &last);
        if (rc != KS_OK || first != c->first || last != c->last)
            fail_msg("today %d: rc %d window %d..%d, want %d..%d", c->today, rc, first, last,
                     c->first, c->last);
        /* The day before the first is too soon, the first is bookable when a working day. */
        assert_int_equal(ks_marriage_day_check(ks_date_add(first, -1), c->today, 2, 30, h),
                         KS_MARRIAGE_WHY_TOO_SOON);
        assert_int_equal(ks_marriage_day_check(first, c->today, 2, 30, h), KS_MARRIAGE_WHY_OK);
        assert_int_equal(ks_marriage_day_check(ks_date_add(last, 1), c->today, 2, 30, h),
                         KS_MARRIAGE_WHY_TOO_FAR);
        assert_int_equal(ks_marriage_day_check(c->today, c->today, 2, 30, h),
                         KS_MARRIAGE_WHY_TOO_SOON);
    }
    free(h);
}

static void test_horizon_day_30_and_31(void **state)
{
    (void)state;
    /* Monday 2026-03-02: day 30 is Wednesday 04-01, day 31 Thursday 04-02. */
    assert_int_equal(ks_marriage_day_check(20260401, 20260302, 2, 30, NULL), KS_MARRIAGE_WHY_OK);
    assert_true(ks_marriage_day_bookable(20260401, 20260302, 2, 30, NULL));
    assert_int_equal(ks_marriage_day_check(20260402, 20260302, 2, 30, NULL),
                     KS_MARRIAGE_WHY_TOO_FAR);
    assert_false(ks_marriage_day_bookable(20260402, 20260302, 2, 30, NULL));
    /* The last day need not be a working day: Friday 03-06 + 30 is Sunday 04-05 (清明). */
    ks_holidays_t *h = fx_bundled_holidays();
    int first, last;
    assert_int_equal(ks_marriage_window(20260306, 2, 30, h, &first, &last), KS_OK);
    assert_int_equal(last, 20260405);
    assert_int_equal(ks_marriage_day_check(20260405, 20260306, 2, 30, h), KS_MARRIAGE_WHY_CLOSED);
    assert_int_equal(ks_marriage_day_check(20260403, 20260306, 2, 30, h), KS_MARRIAGE_WHY_OK);
    free(h);
}

static void test_closed_days_inside(void **state)
{
    (void)state;
    ks_holidays_t *h = fx_bundled_holidays();
    /* Today 2026-09-17: Saturday 19th closed, make-up Sunday 20th open, 国庆 closed,
     * make-up Saturday 10-10 open, Sunday 10-11 closed. */
    static const struct {
        int d;
        ks_marriage_why_t why;
    } cases[] = {
        {20260918, KS_MARRIAGE_WHY_TOO_SOON}, {20260919, KS_MARRIAGE_WHY_TOO_SOON},
        {20260920, KS_MARRIAGE_WHY_OK},       {20260921, KS_MARRIAGE_WHY_OK},
        {20260926, KS_MARRIAGE_WHY_CLOSED},   {20260925, KS_MARRIAGE_WHY_CLOSED},
        {20261001, KS_MARRIAGE_WHY_CLOSED},   {20261007, KS_MARRIAGE_WHY_CLOSED},
        {20261008, KS_MARRIAGE_WHY_OK},       {20261010, KS_MARRIAGE_WHY_OK},
        {20261011, KS_MARRIAGE_WHY_CLOSED},   {20261017, KS_MARRIAGE_WHY_CLOSED},
        {20261018, KS_MARRIAGE_WHY_TOO_FAR},  {20261019, KS_MARRIAGE_WHY_TOO_FAR},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ks_marriage_why_t why = ks_marriage_day_check(cases[i].d, 20260917, 2, 30, h);
        if (why != cases[i].why)
            fail_msg("%d: %s, want %s", cases[i].d, ks_marriage_why_key(why),
                     ks_marriage_why_key(cases[i].why));
    }
    free(h);
}

static void test_other_rules_and_invalid(void **state)
{
    (void)state;
    int first = -1, last = -1;
    /* Notice 0: today itself; notice 1 on a Friday: Monday. */
    assert_int_equal(ks_marriage_window(20260306, 0, 30, NULL, &first, &last), KS_OK);
    assert_int_equal(first, 20260306);
    assert_int_equal(ks_marriage_window(20260306, 1, 14, NULL, &first, &last), KS_OK);
    assert_int_equal(first, 20260309);
    assert_int_equal(last, 20260320);
    /* An empty window: 5 working days' notice, 3 days' horizon. */
    assert_int_equal(ks_marriage_window(20260302, 5, 3, NULL, &first, &last), KS_E_NOTFOUND);
    assert_true(first > last);
    assert_int_equal(ks_marriage_day_check(20260305, 20260302, 5, 3, NULL),
                     KS_MARRIAGE_WHY_TOO_SOON);
    /* Invalid. */
    assert_int_equal(ks_marriage_window(20260230, 2, 30, NULL, &first, &last), KS_E_INVAL);
    assert_int_equal(ks_marriage_window(20260302, 2, 30, NULL, NULL, &last), KS_E_INVAL);
    assert_int_equal(ks_marriage_window(20260302, -1, 30, NULL, &first, &last), KS_E_RANGE);
    assert_int_equal(ks_marriage_window(20260302, 2, 367, NULL, &first, &last), KS_E_RANGE);
    assert_int_equal(ks_marriage_day_check(20260230, 20260302, 2, 30, NULL),
                     KS_MARRIAGE_WHY_TOO_FAR);
    assert_int_equal(ks_marriage_day_check(20260310, 0, 2, 30, NULL), KS_MARRIAGE_WHY_TOO_FAR);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_window_edges),
        cmocka_unit_test(test_horizon_day_30_and_31),
        cmocka_unit_test(test_closed_days_inside),
        cmocka_unit_test(test_other_rules_and_invalid),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
