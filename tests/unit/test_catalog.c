/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Unit tests for app/core/catalog.c, plus a completeness check of the real
 * catalogues in assets/strings when KS_SOURCE_DIR is set.
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

#include "catalog.h"
#include "error.h"

/* Writes `text` to a fresh temp file; its name goes to path (at least 256 bytes). */
static void write_temp(char *path, const char *text)
{
    const char *dir = getenv("TMPDIR");
    if (dir == NULL || dir[0] == '\0')
        dir = "/tmp";
    snprintf(path, 256, "%s/ks-catalog-XXXXXX", dir);
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    size_t len = strlen(text);
    assert_int_equal(write(fd, text, len), (ssize_t)len);
    close(fd);
}

static ks_catalog_t *load_text(const char *text, const ks_catalog_t *fallback, char *path,
                               char *err, size_t errlen)
{
    write_temp(path, text);
    ks_catalog_t *cat = ks_catalog_load(path, fallback, err, errlen);
    unlink(path);
    return cat;
}

static void expect_load_error(const char *text, int line, const char *msg)
{
    char path[256], err[512], want[1024];
    ks_catalog_t *cat = load_text(text, NULL, path, err, sizeof err);
    assert_null(cat);
    snprintf(want, sizeof want, "%s:%d: %s", path, line, msg);
    assert_string_equal(err, want);
}

static const char *const zh_text = "; 中文界面文字\n"
                                   "[idle]\n"
                                   "title = 民政自助服务\n"
                                   "hint = 请插入社会保障卡\n"
                                   "\n"
                                   "[menu]\n"
                                   "title = 请选择业务\n"
                                   "exit = 退出\n"
                                   "countdown = {sec} 秒后返回首页\n"
                                   "[message]\n"
                                   "offline = 网络暂时不可用\\n请稍后再试\n";

static void test_load_and_get(void **state)
{
    (void)state;
    char path[256], err[256];
    ks_catalog_t *cat = load_text(zh_text, NULL, path, err, sizeof err);
    assert_non_null(cat);
    assert_string_equal(err, "");
    assert_string_equal(ks_catalog_get(cat, "idle.title"), "民政自助服务");
    assert_string_equal(ks_catalog_get(cat, "menu.title"), "请选择业务");
    assert_string_equal(ks_catalog_get(cat, "menu.exit"), "退出");
    assert_true(ks_catalog_has(cat, "idle.hint"));
    assert_false(ks_catalog_has(cat, "hint"));
    assert_false(ks_catalog_has(cat, "idle"));
    assert_false(ks_catalog_has(cat, NULL));
    assert_false(ks_catalog_has(NULL, "idle.hint"));

    static const char *const order[] = {"idle.title", "idle.hint",      "menu.title",
                                        "menu.exit",  "menu.countdown", "message.offline"};
    assert_int_equal(ks_catalog_count(cat), 6);
    for (size_t i = 0; i < 6; i++)
        assert_string_equal(ks_catalog_key_at(cat, i), order[i]);
    assert_null(ks_catalog_key_at(cat, 6));
    ks_catalog_free(cat);
}

static void test_newline_escape(void **state)
{
    (void)state;
    char path[256], err[256];
    ks_catalog_t *cat = load_text("[a]\n"
                                  "two = 第一行\\n第二行\n"
                                  "edges = \\nmiddle\\n\n"
                                  "other = C:\\\\temp\\t\\\n"
                                  "plain = no escapes here\n",
                                  NULL, path, err, sizeof err);
    assert_non_null(cat);
    ks_catalog_t *zw =
        load_text("[a]\nbreak = 请插入\\|社会保障卡\\|\nonly = \\|\n", NULL, path, err, sizeof err);
    assert_non_null(zw);
    /* Backslash-bar is a preferred line break: U+200B. */
    assert_string_equal(ks_catalog_get(zw, "a.break"), "请插入\xE2\x80\x8B社会保障卡\xE2\x80\x8B");
    assert_string_equal(ks_catalog_get(zw, "a.only"), "\xE2\x80\x8B");
    ks_catalog_free(zw);
    assert_string_equal(ks_catalog_get(cat, "a.two"), "第一行\n第二行");
    assert_string_equal(ks_catalog_get(cat, "a.edges"), "\nmiddle\n");
    /* Only backslash-n and backslash-bar are special; other backslashes stay as written. */
    assert_string_equal(ks_catalog_get(cat, "a.other"), "C:\\\\temp\\t\\");
    assert_string_equal(ks_catalog_get(cat, "a.plain"), "no escapes here");
    ks_catalog_free(cat);
}

