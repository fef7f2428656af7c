/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Request signing (docs/backend-api.md): a fixed vector computed independently
 * (Python's hmac module), and the checks around the device secret file.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "error.h"
#include "sign.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char BODY[] =
    "{\"id_number\":\"110105198503151230\",\"card_kind\":\"SSC3\",\"card_number\":\"A00000001\"}";

static void secret_0_31(uint8_t s[32])
{
    for (int i = 0; i < 32; i++)
        s[i] = (uint8_t)i;
}

static void test_vector_post(void **state)
{
    (void)state;
    uint8_t secret[32];
    char sig[KS_SIGN_HEX_LEN + 1], hash[KS_SIGN_HEX_LEN + 1];
    secret_0_31(secret);
    ks_sign_body_hash(BODY, strlen(BODY), hash);
    assert_string_equal(hash, "142fd14ea7c2928a30556b0ff96652df9e8bab3378c01336a9eeaab1677b3ee5");
    assert_int_equal(ks_sign_request(secret, "POST", "/kiosk/v1/citizens/lookup", "JJ-0001",
                                     1764400000, "00112233445566778899aabbccddeeff", BODY,
                                     strlen(BODY), sig),
                     KS_OK);
    assert_string_equal(sig, "fa31d335d424106c39023477eb14aee11a9a3982dc8dcdd5a54d7194e1eb7e83");
}

static void test_vector_get_empty_body(void **state)
{
    (void)state;
    uint8_t secret[32];
    char sig[KS_SIGN_HEX_LEN + 1];
    secret_0_31(secret);
    assert_int_equal(ks_sign_request(secret, "GET", "/kiosk/v1/policies", "JJ-0001", 1764400000,
                                     "00112233445566778899aabbccddeeff", NULL, 0, sig),
                     KS_OK);
    assert_string_equal(sig, "a5d4753bdeae09fdac7b2c713f9d2e6592f3395cd8da2ebe27e7b93945b2610c");
}

static void test_every_field_is_covered(void **state)
{
    (void)state;
    uint8_t secret[32];
    char base[65], other[65];
    secret_0_31(secret);
    ks_sign_request(secret, "POST", "/kiosk/v1/x", "JJ-0001", 100, "aa", "{}", 2, base);
    ks_sign_request(secret, "GET", "/kiosk/v1/x", "JJ-0001", 100, "aa", "{}", 2, other);
    assert_string_not_equal(base, other);
    ks_sign_request(secret, "POST", "/kiosk/v1/y", "JJ-0001", 100, "aa", "{}", 2, other);
    assert_string_not_equal(base, other);
    ks_sign_request(secret, "POST", "/kiosk/v1/x", "JJ-0002", 100, "aa", "{}", 2, other);
    assert_string_not_equal(base, other);
    ks_sign_request(secret, "POST", "/kiosk/v1/x", "JJ-0001", 101, "aa", "{}", 2, other);
    assert_string_not_equal(base, other);
    ks_sign_request(secret, "POST", "/kiosk/v1/x", "JJ-0001", 100, "ab", "{}", 2, other);
    assert_string_not_equal(base, other);
    ks_sign_request(secret, "POST", "/kiosk/v1/x", "JJ-0001", 100, "aa", "[]", 2, other);
    assert_string_not_equal(base, other);
    secret[31] ^= 1;
    ks_sign_request(secret, "POST", "/kiosk/v1/x", "JJ-0001", 100, "aa", "{}", 2, other);
    assert_string_not_equal(base, other);
    /* A newline would let one field pose as two. */
    assert_int_equal(ks_sign_request(secret, "POST", "/a\nb", "JJ-0001", 1, "aa", NULL, 0, other),
                     KS_E_INVAL);
    assert_int_equal(ks_sign_request(secret, "POST", "/a", "", 1, "aa", NULL, 0, other),
                     KS_E_INVAL);
}

static void test_equal(void **state)
{
    (void)state;
    const char *a = "fa31d335d424106c39023477eb14aee11a9a3982dc8dcdd5a54d7194e1eb7e83";
    assert_true(ks_sign_equal(a, a));
    assert_false(
        ks_sign_equal(a, "fa31d335d424106c39023477eb14aee11a9a3982dc8dcdd5a54d7194e1eb7e84"));
    assert_false(ks_sign_equal(a, "fa31"));
    assert_false(ks_sign_equal(a, NULL));
}

static void test_nonce_and_uuid(void **state)
{
    (void)state;
    char n1[33], n2[33], u[37];
    assert_int_equal(ks_sign_nonce(n1), KS_OK);
    assert_int_equal(ks_sign_nonce(n2), KS_OK);
    assert_int_equal(strlen(n1), 32);
    assert_int_equal(strspn(n1, "0123456789abcdef"), 32);
    assert_string_not_equal(n1, n2);
    assert_int_equal(ks_sign_uuid4(u), KS_OK);
    assert_int_equal(strlen(u), 36);
    assert_int_equal(u[14], '4');           /* version 4 */
    assert_non_null(strchr("89ab", u[19])); /* RFC 4122 variant */
    assert_true(u[8] == '-' && u[13] == '-' && u[18] == '-' && u[23] == '-');
}

static void write_secret(const char *path, const char *text, mode_t mode)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    assert_int_equal(chmod(path, mode), 0);
}

static void test_secret_file(void **state)
{
    (void)state;
    char dir[] = "/tmp/ks-sign-XXXXXX", path[64], err[256];
    uint8_t s[32];
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/secret", dir);
    const char *hex = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

    char line[80];
    snprintf(line, sizeof line, "%s\n", hex);
    write_secret(path, line, 0600);
    assert_int_equal(ks_sign_load_secret(path, s, err, sizeof err), KS_OK);
    for (int i = 0; i < 32; i++)
        assert_int_equal(s[i], i);

    /* Readable by the group: refused, and the message says how to fix it. */
    write_secret(path, line, 0640);
    assert_int_equal(ks_sign_load_secret(path, s, err, sizeof err), KS_E_STATE);
    assert_non_null(strstr(err, "chmod 600"));
    write_secret(path, line, 0604);
    assert_int_equal(ks_sign_load_secret(path, s, err, sizeof err), KS_E_STATE);

    write_secret(path, "00010203", 0600);
    assert_int_equal(ks_sign_load_secret(path, s, err, sizeof err), KS_E_PARSE);
    snprintf(line, sizeof line, "%.63sg", hex);
    write_secret(path, line, 0600);
    assert_int_equal(ks_sign_load_secret(path, s, err, sizeof err), KS_E_PARSE);
    snprintf(line, sizeof line, "%s\n\n", hex);
    write_secret(path, line, 0600);
    assert_int_equal(ks_sign_load_secret(path, s, err, sizeof err), KS_E_PARSE);

    unlink(path);
    assert_int_equal(ks_sign_load_secret(path, s, err, sizeof err), KS_E_IO);
    rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_vector_post),
        cmocka_unit_test(test_vector_get_empty_body),
        cmocka_unit_test(test_every_field_is_covered),
        cmocka_unit_test(test_equal),
        cmocka_unit_test(test_nonce_and_uuid),
        cmocka_unit_test(test_secret_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
