/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "linebreak.h"
#include "utf8.h"

/* A fake font: ASCII is 5 px wide, every other code point 10 px. */
static int fake_measure(const char *s, size_t len, void *ud)
{
    int *calls = ud;
    if (calls)
        (*calls)++;
    /* The contract: the breaker never asks for a range containing a newline. */
    assert_null(memchr(s, '\n', len));
    int w = 0;
    size_t pos = 0;
    while (pos < len) {
        uint32_t cp;
        pos += ks_utf8_decode(s + pos, len - pos, &cp);
        /* U+200B is a break marker with no width. */
        w += cp < 0x80 ? 5 : cp == 0x200B ? 0 : 10;
    }
    return w;
}

#define MAX_LINES 128

typedef struct {
    ks_line_t lines[MAX_LINES];
    size_t n;
    const char *text;
} layout_t;

static void layout(layout_t *lo, const char *text, int max_width)
{
    memset(lo, 0, sizeof *lo);
    lo->text = text;
    lo->n = ks_linebreak(text, strlen(text), max_width, fake_measure, NULL, lo->lines, MAX_LINES);
    assert_true(lo->n <= MAX_LINES);
}

/* Checks line i's text and that its width is what the fake font says. */
static void expect_line(const layout_t *lo, size_t i, const char *want)
{
    assert_true(i < lo->n);
    const ks_line_t *l = &lo->lines[i];
    size_t wlen = strlen(want);
    if (l->len != wlen || memcmp(lo->text + l->start, want, wlen) != 0)
        fail_msg("line %zu is \"%.*s\", expected \"%s\"", i, (int)l->len, lo->text + l->start,
                 want);
    assert_int_equal(l->width, fake_measure(want, wlen, NULL));
}

static void expect_lines(const layout_t *lo, const char *const *want, size_t n)
{
    assert_int_equal(lo->n, n);
    for (size_t i = 0; i < n; i++)
        expect_line(lo, i, want[i]);
}

#define EXPECT_LINES(lo, ...)                                                                      \
    do {                                                                                           \
        static const char *const want_[] = {__VA_ARGS__};                                          \
        expect_lines((lo), want_, sizeof want_ / sizeof want_[0]);                                 \
    } while (0)

#define ZW "\xE2\x80\x8B"

static void test_preferred_break(void **state)
{
    (void)state;
    layout_t lo;
    /* Without a marker the line fills up and splits the word 社会. */
    layout(&lo, "请插入社会保障卡", 60);
    EXPECT_LINES(&lo, "请插入社会保", "障卡");
    /* With one, the phrase stays whole although more would fit. */
    layout(&lo, "请插入" ZW "社会保障卡", 60);
    EXPECT_LINES(&lo, "请插入" ZW, "社会保障卡");
    /* The last marker that fits wins. */
    layout(&lo, "您好" ZW "请插入" ZW "社会保障卡", 60);
    EXPECT_LINES(&lo, "您好" ZW "请插入" ZW, "社会保障卡");
    /* A marker that does not fit gives way to ordinary breaks. */
    layout(&lo, "请插入社会保" ZW "障卡", 40);
    EXPECT_LINES(&lo, "请插入社", "会保" ZW "障卡");
    /* On one line the marker changes nothing. */
    layout(&lo, "请插入" ZW "社会保障卡", 200);
    EXPECT_LINES(&lo, "请插入" ZW "社会保障卡");
}

static void test_empty_input(void **state)
{
    (void)state;
    ks_line_t lines[2];
    assert_int_equal(ks_linebreak("", 0, 100, fake_measure, NULL, lines, 2), 0);
    assert_int_equal(ks_linebreak("abc", 0, 100, fake_measure, NULL, lines, 2), 0);
    assert_int_equal(ks_linebreak(NULL, 0, 100, fake_measure, NULL, lines, 2), 0);
    assert_int_equal(ks_linebreak("", 0, 0, fake_measure, NULL, lines, 2), 0);
}

static void test_fits_on_one_line(void **state)
{
    (void)state;
    layout_t lo;
    layout(&lo, "hello", 100);
    EXPECT_LINES(&lo, "hello");
    assert_int_equal(lo.lines[0].start, 0);
    assert_int_equal(lo.lines[0].width, 25);
    layout(&lo, "hello", 25); /* exactly the width */
    EXPECT_LINES(&lo, "hello");
}

