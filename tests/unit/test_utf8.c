/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "utf8.h"

#define REPL 0xFFFDu

/* Decodes the whole of s (strlen) and checks the consumed length and code point. */
static void expect_decode(const char *s, size_t want_n, uint32_t want_cp)
{
    uint32_t cp = 0xDEADBEEFu;
    size_t n = ks_utf8_decode(s, strlen(s), &cp);
    assert_int_equal(n, want_n);
    assert_int_equal(cp, want_cp);
}

static void test_decode_one_to_four_bytes(void **state)
{
    (void)state;
    expect_decode("A", 1, 0x41);
    expect_decode("\x7F", 1, 0x7F);
    expect_decode("\xC2\x80", 2, 0x80);
    expect_decode("\xC3\xA9", 2, 0xE9); /* é */
    expect_decode("\xDF\xBF", 2, 0x7FF);
    expect_decode("\xE0\xA0\x80", 3, 0x800);
    expect_decode("\xE4\xB8\xAD", 3, 0x4E2D); /* 中 */
    expect_decode("\xEF\xBC\x8C", 3, 0xFF0C); /* ， */
    expect_decode("\xEF\xBF\xBD", 3, 0xFFFD); /* a real U+FFFD is 3 bytes */
    expect_decode("\xF0\x90\x80\x80", 4, 0x10000);
    expect_decode("\xF0\x9F\x98\x80", 4, 0x1F600); /* emoji */
    expect_decode("\xF0\xA0\x80\x80", 4, 0x20000); /* CJK Extension B */
    expect_decode("\xF4\x8F\xBF\xBF", 4, 0x10FFFF);
}

static void test_decode_reads_only_the_first_code_point(void **state)
{
    (void)state;
    expect_decode("\xE4\xB8\xAD\xE6\x96\x87", 3, 0x4E2D);
    expect_decode("ab", 1, 'a');
}

static void test_decode_empty(void **state)
{
    (void)state;
    uint32_t cp = 42;
    assert_int_equal(ks_utf8_decode("abc", 0, &cp), 0);
    assert_int_equal(ks_utf8_decode("", 0, &cp), 0);
}

static void test_decode_nul_byte(void **state)
{
    (void)state;
    uint32_t cp = 42;
    assert_int_equal(ks_utf8_decode("", 1, &cp), 1);
    assert_int_equal(cp, 0);
}

static void test_decode_malformed(void **state)
{
    (void)state;
    expect_decode("\x80", 1, REPL); /* lone continuation byte */
    expect_decode("\xBF\x80", 1, REPL);
    expect_decode("\xC0\x80", 1, REPL);     /* overlong NUL */
    expect_decode("\xC1\xBF", 1, REPL);     /* overlong 0x7F */
    expect_decode("\xE0\x80\x80", 1, REPL); /* overlong 3-byte */
    expect_decode("\xE0\x9F\xBF", 1, REPL);
    expect_decode("\xF0\x80\x80\x80", 1, REPL); /* overlong 4-byte */
    expect_decode("\xF0\x8F\xBF\xBF", 1, REPL);
    expect_decode("\xED\xA0\x80", 1, REPL); /* UTF-16 surrogate */
    expect_decode("\xED\xBF\xBF", 1, REPL);
    expect_decode("\xF4\x90\x80\x80", 1, REPL); /* beyond U+10FFFF */
    expect_decode("\xF5\x80\x80\x80", 1, REPL);
    expect_decode("\xFE", 1, REPL);
    expect_decode("\xFF", 1, REPL);
    expect_decode("\xE4\x41\x42", 1, REPL); /* lead byte followed by ASCII */
    expect_decode("\xC3\xC3\xA9", 1, REPL); /* lead byte followed by a lead byte */
    expect_decode("\xF0\x9F\x98\x41", 1, REPL);
}

static void test_decode_truncated(void **state)
{
    (void)state;
    uint32_t cp;
    /* Truncated by the string end. */
    expect_decode("\xC3", 1, REPL);
    expect_decode("\xE4\xB8", 1, REPL);
    expect_decode("\xF0\x9F\x98", 1, REPL);
    /* Truncated by len although the bytes after it are fine. */
    assert_int_equal(ks_utf8_decode("\xE4\xB8\xAD", 2, &cp), 1);
    assert_int_equal(cp, REPL);
    assert_int_equal(ks_utf8_decode("\xF0\x9F\x98\x80", 3, &cp), 1);
    assert_int_equal(cp, REPL);
    assert_int_equal(ks_utf8_decode("\xC3\xA9", 1, &cp), 1);
    assert_int_equal(cp, REPL);
}

static void test_decode_resynchronises(void **state)
{
    (void)state;
    const char *s = "\xE4\xB8\x41\xE6\x96\x87"; /* truncated 中, "A", 文 */
    size_t len = strlen(s), pos = 0;
    uint32_t got[8];
    size_t n = 0;
    while (pos < len && n < 8) {
        size_t k = ks_utf8_decode(s + pos, len - pos, &got[n++]);
        assert_true(k >= 1);
        pos += k;
    }
    assert_int_equal(n, 4);
    assert_int_equal(got[0], REPL);
    assert_int_equal(got[1], REPL);
    assert_int_equal(got[2], 'A');
    assert_int_equal(got[3], 0x6587); /* 文 */
}

