/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Divorce by agreement (Civil Code art. 1077): the second appointment window
 * is from start + 30 days (the end of the cooling-off) to start + 60 days,
 * both included, across month, year and leap-day ends; the flow shows it as
 * soon as the first date is chosen, and only for a divorce; a divorce needs
 * both parties but no age check.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "marriage_fixture.h"

static void test_second_window(void **state)
{
    (void)state;
    static const struct {
        int start, from, to;
    } cases[] = {
        {20260310, 20260409, 20260509}, {20260101, 20260131, 20260302},
        {20261215, 20270114, 20270213}, {20280131, 20280301, 20280331}, /* leap February */
        {20260130, 20260301, 20260331}, {20261201, 20261231, 20270130},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int from = 0, to = 0;
        assert_int_equal(ks_divorce_second_window(cases[i].start, &from, &to), KS_OK);
        if (from != cases[i].from || to != cases[i].to)
            fail_msg("start %d: %d..%d, want %d..%d", cases[i].start, from, to, cases[i].from,
                     cases[i].to);
        assert_int_equal(ks_date_diff(cases[i].start, from), KS_DIVORCE_COOLING_OFF_DAYS);
        assert_int_equal(ks_date_diff(from, to), KS_DIVORCE_SECOND_WINDOW_DAYS);
    }
    int from = 1, to = 1;
    assert_int_equal(ks_divorce_second_window(20260230, &from, &to), KS_E_INVAL);
    assert_int_equal(ks_divorce_second_window(99991201, &from, &to), KS_E_INVAL);
    assert_int_equal(ks_divorce_second_window(20260310, NULL, &to), KS_E_INVAL);
}

static void test_flow_sets_second_window(void **state)
{
    (void)state;
    ks_booking_flow_t f;
    fx_flow_to(&f, KS_DIVORCE, KS_STEP_SLOT, NULL);
    assert_int_equal(f.date, FX_DATE);
    assert_int_equal(f.second_from, 20260409);
    assert_int_equal(f.second_to, 20260509);
    /* Back and another date: the window follows. */
    assert_int_equal(ks_booking_flow_back(&f), KS_OK);
    assert_int_equal(ks_booking_flow_set_date(&f, 20260311), KS_OK);
    assert_int_equal(f.second_from, 20260410);
    assert_int_equal(f.second_to, 20260510);
    /* Another office clears the date and its window. */
    assert_int_equal(ks_booking_flow_back(&f), KS_OK);
    assert_int_equal(ks_booking_flow_back(&f), KS_OK);
    assert_int_equal(f.step, KS_STEP_OFFICE);
    assert_int_equal(ks_booking_flow_set_office(&f, "JJ02"), KS_OK);
    assert_int_equal(f.date, 0);
    assert_int_equal(f.second_from, 0);
    assert_int_equal(f.second_to, 0);
    ks_booking_flow_wipe(&f);

    fx_flow_to(&f, KS_MARRIAGE, KS_STEP_SLOT, NULL);
    assert_int_equal(f.second_from, 0);
    assert_int_equal(f.second_to, 0);
    ks_booking_flow_wipe(&f);
}

static void test_divorce_parties(void **state)
{
    (void)state;
    ks_marriage_why_t why;
    ks_party_t a = fx_party(19900501, KS_SEX_MALE, 1, "");
    ks_party_t young = fx_party(20070101, KS_SEX_FEMALE, 2, ""); /* 19: no age rule here */
    assert_int_equal(ks_marriage_parties_check(&a, &young, KS_DIVORCE, 20260310, &why), KS_OK);
    assert_int_equal(why, KS_MARRIAGE_WHY_OK);
    assert_int_equal(ks_marriage_parties_check(&a, NULL, KS_DIVORCE, 20260310, &why), KS_E_RANGE);
    assert_int_equal(why, KS_MARRIAGE_WHY_PARTY_MISSING);
    /* The flow will not take one party for a divorce. */
    ks_booking_flow_t f;
    fx_flow_to(&f, KS_DIVORCE, KS_STEP_SECOND_CARD, NULL);
    assert_int_equal(ks_booking_flow_one_party(&f), KS_E_STATE);
    assert_int_equal(f.step, KS_STEP_SECOND_CARD);
    ks_booking_flow_wipe(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_second_window),
        cmocka_unit_test(test_flow_sets_second_window),
        cmocka_unit_test(test_divorce_parties),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
