/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Lookups in the policy data (ks_policy_find / _amount / _param), absent
 * entries included, and proof that the estimate's figures come from the data:
 * change a figure in the JSON and the estimate follows.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "policy_fixture.h"

static void test_find(void **state)
{
    (void)state;
    ks_api_policies_t *p = fixture_demo_policies();
    static const char *const codes[] = {"DIBAO", "TEKUN", "LINSHI", "CANJI", "GAOLING", "GUER"};
    for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++) {
        const ks_api_policy_t *pol = ks_policy_find(p, codes[i]);
        assert_non_null(pol);
        assert_string_equal(pol->code, codes[i]);
    }
    assert_null(ks_policy_find(p, "DIBAO_URBAN")); /* an assistance code, not a family */
    assert_null(ks_policy_find(p, "dibao"));
    assert_null(ks_policy_find(p, ""));
    assert_null(ks_policy_find(p, NULL));
    assert_null(ks_policy_find(NULL, "DIBAO"));
    free(p);
}

static void test_amount(void **state)
{
    (void)state;
    ks_api_policies_t *p = fixture_demo_policies();
    assert_int_equal(ks_policy_amount(p, "DIBAO", "URBAN"), 62000);
    assert_int_equal(ks_policy_amount(p, "DIBAO", "RURAL"), 49600);
    assert_int_equal(ks_policy_amount(p, "GUER", "JIZHONG"), 145600);
    assert_int_equal(ks_policy_amount(p, "GAOLING", "AGE100"), 50000);
    assert_int_equal(ks_policy_amount(p, "DIBAO", "TEKUN"), -1); /* key of another programme */
    assert_int_equal(ks_policy_amount(p, "LINSHI", "URBAN"), -1);
    assert_int_equal(ks_policy_amount(p, "NOPE", "URBAN"), -1);
    assert_int_equal(ks_policy_amount(p, "DIBAO", NULL), -1);
    assert_int_equal(ks_policy_amount(NULL, "DIBAO", "URBAN"), -1);
    free(p);
}

static void test_param(void **state)
{
    (void)state;
    ks_api_policies_t *p = fixture_demo_policies();
    assert_int_equal(ks_policy_param(p, "DIBAO", "gradual_exit_permille", 0), 1500);
    assert_int_equal(ks_policy_param(p, "DIBAO", "gradual_exit_months", 0), 6);
    assert_int_equal(ks_policy_param(p, "TEKUN", "tekun_minor_age", 0), 18);
    assert_int_equal(ks_policy_param(p, "DIBAO", "tekun_minor_age", 77), 77);
    assert_int_equal(ks_policy_param(p, "LINSHI", "anything", -5), -5);
    assert_int_equal(ks_policy_param(p, "NOPE", "gradual_exit_months", 3), 3);
    assert_int_equal(ks_policy_param(p, "DIBAO", NULL, 4), 4);
    assert_int_equal(ks_policy_param(NULL, "DIBAO", "gradual_exit_months", 9), 9);
    free(p);
}

/* URBAN 62000 → 70000 in the JSON: the same household's estimate changes by 8000 a person. */
static void test_data_change_changes_estimate(void **state)
{
    (void)state;
    ks_answers_t a = fixture_answers();
    a.household_size = 2;
    a.income_fen = 40000;
    ks_estimate_t e;

    ks_api_policies_t *p = fixture_demo_policies();
    assert_int_equal(fixture_estimate(p, &a, &e, "DIBAO", NULL)->monthly_fen, 84000);
    free(p);

    fixture_figures_t f = fixture_demo();
    f.urban = 70000;
    p = fixture_policies(&f);
    assert_int_equal(fixture_estimate(p, &a, &e, "DIBAO", NULL)->monthly_fen, 100000);
    /* And the boundary moved with it: 62000 a person was gradual, now it is under. */
    a.household_size = 1;
    a.income_fen = 62000;
    assert_int_equal(fixture_estimate(p, &a, &e, "DIBAO", NULL)->fit, KS_FIT_YES);
    free(p);
}

/* Every amount the estimate shows is the data's: change them all, see them all. */
static void test_every_figure_from_data(void **state)
{
    (void)state;
    fixture_figures_t f = fixture_demo();
    f.rural = 11111;
    f.tekun = 22222;
    f.sanju = 33333;
    f.shenghuo = 44444;
    f.huli = 55555;
    f.age80 = 66666;
    ks_api_policies_t *p = fixture_policies(&f);
    ks_answers_t a = {.area = KS_AREA_RURAL,
                      .household_size = 1,
                      .income_fen = 0,
                      .age = 85,
                      .disability_grade = 1,
                      .can_work = 0};
    ks_estimate_t e;
    assert_int_equal(ks_estimate(p, &a, &e), KS_OK);
    assert_int_equal(fixture_item(&e, "DIBAO", "RURAL")->monthly_fen, 11111);
    assert_int_equal(fixture_item(&e, "TEKUN", "TEKUN")->monthly_fen, 22222);
    assert_int_equal(fixture_item(&e, "CANJI", "SHENGHUO")->monthly_fen, 44444);
    assert_int_equal(fixture_item(&e, "CANJI", "HULI")->monthly_fen, 55555);
    assert_int_equal(fixture_item(&e, "GAOLING", "AGE80")->monthly_fen, 66666);
    a.age = 5;
    assert_int_equal(ks_estimate(p, &a, &e), KS_OK);
    assert_int_equal(fixture_item(&e, "GUER", "SANJU")->monthly_fen, 33333);
    free(p);
}

/* ks_policy_parse takes a length: bytes past it are never read. */
static void test_parse_respects_length(void **state)
{
    (void)state;
    fixture_figures_t f = fixture_demo();
    char *json = malloc(FIXTURE_JSON_MAX);
    assert_non_null(json);
    fixture_json(&f, json, FIXTURE_JSON_MAX);
    size_t len = strlen(json);
    char *exact = malloc(len);
    assert_non_null(exact);
    memcpy(exact, json, len); /* no NUL */
    ks_api_policies_t *p = malloc(sizeof *p);
    assert_non_null(p);
    char err[256];
    assert_int_equal(ks_policy_parse(exact, len, p, err, sizeof err), KS_OK);
    assert_int_equal(ks_policy_parse(exact, len - 1, p, err, sizeof err), KS_E_PARSE);
    assert_int_equal(ks_policy_parse(NULL, 0, p, err, sizeof err), KS_E_INVAL);
    free(p);
    free(exact);
    free(json);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_find),
        cmocka_unit_test(test_amount),
        cmocka_unit_test(test_param),
        cmocka_unit_test(test_data_change_changes_estimate),
        cmocka_unit_test(test_every_figure_from_data),
        cmocka_unit_test(test_parse_respects_length),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
