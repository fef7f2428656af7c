/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * 低保渐退 (gradual exit): a per-capita income from exactly 1.0× the standard up
 * to but not including gradual_exit_permille/1000 × the standard keeps the
 * benefit for gradual_exit_months; both figures come from the data.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "policy_fixture.h"

typedef struct {
    int persons;
    long long income_fen;
    ks_fit_t fit;
} band_case_t;

/* Urban standard 62000: 1.0× = 62000, 1.5× = 93000 per person. */
static const band_case_t CASES[] = {
    {1, 61999, KS_FIT_YES},      {1, 62000, KS_FIT_GRADUAL}, /* exactly 1.0×: in the band */
    {1, 62001, KS_FIT_GRADUAL},  {1, 92999, KS_FIT_GRADUAL},
    {1, 93000, KS_FIT_NO}, /* exactly 1.5×: outside the band */
    {1, 93001, KS_FIT_NO},       {2, 124000, KS_FIT_GRADUAL},
    {2, 185999, KS_FIT_GRADUAL}, {2, 186000, KS_FIT_NO},
    {3, 278999, KS_FIT_GRADUAL}, /* 92999.67 per person */
    {3, 279000, KS_FIT_NO},      {3, 279001, KS_FIT_NO},
};

static void test_band_table(void **state)
{
    (void)state;
    ks_api_policies_t *p = fixture_demo_policies();
    for (size_t i = 0; i < sizeof CASES / sizeof CASES[0]; i++) {
        ks_answers_t a = fixture_answers();
        a.household_size = CASES[i].persons;
        a.income_fen = CASES[i].income_fen;
        ks_estimate_t e;
        const ks_estimate_item_t *it = fixture_estimate(p, &a, &e, "DIBAO", "URBAN");
        if (it->fit != CASES[i].fit)
            fail_msg("case %zu (%d persons, %lld fen): fit %d, expected %d", i, CASES[i].persons,
                     CASES[i].income_fen, it->fit, CASES[i].fit);
        if (it->fit == KS_FIT_GRADUAL) {
            assert_int_equal(it->months, 6);
            assert_int_equal(it->monthly_fen, -1);
            assert_string_equal(it->why, "estimate.dibao_gradual");
        } else {
            assert_int_equal(it->months, 0);
        }
    }
    free(p);
}

/* Rural: 49600, band to 74400. */
static void test_band_rural(void **state)
{
    (void)state;
    ks_api_policies_t *p = fixture_demo_policies();
    ks_answers_t a = fixture_answers();
    a.area = KS_AREA_RURAL;
    ks_estimate_t e;
    a.income_fen = 49600;
    assert_int_equal(fixture_estimate(p, &a, &e, "DIBAO", "RURAL")->fit, KS_FIT_GRADUAL);
    a.income_fen = 74399;
    assert_int_equal(fixture_estimate(p, &a, &e, "DIBAO", "RURAL")->fit, KS_FIT_GRADUAL);
    a.income_fen = 74400;
    assert_int_equal(fixture_estimate(p, &a, &e, "DIBAO", "RURAL")->fit, KS_FIT_NO);
    free(p);
}

/* The factor and the months are data: 2.0× and 12 months change the answer. */
static void test_band_from_data(void **state)
{
    (void)state;
    fixture_figures_t f = fixture_demo();
    f.permille = 2000;
    f.months = 12;
    ks_api_policies_t *p = fixture_policies(&f);
    ks_answers_t a = fixture_answers();
    ks_estimate_t e;
    a.income_fen = 93000; /* 1.5×: now inside */
    const ks_estimate_item_t *it = fixture_estimate(p, &a, &e, "DIBAO", NULL);
    assert_int_equal(it->fit, KS_FIT_GRADUAL);
    assert_int_equal(it->months, 12);
    a.income_fen = 123999;
    assert_int_equal(fixture_estimate(p, &a, &e, "DIBAO", NULL)->fit, KS_FIT_GRADUAL);
    a.income_fen = 124000; /* exactly 2.0× */
    assert_int_equal(fixture_estimate(p, &a, &e, "DIBAO", NULL)->fit, KS_FIT_NO);
    free(p);

    /* 1000 ‰: no band at all; exactly 1.0× is then simply over. */
    f.permille = 1000;
    p = fixture_policies(&f);
    a.income_fen = 62000;
    assert_int_equal(fixture_estimate(p, &a, &e, "DIBAO", NULL)->fit, KS_FIT_NO);
    free(p);
}

/*
 * An odd standard makes 1.5× a half fen: 62001 × 1.5 = 93001.5. An income of
 * 93001 is below it; S × 1500 / 1000 in integers would say 93001 and miss it.
 */
static void test_band_no_rounding(void **state)
{
    (void)state;
    fixture_figures_t f = fixture_demo();
    f.urban = 62001;
    ks_api_policies_t *p = fixture_policies(&f);
    ks_answers_t a = fixture_answers();
    ks_estimate_t e;
    a.income_fen = 93001;
    assert_int_equal(fixture_estimate(p, &a, &e, "DIBAO", NULL)->fit, KS_FIT_GRADUAL);
    a.income_fen = 93002;
    assert_int_equal(fixture_estimate(p, &a, &e, "DIBAO", NULL)->fit, KS_FIT_NO);
    /* Three persons: line 186003, band end 279004.5. */
    a.household_size = 3;
    a.income_fen = 279004;
    assert_int_equal(fixture_estimate(p, &a, &e, "DIBAO", NULL)->fit, KS_FIT_GRADUAL);
    a.income_fen = 279005;
    assert_int_equal(fixture_estimate(p, &a, &e, "DIBAO", NULL)->fit, KS_FIT_NO);
    free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_band_table),
        cmocka_unit_test(test_band_rural),
        cmocka_unit_test(test_band_from_data),
        cmocka_unit_test(test_band_no_rounding),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
