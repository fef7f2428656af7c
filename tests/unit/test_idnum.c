/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "error.h"
#include "idnum.h"

/*
 * An independent check-character computation (ISO 7064 MOD 11-2: the weight of
 * digit i is 2^(17-i) mod 11), so the tests do not trust the code under test to
 * build their own valid inputs.
 */
static char reference_check_char(const char *first17)
{
    int sum = 0, weight = 1;
    for (int i = 16; i >= 0; i--) {
        weight = weight * 2 % 11;
        sum += (first17[i] - '0') * weight;
    }
    int v = (12 - sum % 11) % 11;
    return v == 10 ? 'X' : (char)('0' + v);
}

/* Builds a valid 18-character number from 17 digits into out[19]. */
static void make_id(const char *first17, char *out)
{
    memcpy(out, first17, 17);
    out[17] = reference_check_char(first17);
    out[18] = '\0';
}

static void test_canonical_example(void **state)
{
    (void)state;
    ks_idnum_info_t info = {0, 0, 0, KS_SEX_UNKNOWN};
    assert_int_equal(ks_idnum_validate("11010519491231002X", 0, &info), KS_IDNUM_OK);
    assert_int_equal(info.year, 1949);
    assert_int_equal(info.month, 12);
    assert_int_equal(info.day, 31);
    assert_int_equal(info.sex, KS_SEX_FEMALE);
    assert_int_equal(ks_idnum_check_char("11010519491231002"), 'X');
    assert_int_equal(reference_check_char("11010519491231002"), 'X');
}

static void test_known_valid_numbers(void **state)
{
    (void)state;
    /* Check characters worked out by hand from the GB 11643 table. */
    static const char *const valid[] = {
        "500381199001011232", "500381199001011240", "500381199001051234", "440304200002290014",
        "310101190001010038", "110105194912310011", "110105194912310038",
    };
    for (size_t i = 0; i < sizeof valid / sizeof valid[0]; i++) {
        assert_int_equal(ks_idnum_validate(valid[i], 20250101, NULL), KS_IDNUM_OK);
        assert_int_equal(ks_idnum_check_char(valid[i]), valid[i][17]);
        assert_int_equal(reference_check_char(valid[i]), valid[i][17]);
    }
}

static void test_check_char_agrees_with_reference(void **state)
{
    (void)state;
    /* Walk the sequence digits so every check value 0..10 occurs. */
    char first17[18] = "5003811990010100";
    for (int seq = 0; seq < 100; seq++) {
        first17[14] = (char)('0' + seq / 10);
        first17[15] = (char)('0' + seq % 10);
        first17[16] = '7';
        first17[17] = '\0';
        assert_int_equal(ks_idnum_check_char(first17), reference_check_char(first17));
    }
}

static void test_lower_case_x_accepted(void **state)
{
    (void)state;
    assert_int_equal(ks_idnum_validate("11010519491231002x", 0, NULL), KS_IDNUM_OK);
}

static void test_every_wrong_check_char_rejected(void **state)
{
    (void)state;
    static const char *const bases[] = {"11010519491231002", "50038119900101123",
                                        "44030420000229001"};
    static const char candidates[] = "0123456789Xx";
    for (size_t b = 0; b < sizeof bases / sizeof bases[0]; b++) {
        char id[19];
        make_id(bases[b], id);
        char good = id[17];
        for (size_t i = 0; i < sizeof candidates - 1; i++) {
            char c = candidates[i];
            id[17] = c;
            int same = c == good || (c == 'x' && good == 'X');
            assert_int_equal(ks_idnum_validate(id, 0, NULL),
                             same ? KS_IDNUM_OK : KS_IDNUM_BAD_CHECKSUM);
        }
    }
}

static void test_single_digit_change_never_valid(void **state)
{
    (void)state;
    char id[19];
    make_id("50038119900101123", id);
    for (int pos = 0; pos < 17; pos++) {
        char orig = id[pos];
        for (char d = '0'; d <= '9'; d++) {
            if (d == orig)
                continue;
            id[pos] = d;
            ks_idnum_status_t st = ks_idnum_validate(id, 0, NULL);
            assert_true(st == KS_IDNUM_BAD_CHECKSUM || st == KS_IDNUM_BAD_DATE);
        }
        id[pos] = orig;
    }
    assert_int_equal(ks_idnum_validate(id, 0, NULL), KS_IDNUM_OK);
}

