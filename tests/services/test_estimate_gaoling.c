/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * 高龄津贴: the brackets AGE80 (80–89), AGE90 (90–99) and AGE100 (100+) named by
 * the data's amount keys; under 80, no. A bracket without a figure: -1.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "policy_fixture.h"

static void test_gaoling_brackets(void **state)
{
    (void)state;
    static const struct {
        int age;
        ks_fit_t fit;
        const char *key;
        long long fen;
    } cases[] = {
        {0, KS_FIT_NO, "", 0},
        {60, KS_FIT_NO, "", 0},
        {79, KS_FIT_NO, "", 0},
        {80, KS_FIT_YES, "AGE80", 5000},
        {89, KS_FIT_YES, "AGE80", 5000},
        {90, KS_FIT_YES, "AGE90", 10000},
        {99, KS_FIT_YES, "AGE90", 10000},
        {100, KS_FIT_YES, "AGE100", 50000},
        {130, KS_FIT_YES, "AGE100", 50000},
    };
    ks_api_policies_t *p = fixture_demo_policies();
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ks_answers_t a = fixture_answers();
        a.age = cases[i].age;
        ks_estimate_t e;
        const ks_estimate_item_t *it = fixture_estimate(p, &a, &e, "GAOLING", NULL);
        if (it->fit != cases[i].fit || strcmp(it->key, cases[i].key) != 0 ||
            it->monthly_fen != cases[i].fen)
            fail_msg("age %d: %d %s %lld, expected %d %s %lld", cases[i].age, it->fit, it->key,
                     it->monthly_fen, cases[i].fit, cases[i].key, cases[i].fen);
        assert_string_equal(it->why, it->fit == KS_FIT_YES ? "estimate.gaoling_bracket"
                                                           : "estimate.gaoling_under");
    }
    free(p);
}

/* The amounts are the data's; a missing bracket figure is -1, not a neighbour's. */
static void test_gaoling_from_data(void **state)
{
    (void)state;
    fixture_figures_t f = fixture_demo();
    f.age80 = 6000;
    f.age90 = -1;
    ks_api_policies_t *p = fixture_policies(&f);
    ks_answers_t a = fixture_answers();
    ks_estimate_t e;
    a.age = 85;
    assert_int_equal(fixture_estimate(p, &a, &e, "GAOLING", "AGE80")->monthly_fen, 6000);
    a.age = 95;
    const ks_estimate_item_t *it = fixture_estimate(p, &a, &e, "GAOLING", "AGE90");
    assert_int_equal(it->fit, KS_FIT_YES);
    assert_int_equal(it->monthly_fen, -1);
    free(p);
}

/* The bundled fallback has no 高龄 figures: YES with -1 (the town sets the amount). */
static void test_gaoling_fallback(void **state)
{
    (void)state;
    ks_api_policies_t *p = fixture_fallback_policies();
    ks_answers_t a = fixture_answers();
    ks_estimate_t e;
    a.age = 92;
    const ks_estimate_item_t *it = fixture_estimate(p, &a, &e, "GAOLING", NULL);
    assert_int_equal(it->fit, KS_FIT_YES);
    assert_string_equal(it->key, "AGE90");
    assert_int_equal(it->monthly_fen, -1);
    a.age = 79;
    assert_int_equal(fixture_estimate(p, &a, &e, "GAOLING", NULL)->fit, KS_FIT_NO);
    free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_gaoling_brackets),
        cmocka_unit_test(test_gaoling_from_data),
        cmocka_unit_test(test_gaoling_fallback),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
