/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The estimate as a whole: items in the documented order (DIBAO, TEKUN, GUER,
 * CANJI..., GAOLING, LINSHI), 临时救助 always "may apply" without an amount,
 * whole households as the screens will see them, and the bundled fallback.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "policy_fixture.h"

static void assert_order(const ks_estimate_t *e, const char *const *codes, int n)
{
    if (e->n != n)
        fail_msg("%d items, expected %d", e->n, n);
    for (int i = 0; i < n; i++)
        assert_string_equal(e->items[i].code, codes[i]);
}

static void test_order_and_count(void **state)
{
    (void)state;
    ks_api_policies_t *p = fixture_demo_policies();
    ks_estimate_t e;
    ks_answers_t a = fixture_answers();
    assert_int_equal(ks_estimate(p, &a, &e), KS_OK);
    static const char *const plain[] = {"DIBAO", "TEKUN", "GUER", "CANJI", "GAOLING", "LINSHI"};
    assert_order(&e, plain, 6);

    a.disability_grade = 2;
    assert_int_equal(ks_estimate(p, &a, &e), KS_OK);
    static const char *const disabled[] = {"DIBAO", "TEKUN",   "GUER",  "CANJI",
                                           "CANJI", "GAOLING", "LINSHI"};
    assert_order(&e, disabled, 7);
    assert_string_equal(e.items[3].key, "SHENGHUO");
    assert_string_equal(e.items[4].key, "HULI");
    free(p);
}

static void test_linshi_always_maybe(void **state)
{
    (void)state;
    ks_api_policies_t *p = fixture_demo_policies();
    static const long long incomes[] = {0, 62000, 10000000};
    for (size_t i = 0; i < sizeof incomes / sizeof incomes[0]; i++) {
        ks_answers_t a = fixture_answers();
        a.income_fen = incomes[i];
        ks_estimate_t e;
        const ks_estimate_item_t *it = fixture_estimate(p, &a, &e, "LINSHI", NULL);
        assert_int_equal(it->fit, KS_FIT_MAYBE);
        assert_int_equal(it->monthly_fen, -1);
        assert_string_equal(it->why, "estimate.linshi");
        assert_string_equal(it->key, "");
        assert_ptr_equal(it, &e.items[e.n - 1]);
    }
    free(p);
}

/* A widow of 82, alone, no income, cannot work, disability grade 1, rural. */
static void test_whole_household(void **state)
{
    (void)state;
    ks_api_policies_t *p = fixture_demo_policies();
    ks_answers_t a = {.area = KS_AREA_RURAL,
                      .household_size = 1,
                      .income_fen = 0,
                      .age = 82,
                      .disability_grade = 1,
                      .can_work = 0};
    ks_estimate_t e;
    assert_int_equal(ks_estimate(p, &a, &e), KS_OK);
    assert_int_equal(e.n, 7);
    static const struct {
        const char *code, *key;
        ks_fit_t fit;
        long long fen;
    } want[] = {
        {"DIBAO", "RURAL", KS_FIT_YES, 49600},
        {"TEKUN", "TEKUN", KS_FIT_MAYBE, 80600},
        {"GUER", "", KS_FIT_NO, 0},
        {"CANJI", "SHENGHUO", KS_FIT_YES, 8000},
        {"CANJI", "HULI", KS_FIT_MAYBE, 9000},
        {"GAOLING", "AGE80", KS_FIT_YES, 5000},
        {"LINSHI", "", KS_FIT_MAYBE, -1},
    };
    for (int i = 0; i < e.n; i++) {
        assert_string_equal(e.items[i].code, want[i].code);
        assert_string_equal(e.items[i].key, want[i].key);
        assert_int_equal(e.items[i].fit, want[i].fit);
        assert_int_equal(e.items[i].monthly_fen, want[i].fen);
        assert_non_null(e.items[i].why);
        assert_true(strncmp(e.items[i].why, "estimate.", 9) == 0);
    }
    free(p);
}

/* The bundled fallback: the 2020 figures; no figure where domain.md has none. */
static void test_fallback_estimate(void **state)
{
    (void)state;
    ks_api_policies_t *p = fixture_fallback_policies();
    ks_answers_t a = {.area = KS_AREA_URBAN,
                      .household_size = 2,
                      .income_fen = 50000,
                      .age = 85,
                      .disability_grade = 2,
                      .can_work = 0};
    ks_estimate_t e;
    assert_int_equal(ks_estimate(p, &a, &e), KS_OK);
    assert_int_equal(fixture_item(&e, "DIBAO", "URBAN")->monthly_fen, 2 * 62000 - 50000);
    assert_int_equal(fixture_item(&e, "TEKUN", NULL)->fit, KS_FIT_NO); /* has income */
    assert_int_equal(fixture_item(&e, "CANJI", "SHENGHUO")->monthly_fen, -1);
    assert_int_equal(fixture_item(&e, "CANJI", "HULI")->monthly_fen, -1);
    assert_int_equal(fixture_item(&e, "GAOLING", NULL)->monthly_fen, -1);
    a.age = 10;
    a.income_fen = 0;
    assert_int_equal(ks_estimate(p, &a, &e), KS_OK);
    assert_int_equal(fixture_item(&e, "TEKUN", NULL)->monthly_fen, 80600);
    assert_int_equal(fixture_item(&e, "GUER", NULL)->monthly_fen, 125600);
    a.area = KS_AREA_RURAL;
    a.household_size = 1;
    assert_int_equal(ks_estimate(p, &a, &e), KS_OK);
    assert_int_equal(fixture_item(&e, "DIBAO", "RURAL")->monthly_fen, 49600);
    free(p);
}

/* Programmes the data does not have are not estimated (the screen could not explain them). */
static void test_absent_programmes_skipped(void **state)
{
    (void)state;
    fixture_figures_t f = fixture_demo();
    f.with_gaoling = f.with_guer = f.with_canji = f.with_linshi = 0;
    ks_api_policies_t *p = fixture_policies(&f);
    ks_answers_t a = fixture_answers();
    a.age = 90;
    a.disability_grade = 1;
    ks_estimate_t e;
    assert_int_equal(ks_estimate(p, &a, &e), KS_OK);
    static const char *const codes[] = {"DIBAO", "TEKUN"};
    assert_order(&e, codes, 2);
    free(p);
}

/* Bad calls and data that was never validated. */
static void test_bad_calls(void **state)
{
    (void)state;
    ks_api_policies_t *p = fixture_demo_policies();
    ks_answers_t a = fixture_answers();
    ks_estimate_t e;
    assert_int_equal(ks_estimate(NULL, &a, &e), KS_E_INVAL);
    assert_int_equal(ks_estimate(p, NULL, &e), KS_E_INVAL);
    assert_int_equal(ks_estimate(p, &a, NULL), KS_E_INVAL);
    ks_api_policies_t *empty = calloc(1, sizeof *empty);
    assert_non_null(empty);
    assert_int_equal(ks_estimate(empty, &a, &e), KS_E_INVAL);
    assert_int_equal(e.n, 0);
    free(empty);
    free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_order_and_count),
        cmocka_unit_test(test_linshi_always_maybe),
        cmocka_unit_test(test_whole_household),
        cmocka_unit_test(test_fallback_estimate),
        cmocka_unit_test(test_absent_programmes_skipped),
        cmocka_unit_test(test_bad_calls),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
