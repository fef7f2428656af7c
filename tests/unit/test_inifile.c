/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Unit tests for app/core/inifile.c: physical line numbers, the long-line
 * check at libinih's exact limit, first error wins, section callbacks, and
 * the error messages of ks_ini_parse().
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "error.h"
#include "inifile.h"

/* libinih's buffer is 200 bytes: 199 of line text, newline not counted. */
#define LINE_MAX_BYTES 199

/* One callback as seen by the recorder: 's' for a section, 'v' for a value. */
typedef struct {
    char kind;
    int line;
    char section[64];
    char name[64];
    char value[256];
} event_t;

/* What the test callbacks do: record everything, fail or stop where told. */
typedef struct {
    event_t ev[32];
    int count;
    int fail_line;        /* ks_ini_fail + KS_E_PARSE on this line's value, 0: never */
    int reject_line;      /* KS_E_PARSE without ks_ini_fail on this line, 0: never */
    int nomem_line;       /* KS_E_NOMEM on this line, 0: never */
    int section_fail;     /* ks_ini_fail for a section "bad", KS_E_NOMEM for "oom" */
    const char *expected; /* non-NULL: every value fails ks_ini_fail_value with this */
} rec_t;

static int on_value(void *user, ks_ini_t *ini, const char *section, const char *name,
                    const char *value)
{
    rec_t *r = user;
    int line = ks_ini_line(ini);
    assert_true(r->count < 32);
    event_t *e = &r->ev[r->count++];
    e->kind = 'v';
    e->line = line;
    snprintf(e->section, sizeof e->section, "%s", section);
    snprintf(e->name, sizeof e->name, "%s", name);
    snprintf(e->value, sizeof e->value, "%s", value);
    if (r->expected != NULL)
        return ks_ini_fail_value(ini, section, name, value, r->expected);
    if (line == r->fail_line) {
        ks_ini_fail(ini, "rejected %s", name);
        return KS_E_PARSE;
    }
    if (line == r->reject_line)
        return KS_E_PARSE;
    if (line == r->nomem_line)
        return KS_E_NOMEM;
    return KS_OK;
}

static int on_section(void *user, ks_ini_t *ini, const char *section)
{
    rec_t *r = user;
    assert_true(r->count < 32);
    event_t *e = &r->ev[r->count++];
    e->kind = 's';
    e->line = ks_ini_line(ini);
    snprintf(e->section, sizeof e->section, "%s", section);
    if (r->section_fail && strcmp(section, "bad") == 0) {
        ks_ini_fail(ini, "unknown section [%s]", section);
        return KS_E_PARSE;
    }
    if (r->section_fail && strcmp(section, "oom") == 0)
        return KS_E_NOMEM;
    return KS_OK;
}

static const ks_ini_spec_t spec = {
    .on_value = on_value,
    .on_section = on_section,
    .syntax_error = "syntax error (expected [section] or key = value)",
};

/* Writes `text` to a fresh temp file; its name goes to path (at least 256 bytes). */
static void write_temp(char *path, const char *text)
{
    const char *dir = getenv("TMPDIR");
    if (dir == NULL || dir[0] == '\0')
        dir = "/tmp";
    snprintf(path, 256, "%s/ks-inifile-XXXXXX", dir);
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    size_t len = strlen(text);
    assert_int_equal(write(fd, text, len), (ssize_t)len);
    close(fd);
}

/* Parses `text` with `s`, recording into r; path gets the (deleted) file name. */
static int parse_text_with(const ks_ini_spec_t *s, const char *text, rec_t *r, char *path,
                           char *err, size_t errlen)
{
    write_temp(path, text);
    int rc = ks_ini_parse(path, s, r, err, errlen);
    unlink(path);
    return rc;
}

static int parse_text(const char *text, rec_t *r, char *path, char *err, size_t errlen)
{
    return parse_text_with(&spec, text, r, path, err, errlen);
}

