/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The wizard's answers (ks_answers_validate): each out-of-range answer is
 * refused with KS_E_RANGE naming it, and ks_estimate then estimates nothing.
 * Zero income is a valid answer (特困 needs it); negative income is not.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "policy_fixture.h"

typedef enum { F_AREA, F_SIZE, F_INCOME, F_AGE, F_GRADE, F_WORK } field_t;

typedef struct {
    field_t field;
    long long value;
    const char *name; /* expected at the start of err */
} bad_case_t;

static const bad_case_t BAD[] = {
    {F_AREA, -1, "area"},
    {F_AREA, 2, "area"},
    {F_SIZE, 0, "household_size"},
    {F_SIZE, -3, "household_size"},
    {F_SIZE, 21, "household_size"},
    {F_INCOME, -1, "income_fen"},
    {F_INCOME, -100000, "income_fen"},
    {F_INCOME, 1000000001LL, "income_fen"},
    {F_AGE, -1, "age"},
    {F_AGE, 131, "age"},
    {F_GRADE, -1, "disability_grade"},
    {F_GRADE, 5, "disability_grade"},
    {F_WORK, -1, "can_work"},
    {F_WORK, 2, "can_work"},
};

static void set(ks_answers_t *a, field_t f, long long v)
{
    switch (f) {
    case F_AREA:
        a->area = (ks_area_t)v;
        break;
    case F_SIZE:
        a->household_size = (int)v;
        break;
    case F_INCOME:
        a->income_fen = v;
        break;
    case F_AGE:
        a->age = (int)v;
        break;
    case F_GRADE:
        a->disability_grade = (int)v;
        break;
    case F_WORK:
        a->can_work = (int)v;
        break;
    }
}

static void test_invalid_answers(void **state)
{
    (void)state;
    ks_api_policies_t *p = fixture_demo_policies();
    for (size_t i = 0; i < sizeof BAD / sizeof BAD[0]; i++) {
        ks_answers_t a = fixture_answers();
        set(&a, BAD[i].field, BAD[i].value);
        char err[128] = "untouched";
        int rc = ks_answers_validate(&a, err, sizeof err);
        if (rc != KS_E_RANGE || strncmp(err, BAD[i].name, strlen(BAD[i].name)) != 0 ||
            err[strlen(BAD[i].name)] != ':')
            fail_msg("case %zu (%s = %lld): rc %d, err \"%s\"", i, BAD[i].name, BAD[i].value, rc,
                     err);
        ks_estimate_t e;
        e.n = 99;
        assert_int_equal(ks_estimate(p, &a, &e), KS_E_RANGE);
        assert_int_equal(e.n, 0);
    }
    free(p);
}

/* The edges of every range are valid, zero income included. */
static void test_valid_edges(void **state)
{
    (void)state;
    static const struct {
        field_t field;
        long long value;
    } ok[] = {
        {F_AREA, KS_AREA_URBAN},
        {F_AREA, KS_AREA_RURAL},
        {F_SIZE, 1},
        {F_SIZE, 20},
        {F_INCOME, 0},
        {F_INCOME, 1000000000LL},
        {F_AGE, 0},
        {F_AGE, 130},
        {F_GRADE, 0},
        {F_GRADE, 4},
        {F_WORK, 0},
        {F_WORK, 1},
    };
    ks_api_policies_t *p = fixture_demo_policies();
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        ks_answers_t a = fixture_answers();
        set(&a, ok[i].field, ok[i].value);
        char err[128];
        if (ks_answers_validate(&a, err, sizeof err) != KS_OK)
            fail_msg("case %zu refused: %s", i, err);
        assert_string_equal(err, "");
        ks_estimate_t e;
        assert_int_equal(ks_estimate(p, &a, &e), KS_OK);
        assert_true(e.n > 0);
    }
    free(p);
}

static void test_null_and_small_err(void **state)
{
    (void)state;
    assert_int_equal(ks_answers_validate(NULL, NULL, 0), KS_E_INVAL);
    ks_answers_t a = fixture_answers();
    a.age = 200;
    assert_int_equal(ks_answers_validate(&a, NULL, 0), KS_E_RANGE);
    char tiny[4];
    assert_int_equal(ks_answers_validate(&a, tiny, sizeof tiny), KS_E_RANGE);
    assert_string_equal(tiny, "age");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_invalid_answers),
        cmocka_unit_test(test_valid_edges),
        cmocka_unit_test(test_null_and_small_err),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
