/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The holiday file parser (ks_holidays_parse, ks_holidays_load_file): the
 * accepted forms (comments, blanks, CRLF, any order), and each kind of bad
 * line refused with its line number — a bad date, another word, extra text, a
 * date listed twice, a make-up "workday" on a weekday — with the list left
 * empty. The file loader prefixes "path:N:".
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "marriage_fixture.h"

#include <unistd.h>

static ks_holidays_t g_h;

static int parse(const char *text, char *err, size_t errlen)
{
    return ks_holidays_parse(text, strlen(text), &g_h, err, errlen);
}

static void test_accepted_forms(void **state)
{
    (void)state;
    char err[200] = "x";
    const char *text = "# 2026\n"
                       "\n"
                       "   \t\n"
                       "2026-10-02 holiday\n"
                       "2026-10-01\tholiday   # 国庆节\r\n"
                       "  2026-10-10   workday#调休\n"
                       "2026-09-20 workday";
    assert_int_equal(parse(text, err, sizeof err), KS_OK);
    assert_string_equal(err, "");
    assert_int_equal(g_h.n_off, 2);
    assert_int_equal(g_h.off[0], 20261001);
    assert_int_equal(g_h.off[1], 20261002);
    assert_int_equal(g_h.n_work, 2);
    assert_int_equal(g_h.work[0], 20260920);
    assert_int_equal(g_h.work[1], 20261010);
    assert_int_equal(parse("", err, sizeof err), KS_OK);
    assert_int_equal(g_h.n_off + g_h.n_work, 0);
    assert_int_equal(ks_holidays_parse(NULL, 0, &g_h, err, sizeof err), KS_OK);
}

typedef struct {
    const char *text;
    const char *err; /* exact message */
} bad_case_t;

static const bad_case_t BAD[] = {
    {"2026-02-30 holiday\n", "line 1: 2026-02-30 is not a date"},
    {"# x\n2026-13-01 holiday\n", "line 2: 2026-13-01 is not a date"},
    {"2026-1-01 holiday\n", "line 1: expected a date YYYY-MM-DD"},
    {"\n\n\n2026/10/01 holiday\n", "line 4: expected a date YYYY-MM-DD"},
    {"holiday 2026-10-01\n", "line 1: expected a date YYYY-MM-DD"},
    {"2026-10-01\n", "line 1: expected \"holiday\" or \"workday\" after the date"},
    {"2026-10-01 vacation\n", "line 1: expected \"holiday\" or \"workday\" after the date"},
    {"2026-10-01 Holiday\n", "line 1: expected \"holiday\" or \"workday\" after the date"},
    {"2026-10-01 holidays\n", "line 1: expected \"holiday\" or \"workday\" after the date"},
    {"2026-10-01#holiday\n", "line 1: expected \"holiday\" or \"workday\" after the date"},
    {"2026-10-01 holiday national day\n", "line 1: unexpected text after \"holiday\""},
    {"2026-10-01 holiday\n2026-10-02 holiday\n2026-10-01 holiday\n",
     "line 3: 2026-10-01 is listed twice"},
    {"2026-10-10 workday\n2026-10-10 holiday\n", "line 2: 2026-10-10 is listed twice"},
    {"2026-10-12 workday\n", "line 1: 2026-10-12 is a Monday: only a Saturday or Sunday can be a "
                             "make-up workday"},
};

static void test_bad_lines(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof BAD / sizeof BAD[0]; i++) {
        char err[200] = "";
        int rc = parse(BAD[i].text, err, sizeof err);
        if (rc != KS_E_PARSE || strcmp(err, BAD[i].err) != 0)
            fail_msg("case %zu: rc %d err \"%s\", want \"%s\"", i, rc, err, BAD[i].err);
        assert_int_equal(g_h.n_off + g_h.n_work, 0); /* nothing half-loaded */
    }
}

static void test_long_line_and_full(void **state)
{
    (void)state;
    char err[200];
    char line[260];
    memset(line, ' ', sizeof line);
    memcpy(line, "2026-10-01 holiday #", 20);
    line[sizeof line - 1] = '\0';
    assert_int_equal(parse(line, err, sizeof err), KS_E_PARSE);
    assert_string_equal(err, "line 1: line longer than 200 bytes");
    /* KS_HOLIDAYS_MAX + 1 days off. */
    size_t cap = (KS_HOLIDAYS_MAX + 1) * 20 + 1, at = 0;
    char *text = malloc(cap);
    assert_non_null(text);
    for (int i = 0; i <= KS_HOLIDAYS_MAX; i++) {
        char ds[11];
        ks_date_format(ks_date_add(20260101, i), ds, sizeof ds);
        at += (size_t)snprintf(text + at, cap - at, "%s holiday\n", ds);
    }
    assert_int_equal(ks_holidays_parse(text, at, &g_h, err, sizeof err), KS_E_PARSE);
    assert_string_equal(err, "line 401: more than 400 holiday dates");
    free(text);
    /* A NUL byte inside the buffer. */
    static const char nul[] = "2026-10-01 holiday\n2026-10-02 hol\0day\n";
    assert_int_equal(ks_holidays_parse(nul, sizeof nul - 1, &g_h, err, sizeof err), KS_E_PARSE);
    assert_string_equal(err, "line 2: NUL byte");
    assert_int_equal(g_h.n_off, 0);
    /* A tiny error buffer is never overrun. */
    char small[8];
    assert_int_equal(parse("2026-10-01 x\n", small, sizeof small), KS_E_PARSE);
    assert_int_equal(strlen(small), 7);
}

static void test_load_file(void **state)
{
    (void)state;
    char dir[] = "/tmp/ks-holidays-test-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[256], err[400];
    snprintf(path, sizeof path, "%s/holidays.txt", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("# test\n2026-10-01 holiday\n2026-10-01 holiday\n", f);
    assert_int_equal(fclose(f), 0);
    assert_int_equal(ks_holidays_load_file(path, &g_h, err, sizeof err), KS_E_PARSE);
    char want[400];
    snprintf(want, sizeof want, "%s:3: 2026-10-01 is listed twice", path);
    assert_string_equal(err, want);
    assert_int_equal(unlink(path), 0);
    assert_int_equal(ks_holidays_load_file(path, &g_h, err, sizeof err), KS_E_IO);
    snprintf(want, sizeof want, "%s: cannot open", path);
    assert_string_equal(err, want);
    /* Over 64 KiB. */
    f = fopen(path, "w");
    assert_non_null(f);
    for (int i = 0; i < 7000; i++)
        fputs("# padding\n", f);
    assert_int_equal(fclose(f), 0);
    assert_int_equal(ks_holidays_load_file(path, &g_h, err, sizeof err), KS_E_TOOBIG);
    assert_int_equal(unlink(path), 0);
    assert_int_equal(rmdir(dir), 0);
    /* The bundled file loads. */
    ks_holidays_t *h = fx_bundled_holidays();
    assert_true(h->n_off >= 40);
    assert_true(h->n_work >= 5);
    free(h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_accepted_forms),
        cmocka_unit_test(test_bad_lines),
        cmocka_unit_test(test_long_line_and_full),
        cmocka_unit_test(test_load_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