static void test_bad_length(void **state)
{
    (void)state;
    assert_int_equal(ks_idnum_validate(NULL, 0, NULL), KS_IDNUM_BAD_LENGTH);
    assert_int_equal(ks_idnum_validate("", 0, NULL), KS_IDNUM_BAD_LENGTH);
    assert_int_equal(ks_idnum_validate("11010519491231002", 0, NULL), KS_IDNUM_BAD_LENGTH);
    assert_int_equal(ks_idnum_validate("11010519491231002X0", 0, NULL), KS_IDNUM_BAD_LENGTH);
    /* An old 15-digit number is not accepted. */
    assert_int_equal(ks_idnum_validate("110105491231002", 0, NULL), KS_IDNUM_BAD_LENGTH);
}

static void test_bad_characters(void **state)
{
    (void)state;
    assert_int_equal(ks_idnum_validate("A1010519491231002X", 0, NULL), KS_IDNUM_BAD_CHAR);
    assert_int_equal(ks_idnum_validate("1101051949123100XX", 0, NULL), KS_IDNUM_BAD_CHAR);
    assert_int_equal(ks_idnum_validate("110105 9491231002X", 0, NULL), KS_IDNUM_BAD_CHAR);
    assert_int_equal(ks_idnum_validate("11010519491231002Y", 0, NULL), KS_IDNUM_BAD_CHAR);
    assert_int_equal(ks_idnum_validate("11010519491231002-", 0, NULL), KS_IDNUM_BAD_CHAR);
    /* 18 bytes, but a full-width digit (3 bytes) inside. */
    assert_int_equal(ks_idnum_validate("110105194912310\xEF\xBC\x91", 0, NULL), KS_IDNUM_BAD_CHAR);
}

static ks_idnum_status_t validate_date(const char *yyyymmdd, int today)
{
    char first17[18], id[19];
    memcpy(first17, "500381", 6);
    memcpy(first17 + 6, yyyymmdd, 8);
    memcpy(first17 + 14, "123", 4);
    make_id(first17, id);
    return ks_idnum_validate(id, today, NULL);
}

static void test_feb_29(void **state)
{
    (void)state;
    assert_int_equal(validate_date("20000229", 0), KS_IDNUM_OK); /* divisible by 400 */
    assert_int_equal(validate_date("20040229", 0), KS_IDNUM_OK);
    assert_int_equal(validate_date("19960229", 0), KS_IDNUM_OK);
    assert_int_equal(validate_date("20010229", 0), KS_IDNUM_BAD_DATE);
    assert_int_equal(validate_date("19000229", 0), KS_IDNUM_BAD_DATE); /* century, not leap */
    assert_int_equal(validate_date("20000230", 0), KS_IDNUM_BAD_DATE);
}

static void test_impossible_dates(void **state)
{
    (void)state;
    assert_int_equal(validate_date("19901301", 0), KS_IDNUM_BAD_DATE);
    assert_int_equal(validate_date("19900001", 0), KS_IDNUM_BAD_DATE);
    assert_int_equal(validate_date("19900100", 0), KS_IDNUM_BAD_DATE);
    assert_int_equal(validate_date("19900132", 0), KS_IDNUM_BAD_DATE);
    assert_int_equal(validate_date("19900431", 0), KS_IDNUM_BAD_DATE);
    assert_int_equal(validate_date("19900430", 0), KS_IDNUM_OK);
    assert_int_equal(validate_date("19901231", 0), KS_IDNUM_OK);
    assert_int_equal(validate_date("18991231", 0), KS_IDNUM_BAD_DATE);
    assert_int_equal(validate_date("19000101", 0), KS_IDNUM_OK);
}

static void test_future_dates(void **state)
{
    (void)state;
    assert_int_equal(validate_date("20250615", 20250614), KS_IDNUM_BAD_DATE);
    assert_int_equal(validate_date("20250615", 20250615), KS_IDNUM_OK);
    assert_int_equal(validate_date("20250615", 20260101), KS_IDNUM_OK);
    assert_int_equal(validate_date("20250615", 0), KS_IDNUM_OK);
    assert_int_equal(validate_date("20240101", 20231231), KS_IDNUM_BAD_DATE);
}

static void test_sex_from_sequence_digit(void **state)
{
    (void)state;
    char id[19];
    for (char d = '0'; d <= '9'; d++) {
        char first17[18] = "5003811990010112?";
        first17[16] = d;
        make_id(first17, id);
        ks_idnum_info_t info = {0, 0, 0, KS_SEX_UNKNOWN};
        assert_int_equal(ks_idnum_validate(id, 0, &info), KS_IDNUM_OK);
        assert_int_equal(info.sex, (d - '0') % 2 ? KS_SEX_MALE : KS_SEX_FEMALE);
        assert_int_equal(info.year, 1990);
        assert_int_equal(info.month, 1);
        assert_int_equal(info.day, 1);
    }
}

