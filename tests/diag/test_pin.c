/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The staff PIN: Argon2id hashes only, five wrong PINs lock entry for five minutes. */
#include "error.h"
#include "pin.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

static char hash[KS_PIN_HASH_MAX];

static int setup(void **state)
{
    (void)state;
    /* The lightest limits keep the test quick; verification reads them from the hash. */
    if (sodium_init() < 0)
        return -1;
    return crypto_pwhash_str(hash, "246810", 6, crypto_pwhash_OPSLIMIT_MIN,
                             crypto_pwhash_MEMLIMIT_MIN);
}

static void test_right_and_wrong(void **state)
{
    (void)state;
    ks_pin_guard_t g = {0};
    int64_t retry = -1;
    assert_int_equal(ks_pin_check(&g, hash, "246810", 1000, &retry), KS_PIN_OK);
    assert_int_equal(retry, 0);
    assert_int_equal(ks_pin_check(&g, hash, "246811", 2000, &retry), KS_PIN_WRONG);
    assert_int_equal(g.failures, 1);
    /* A right PIN clears the count. */
    assert_int_equal(ks_pin_check(&g, hash, "246810", 3000, NULL), KS_PIN_OK);
    assert_int_equal(g.failures, 0);
}

static void test_malformed_not_counted(void **state)
{
    (void)state;
    ks_pin_guard_t g = {0};
    assert_int_equal(ks_pin_check(&g, hash, "123", 0, NULL), KS_PIN_MALFORMED);
    assert_int_equal(ks_pin_check(&g, hash, "1234567890123", 0, NULL), KS_PIN_MALFORMED);
    assert_int_equal(ks_pin_check(&g, hash, "12a4", 0, NULL), KS_PIN_MALFORMED);
    assert_int_equal(ks_pin_check(&g, hash, NULL, 0, NULL), KS_PIN_MALFORMED);
    assert_int_equal(g.failures, 0);
}

static void test_five_wrong_lock_five_minutes(void **state)
{
    (void)state;
    ks_pin_guard_t g = {0};
    int64_t t = 10000, retry = 0;
    for (int i = 0; i < KS_PIN_MAX_FAILURES - 1; i++)
        assert_int_equal(ks_pin_check(&g, hash, "000000", t++, NULL), KS_PIN_WRONG);
    assert_int_equal(ks_pin_check(&g, hash, "000000", t, &retry), KS_PIN_LOCKED);
    assert_int_equal(retry, KS_PIN_LOCK_MS);
    /* Locked: even the right PIN is not checked. */
    assert_int_equal(ks_pin_check(&g, hash, "246810", t + 60000, &retry), KS_PIN_LOCKED);
    assert_int_equal(retry, KS_PIN_LOCK_MS - 60000);
    assert_int_equal(ks_pin_check(&g, hash, "246810", t + KS_PIN_LOCK_MS - 1, &retry),
                     KS_PIN_LOCKED);
    assert_int_equal(retry, 1);
    /* Five minutes on: open again, with a fresh count. */
    assert_int_equal(ks_pin_check(&g, hash, "000000", t + KS_PIN_LOCK_MS, NULL), KS_PIN_WRONG);
    assert_int_equal(g.failures, 1);
    assert_int_equal(ks_pin_check(&g, hash, "246810", t + KS_PIN_LOCK_MS + 1, NULL), KS_PIN_OK);
}

static void test_no_usable_hash_closes_entry(void **state)
{
    (void)state;
    ks_pin_guard_t g = {0};
    assert_int_equal(ks_pin_check(&g, "", "246810", 0, NULL), KS_PIN_NO_HASH);
    assert_int_equal(ks_pin_check(&g, NULL, "246810", 0, NULL), KS_PIN_NO_HASH);
    /* A PIN in the clear is not a hash. */
    assert_int_equal(ks_pin_check(&g, "246810", "246810", 0, NULL), KS_PIN_NO_HASH);
    assert_int_equal(ks_pin_check(&g, "$argon2id$v=19$garbage", "246810", 0, NULL), KS_PIN_WRONG);
}

static void test_hash_for_the_config(void **state)
{
    (void)state;
    char h[KS_PIN_HASH_MAX];
    assert_int_equal(ks_pin_hash("1357", h, sizeof h), KS_OK);
    assert_true(ks_pin_hash_usable(h));
    assert_null(strstr(h, "1357"));
    ks_pin_guard_t g = {0};
    assert_int_equal(ks_pin_check(&g, h, "1357", 0, NULL), KS_PIN_OK);
    assert_int_equal(ks_pin_hash("13", h, sizeof h), KS_E_INVAL);
    assert_int_equal(ks_pin_hash("1357", h, 16), KS_E_INVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_right_and_wrong),
        cmocka_unit_test(test_malformed_not_counted),
        cmocka_unit_test(test_five_wrong_lock_five_minutes),
        cmocka_unit_test(test_no_usable_hash_closes_entry),
        cmocka_unit_test(test_hash_for_the_config),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