static void test_cjk_breaks_anywhere(void **state)
{
    (void)state;
    layout_t lo;
    /* 一二三四五六七 */
    layout(&lo, "\u4e00\u4e8c\u4e09\u56db\u4e94\u516d\u4e03", 30);
    EXPECT_LINES(&lo, "\u4e00\u4e8c\u4e09", "\u56db\u4e94\u516d", "\u4e03");
    assert_int_equal(lo.lines[1].start, 9);
    assert_int_equal(lo.lines[2].start, 18);
    assert_int_equal(lo.lines[0].width, 30);
    assert_int_equal(lo.lines[2].width, 10);

    layout(&lo, "\u4e00\u4e8c\u4e09\u56db\u4e94\u516d\u4e03", 25);
    EXPECT_LINES(&lo, "\u4e00\u4e8c", "\u4e09\u56db", "\u4e94\u516d", "\u4e03");
}

static void test_fullwidth_comma_never_starts_a_line(void **state)
{
    (void)state;
    layout_t lo;
    /* 一二三，四五: "，" would start line 2, so "三" is carried down with it. */
    layout(&lo, "\u4e00\u4e8c\u4e09\uff0c\u56db\u4e94", 30);
    EXPECT_LINES(&lo, "\u4e00\u4e8c", "\u4e09\uff0c\u56db", "\u4e94");
}

static void test_full_stop_never_starts_a_line(void **state)
{
    (void)state;
    layout_t lo;
    /* 一二三。 */
    layout(&lo, "\u4e00\u4e8c\u4e09\u3002", 30);
    EXPECT_LINES(&lo, "\u4e00\u4e8c", "\u4e09\u3002");
    /* 一二。三四: the break after 。 is fine. */
    layout(&lo, "\u4e00\u4e8c\u3002\u4e09\u56db", 30);
    EXPECT_LINES(&lo, "\u4e00\u4e8c\u3002", "\u4e09\u56db");
}

static void test_other_closing_punctuation(void **state)
{
    (void)state;
    layout_t lo;
    /* 、 ） 》 ！ and ASCII "," "." never start a line either. */
    static const char *const closers[] = {"\u3001", "\uff09", "\u300b", "\uff01", ",", "."};
    for (size_t i = 0; i < sizeof closers / sizeof closers[0]; i++) {
        char text[32];
        strcpy(text, "\u4e00\u4e8c\u4e09");
        strcat(text, closers[i]);
        layout(&lo, text, 30);
        assert_int_equal(lo.n, 2);
        assert_int_equal(lo.lines[1].start, 6); /* "三" + closer */
    }
}

static void test_fullwidth_open_paren_never_ends_a_line(void **state)
{
    (void)state;
    layout_t lo;
    /* 一二（三四: "（" would end line 1, so it moves down. */
    layout(&lo, "\u4e00\u4e8c\uff08\u4e09\u56db", 30);
    EXPECT_LINES(&lo, "\u4e00\u4e8c", "\uff08\u4e09\u56db");
}

static void test_open_quote_never_ends_a_line(void **state)
{
    (void)state;
    layout_t lo;
    /* 他说“你好”: neither “ ends a line nor ” starts one. */
    layout(&lo, "\u4ed6\u8bf4\u201c\u4f60\u597d\u201d", 30);
    EXPECT_LINES(&lo, "\u4ed6\u8bf4", "\u201c\u4f60", "\u597d\u201d");
    /* 一二“三: line 1 could hold "一二“" (30 px), but the quote must go down. */
    layout(&lo, "\u4e00\u4e8c\u201c\u4e09", 30);
    EXPECT_LINES(&lo, "\u4e00\u4e8c", "\u201c\u4e09");
}

static void test_ascii_open_bracket_never_ends_a_line(void **state)
{
    (void)state;
    layout_t lo;
    /* 一二(三: "一二(" is 25 px and fits, but "(" may not end the line. */
    layout(&lo, "\u4e00\u4e8c(\u4e09", 30);
    EXPECT_LINES(&lo, "\u4e00\u4e8c", "(\u4e09");
}

static void test_latin_breaks_at_spaces(void **state)
{
    (void)state;
    layout_t lo;
    layout(&lo, "hello world foo", 55);
    EXPECT_LINES(&lo, "hello world", "foo");
    assert_int_equal(lo.lines[0].width, 55);
    assert_int_equal(lo.lines[1].start, 12);

    /* "hello " would be 30 px: the space is not counted, and not part of the line. */
    layout(&lo, "hello world foo", 25);
    EXPECT_LINES(&lo, "hello", "world", "foo");
    assert_int_equal(lo.lines[0].len, 5);
    assert_int_equal(lo.lines[0].width, 25);
    assert_int_equal(lo.lines[1].start, 6);

    layout(&lo, "hello world foo", 54);
    EXPECT_LINES(&lo, "hello", "world foo");
}

static void test_latin_never_breaks_inside_a_word_that_fits(void **state)
{
    (void)state;
    layout_t lo;
    layout(&lo, "abc defgh", 30);
    EXPECT_LINES(&lo, "abc", "defgh");
}