/* A reference encoder, used to round-trip every scalar value. */
static size_t encode(uint32_t cp, unsigned char *out)
{
    if (cp < 0x80) {
        out[0] = (unsigned char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (unsigned char)(0xC0 | (cp >> 6));
        out[1] = (unsigned char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (unsigned char)(0xE0 | (cp >> 12));
        out[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (unsigned char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (unsigned char)(0xF0 | (cp >> 18));
    out[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (unsigned char)(0x80 | (cp & 0x3F));
    return 4;
}

static void test_decode_round_trips_every_scalar_value(void **state)
{
    (void)state;
    for (uint32_t cp = 0; cp <= 0x10FFFF; cp++) {
        if (cp >= 0xD800 && cp <= 0xDFFF)
            continue;
        unsigned char buf[4];
        size_t n = encode(cp, buf);
        uint32_t got = 0;
        size_t k = ks_utf8_decode((const char *)buf, n, &got);
        if (k != n || got != cp)
            fail_msg("U+%04X decoded as U+%04X in %zu bytes", (unsigned)cp, (unsigned)got, k);
    }
}

static void test_length(void **state)
{
    (void)state;
    assert_int_equal(ks_utf8_length(""), 0);
    assert_int_equal(ks_utf8_length("abc"), 3);
    assert_int_equal(ks_utf8_length("abc\xE4\xB8\xAD\xE6\x96\x87"), 5); /* abc中文 */
    assert_int_equal(ks_utf8_length("\xF0\x9F\x98\x80"), 1);
    assert_int_equal(ks_utf8_length("caf\xC3\xA9"), 4);
}

static void test_length_counts_malformed_bytes(void **state)
{
    (void)state;
    assert_int_equal(ks_utf8_length("ab\xFF"), 3);
    assert_int_equal(ks_utf8_length("\xE4\xB8"), 2);      /* truncated: 2 bad bytes */
    assert_int_equal(ks_utf8_length("\xE4\xB8\x41"), 3);  /* truncated, then "A" */
    assert_int_equal(ks_utf8_length("\xC0\x80"), 2);      /* overlong */
    assert_int_equal(ks_utf8_length("x\xED\xA0\x80"), 4); /* surrogate: 3 bad bytes */
}

static void test_is_cjk(void **state)
{
    (void)state;
    static const uint32_t yes[] = {
        0x4E00,  0x4E2D,  0x9FFF, /* unified ideographs */
        0x3400,                   /* extension A */
        0x20000, 0x2A6D6,         /* extension B */
        0x3041,  0x30AB,          /* hiragana, katakana */
        0xAC00,  0xD55C,          /* hangul */
        0x3000,  0x3001,  0x3002, /* ideographic space, 、 。 */
        0xFF0C,  0xFF08,  0xFF21, /* full-width ， （ Ａ */
        0xF900,                   /* compatibility ideograph */
    };
    static const uint32_t no[] = {
        'A',    'z',    '0',    ' ',    ',',     0xE9,     0x0410, /* Latin, Cyrillic */
        0x201C, 0x201D, 0x2014, 0xFFFD, 0x1F600, 0x10FFFF, 0x0,
    };
    for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++)
        if (!ks_utf8_is_cjk(yes[i]))
            fail_msg("U+%04X should be CJK", (unsigned)yes[i]);
    for (size_t i = 0; i < sizeof no / sizeof no[0]; i++)
        if (ks_utf8_is_cjk(no[i]))
            fail_msg("U+%04X should not be CJK", (unsigned)no[i]);
}

static void test_copy_visible(void **state)
{
    (void)state;
    char out[64];
    const char *in = "\xE2\x80\x8B请插入\xE2\x80\x8B社会保障卡\xE2\x80\x8B";
    assert_int_equal(ks_utf8_copy_visible(out, in, strlen(in)), strlen("请插入社会保障卡"));
    assert_string_equal(out, "请插入社会保障卡");
    /* Other three-byte characters starting with E2 80 stay (U+2026 …). */
    assert_int_equal(ks_utf8_copy_visible(out, "a\xE2\x80\xA6", 4), 4);
    assert_string_equal(out, "a\xE2\x80\xA6");
    /* A truncated marker at the end is kept as it is. */
    assert_int_equal(ks_utf8_copy_visible(out, "b\xE2\x80", 3), 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_copy_visible),
        cmocka_unit_test(test_decode_one_to_four_bytes),
        cmocka_unit_test(test_decode_reads_only_the_first_code_point),
        cmocka_unit_test(test_decode_empty),
        cmocka_unit_test(test_decode_nul_byte),
        cmocka_unit_test(test_decode_malformed),
        cmocka_unit_test(test_decode_truncated),
        cmocka_unit_test(test_decode_resynchronises),
        cmocka_unit_test(test_decode_round_trips_every_scalar_value),
        cmocka_unit_test(test_length),
        cmocka_unit_test(test_length_counts_malformed_bytes),
        cmocka_unit_test(test_is_cjk),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
