/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The UI harness's script parser: every command, and precise errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "script.h"

#include <stdlib.h>
#include <string.h>

static ks_script_t *parse(const char *text, char *err, size_t n)
{
    return ks_script_parse(text, strlen(text), "t.script", err, n);
}

static void test_all_commands(void **state)
{
    (void)state;
    char err[200] = "";
    const char *text = "# a journey\n"
                       "wait 250\n"
                       "\n"
                       "advance 61\n"
                       "tap btn-exit\n"
                       "tap 540 1800\r\n"
                       "screenshot idle-portrait\n"
                       "dump /tmp/x.json\n"
                       "expect-screen menu\n"
                       "wait-screen menu 5000\n"
                       "print ready now\n"
                       "press btn-exit\n"
                       "release\n"
                       "press 10 20\n"
                       "release 30 40\n"
                       "   quit\n";
    ks_script_t *s = parse(text, err, sizeof err);
    if (!s)
        fail_msg("%s", err);
    assert_int_equal(ks_script_count(s), 14);
    const ks_cmd_t *c = ks_script_at(s, 0);
    assert_int_equal(c->kind, KS_CMD_WAIT);
    assert_int_equal(c->a, 250);
    assert_int_equal(c->line, 2);
    assert_int_equal(ks_script_at(s, 1)->kind, KS_CMD_ADVANCE);
    assert_int_equal(ks_script_at(s, 1)->a, 61);
    assert_int_equal(ks_script_at(s, 2)->kind, KS_CMD_TAP_ID);
    assert_string_equal(ks_script_at(s, 2)->arg, "btn-exit");
    c = ks_script_at(s, 3);
    assert_int_equal(c->kind, KS_CMD_TAP_XY);
    assert_int_equal(c->a, 540);
    assert_int_equal(c->b, 1800);
    assert_string_equal(ks_script_at(s, 4)->arg, "idle-portrait");
    assert_string_equal(ks_script_at(s, 5)->arg, "/tmp/x.json");
    assert_int_equal(ks_script_at(s, 6)->kind, KS_CMD_EXPECT_SCREEN);
    c = ks_script_at(s, 7);
    assert_int_equal(c->kind, KS_CMD_WAIT_SCREEN);
    assert_string_equal(c->arg, "menu");
    assert_int_equal(c->a, 5000);
    assert_string_equal(ks_script_at(s, 8)->arg, "ready now");
    assert_int_equal(ks_script_at(s, 9)->kind, KS_CMD_PRESS_ID);
    assert_string_equal(ks_script_at(s, 9)->arg, "btn-exit");
    assert_int_equal(ks_script_at(s, 10)->kind, KS_CMD_RELEASE);
    assert_int_equal(ks_script_at(s, 11)->kind, KS_CMD_PRESS_XY);
    assert_int_equal(ks_script_at(s, 11)->b, 20);
    assert_int_equal(ks_script_at(s, 12)->kind, KS_CMD_RELEASE_XY);
    assert_int_equal(ks_script_at(s, 12)->a, 30);
    assert_int_equal(ks_script_at(s, 13)->kind, KS_CMD_QUIT);
    assert_null(ks_script_at(s, 14));
    ks_script_free(s);
}

static void expect_error(const char *text, const char *msg)
{
    char err[200] = "";
    ks_script_t *s = parse(text, err, sizeof err);
    if (s) {
        ks_script_free(s);
        fail_msg("accepted: %s", text);
    }
    if (!strstr(err, msg))
        fail_msg("for %s: got '%s', expected '%s'", text, err, msg);
}

