/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Legal marriage age (Civil Code art. 1047: men 22, women 20) on the
 * appointment date: the day before the birthday is refused, the birthday
 * itself accepted; a 29 February birth turns a year older on 1 March in a
 * common year; completed years by ks_age_on.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "marriage_fixture.h"

typedef struct {
    int birth;
    ks_sex_t sex;
    int appointment;
    int ok;       /* expected ks_marriage_age_ok */
    int age_date; /* expected ks_marriage_age_date */
} age_case_t;

static const age_case_t CASES[] = {
    /* A woman turns 20 on 2026-03-10. */
    {20060310, KS_SEX_FEMALE, 20260309, 0, 20260310},
    {20060310, KS_SEX_FEMALE, 20260310, 1, 20260310},
    {20060310, KS_SEX_FEMALE, 20260311, 1, 20260310},
    /* A man turns 22 on 2026-03-10; at 20 he is still refused. */
    {20040310, KS_SEX_MALE, 20260309, 0, 20260310},
    {20040310, KS_SEX_MALE, 20260310, 1, 20260310},
    {20060310, KS_SEX_MALE, 20260310, 0, 20280310},
    /* Across a year end: born 31 Dec, of age on 31 Dec, not on 30 Dec. */
    {20061231, KS_SEX_FEMALE, 20261230, 0, 20261231},
    {20061231, KS_SEX_FEMALE, 20261231, 1, 20261231},
    {20040101, KS_SEX_MALE, 20251231, 0, 20260101},
    {20040101, KS_SEX_MALE, 20260101, 1, 20260101},
    /* 29 February: the 22nd birthday of a man born 2004-02-29 falls in 2026, a
     * common year, so he turns 22 on 1 March; 28 February is still too early. */
    {20040229, KS_SEX_MALE, 20260228, 0, 20260301},
    {20040229, KS_SEX_MALE, 20260301, 1, 20260301},
    /* A woman born 2008-02-29 turns 20 on 2028-02-29 (a leap year). */
    {20080229, KS_SEX_FEMALE, 20280228, 0, 20280229},
    {20080229, KS_SEX_FEMALE, 20280229, 1, 20280229},
    /* A woman born 2004-02-29 turned 20 on 2024-02-29. */
    {20040229, KS_SEX_FEMALE, 20240228, 0, 20240229},
    {20040229, KS_SEX_FEMALE, 20240229, 1, 20240229},
    /* Long past the age. */
    {19550601, KS_SEX_FEMALE, 20260310, 1, 19750601},
};

static void test_age_boundaries(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof CASES / sizeof CASES[0]; i++) {
        const age_case_t *c = &CASES[i];
        int from = -1;
        int ok = ks_marriage_age_ok(c->birth, c->sex, c->appointment, &from);
        if (ok != c->ok || from != c->age_date)
            fail_msg("case %zu: born %d sex %d on %d: ok %d from %d, want %d from %d", i, c->birth,
                     (int)c->sex, c->appointment, ok, from, c->ok, c->age_date);
        assert_int_equal(ks_marriage_age_date(c->birth, c->sex), c->age_date);
    }
}

static void test_age_on_completed_years(void **state)
{
    (void)state;
    assert_int_equal(ks_age_on(20000229, 20000229), 0);
    assert_int_equal(ks_age_on(20000229, 20010228), 0);
    assert_int_equal(ks_age_on(20000229, 20010301), 1);
    assert_int_equal(ks_age_on(20000229, 20040228), 3);
    assert_int_equal(ks_age_on(20000229, 20040229), 4);
    assert_int_equal(ks_age_on(19900501, 20260430), 35);
    assert_int_equal(ks_age_on(19900501, 20260501), 36);
    assert_int_equal(ks_age_on(19001231, 20000101), 99);
}

static void test_age_invalid(void **state)
{
    (void)state;
    int from = 7;
    assert_int_equal(ks_marriage_age_ok(20000101, KS_SEX_UNKNOWN, 20260101, &from), KS_E_INVAL);
    assert_int_equal(from, 0);
    assert_int_equal(ks_marriage_age_ok(20000230, KS_SEX_MALE, 20260101, NULL), KS_E_INVAL);
    assert_int_equal(ks_marriage_age_ok(20000101, KS_SEX_MALE, 20261301, NULL), KS_E_INVAL);
    assert_int_equal(ks_marriage_age_ok(20000101, (ks_sex_t)7, 20260101, NULL), KS_E_INVAL);
    assert_int_equal(ks_marriage_age_date(0, KS_SEX_FEMALE), 0);
    assert_int_equal(ks_age_on(20260102, 20260101), KS_E_INVAL); /* before birth */
    assert_int_equal(ks_age_on(18991231, 20260101), KS_E_INVAL);
    assert_int_equal(ks_age_on(20260101, 0), KS_E_INVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_age_boundaries),
        cmocka_unit_test(test_age_on_completed_years),
        cmocka_unit_test(test_age_invalid),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