/* Expects `text` to fail with exactly "<path>:<line>: <msg>". */
static void expect_error(const char *text, rec_t *r, int line, const char *msg)
{
    char path[256], err[512], want[1024];
    assert_int_equal(parse_text(text, r, path, err, sizeof err), KS_E_PARSE);
    snprintf(want, sizeof want, "%s:%d: %s", path, line, msg);
    assert_string_equal(err, want);
}

static void expect_ok(const char *text, rec_t *r)
{
    char path[256], err[512];
    int rc = parse_text(text, r, path, err, sizeof err);
    if (rc != KS_OK)
        fail_msg("%s", err);
    assert_string_equal(err, "");
}

/* "name = " followed by 'x' up to `total` bytes of line text. */
static void make_line(char *buf, size_t n, const char *name, size_t total)
{
    size_t pos = (size_t)snprintf(buf, n, "%s = ", name);
    assert_true(total < n && pos <= total);
    memset(buf + pos, 'x', total - pos);
    buf[total] = '\0';
}

static void test_physical_line_numbers(void **state)
{
    (void)state;
    rec_t r = {0};
    expect_ok("\xEF\xBB\xBF; a comment after a BOM\n"
              "\n"
              "[first]\n"
              "# another comment\n"
              "a = 1\n"
              "\n"
              "\n"
              "  b = two words ; inline comment\n"
              "[second] ; comment after a header\n"
              "\tc = 3",
              &r);
    assert_int_equal(r.count, 5);
    assert_int_equal(r.ev[0].kind, 's');
    assert_int_equal(r.ev[0].line, 3);
    assert_string_equal(r.ev[0].section, "first");
    assert_int_equal(r.ev[1].kind, 'v');
    assert_int_equal(r.ev[1].line, 5);
    assert_string_equal(r.ev[1].section, "first");
    assert_string_equal(r.ev[1].name, "a");
    assert_string_equal(r.ev[1].value, "1");
    assert_int_equal(r.ev[2].line, 8);
    assert_string_equal(r.ev[2].name, "b");
    assert_string_equal(r.ev[2].value, "two words");
    assert_int_equal(r.ev[3].kind, 's');
    assert_int_equal(r.ev[3].line, 9);
    assert_string_equal(r.ev[3].section, "second");
    assert_int_equal(r.ev[4].line, 10);
    assert_string_equal(r.ev[4].section, "second");
    assert_string_equal(r.ev[4].value, "3");

    /* A BOM right before a key outside any section, or before a header. */
    rec_t r2 = {0};
    expect_ok("\xEF\xBB\xBFtop = 1\n[s]\n", &r2);
    assert_int_equal(r2.count, 2);
    assert_string_equal(r2.ev[0].section, "");
    assert_string_equal(r2.ev[0].name, "top");
    assert_int_equal(r2.ev[0].line, 1);
    assert_int_equal(r2.ev[1].line, 2);
    rec_t r3 = {0};
    expect_ok("\xEF\xBB\xBF[s]\nk = v\n", &r3);
    assert_int_equal(r3.count, 2);
    assert_int_equal(r3.ev[0].kind, 's');
    assert_string_equal(r3.ev[0].section, "s");
    assert_int_equal(r3.ev[1].line, 2);
}

static void test_section_callback_sees_every_header(void **state)
{
    (void)state;
    rec_t r = {0};
    expect_ok("[a]\n[b]\nk = 1\n[a]\n\n  [empty]\n[with space]\n", &r);
    const char *want[] = {"a", "b", NULL, "a", "empty", "with space"};
    const int lines[] = {1, 2, 3, 4, 6, 7};
    assert_int_equal(r.count, 6);
    for (int i = 0; i < 6; i++) {
        assert_int_equal(r.ev[i].line, lines[i]);
        if (want[i] != NULL) {
            assert_int_equal(r.ev[i].kind, 's');
            assert_string_equal(r.ev[i].section, want[i]);
        }
    }

    /* A header can be rejected on its own line, even with nothing under it. */
    rec_t bad = {.section_fail = 1};
    expect_error("[a]\nk = 1\n\n[bad]\n", &bad, 4, "unknown section [bad]");

    /* No section callback is fine. */
    static const ks_ini_spec_t values_only = {.on_value = on_value};
    rec_t v = {0};
    char path[256], err[256];
    assert_int_equal(parse_text_with(&values_only, "[a]\nk = 1\n", &v, path, err, sizeof err),
                     KS_OK);
    assert_int_equal(v.count, 1);
    assert_string_equal(v.ev[0].section, "a");
}