static void test_spaces_at_break_are_dropped(void **state)
{
    (void)state;
    layout_t lo;
    layout(&lo, "ab    cd   ", 15);
    EXPECT_LINES(&lo, "ab", "cd");
    assert_int_equal(lo.lines[1].start, 6);
    /* Trailing spaces of the last line are not part of it either. */
    layout(&lo, "ab   ", 100);
    EXPECT_LINES(&lo, "ab");
}

static void test_leading_indent_kept(void **state)
{
    (void)state;
    layout_t lo;
    layout(&lo, "  ab cd", 20);
    EXPECT_LINES(&lo, "  ab", "cd");
    assert_int_equal(lo.lines[0].start, 0);
    /* The break after the indent would give an empty line: the word is cut instead. */
    layout(&lo, "  abcdef", 20);
    EXPECT_LINES(&lo, "  ab", "cdef");
}

static void test_space_at_a_forced_cut_is_dropped(void **state)
{
    (void)state;
    layout_t lo;
    /* No break is allowed before ")", so the run is cut by code point right before the space. */
    layout(&lo, "abcdef )", 30);
    EXPECT_LINES(&lo, "abcdef", ")");
    assert_int_equal(lo.lines[1].start, 7);
}

static void test_hyphen(void **state)
{
    (void)state;
    layout_t lo;
    layout(&lo, "well-known", 30);
    EXPECT_LINES(&lo, "well-", "known");
    /* No break after a hyphen before a digit: "2024-05" is broken by code point instead. */
    layout(&lo, "2024-05", 30);
    EXPECT_LINES(&lo, "2024-0", "5");
}

static void test_cjk_next_to_latin(void **state)
{
    (void)state;
    layout_t lo;
    /* 使用App登录 */
    layout(&lo, "\u4f7f\u7528App\u767b\u5f55", 30);
    EXPECT_LINES(&lo, "\u4f7f\u7528", "App\u767b", "\u5f55");
}

static void test_forced_newline(void **state)
{
    (void)state;
    layout_t lo;
    layout(&lo, "ab\ncd", 100);
    EXPECT_LINES(&lo, "ab", "cd");
    assert_int_equal(lo.lines[1].start, 3);

    layout(&lo, "a\n\nb", 100);
    EXPECT_LINES(&lo, "a", "", "b");

    layout(&lo, "a\n", 100);
    EXPECT_LINES(&lo, "a", "");

    layout(&lo, "\n", 100);
    EXPECT_LINES(&lo, "", "");

    /* A newline also ends a wrapped paragraph. */
    layout(&lo, "hello world\nfoo", 30);
    EXPECT_LINES(&lo, "hello", "world", "foo");
}

static void test_long_word_broken_by_code_point(void **state)
{
    (void)state;
    layout_t lo;
    layout(&lo, "ab abcdefghij", 30);
    EXPECT_LINES(&lo, "ab", "abcdef", "ghij");
    assert_int_equal(lo.lines[1].start, 3);
    assert_int_equal(lo.lines[2].start, 9);

    layout(&lo, "abcdefghijklmno", 25);
    EXPECT_LINES(&lo, "abcde", "fghij", "klmno");
}

static void test_long_word_of_multibyte_chars_not_split_inside_a_code_point(void **state)
{
    (void)state;
    layout_t lo;
    /* "éééé" (2 bytes each, 10 px each) has no break opportunity. */
    layout(&lo, "\u00e9\u00e9\u00e9\u00e9", 25);
    EXPECT_LINES(&lo, "\u00e9\u00e9", "\u00e9\u00e9");
}

static void test_char_wider_than_line_still_progresses(void **state)
{
    (void)state;
    layout_t lo;
    layout(&lo, "\u4e00\u4e8c", 5);
    EXPECT_LINES(&lo, "\u4e00", "\u4e8c");
    assert_int_equal(lo.lines[0].width, 10);
    layout(&lo, "abc", 1);
    EXPECT_LINES(&lo, "a", "b", "c");
}

static void test_max_lines_smaller_than_needed(void **state)
{
    (void)state;
    const char *text = "\u4e00\u4e8c\u4e09\u56db\u4e94\u516d\u4e03";
    ks_line_t lines[3];
    memset(lines, 0xAB, sizeof lines);
    size_t n = ks_linebreak(text, strlen(text), 30, fake_measure, NULL, lines, 2);
    assert_int_equal(n, 3);
    assert_int_equal(lines[0].start, 0);
    assert_int_equal(lines[0].len, 9);
    assert_int_equal(lines[1].start, 9);
    assert_int_equal(lines[1].len, 9);
    /* The third slot was not written. */
    ks_line_t untouched;
    memset(&untouched, 0xAB, sizeof untouched);
    assert_memory_equal(&lines[2], &untouched, sizeof untouched);

    assert_int_equal(ks_linebreak(text, strlen(text), 30, fake_measure, NULL, NULL, 0), 3);
}