static void test_wait_commands(void **state)
{
    (void)state;
    char err[200] = "";
    const char *text = "tap-if btn-page-next\n"
                       "wait-widget lookup-status 3000\n"
                       "wait-no-widget lookup-status 4000\n"
                       "wait-file /tmp/hook.done 5000\n";
    ks_script_t *s = parse(text, err, sizeof err);
    if (!s)
        fail_msg("%s", err);
    assert_int_equal(ks_script_at(s, 0)->kind, KS_CMD_TAP_IF);
    assert_string_equal(ks_script_at(s, 0)->arg, "btn-page-next");
    assert_int_equal(ks_script_at(s, 1)->kind, KS_CMD_WAIT_WIDGET);
    assert_string_equal(ks_script_at(s, 1)->arg, "lookup-status");
    assert_int_equal(ks_script_at(s, 1)->a, 3000);
    assert_int_equal(ks_script_at(s, 2)->kind, KS_CMD_WAIT_NO_WIDGET);
    assert_int_equal(ks_script_at(s, 3)->kind, KS_CMD_WAIT_FILE);
    assert_string_equal(ks_script_at(s, 3)->arg, "/tmp/hook.done");
    ks_script_free(s);
    assert_null(parse("wait-file /tmp/x\n", err, sizeof err));
    assert_non_null(strstr(err, "wait-file: expected a path"));
    assert_null(parse("wait-widget x 700000\n", err, sizeof err));
    assert_non_null(strstr(err, "wait-widget: expected a widget id"));
}

static void test_errors(void **state)
{
    (void)state;
    expect_error("wait\n", "t.script:1: unknown command or wrong arguments: 'wait'");
    expect_error("quit\nwait -1\n", "t.script:2: wait: expected milliseconds");
    expect_error("wait 10ms\n", "t.script:1: wait:");
    expect_error("advance 99999999999999999999\n", "advance: expected seconds");
    expect_error("tap 1 2 3\n", "t.script:1: unknown command");
    expect_error("tap 10 x\n", "tap: expected a widget id or two coordinates");
    expect_error("screenshot ../evil\n", "screenshot: name may hold only");
    expect_error("screenshot a/b\n", "screenshot: name may hold only");
    expect_error("screenshot-window ../x\n", "screenshot-window: name may hold only");
    /* Identities come only from cards now, never from a script. */
    expect_error("identity name=a id=11010519491231002X\n", "unknown command");
    expect_error("jump\n", "unknown command");
    expect_error("wait-sessions 2\n", "unknown command");
    expect_error("wait-sessions x 100\n", "wait-sessions: expected a count and milliseconds");
    expect_error("wait-screen menu\n", "wait-screen: expected a screen id and milliseconds");
    expect_error("wait-screen menu soon\n", "wait-screen: expected a screen id and milliseconds");
    expect_error("resize 100 100\n", "resize: expected a width and a height from 320 to 7680");
    expect_error("resize 1080\n", "resize: expected a width and a height");
    expect_error("release 5\n", "unknown command");
    expect_error("release a b\n", "release: expected nothing or two coordinates");
    expect_error("press 1 x\n", "press: expected a widget id or two coordinates");
    expect_error("quit now\n", "unknown command");
}

static void test_binary_and_long_lines(void **state)
{
    (void)state;
    char err[200] = "";
    const char nul[] = "wait 1\nqu\0it\n";
    ks_script_t *s = ks_script_parse(nul, sizeof nul - 1, "t.script", err, sizeof err);
    assert_null(s);
    assert_non_null(strstr(err, "t.script:2: NUL byte"));

    size_t n = 10000;
    char *big = malloc(n + 1);
    memset(big, 'a', n);
    big[n] = '\0';
    s = ks_script_parse(big, n, "t.script", err, sizeof err);
    assert_null(s);
    assert_non_null(strstr(err, "t.script:1: line too long"));
    free(big);
}

static void test_empty_script(void **state)
{
    (void)state;
    char err[200] = "";
    ks_script_t *s = parse("\n# nothing\n\n", err, sizeof err);
    assert_non_null(s);
    assert_int_equal(ks_script_count(s), 0);
    ks_script_free(s);
}

static void test_missing_file(void **state)
{
    (void)state;
    char err[200] = "";
    assert_null(ks_script_load("/nonexistent/x.script", err, sizeof err));
    assert_non_null(strstr(err, "/nonexistent/x.script: cannot open"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_all_commands),  cmocka_unit_test(test_errors),
        cmocka_unit_test(test_wait_commands), cmocka_unit_test(test_binary_and_long_lines),
        cmocka_unit_test(test_empty_script),  cmocka_unit_test(test_missing_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