static void test_layout_details(void **state)
{
    (void)state;
    char path[256], err[256];
    ks_catalog_t *cat = load_text("\xEF\xBB\xBF"
                                  "top = 无分组\n"
                                  "[s]\n"
                                  "   indented = 缩进\n"
                                  "empty =\n"
                                  "crlf = 回车换行\r\n"
                                  "# comment\n",
                                  NULL, path, err, sizeof err);
    assert_non_null(cat);
    /* A key before any section keeps its bare name. */
    assert_string_equal(ks_catalog_get(cat, "top"), "无分组");
    assert_string_equal(ks_catalog_get(cat, "s.indented"), "缩进");
    assert_true(ks_catalog_has(cat, "s.empty"));
    assert_string_equal(ks_catalog_get(cat, "s.empty"), "");
    assert_string_equal(ks_catalog_get(cat, "s.crlf"), "回车换行");
    assert_int_equal(ks_catalog_count(cat), 4);
    ks_catalog_free(cat);
}

static void test_fallback(void **state)
{
    (void)state;
    char path[256], err[256];
    ks_catalog_t *zh = load_text(zh_text, NULL, path, err, sizeof err);
    assert_non_null(zh);
    ks_catalog_t *en =
        load_text("[idle]\ntitle = Civil Affairs Self-Service\n[extra]\nonly = English only\n", zh,
                  path, err, sizeof err);
    assert_non_null(en);

    assert_string_equal(ks_catalog_get(en, "idle.title"), "Civil Affairs Self-Service");
    /* Missing in English: the primary language answers. */
    assert_string_equal(ks_catalog_get(en, "menu.exit"), "退出");
    assert_false(ks_catalog_has(en, "menu.exit"));
    assert_true(ks_catalog_has(zh, "menu.exit"));
    /* Missing everywhere: the key itself, never NULL. */
    assert_string_equal(ks_catalog_get(en, "menu.nowhere"), "menu.nowhere");
    assert_string_equal(ks_catalog_get(zh, "extra.only"), "extra.only");
    assert_string_equal(ks_catalog_get(NULL, "x.y"), "x.y");
    assert_non_null(ks_catalog_get(en, NULL));
    assert_int_equal(ks_catalog_count(en), 2);
    assert_int_equal(ks_catalog_count(NULL), 0);

    ks_catalog_free(en);
    ks_catalog_free(zh);
    ks_catalog_free(NULL);
}

static void test_errors(void **state)
{
    (void)state;
    expect_load_error("[menu]\ntitle = 一\nexit = 退出\n\ntitle = 二\n", 5,
                      "duplicate key 'menu.title' (first defined on line 2)");
    /* The same section opened twice is fine, the same key in it is not. */
    expect_load_error("[a]\nk = 1\n[b]\nk = 2\n[a]\nj = 3\nk = 4\n", 7,
                      "duplicate key 'a.k' (first defined on line 2)");
    expect_load_error("[a]\nk = 1\nno equals sign here\n", 3,
                      "syntax error (expected [section] or key = text)");
    /* An indented line is not glued to the text above it. */
    expect_load_error("[a]\nk = 第一行\n    第二行\n", 3,
                      "syntax error (expected [section] or key = text)");
    expect_load_error("[a\nk = 1\n", 1, "syntax error (expected [section] or key = text)");

    char path[256], err[512], want[512];
    assert_null(ks_catalog_load("/nonexistent-dir/zh_CN.ini", NULL, err, sizeof err));
    assert_string_equal(err, "/nonexistent-dir/zh_CN.ini: cannot open: No such file or directory");
    assert_null(ks_catalog_load("/", NULL, err, sizeof err));
    assert_string_equal(err, "/: cannot read: Is a directory");

    /* A text longer than libinih's line buffer is an error, not a silently cut string. */
    char text[1024];
    size_t pos = (size_t)snprintf(text, sizeof text, "[a]\nk = 1\nlong = ");
    for (int i = 0; i < 80; i++)
        pos += (size_t)snprintf(text + pos, sizeof text - pos, "字");
    snprintf(text + pos, sizeof text - pos, "\nj = 2\n");
    assert_null(load_text(text, NULL, path, err, sizeof err));
    snprintf(want, sizeof want, "%s:3: line is too long (at most 199 bytes)", path);
    assert_string_equal(err, want);
}

static void test_format(void **state)
{
    (void)state;
    char out[128];
    assert_int_equal(ks_catalog_format(out, sizeof out, "{sec} 秒", "sec", "20", NULL), KS_OK);
    assert_string_equal(out, "20 秒");
    assert_int_equal(
        ks_catalog_format(out, sizeof out, "{a}+{b}={c}; {a}", "a", "1", "b", "2", "c", "3", NULL),
        KS_OK);
    assert_string_equal(out, "1+2=3; 1");
    assert_int_equal(ks_catalog_format(out, sizeof out, "no placeholders", NULL), KS_OK);
    assert_string_equal(out, "no placeholders");
    assert_int_equal(ks_catalog_format(out, sizeof out, "", "a", "1", NULL), KS_OK);
    assert_string_equal(out, "");
    /* A substituted value is not scanned again. */
    assert_int_equal(ks_catalog_format(out, sizeof out, "{a}", "a", "{b}", "b", "x", NULL), KS_OK);
    assert_string_equal(out, "{b}");
    assert_int_equal(ks_catalog_format(out, sizeof out, "[{empty}]", "empty", "", NULL), KS_OK);
    assert_string_equal(out, "[]");
    /* Names must match in full. */
    assert_int_equal(ks_catalog_format(out, sizeof out, "{se}{secs}", "sec", "20", NULL), KS_OK);
    assert_string_equal(out, "{se}{secs}");
}

