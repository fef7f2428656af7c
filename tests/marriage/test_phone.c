/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Each party's mobile number: ks_api_phone_valid (11 digits, 1[3-9]…) is the
 * rule, shared with the request builder; ks_mask_phone (app/core/log.h) is the
 * display and log form 138****8000; the flow refuses a bad number with
 * BAD_PHONE and stays at the step, and takes one number per party in order.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "log.h"
#include "marriage_fixture.h"

static const char *const GOOD[] = {"13800138000", "19912345678", "15000000000", "17700001111"};
static const char *const BAD[] = {
    "",
    "1380013800",
    "138001380001",
    "12800138000",
    "10800138000",
    "23800138000",
    "1380013800a",
    "138 0013 8000",
    "+8613800138000",
    "138-0013-800",
    "１３８００１３８０００",
};

static void test_valid_numbers(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof GOOD / sizeof GOOD[0]; i++)
        assert_true(ks_api_phone_valid(GOOD[i]));
    for (size_t i = 0; i < sizeof BAD / sizeof BAD[0]; i++)
        if (ks_api_phone_valid(BAD[i]))
            fail_msg("\"%s\" accepted", BAD[i]);
    assert_false(ks_api_phone_valid(NULL));
}

static void test_masking(void **state)
{
    (void)state;
    char out[16];
    assert_int_equal(ks_mask_phone("13800138000", out, sizeof out), KS_OK);
    assert_string_equal(out, "138****8000");
    assert_int_equal(ks_mask_phone("15912345678", out, sizeof out), KS_OK);
    assert_string_equal(out, "159****5678");
    assert_int_equal(ks_mask_phone("12345", out, sizeof out), KS_OK);
    assert_string_equal(out, "***");
    assert_int_equal(ks_mask_phone(NULL, out, sizeof out), KS_OK);
    assert_string_equal(out, "***");
    assert_true(ks_mask_phone("13800138000", out, 11) < 0); /* no room for the NUL */
}

static void test_flow_phones(void **state)
{
    (void)state;
    ks_booking_flow_t f;
    fx_flow_to(&f, KS_MARRIAGE, KS_STEP_PHONE_A, NULL);
    /* Party B's number before party A's: wrong step. */
    assert_int_equal(ks_booking_flow_set_phone(&f, 1, FX_PHONE_B), KS_E_STATE);
    for (size_t i = 0; i < sizeof BAD / sizeof BAD[0]; i++) {
        assert_int_equal(ks_booking_flow_set_phone(&f, 0, BAD[i]), KS_E_RANGE);
        assert_int_equal(f.why, KS_MARRIAGE_WHY_BAD_PHONE);
        assert_int_equal(f.step, KS_STEP_PHONE_A);
        assert_string_equal(f.party[0].phone, "");
    }
    assert_int_equal(ks_booking_flow_set_phone(&f, 0, NULL), KS_E_RANGE);
    assert_int_equal(ks_booking_flow_set_phone(&f, 2, FX_PHONE_A), KS_E_INVAL);
    assert_int_equal(ks_booking_flow_set_phone(&f, 0, FX_PHONE_A), KS_OK);
    assert_int_equal(f.why, KS_MARRIAGE_WHY_OK);
    assert_int_equal(f.step, KS_STEP_PHONE_B);
    assert_string_equal(f.party[0].phone, FX_PHONE_A);
    assert_int_equal(ks_booking_flow_set_phone(&f, 0, FX_PHONE_A), KS_E_STATE);
    /* The same number for both is allowed (a shared phone). */
    assert_int_equal(ks_booking_flow_set_phone(&f, 1, FX_PHONE_A), KS_OK);
    assert_int_equal(f.step, KS_STEP_REVIEW);
    /* Review shows them masked. */
    char shown[16];
    assert_int_equal(ks_mask_phone(f.party[1].phone, shown, sizeof shown), KS_OK);
    assert_string_equal(shown, "138****8000");
    ks_booking_flow_wipe(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_numbers),
        cmocka_unit_test(test_masking),
        cmocka_unit_test(test_flow_phones),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