static void test_check_char_rejects_bad_input(void **state)
{
    (void)state;
    assert_int_equal(ks_idnum_check_char(NULL), 0);
    assert_int_equal(ks_idnum_check_char(""), 0);
    assert_int_equal(ks_idnum_check_char("1101051949123100"), 0);
    assert_int_equal(ks_idnum_check_char("1101051949123100A"), 0);
}

static void test_status_strings(void **state)
{
    (void)state;
    const ks_idnum_status_t all[] = {KS_IDNUM_OK, KS_IDNUM_BAD_LENGTH, KS_IDNUM_BAD_CHAR,
                                     KS_IDNUM_BAD_DATE, KS_IDNUM_BAD_CHECKSUM};
    for (size_t i = 0; i < 5; i++) {
        const char *s = ks_idnum_status_str(all[i]);
        assert_non_null(s);
        assert_true(strlen(s) > 0);
        for (size_t j = 0; j < i; j++)
            assert_string_not_equal(s, ks_idnum_status_str(all[j]));
    }
    assert_non_null(ks_idnum_status_str((ks_idnum_status_t)99));
}

static void test_mask_valid(void **state)
{
    (void)state;
    char out[19];
    assert_int_equal(ks_idnum_mask("500381199001051234", out, sizeof out), KS_OK);
    assert_string_equal(out, "500381********1234");
    char big[64];
    memset(big, '#', sizeof big);
    assert_int_equal(ks_idnum_mask("11010519491231002X", big, sizeof big), KS_OK);
    assert_string_equal(big, "110105********002X");
    assert_int_equal(ks_idnum_mask("11010519491231002x", big, sizeof big), KS_OK);
    assert_string_equal(big, "110105********002X");
}

static void test_mask_does_not_need_a_valid_checksum(void **state)
{
    (void)state;
    char out[19];
    assert_int_equal(ks_idnum_mask("500381199001051235", out, sizeof out), KS_OK);
    assert_string_equal(out, "500381********1235");
}

static void test_mask_short_buffer(void **state)
{
    (void)state;
    char out[18];
    memset(out, '#', sizeof out);
    assert_int_equal(ks_idnum_mask("500381199001051234", out, sizeof out), KS_E_TOOBIG);
    assert_int_equal(out[0], '\0');
    assert_int_equal(out[1], '#'); /* nothing written past what was allowed */
    assert_int_equal(ks_idnum_mask("123", out, sizeof out), KS_E_TOOBIG);
    assert_int_equal(ks_idnum_mask("500381199001051234", NULL, 0), KS_E_TOOBIG);
}

static void test_mask_not_18(void **state)
{
    (void)state;
    char out[19];
    static const char *const inputs[] = {
        "", "12345", "50038119900105123", "5003811990010512345", "110105491231002",
    };
    for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
        memset(out, '#', sizeof out);
        assert_int_equal(ks_idnum_mask(inputs[i], out, sizeof out), KS_OK);
        assert_string_equal(out, "******");
    }
    assert_int_equal(ks_idnum_mask(NULL, out, sizeof out), KS_OK);
    assert_string_equal(out, "******");
}

static void test_mask_18_bytes_not_an_id(void **state)
{
    (void)state;
    char out[19];
    /* 18 bytes of UTF-8 text: must not leak part of it or cut a code point. */
    assert_int_equal(ks_idnum_mask("\u5f20\u4e09\u674e\u56dbXYZxyz", out, sizeof out), KS_OK);
    assert_string_equal(out, "******");
    assert_int_equal(ks_idnum_mask("50038119900105123Y", out, sizeof out), KS_OK);
    assert_string_equal(out, "******");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_canonical_example),
        cmocka_unit_test(test_known_valid_numbers),
        cmocka_unit_test(test_check_char_agrees_with_reference),
        cmocka_unit_test(test_lower_case_x_accepted),
        cmocka_unit_test(test_every_wrong_check_char_rejected),
        cmocka_unit_test(test_single_digit_change_never_valid),
        cmocka_unit_test(test_bad_length),
        cmocka_unit_test(test_bad_characters),
        cmocka_unit_test(test_feb_29),
        cmocka_unit_test(test_impossible_dates),
        cmocka_unit_test(test_future_dates),
        cmocka_unit_test(test_sex_from_sequence_digit),
        cmocka_unit_test(test_check_char_rejects_bad_input),
        cmocka_unit_test(test_status_strings),
        cmocka_unit_test(test_mask_valid),
        cmocka_unit_test(test_mask_does_not_need_a_valid_checksum),
        cmocka_unit_test(test_mask_short_buffer),
        cmocka_unit_test(test_mask_not_18),
        cmocka_unit_test(test_mask_18_bytes_not_an_id),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
