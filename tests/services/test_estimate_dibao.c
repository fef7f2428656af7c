/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * 低保 by the gap method (app/services/subsidy.c): standard × persons − income,
 * never negative; urban and rural standards from the data; per-capita
 * comparisons without rounding. The gradual-exit band has its own file
 * (test_estimate_gradual.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "policy_fixture.h"

typedef struct {
    ks_area_t area;
    int persons;
    long long income_fen;
    ks_fit_t fit;
    long long monthly_fen; /* YES: the gap; GRADUAL: -1; NO: 0 */
} dibao_case_t;

/* Demo figures: URBAN 62000, RURAL 49600 fen per person per month, band 1.5×. */
static const dibao_case_t CASES[] = {
    {KS_AREA_URBAN, 1, 0, KS_FIT_YES, 62000},
    {KS_AREA_URBAN, 1, 30000, KS_FIT_YES, 32000},
    {KS_AREA_URBAN, 1, 61999, KS_FIT_YES, 1},
    {KS_AREA_URBAN, 1, 62000, KS_FIT_GRADUAL, -1}, /* exactly 1.0×: not under the standard */
    {KS_AREA_URBAN, 1, 1000000000, KS_FIT_NO, 0},  /* far over: never a negative gap */
    {KS_AREA_RURAL, 1, 0, KS_FIT_YES, 49600},
    {KS_AREA_RURAL, 1, 49599, KS_FIT_YES, 1},
    {KS_AREA_RURAL, 1, 49600, KS_FIT_GRADUAL, -1},
    {KS_AREA_RURAL, 1, 60000, KS_FIT_GRADUAL, -1}, /* under urban, over rural */
    {KS_AREA_URBAN, 1, 60000, KS_FIT_YES, 2000},
    /* Households: the line is standard × persons. */
    {KS_AREA_URBAN, 2, 62000, KS_FIT_YES, 62000},
    {KS_AREA_URBAN, 3, 100000, KS_FIT_YES, 86000},
    {KS_AREA_URBAN, 3, 185998, KS_FIT_YES, 2}, /* 61999.33 per person */
    {KS_AREA_URBAN, 3, 185999, KS_FIT_YES, 1}, /* 61999.67: a rounding P would say 62000 */
    {KS_AREA_URBAN, 3, 186000, KS_FIT_GRADUAL, -1},
    {KS_AREA_URBAN, 3, 186001, KS_FIT_GRADUAL, -1}, /* 62000.33: truncating P is no worse here */
    {KS_AREA_RURAL, 4, 100000, KS_FIT_YES, 98400},
    {KS_AREA_URBAN, 20, 0, KS_FIT_YES, 1240000},
    {KS_AREA_RURAL, 20, 991999, KS_FIT_YES, 1},
    {KS_AREA_RURAL, 20, 992000, KS_FIT_GRADUAL, -1},
};

static void test_gap_table(void **state)
{
    (void)state;
    ks_api_policies_t *p = fixture_demo_policies();
    for (size_t i = 0; i < sizeof CASES / sizeof CASES[0]; i++) {
        const dibao_case_t *c = &CASES[i];
        ks_answers_t a = fixture_answers();
        a.area = c->area;
        a.household_size = c->persons;
        a.income_fen = c->income_fen;
        ks_estimate_t e;
        const ks_estimate_item_t *it = fixture_estimate(p, &a, &e, "DIBAO", NULL);
        if (it->fit != c->fit || it->monthly_fen != c->monthly_fen)
            fail_msg("case %zu (%s, %d persons, %lld fen): fit %d monthly %lld, expected %d %lld",
                     i, c->area == KS_AREA_URBAN ? "urban" : "rural", c->persons, c->income_fen,
                     it->fit, it->monthly_fen, c->fit, c->monthly_fen);
        assert_string_equal(it->key, c->area == KS_AREA_URBAN ? "URBAN" : "RURAL");
        if (c->fit == KS_FIT_YES) {
            assert_string_equal(it->why, "estimate.dibao_gap");
            assert_int_equal(it->months, 0);
        }
    }
    free(p);
}

/* The gap never goes negative and never exceeds the line, over a sweep of incomes. */
static void test_gap_never_negative(void **state)
{
    (void)state;
    ks_api_policies_t *p = fixture_demo_policies();
    for (int persons = 1; persons <= 20; persons += 3)
        for (long long income = 0; income <= 2000000; income += 7919) {
            ks_answers_t a = fixture_answers();
            a.household_size = persons;
            a.income_fen = income;
            ks_estimate_t e;
            const ks_estimate_item_t *it = fixture_estimate(p, &a, &e, "DIBAO", NULL);
            if (it->fit == KS_FIT_YES) {
                assert_true(it->monthly_fen > 0);
                assert_int_equal(it->monthly_fen, 62000LL * persons - income);
            } else {
                assert_true(income >= 62000LL * persons);
                assert_true(it->monthly_fen == -1 || it->monthly_fen == 0);
            }
        }
    free(p);
}

/* Over the band: NO, with the reason and the standard it was compared with. */
static void test_over(void **state)
{
    (void)state;
    ks_api_policies_t *p = fixture_demo_policies();
    ks_answers_t a = fixture_answers();
    a.income_fen = 200000;
    ks_estimate_t e;
    const ks_estimate_item_t *it = fixture_estimate(p, &a, &e, "DIBAO", NULL);
    assert_int_equal(it->fit, KS_FIT_NO);
    assert_int_equal(it->monthly_fen, 0);
    assert_int_equal(it->months, 0);
    assert_string_equal(it->why, "estimate.dibao_over");
    assert_string_equal(it->key, "URBAN");
    free(p);
}

/* Urban and rural standards are independent figures of the data. */
static void test_area_picks_standard(void **state)
{
    (void)state;
    fixture_figures_t f = fixture_demo();
    f.urban = 70000;
    f.rural = 30000;
    ks_api_policies_t *p = fixture_policies(&f);
    ks_answers_t a = fixture_answers();
    a.household_size = 2;
    a.income_fen = 10000;
    ks_estimate_t e;
    assert_int_equal(fixture_estimate(p, &a, &e, "DIBAO", "URBAN")->monthly_fen, 130000);
    a.area = KS_AREA_RURAL;
    assert_int_equal(fixture_estimate(p, &a, &e, "DIBAO", "RURAL")->monthly_fen, 50000);
    free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_gap_table),
        cmocka_unit_test(test_gap_never_negative),
        cmocka_unit_test(test_over),
        cmocka_unit_test(test_area_picks_standard),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
