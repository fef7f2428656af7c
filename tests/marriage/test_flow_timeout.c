/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The second card: the flow waits for it after the first card (which may be
 * taken out meanwhile: the flow does not care), and gives up at the deadline
 * (default 120 s after the first card, configurable), going back to
 * FIRST_CARD with CARD_TIMEOUT; one millisecond earlier nothing happens; a
 * card in time stops the clock; ticks in other steps change nothing.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "marriage_fixture.h"

static void test_deadline(void **state)
{
    (void)state;
    ks_booking_flow_t f;
    fx_flow_to(&f, KS_MARRIAGE, KS_STEP_SECOND_CARD, NULL); /* first card at t = 1000 ms */
    assert_int_equal(f.card_deadline_ms, 1000 + 120000);
    assert_int_equal(ks_booking_flow_tick(&f, 1000), 0);
    assert_int_equal(ks_booking_flow_tick(&f, 1000 + 119999), 0);
    assert_int_equal(f.step, KS_STEP_SECOND_CARD);
    assert_int_equal(f.n_parties, 1);
    assert_int_equal(ks_booking_flow_tick(&f, 1000 + 120000), 1);
    assert_int_equal(f.step, KS_STEP_FIRST_CARD);
    assert_int_equal(f.why, KS_MARRIAGE_WHY_CARD_TIMEOUT);
    assert_string_equal(ks_marriage_why_key(f.why), "marriage.why_card_timeout");
    assert_int_equal(f.n_parties, 0);
    assert_int_equal(f.card_deadline_ms, 0);
    /* Ticking on changes nothing more. */
    assert_int_equal(ks_booking_flow_tick(&f, 1000 + 500000), 0);
    assert_int_equal(f.step, KS_STEP_FIRST_CARD);
    /* Start again: the new first card sets a new deadline, and the reason clears. */
    ks_party_t a = fx_party(19900501, KS_SEX_MALE, 1, "");
    assert_int_equal(ks_booking_flow_add_party(&f, &a, 600000), KS_OK);
    assert_int_equal(f.why, KS_MARRIAGE_WHY_OK);
    assert_int_equal(f.card_deadline_ms, 720000);
    ks_booking_flow_wipe(&f);
}

static void test_in_time(void **state)
{
    (void)state;
    ks_booking_flow_t f;
    fx_flow_to(&f, KS_MARRIAGE, KS_STEP_SECOND_CARD, NULL);
    /* A refused second card (the first one again) does not stop the clock. */
    ks_party_t a = fx_party(19900501, KS_SEX_MALE, 1, "张三");
    assert_int_equal(ks_booking_flow_add_party(&f, &a, 60000), KS_E_RANGE);
    assert_int_equal(f.card_deadline_ms, 121000);
    ks_party_t b = fx_party(19920715, KS_SEX_FEMALE, 2, "李四");
    assert_int_equal(ks_booking_flow_add_party(&f, &b, 120999), KS_OK);
    assert_int_equal(f.step, KS_STEP_CHECKS);
    for (int64_t t = 121000; t < 1000000; t += 50000)
        assert_int_equal(ks_booking_flow_tick(&f, t), 0);
    assert_int_equal(f.step, KS_STEP_CHECKS);
    assert_int_equal(f.n_parties, 2);
    /* Nor in later steps. */
    assert_int_equal(ks_booking_flow_proceed(&f), KS_OK);
    assert_int_equal(ks_booking_flow_tick(&f, INT64_MAX), 0);
    assert_int_equal(f.step, KS_STEP_OFFICE);
    ks_booking_flow_wipe(&f);
    /* REISSUE: choosing one party stops the clock too. */
    fx_flow_to(&f, KS_REISSUE, KS_STEP_SECOND_CARD, NULL);
    assert_int_equal(ks_booking_flow_one_party(&f), KS_OK);
    assert_int_equal(ks_booking_flow_tick(&f, INT64_MAX), 0);
    assert_int_equal(f.step, KS_STEP_CHECKS);
    ks_booking_flow_wipe(&f);
}

static void test_configured_timeout(void **state)
{
    (void)state;
    ks_marriage_rules_t r;
    ks_marriage_rules_default(&r);
    assert_int_equal(r.second_card_timeout_ms, 120000);
    assert_int_equal(r.min_notice_workdays, 2);
    assert_int_equal(r.horizon_days, 30);
    assert_int_equal(r.cancel_notice_hours, 24);
    r.second_card_timeout_ms = 30000;
    ks_booking_flow_t f;
    assert_int_equal(ks_booking_flow_start(&f, FX_TODAY, &r, NULL), KS_OK);
    assert_int_equal(ks_booking_flow_set_kind(&f, KS_DIVORCE), KS_OK);
    ks_party_t a = fx_party(19900501, KS_SEX_MALE, 1, "");
    assert_int_equal(ks_booking_flow_add_party(&f, &a, 5000), KS_OK);
    assert_int_equal(ks_booking_flow_tick(&f, 34999), 0);
    assert_int_equal(ks_booking_flow_tick(&f, 35000), 1);
    ks_booking_flow_wipe(&f);
    /* Invalid rules or today: the flow is not started (and is wiped). */
    r.second_card_timeout_ms = 0;
    assert_int_equal(ks_booking_flow_start(&f, FX_TODAY, &r, NULL), KS_E_INVAL);
    ks_marriage_rules_default(&r);
    r.horizon_days = -1;
    assert_int_equal(ks_booking_flow_start(&f, FX_TODAY, &r, NULL), KS_E_INVAL);
    assert_int_equal(ks_booking_flow_start(&f, 20260230, NULL, NULL), KS_E_INVAL);
    assert_int_equal(f.step, KS_STEP_KIND);
    assert_int_equal(f.today, 0);
    assert_int_equal(ks_booking_flow_start(NULL, FX_TODAY, NULL, NULL), KS_E_INVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_deadline),
        cmocka_unit_test(test_in_time),
        cmocka_unit_test(test_configured_timeout),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
