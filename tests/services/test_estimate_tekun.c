/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * 特困 (extreme-poverty support): no work ability, no income, and aged 60+,
 * disability grade 1–2, or younger than tekun_minor_age (from the data: 16 and
 * 17 are minors at 18, 18 is not). Always "may apply" with the TEKUN amount.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "policy_fixture.h"

typedef struct {
    int age, grade, can_work;
    long long income_fen;
    ks_fit_t fit;
    const char *why;
} tekun_case_t;

static const tekun_case_t CASES[] = {
    {0, 0, 0, 0, KS_FIT_MAYBE, "estimate.tekun_maybe"},
    {16, 0, 0, 0, KS_FIT_MAYBE, "estimate.tekun_maybe"},
    {17, 0, 0, 0, KS_FIT_MAYBE, "estimate.tekun_maybe"},
    {18, 0, 0, 0, KS_FIT_NO, "estimate.tekun_group"}, /* 18: no longer a minor */
    {40, 0, 0, 0, KS_FIT_NO, "estimate.tekun_group"},
    {59, 0, 0, 0, KS_FIT_NO, "estimate.tekun_group"},
    {60, 0, 0, 0, KS_FIT_MAYBE, "estimate.tekun_maybe"},
    {95, 0, 0, 0, KS_FIT_MAYBE, "estimate.tekun_maybe"},
    {40, 1, 0, 0, KS_FIT_MAYBE, "estimate.tekun_maybe"},
    {40, 2, 0, 0, KS_FIT_MAYBE, "estimate.tekun_maybe"},
    {40, 3, 0, 0, KS_FIT_NO, "estimate.tekun_group"},
    {40, 4, 0, 0, KS_FIT_NO, "estimate.tekun_group"},
    {18, 2, 0, 0, KS_FIT_MAYBE, "estimate.tekun_maybe"},
    /* Work ability or any income rules it out, whatever the group. */
    {70, 0, 1, 0, KS_FIT_NO, "estimate.tekun_can_work"},
    {16, 1, 1, 0, KS_FIT_NO, "estimate.tekun_can_work"},
    {70, 0, 0, 1, KS_FIT_NO, "estimate.tekun_income"},
    {17, 1, 0, 50000, KS_FIT_NO, "estimate.tekun_income"},
};

static void test_tekun_table(void **state)
{
    (void)state;
    ks_api_policies_t *p = fixture_demo_policies();
    for (size_t i = 0; i < sizeof CASES / sizeof CASES[0]; i++) {
        const tekun_case_t *c = &CASES[i];
        ks_answers_t a = fixture_answers();
        a.age = c->age;
        a.disability_grade = c->grade;
        a.can_work = c->can_work;
        a.income_fen = c->income_fen;
        ks_estimate_t e;
        const ks_estimate_item_t *it = fixture_estimate(p, &a, &e, "TEKUN", NULL);
        if (it->fit != c->fit || strcmp(it->why, c->why) != 0)
            fail_msg("case %zu (age %d grade %d work %d income %lld): %d %s, expected %d %s", i,
                     c->age, c->grade, c->can_work, c->income_fen, it->fit, it->why, c->fit,
                     c->why);
        if (c->fit == KS_FIT_MAYBE) {
            assert_string_equal(it->key, "TEKUN");
            assert_int_equal(it->monthly_fen, 80600);
        } else {
            assert_string_equal(it->key, "");
            assert_int_equal(it->monthly_fen, 0);
        }
    }
    free(p);
}

/* The minor age is the data's tekun_minor_age, not 18 in code. */
static void test_minor_age_from_data(void **state)
{
    (void)state;
    static const struct {
        long long minor_age;
        int age;
        ks_fit_t fit;
    } cases[] = {
        {16, 15, KS_FIT_MAYBE}, {16, 16, KS_FIT_NO}, {16, 17, KS_FIT_NO},
        {18, 17, KS_FIT_MAYBE}, {18, 18, KS_FIT_NO}, {20, 18, KS_FIT_MAYBE},
        {20, 19, KS_FIT_MAYBE}, {20, 20, KS_FIT_NO},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        fixture_figures_t f = fixture_demo();
        f.minor_age = cases[i].minor_age;
        ks_api_policies_t *p = fixture_policies(&f);
        ks_answers_t a = fixture_answers();
        a.age = cases[i].age;
        a.can_work = 0;
        a.income_fen = 0;
        ks_estimate_t e;
        const ks_estimate_item_t *it = fixture_estimate(p, &a, &e, "TEKUN", NULL);
        if (it->fit != cases[i].fit)
            fail_msg("minor age %lld, age %d: fit %d, expected %d", cases[i].minor_age,
                     cases[i].age, it->fit, cases[i].fit);
        free(p);
    }
}

/* The amount is the data's TEKUN figure. */
static void test_amount_from_data(void **state)
{
    (void)state;
    fixture_figures_t f = fixture_demo();
    f.tekun = 99900;
    ks_api_policies_t *p = fixture_policies(&f);
    ks_answers_t a = fixture_answers();
    a.age = 75;
    a.can_work = 0;
    a.income_fen = 0;
    ks_estimate_t e;
    assert_int_equal(fixture_estimate(p, &a, &e, "TEKUN", "TEKUN")->monthly_fen, 99900);
    free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tekun_table),
        cmocka_unit_test(test_minor_age_from_data),
        cmocka_unit_test(test_amount_from_data),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
