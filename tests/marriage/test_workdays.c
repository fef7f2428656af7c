/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Working days (ks_workday_is, ks_workday_nth_after): Monday..Friday, minus
 * the listed days off, plus the listed make-up working weekend days (调休);
 * the holiday list kept sorted whatever the order dates are added in; and the
 * bundled config/holidays.txt with the 2026 arrangement it carries.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "marriage_fixture.h"

static void test_weekends_without_list(void **state)
{
    (void)state;
    /* 2026-03-02 is a Monday. */
    static const int expect[7] = {1, 1, 1, 1, 1, 0, 0};
    for (int i = 0; i < 7; i++)
        assert_int_equal(ks_workday_is(ks_date_add(20260302, i), NULL), expect[i]);
    ks_holidays_t empty;
    memset(&empty, 0, sizeof empty);
    assert_int_equal(ks_workday_is(20260307, &empty), 0);
    assert_int_equal(ks_workday_is(20260306, &empty), 1);
    assert_int_equal(ks_workday_is(20260229, NULL), 0); /* no such day */
}

static void test_list_add(void **state)
{
    (void)state;
    ks_holidays_t *h = calloc(1, sizeof *h);
    assert_non_null(h);
    /* Out of order in, sorted out. */
    assert_int_equal(ks_holidays_add(h, 20261003, 0), KS_OK);
    assert_int_equal(ks_holidays_add(h, 20261001, 0), KS_OK);
    assert_int_equal(ks_holidays_add(h, 20261002, 0), KS_OK);
    assert_int_equal(ks_holidays_add(h, 20261010, 1), KS_OK);
    assert_int_equal(ks_holidays_add(h, 20260920, 1), KS_OK);
    assert_int_equal(h->n_off, 3);
    assert_int_equal(h->off[0], 20261001);
    assert_int_equal(h->off[2], 20261003);
    assert_int_equal(h->n_work, 2);
    assert_int_equal(h->work[0], 20260920);
    /* Refusals leave the list as it was. */
    assert_int_equal(ks_holidays_add(h, 20261002, 0), KS_E_STATE);
    assert_int_equal(ks_holidays_add(h, 20261010, 0), KS_E_STATE); /* already a workday */
    assert_int_equal(ks_holidays_add(h, 20261012, 1), KS_E_RANGE); /* a Monday */
    assert_int_equal(ks_holidays_add(h, 20260230, 0), KS_E_INVAL);
    assert_int_equal(h->n_off, 3);
    assert_int_equal(h->n_work, 2);
    /* Full. */
    memset(h, 0, sizeof *h);
    for (int i = 0; i < KS_HOLIDAYS_MAX; i++)
        assert_int_equal(ks_holidays_add(h, ks_date_add(20260101, i), 0), KS_OK);
    assert_int_equal(ks_holidays_add(h, 20300101, 0), KS_E_TOOBIG);
    for (int i = 1; i < h->n_off; i++)
        assert_true(h->off[i - 1] < h->off[i]);
    free(h);
}

static void test_bundled_2026(void **state)
{
    (void)state;
    ks_holidays_t *h = fx_bundled_holidays();
    static const struct {
        int d, work;
    } cases[] =
        {
            {20260101, 0},                               /* 元旦, a Thursday */
            {20260102, 0},                               /* bridged Friday */
            {20260104, 1},                               /* make-up Sunday */
            {20260105, 1}, {20260213, 1}, {20260214, 1}, /* make-up Saturday before 春节 */
            {20260216, 0}, {20260223, 0}, {20260224, 1}, {20260228, 1}, /* make-up Saturday after */
            {20260301, 0},                                              /* an ordinary Sunday */
            {20260406, 0},                                              /* 清明 Monday */
            {20260505, 0}, {20260509, 1}, {20260619, 0}, {20260925, 0},
            {20260920, 1}, /* make-up Sunday before 国庆 */
            {20261001, 0}, {20261007, 0}, {20261008, 1}, {20261010, 1},
            {20261011, 0}, {20270101, 0}, {20270208, 0}, {20270209, 1},
        };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        if (ks_workday_is(cases[i].d, h) != cases[i].work)
            fail_msg("%d: working day %d, want %d", cases[i].d, ks_workday_is(cases[i].d, h),
                     cases[i].work);
    /* Every make-up day is a weekend day, and the lists are sorted and disjoint. */
    for (int i = 0; i < h->n_work; i++)
        assert_true(ks_date_weekday(h->work[i]) >= 6);
    for (int i = 1; i < h->n_off; i++)
        assert_true(h->off[i - 1] < h->off[i]);
    free(h);
}

static void test_nth_working_day(void **state)
{
    (void)state;
    ks_holidays_t *h = fx_bundled_holidays();
    static const struct {
        int d, n, want;
        int with_list;
    } cases[] = {
        {20260306, 1, 20260309, 0}, /* Friday → Monday */
        {20260306, 2, 20260310, 0},
        {20260307, 2, 20260310, 0}, /* Saturday → Tuesday */
        {20260302, 2, 20260304, 0}, /* Monday → Wednesday */
        {20260302, 0, 20260302, 0},
        {20260930, 2, 20261002, 0}, /* without the list: Thursday and Friday */
        {20260930, 2, 20261009, 1}, /* with it: 10-08 and 10-09 */
        {20260917, 2, 20260920, 1}, /* Friday 18th, then the make-up Sunday 20th */
        {20260212, 2, 20260214, 1}, /* Friday 13th, then the make-up Saturday 14th */
        {20260213, 2, 20260224, 1}, /* the make-up 14th, then 24th after 春节 */
        {20251231, 1, 20260104, 1}, /* 元旦 1st..3rd off, Sunday 4th a make-up day */
        {20251231, 2, 20260105, 1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int got = ks_workday_nth_after(cases[i].d, cases[i].n, cases[i].with_list ? h : NULL);
        if (got != cases[i].want)
            fail_msg("%d + %d working days = %d, want %d", cases[i].d, cases[i].n, got,
                     cases[i].want);
    }
    assert_int_equal(ks_workday_nth_after(20260230, 1, NULL), 0);
    assert_int_equal(ks_workday_nth_after(20260302, -1, NULL), 0);
    assert_int_equal(ks_workday_nth_after(99991230, 2, NULL), 0);
    free(h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_weekends_without_list),
        cmocka_unit_test(test_list_add),
        cmocka_unit_test(test_bundled_2026),
        cmocka_unit_test(test_nth_working_day),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