static void test_no_wrapping_when_width_not_positive(void **state)
{
    (void)state;
    layout_t lo;
    const char *text = "hello world, this is long\n\u4e00\u4e8c\u4e09 \n";
    layout(&lo, text, 0);
    EXPECT_LINES(&lo, "hello world, this is long", "\u4e00\u4e8c\u4e09", "");
    layout(&lo, text, -1);
    EXPECT_LINES(&lo, "hello world, this is long", "\u4e00\u4e8c\u4e09", "");
}

static void test_respects_len_not_nul(void **state)
{
    (void)state;
    ks_line_t lines[4];
    const char *text = "ab cd ef";
    size_t n = ks_linebreak(text, 5, 100, fake_measure, NULL, lines, 4);
    assert_int_equal(n, 1);
    assert_int_equal(lines[0].start, 0);
    assert_int_equal(lines[0].len, 5);
    assert_int_equal(lines[0].width, 25);
}

static void test_passes_user_data(void **state)
{
    (void)state;
    int calls = 0;
    ks_line_t lines[4];
    const char *text = "hello world";
    ks_linebreak(text, strlen(text), 100, fake_measure, &calls, lines, 4);
    assert_true(calls > 0);
}

static void test_every_line_fits(void **state)
{
    (void)state;
    /* A mixed paragraph at many widths: lines fit, cover the text in order, never overlap. */
    const char *text = "\u8bf7\u643a\u5e26\u8eab\u4efd\u8bc1\uff08\u539f\u4ef6\uff09\u548c2"
                       "\u5f20\u7167\u7247\u3002Please bring your ID card (original) and "
                       "two photos. \u201c\u793e\u4fdd\u5361\u201d\u3001\u533b\u4fdd\u5361\uff1b";
    for (int width = 10; width <= 200; width += 5) {
        layout_t lo;
        layout(&lo, text, width);
        size_t prev_end = 0;
        assert_true(lo.n > 1);
        for (size_t i = 0; i < lo.n; i++) {
            const ks_line_t *l = &lo.lines[i];
            assert_true(l->len > 0);
            assert_true(l->width <= width);
            assert_int_equal(l->width, fake_measure(text + l->start, l->len, NULL));
            assert_true(l->start >= prev_end);
            /* Only spaces are skipped between lines. */
            for (size_t k = prev_end; k < l->start; k++)
                assert_int_equal(text[k], ' ');
            uint32_t cp;
            ks_utf8_decode(text + l->start, l->len, &cp);
            assert_true(cp != ' ' || i == 0);
            /* From 30 px on, every unbreakable unit of this text fits on a line. */
            if (width >= 30)
                assert_true(cp != 0xFF0C && cp != 0x3002 && cp != 0x3001 && cp != 0xFF09 &&
                            cp != 0xFF1B && cp != 0x201D);
            prev_end = l->start + l->len;
        }
        for (size_t k = prev_end; text[k] != '\0'; k++)
            assert_int_equal(text[k], ' ');
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_empty_input),
        cmocka_unit_test(test_fits_on_one_line),
        cmocka_unit_test(test_cjk_breaks_anywhere),
        cmocka_unit_test(test_fullwidth_comma_never_starts_a_line),
        cmocka_unit_test(test_full_stop_never_starts_a_line),
        cmocka_unit_test(test_other_closing_punctuation),
        cmocka_unit_test(test_fullwidth_open_paren_never_ends_a_line),
        cmocka_unit_test(test_open_quote_never_ends_a_line),
        cmocka_unit_test(test_ascii_open_bracket_never_ends_a_line),
        cmocka_unit_test(test_latin_breaks_at_spaces),
        cmocka_unit_test(test_latin_never_breaks_inside_a_word_that_fits),
        cmocka_unit_test(test_spaces_at_break_are_dropped),
        cmocka_unit_test(test_leading_indent_kept),
        cmocka_unit_test(test_space_at_a_forced_cut_is_dropped),
        cmocka_unit_test(test_hyphen),
        cmocka_unit_test(test_cjk_next_to_latin),
        cmocka_unit_test(test_forced_newline),
        cmocka_unit_test(test_long_word_broken_by_code_point),
        cmocka_unit_test(test_long_word_of_multibyte_chars_not_split_inside_a_code_point),
        cmocka_unit_test(test_char_wider_than_line_still_progresses),
        cmocka_unit_test(test_max_lines_smaller_than_needed),
        cmocka_unit_test(test_no_wrapping_when_width_not_positive),
        cmocka_unit_test(test_respects_len_not_nul),
        cmocka_unit_test(test_passes_user_data),
        cmocka_unit_test(test_every_line_fits),
        cmocka_unit_test(test_preferred_break),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
