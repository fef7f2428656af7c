/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * 孤儿 / 事实无人抚养儿童: under tekun_minor_age "may apply" at the scattered
 * (SANJU) rate from the data; from that age on, no.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "policy_fixture.h"

static void test_guer_ages(void **state)
{
    (void)state;
    static const struct {
        int age;
        ks_fit_t fit;
    } cases[] = {{0, KS_FIT_MAYBE}, {1, KS_FIT_MAYBE}, {16, KS_FIT_MAYBE}, {17, KS_FIT_MAYBE},
                 {18, KS_FIT_NO},   {19, KS_FIT_NO},   {60, KS_FIT_NO},    {130, KS_FIT_NO}};
    ks_api_policies_t *p = fixture_demo_policies();
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ks_answers_t a = fixture_answers();
        a.age = cases[i].age;
        ks_estimate_t e;
        const ks_estimate_item_t *it = fixture_estimate(p, &a, &e, "GUER", NULL);
        if (it->fit != cases[i].fit)
            fail_msg("age %d: fit %d, expected %d", cases[i].age, it->fit, cases[i].fit);
        if (it->fit == KS_FIT_MAYBE) {
            assert_string_equal(it->key, "SANJU");
            assert_int_equal(it->monthly_fen, 125600);
            assert_string_equal(it->why, "estimate.guer_maybe");
        } else {
            assert_string_equal(it->key, "");
            assert_int_equal(it->monthly_fen, 0);
            assert_string_equal(it->why, "estimate.guer_age");
        }
    }
    free(p);
}

/* Income, work ability and household do not matter to this rule. */
static void test_guer_ignores_household(void **state)
{
    (void)state;
    ks_api_policies_t *p = fixture_demo_policies();
    ks_answers_t a = fixture_answers();
    a.age = 12;
    a.household_size = 5;
    a.income_fen = 900000;
    ks_estimate_t e;
    assert_int_equal(fixture_estimate(p, &a, &e, "GUER", NULL)->fit, KS_FIT_MAYBE);
    free(p);
}

/* The age limit and the amount are the data's. */
static void test_guer_from_data(void **state)
{
    (void)state;
    fixture_figures_t f = fixture_demo();
    f.minor_age = 20;
    f.sanju = 130000;
    ks_api_policies_t *p = fixture_policies(&f);
    ks_answers_t a = fixture_answers();
    a.age = 19;
    ks_estimate_t e;
    const ks_estimate_item_t *it = fixture_estimate(p, &a, &e, "GUER", NULL);
    assert_int_equal(it->fit, KS_FIT_MAYBE);
    assert_int_equal(it->monthly_fen, 130000);
    free(p);

    /* No SANJU figure: still "may apply", the amount unknown (-1), never invented. */
    f = fixture_demo();
    f.sanju = -1;
    p = fixture_policies(&f);
    it = fixture_estimate(p, &a, &e, "GUER", NULL);
    assert_int_equal(it->fit, KS_FIT_NO); /* 19 with the demo's 18 */
    a.age = 10;
    it = fixture_estimate(p, &a, &e, "GUER", NULL);
    assert_int_equal(it->fit, KS_FIT_MAYBE);
    assert_int_equal(it->monthly_fen, -1);
    free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_guer_ages),
        cmocka_unit_test(test_guer_ignores_household),
        cmocka_unit_test(test_guer_from_data),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