static void test_long_lines(void **state)
{
    (void)state;
    char text[4096], line[1024], want[128];
    snprintf(want, sizeof want, "line is too long (at most %d bytes)", LINE_MAX_BYTES);

    /* An over-long value is an error on its own line; its tail is not a line. */
    rec_t r = {0};
    make_line(line, sizeof line, "long", 500);
    snprintf(text, sizeof text, "[s]\n\na = 1\n%s\nb = 2\n", line);
    expect_error(text, &r, 4, want);
    assert_int_equal(r.count, 4); /* the truncated line still reaches the callback */
    assert_int_equal(r.ev[3].line, 5);
    assert_string_equal(r.ev[3].name, "b");

    /* An over-long comment (even indented) loses nothing; later lines keep their numbers. */
    rec_t c = {0};
    memset(line, 'c', 600);
    line[600] = '\0';
    snprintf(text, sizeof text, ";%s\n[s]\n   #%s\nk = v\n", line, line);
    expect_ok(text, &c);
    assert_int_equal(c.count, 2);
    assert_int_equal(c.ev[1].line, 4);
    assert_string_equal(c.ev[1].value, "v");

    /* An over-long section header is an error too. */
    rec_t h = {0};
    snprintf(text, sizeof text, "[s%s]\nk = v\n", line);
    expect_error(text, &h, 1, want);
}

/* The exact boundary, with and without a final newline. */
static void test_long_line_boundary(void **state)
{
    (void)state;
    char text[1024], line[512], want[128];
    snprintf(want, sizeof want, "line is too long (at most %d bytes)", LINE_MAX_BYTES);

    for (int newline = 0; newline <= 1; newline++) {
        rec_t ok = {0};
        make_line(line, sizeof line, "k", LINE_MAX_BYTES);
        snprintf(text, sizeof text, "[s]\n%s%s", line, newline ? "\n" : "");
        expect_ok(text, &ok);
        assert_int_equal(ok.count, 2);
        assert_int_equal(strlen(ok.ev[1].value), LINE_MAX_BYTES - strlen("k = "));

        rec_t over = {0};
        make_line(line, sizeof line, "k", LINE_MAX_BYTES + 1);
        snprintf(text, sizeof text, "[s]\n%s%s", line, newline ? "\n" : "");
        expect_error(text, &over, 2, want);
    }

    /* Leading blanks count: the limit is on the physical line. */
    rec_t ind = {0};
    make_line(line, sizeof line, "  k", LINE_MAX_BYTES + 1);
    snprintf(text, sizeof text, "[s]\n%s\n", line);
    expect_error(text, &ind, 2, want);
}

static void test_first_error_wins(void **state)
{
    (void)state;
    /* A callback's error beats a later syntax error and a later long line... */
    char text[1024], line[512];
    make_line(line, sizeof line, "k", 300);
    snprintf(text, sizeof text, "[s]\na = 1\nno equals sign\n%s\n", line);
    rec_t r = {.fail_line = 2};
    expect_error(text, &r, 2, "rejected a");

    /* ...and an earlier syntax error or long line beats it. */
    rec_t s = {.fail_line = 3};
    expect_error("[s]\nno equals sign\na = 1\n", &s, 2,
                 "syntax error (expected [section] or key = value)");
    snprintf(text, sizeof text, "[s]\n%s\na = 1\n", line);
    rec_t l = {.fail_line = 3};
    expect_error(text, &l, 2, "line is too long (at most 199 bytes)");

    /* Two callback errors: the first one is kept, and parsing goes on. */
    rec_t two = {.fail_line = 2, .section_fail = 1};
    expect_error("[s]\na = 1\n[bad]\nb = 2\n", &two, 2, "rejected a");
    assert_int_equal(two.count, 4);

    /* An indented line is never a continuation of the previous value. */
    rec_t ind = {0};
    expect_error("[s]\na = 1\n    more\n", &ind, 3,
                 "syntax error (expected [section] or key = value)");
    assert_string_equal(ind.ev[1].value, "1");
    rec_t hdr = {0};
    expect_error("[s\na = 1\n", &hdr, 1, "syntax error (expected [section] or key = value)");
}