static void test_format_unknown_kept(void **state)
{
    (void)state;
    char out[128];
    int rc = ks_catalog_format(out, sizeof out, "{who} 您好，{name}", "name", "张*", NULL);
    assert_int_equal(rc, KS_OK);
    assert_string_equal(out, "{who} 您好，张*");
    assert_int_equal(ks_catalog_format(out, sizeof out, "{} { {x", "x", "1", NULL), KS_OK);
    assert_string_equal(out, "{} { {x");
    assert_int_equal(ks_catalog_format(out, sizeof out, "{{x}}", "x", "1", NULL), KS_OK);
    assert_string_equal(out, "{1}");
    assert_int_equal(ks_catalog_format(out, sizeof out, "a}b", NULL), KS_OK);
    assert_string_equal(out, "a}b");
}

static void test_format_truncation(void **state)
{
    (void)state;
    char out[16];
    /* Exactly fits: 15 bytes + NUL. */
    assert_int_equal(
        ks_catalog_format(out, sizeof out, "{a}{b}", "a", "1234567", "b", "89012345", NULL), KS_OK);
    assert_string_equal(out, "123456789012345");
    memset(out, 'Z', sizeof out);
    assert_int_equal(
        ks_catalog_format(out, sizeof out, "{a}{b}!", "a", "1234567", "b", "89012345", NULL),
        KS_E_TOOBIG);
    assert_string_equal(out, "123456789012345");
    assert_int_equal(ks_catalog_format(out, 4, "{sec} seconds", "sec", "120", NULL), KS_E_TOOBIG);
    assert_string_equal(out, "120");
    /* Never cut inside a character: "请稍" is 6 bytes, "请稍候" would need 9 + NUL. */
    assert_int_equal(ks_catalog_format(out, 9, "请稍候", NULL), KS_E_TOOBIG);
    assert_string_equal(out, "请稍");
    assert_int_equal(ks_catalog_format(out, 8, "{v}", "v", "请稍候", NULL), KS_E_TOOBIG);
    assert_string_equal(out, "请稍");
    assert_int_equal(ks_catalog_format(out, 1, "x", NULL), KS_E_TOOBIG);
    assert_string_equal(out, "");
    assert_int_equal(ks_catalog_format(out, 0, "x", NULL), KS_E_TOOBIG);
}

/* Prints the keys of `a` missing from `b`; returns how many. */
static size_t report_missing(const ks_catalog_t *a, const char *aname, const ks_catalog_t *b,
                             const char *bname)
{
    size_t missing = 0;
    for (size_t i = 0; i < ks_catalog_count(a); i++) {
        const char *key = ks_catalog_key_at(a, i);
        if (!ks_catalog_has(b, key)) {
            print_error("key '%s' is in %s but missing from %s\n", key, aname, bname);
            missing++;
        }
    }
    return missing;
}

/*
 * The shipped catalogues must define the same keys. With KS_SOURCE_DIR set
 * (ctest sets it) a missing or broken file is a failure, not a skip.
 */
static void test_real_catalogues_complete(void **state)
{
    (void)state;
    const char *src = getenv("KS_SOURCE_DIR");
    if (src == NULL || src[0] == '\0')
        skip();

    char zh_path[1024], en_path[1024], err[512];
    snprintf(zh_path, sizeof zh_path, "%s/assets/strings/zh_CN.ini", src);
    snprintf(en_path, sizeof en_path, "%s/assets/strings/en.ini", src);

    ks_catalog_t *zh = ks_catalog_load(zh_path, NULL, err, sizeof err);
    if (zh == NULL)
        fail_msg("cannot load the primary catalogue: %s", err);
    ks_catalog_t *en = ks_catalog_load(en_path, zh, err, sizeof err);
    if (en == NULL) {
        ks_catalog_free(zh);
        fail_msg("cannot load the English catalogue: %s", err);
    }

    assert_true(ks_catalog_count(zh) > 0);
    size_t missing = report_missing(zh, "zh_CN.ini", en, "en.ini");
    missing += report_missing(en, "en.ini", zh, "zh_CN.ini");
    ks_catalog_free(en);
    ks_catalog_free(zh);
    assert_int_equal(missing, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_load_and_get),
        cmocka_unit_test(test_newline_escape),
        cmocka_unit_test(test_layout_details),
        cmocka_unit_test(test_fallback),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_format),
        cmocka_unit_test(test_format_unknown_kept),
        cmocka_unit_test(test_format_truncation),
        cmocka_unit_test(test_real_catalogues_complete),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