static void test_callback_return_codes(void **state)
{
    (void)state;
    /* KS_E_PARSE without a message rejects the line with the syntax message. */
    rec_t r = {.reject_line = 3};
    expect_error("[s]\na = 1\nb = 2\n", &r, 3, "syntax error (expected [section] or key = value)");
    static const ks_ini_spec_t plain = {.on_value = on_value};
    rec_t p = {.reject_line = 1};
    char path[256], err[512], want[600];
    assert_int_equal(parse_text_with(&plain, "a = 1\n", &p, path, err, sizeof err), KS_E_PARSE);
    snprintf(want, sizeof want, "%s:1: syntax error", path);
    assert_string_equal(err, want);

    /* Any other code abandons the parse and is returned. */
    rec_t m = {.nomem_line = 2};
    assert_int_equal(parse_text("[s]\na = 1\nb = 2\n[t]\n", &m, path, err, sizeof err), KS_E_NOMEM);
    snprintf(want, sizeof want, "%s: out of memory", path);
    assert_string_equal(err, want);
    assert_int_equal(m.count, 2); /* nothing after the failing line */
    rec_t ms = {.section_fail = 1};
    assert_int_equal(parse_text("[s]\n[oom]\nb = 2\n[t]\n", &ms, path, err, sizeof err),
                     KS_E_NOMEM);
    snprintf(want, sizeof want, "%s: out of memory", path);
    assert_string_equal(err, want);
    assert_int_equal(ms.count, 2);
}

static void test_fail_value(void **state)
{
    (void)state;
    struct {
        const char *value, *quoted;
    } cases[] = {
        {"#12345", "#12345"},
        {"", ""},
        /* Exactly 64 bytes: quoted whole. */
        {"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
         "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"},
        /* 63 ASCII bytes then a 3-byte character: cut before it, not inside. */
        {"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\xE4\xB8\x80zz",
         "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa..."},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char text[512], want[256];
        rec_t r = {.expected = "a colour #RRGGBB"};
        snprintf(text, sizeof text, "[style.x]\n\nfg = %s\n", cases[i].value);
        snprintf(want, sizeof want, "bad value for [style.x] fg: '%s' (expected a colour #RRGGBB)",
                 cases[i].quoted);
        expect_error(text, &r, 3, want);
    }
}

static void test_io_errors(void **state)
{
    (void)state;
    char err[512];
    rec_t r = {0};
    assert_int_equal(ks_ini_parse("/nonexistent-dir/x.ini", &spec, &r, err, sizeof err), KS_E_IO);
    assert_string_equal(err, "/nonexistent-dir/x.ini: cannot open: No such file or directory");
    assert_int_equal(ks_ini_parse("/", &spec, &r, err, sizeof err), KS_E_IO);
    assert_string_equal(err, "/: cannot read: Is a directory");
    assert_int_equal(r.count, 0);
    /* No error buffer is allowed; a small one is truncated and terminated. */
    assert_int_equal(ks_ini_parse("/nonexistent-dir/x.ini", &spec, &r, NULL, 0), KS_E_IO);
    char small[8];
    assert_int_equal(ks_ini_parse("/nonexistent-dir/x.ini", &spec, &r, small, sizeof small),
                     KS_E_IO);
    assert_string_equal(small, "/nonexi");
    assert_int_equal(ks_ini_parse(NULL, &spec, &r, err, sizeof err), KS_E_INVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_physical_line_numbers),
        cmocka_unit_test(test_section_callback_sees_every_header),
        cmocka_unit_test(test_long_lines),
        cmocka_unit_test(test_long_line_boundary),
        cmocka_unit_test(test_first_error_wins),
        cmocka_unit_test(test_callback_return_codes),
        cmocka_unit_test(test_fail_value),
        cmocka_unit_test(test_io_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
