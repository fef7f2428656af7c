/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests for app/core/config.c: defaults, a full file, and every error message. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "error.h"
#include "log.h"

/* Writes `text` to a fresh temp file; its name goes to path (at least 256 bytes). */
static void write_temp(char *path, const char *text)
{
    const char *dir = getenv("TMPDIR");
    if (dir == NULL || dir[0] == '\0')
        dir = "/tmp";
    snprintf(path, 256, "%s/ks-config-XXXXXX", dir);
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    size_t len = strlen(text);
    assert_int_equal(write(fd, text, len), (ssize_t)len);
    close(fd);
}

/* Loads `text` over the defaults; returns the code and fills err and *cfg. */
static int load_text(const char *text, ks_config_t *cfg, char *path, char *err, size_t errlen)
{
    write_temp(path, text);
    ks_config_defaults(cfg);
    int rc = ks_config_load(cfg, path, err, errlen);
    unlink(path);
    return rc;
}

/* Expects loading `text` to fail with exactly "<path>:<line>: <msg>". */
static void expect_error(const char *text, int line, const char *msg)
{
    char path[256], err[512], want[1024];
    ks_config_t cfg, defaults;
    ks_config_defaults(&defaults);
    int rc = load_text(text, &cfg, path, err, sizeof err);
    assert_true(rc < 0);
    snprintf(want, sizeof want, "%s:%d: %s", path, line, msg);
    assert_string_equal(err, want);
    /* A failed load leaves the configuration as it was. */
    assert_memory_equal(&cfg, &defaults, sizeof cfg);
}

static void test_defaults(void **state)
{
    (void)state;
    ks_config_t c;
    memset(&c, 0x5A, sizeof c);
    ks_config_defaults(&c);
    assert_int_equal(c.mode, KS_MODE_SERVICE);
    assert_string_equal(c.language, "zh_CN");
    assert_int_equal(c.idle_timeout_s, 60);
    assert_int_equal(c.countdown_s, 30);
    assert_int_equal(c.message_timeout_s, 30);
    assert_string_equal(c.state_dir, "/var/lib/civic-kiosk");
    assert_string_equal(c.assets_dir, "");
    assert_int_equal(c.width, 1080);
    assert_int_equal(c.height, 1920);
    assert_int_equal(c.rotate, 0);
    assert_true(c.diagonal_in == 21.5);
    assert_int_equal(c.dpi, 0);
    assert_int_equal(c.dim_after_s, 120);
    assert_int_equal(c.elderly_default, 0);
    assert_string_equal(c.font_regular, "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc");
    assert_string_equal(c.font_bold, "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc");
    assert_int_equal(c.font_index, 2);
    assert_int_equal(c.log_target, KS_LOG_TO_STDERR);
    assert_int_equal(c.log_level, KS_LOG_INFO);
}

static void test_full_file(void **state)
{
    (void)state;
    const char *text = "; civic-kiosk test configuration\n"
                       "# hash comments too\n"
                       "\n"
                       "[kiosk]\n"
                       "mode = registry\n"
                       "language = en\n"
                       "idle_timeout_s = 3600\n"
                       "countdown_s = 20\n"
                       "message_timeout_s = 600\n"
                       "state_dir = /srv/kiosk/state\n"
                       "assets_dir = /opt/kiosk/assets\n"
                       "\n"
                       "[display]\n"
                       "width = 320\n"
                       "height = 7680\n"
                       "rotate = 270\n"
                       "diagonal_in = 32.5\n"
                       "dpi = 96\n"
                       "dim_after_s = 0\n"
                       "elderly_mode = yes\n"
                       "[font]\n"
                       "regular = /fonts/a.otf\n"
                       "bold = /fonts/b.otf\n"
                       "index = 15\n"
                       "[log]\n"
                       "target = journald\n"
                       "level = debug\n"
                       "[marriage]\n"
                       "office = JJ01\n"
                       "holidays = /etc/h.txt\n"
                       "min_notice_workdays = 0\n"
                       "horizon_days = 60\n"
                       "cancel_notice_hours = 48\n"
                       "second_card_timeout_s = 10\n";
    char path[256], err[512];
    ks_config_t c;
    assert_int_equal(load_text(text, &c, path, err, sizeof err), KS_OK);
    assert_string_equal(err, "");
    assert_string_equal(c.marriage.office, "JJ01");
    assert_string_equal(c.marriage.holidays, "/etc/h.txt");
    assert_int_equal(c.marriage.min_notice_workdays, 0);
    assert_int_equal(c.marriage.horizon_days, 60);
    assert_int_equal(c.marriage.cancel_notice_hours, 48);
    assert_int_equal(c.marriage.second_card_timeout_s, 10);
    assert_int_equal(c.mode, KS_MODE_REGISTRY);
    assert_string_equal(c.language, "en");
    assert_int_equal(c.idle_timeout_s, 3600);
    assert_int_equal(c.countdown_s, 20);
    assert_int_equal(c.message_timeout_s, 600);
    assert_string_equal(c.state_dir, "/srv/kiosk/state");
    assert_string_equal(c.assets_dir, "/opt/kiosk/assets");
    assert_int_equal(c.width, 320);
    assert_int_equal(c.height, 7680);
    assert_int_equal(c.rotate, 270);
    assert_true(c.diagonal_in == 32.5);
    assert_int_equal(c.dpi, 96);
    assert_int_equal(c.dim_after_s, 0);
    assert_int_equal(c.elderly_default, 1);
    assert_string_equal(c.font_regular, "/fonts/a.otf");
    assert_string_equal(c.font_bold, "/fonts/b.otf");
    assert_int_equal(c.font_index, 15);
    assert_int_equal(c.log_target, KS_LOG_TO_JOURNALD);
    assert_int_equal(c.log_level, KS_LOG_DEBUG);
}

/* Keys that are absent keep what was in cfg before the load, not the defaults. */
static void test_load_over_existing(void **state)
{
    (void)state;
    char path[256], err[256];
    write_temp(path, "[kiosk]\ncountdown_s = 45\n");
    ks_config_t c;
    ks_config_defaults(&c);
    c.idle_timeout_s = 99;
    assert_int_equal(ks_config_load(&c, path, err, sizeof err), KS_OK);
    unlink(path);
    assert_int_equal(c.idle_timeout_s, 99);
    assert_int_equal(c.countdown_s, 45);
}

static void test_empty_file(void **state)
{
    (void)state;
    char path[256], err[256];
    ks_config_t c, d;
    ks_config_defaults(&d);
    assert_int_equal(load_text("", &c, path, err, sizeof err), KS_OK);
    assert_memory_equal(&c, &d, sizeof c);
}

static void test_choices(void **state)
{
    (void)state;
    static const struct {
        const char *word;
        int value;
    } bools[] = {{"true", 1}, {"false", 0}, {"yes", 1}, {"no", 0},
                 {"1", 1},    {"0", 0},     {"on", 1},  {"off", 0}};
    char path[256], err[256], text[128];
    ks_config_t c;
    for (size_t i = 0; i < sizeof bools / sizeof bools[0]; i++) {
        snprintf(text, sizeof text, "[display]\nelderly_mode = %s\n", bools[i].word);
        assert_int_equal(load_text(text, &c, path, err, sizeof err), KS_OK);
        assert_int_equal(c.elderly_default, bools[i].value);
    }

    static const struct {
        const char *word;
        int value;
    } levels[] = {{"error", KS_LOG_ERROR},
                  {"warn", KS_LOG_WARN},
                  {"info", KS_LOG_INFO},
                  {"debug", KS_LOG_DEBUG}};
    for (size_t i = 0; i < sizeof levels / sizeof levels[0]; i++) {
        snprintf(text, sizeof text, "[log]\nlevel = %s\n", levels[i].word);
        assert_int_equal(load_text(text, &c, path, err, sizeof err), KS_OK);
        assert_int_equal(c.log_level, levels[i].value);
    }

    static const int rotations[] = {0, 90, 180, 270};
    for (size_t i = 0; i < 4; i++) {
        snprintf(text, sizeof text, "[display]\nrotate = %d\n", rotations[i]);
        assert_int_equal(load_text(text, &c, path, err, sizeof err), KS_OK);
        assert_int_equal(c.rotate, rotations[i]);
    }

    /* Range ends, 0 where it means "never"/"derive", and an explicit plus sign. */
    assert_int_equal(
        load_text("[display]\ndim_after_s = 86400\ndpi = 600\n", &c, path, err, sizeof err), KS_OK);
    assert_int_equal(c.dim_after_s, 86400);
    assert_int_equal(c.dpi, 600);
    assert_int_equal(load_text("[display]\ndpi = 0\ndiagonal_in = 5\n", &c, path, err, sizeof err),
                     KS_OK);
    assert_int_equal(c.dpi, 0);
    assert_true(c.diagonal_in == 5.0);
    /* Both 0: the display's own millimetres, else the stated default. */
    assert_int_equal(load_text("[display]\ndpi = 0\ndiagonal_in = 0\n", &c, path, err, sizeof err),
                     KS_OK);
    assert_true(c.diagonal_in == 0.0);
    assert_int_equal(
        load_text("[kiosk]\nidle_timeout_s = +10\nassets_dir =\n", &c, path, err, sizeof err),
        KS_OK);
    assert_int_equal(c.idle_timeout_s, 10);
    assert_string_equal(c.assets_dir, "");
}

typedef struct {
    const char *section, *key, *value, *expected;
} bad_case_t;

static const bad_case_t bad_cases[] = {
    {"kiosk", "mode", "kiosk", "service or registry"},
    {"kiosk", "mode", "Service", "service or registry"},
    {"kiosk", "language", "zh", "zh_CN or en"},
    {"kiosk", "language", "en_US", "zh_CN or en"},
    {"kiosk", "idle_timeout_s", "5", "an integer from 10 to 3600"},
    {"kiosk", "idle_timeout_s", "3601", "an integer from 10 to 3600"},
    {"kiosk", "idle_timeout_s", "60s", "an integer from 10 to 3600"},
    {"kiosk", "idle_timeout_s", "", "an integer from 10 to 3600"},
    {"kiosk", "idle_timeout_s", "99999999999999999999999", "an integer from 10 to 3600"},
    {"kiosk", "idle_timeout_s", "4294967356", "an integer from 10 to 3600"},
    {"kiosk", "countdown_s", "19", "an integer from 20 to 120"},
    {"kiosk", "countdown_s", "121", "an integer from 20 to 120"},
    {"kiosk", "countdown_s", "3 0", "an integer from 20 to 120"},
    {"kiosk", "message_timeout_s", "4", "an integer from 5 to 600"},
    {"kiosk", "message_timeout_s", "0x20", "an integer from 5 to 600"},
    {"kiosk", "state_dir", "", "a non-empty path of at most 511 bytes"},
    {"display", "width", "319", "an integer from 320 to 7680"},
    {"display", "width", "1080.5", "an integer from 320 to 7680"},
    {"display", "height", "7681", "an integer from 320 to 7680"},
    {"display", "height", "-1920", "an integer from 320 to 7680"},
    {"display", "rotate", "45", "0, 90, 180 or 270"},
    {"display", "rotate", "-90", "0, 90, 180 or 270"},
    {"display", "diagonal_in", "4.9", "0 or a number from 5 to 100"},
    {"display", "diagonal_in", "0.5", "0 or a number from 5 to 100"},
    {"display", "diagonal_in", "100.1", "0 or a number from 5 to 100"},
    {"display", "diagonal_in", "21.5in", "0 or a number from 5 to 100"},
    {"display", "diagonal_in", "nan", "0 or a number from 5 to 100"},
    {"display", "diagonal_in", "inf", "0 or a number from 5 to 100"},
    {"display", "dpi", "49", "0 or an integer from 50 to 600"},
    {"display", "dpi", "601", "0 or an integer from 50 to 600"},
    {"display", "dim_after_s", "9", "0 or an integer from 10 to 86400"},
    {"display", "dim_after_s", "86401", "0 or an integer from 10 to 86400"},
    {"display", "elderly_mode", "maybe", "true, false, yes, no, on, off, 1 or 0"},
    {"display", "elderly_mode", "2", "true, false, yes, no, on, off, 1 or 0"},
    {"font", "regular", "", "a non-empty path of at most 511 bytes"},
    {"font", "bold", "", "a non-empty path of at most 511 bytes"},
    {"font", "index", "16", "an integer from 0 to 15"},
    {"font", "index", "-1", "an integer from 0 to 15"},
    {"log", "target", "syslog", "stderr or journald"},
    {"log", "level", "warning", "error, warn, info or debug"},
    {"log", "level", "6", "error, warn, info or debug"},
};

/* Each bad value sits on a different line, after valid keys, comments and blanks. */
static void test_bad_values(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof bad_cases / sizeof bad_cases[0]; i++) {
        const bad_case_t *b = &bad_cases[i];
        char text[1024], msg[512];
        size_t pos = 0;
        int line = 0;
        pos += (size_t)snprintf(text + pos, sizeof text - pos, "; case %zu\n[%s]\n", i, b->section);
        line += 2;
        for (size_t k = 0; k < i % 5; k++) {
            pos += (size_t)snprintf(text + pos, sizeof text - pos, "%s\n",
                                    k % 2 == 0 ? "" : "; filler");
            line++;
        }
        pos += (size_t)snprintf(text + pos, sizeof text - pos, "%s = %s\n", b->key, b->value);
        line++;
        snprintf(text + pos, sizeof text - pos, "[log]\nlevel = info\n");
        snprintf(msg, sizeof msg, "bad value for [%s] %s: '%s' (expected %s)", b->section, b->key,
                 b->value, b->expected);
        expect_error(text, line, msg);
    }
}

static void test_brief_examples(void **state)
{
    (void)state;
    expect_error("[display]\nrotate = 45\n", 2,
                 "bad value for [display] rotate: '45' (expected 0, 90, 180 or 270)");
    expect_error("[kiosk]\n\nidle_timeout_s = 5\n", 3,
                 "bad value for [kiosk] idle_timeout_s: '5' (expected an integer from 10 to 3600)");
}

static void test_unknown_key_and_section(void **state)
{
    (void)state;
    expect_error("[kiosk]\nmode = service\nfoo = 1\n", 3, "unknown key 'foo' in section [kiosk]");
    /* A key that exists, but in another section. */
    expect_error("[display]\nlanguage = en\n", 2, "unknown key 'language' in section [display]");
    /* Key names are case-sensitive. */
    expect_error("[kiosk]\nMode = service\n", 2, "unknown key 'Mode' in section [kiosk]");
    /* The section is reported on its own line, even when it is empty. */
    expect_error("[kiosk]\nmode = service\n\n[network]\n", 4, "unknown section [network]");
    expect_error("[kiosk]\n[network]\nurl = x\n", 2, "unknown section [network]");
    expect_error("mode = service\n[kiosk]\n", 1, "key 'mode' is outside any section");
}

static void test_backend_section(void **state)
{
    (void)state;
    char path[256], err[512];
    ks_config_t c;
    ks_config_defaults(&c);
    assert_false(c.backend.enabled);
    assert_int_equal(c.backend.attempts, 3);
    assert_int_equal(c.backend.max_response_kib, 256);
    const char *text = "[backend]\nenabled = true\nurl = https://127.0.0.1:8443\n"
                       "ca = /pki/ca.pem\ncert = /pki/k.pem\nkey = /pki/k.key\n"
                       "secret_file = /pki/k.secret\nkiosk_id = JJ-0007\n"
                       "pin = sha256//AAAA\nbackup_pin = sha256//BBBB\n"
                       "connect_timeout_ms = 1500\ntimeout_ms = 9000\nattempts = 5\n"
                       "max_response_kib = 64\n";
    assert_int_equal(load_text(text, &c, path, err, sizeof err), KS_OK);
    assert_true(c.backend.enabled);
    assert_string_equal(c.backend.url, "https://127.0.0.1:8443");
    assert_string_equal(c.backend.secret_file, "/pki/k.secret");
    assert_string_equal(c.backend.kiosk_id, "JJ-0007");
    assert_string_equal(c.backend.backup_pin, "sha256//BBBB");
    assert_int_equal(c.backend.connect_timeout_ms, 1500);
    assert_int_equal(c.backend.timeout_ms, 9000);
    assert_int_equal(c.backend.attempts, 5);
    assert_int_equal(c.backend.max_response_kib, 64);
    expect_error("[backend]\nattempts = 0\n", 2,
                 "bad value for [backend] attempts: '0' (expected an integer from 1 to 10)");
    expect_error(
        "[backend]\nurl =\n", 2,
        "bad value for [backend] url: '' (expected a non-empty path of at most 511 bytes)");
    expect_error("[backend]\nsecret = x\n", 2, "unknown key 'secret' in section [backend]");
}

static void test_marriage_section(void **state)
{
    (void)state;
    char path[256], err[512];
    ks_config_t c;
    ks_config_defaults(&c);
    assert_string_equal(c.marriage.office, "");
    assert_int_equal(c.marriage.min_notice_workdays, 2);
    assert_int_equal(c.marriage.horizon_days, 30);
    assert_int_equal(c.marriage.cancel_notice_hours, 24);
    assert_int_equal(c.marriage.second_card_timeout_s, 120);
    assert_true(c.marriage.holidays[0] != '\0');
    /* A registry kiosk checks couples in for its own office: it must know which. */
    assert_int_equal(load_text("[kiosk]\nmode = registry\n", &c, path, err, sizeof err),
                     KS_E_PARSE);
    assert_non_null(strstr(err, "mode = registry needs [marriage] office"));
    assert_int_equal(load_text("[marriage]\noffice = JJ 01\n", &c, path, err, sizeof err),
                     KS_E_PARSE);
    assert_non_null(strstr(err, "not an office code"));
    assert_int_equal(load_text("[marriage]\noffice = JJ01\n", &c, path, err, sizeof err), KS_OK);
    expect_error("[marriage]\nhorizon_days = 0\n", 2,
                 "bad value for [marriage] horizon_days: '0' (expected an integer from 1 to 61)");
    expect_error("[marriage]\nsecond_card_timeout_s = 5\n", 2,
                 "bad value for [marriage] second_card_timeout_s: '5' (expected an integer from "
                 "10 to 600)");
}

static void test_printer_and_staff_sections(void **state)
{
    (void)state;
    char path[256], err[512];
    ks_config_t c;
    ks_config_defaults(&c);
    assert_int_equal(c.printer.enabled, 0);
    assert_int_equal(c.printer.qr_raster, 0);
    assert_int_equal(c.printer.patience_s, 60);
    assert_string_equal(c.printer.device, "");
    assert_string_equal(c.staff.pin_hash, "");
    assert_int_equal(load_text("[printer]\nenabled = yes\ndevice = /dev/usb/lp0\n"
                               "ids = 04b8:0202, 0416:5011\nqr = raster\npatience_s = 30\n"
                               "[staff]\npin_hash = $argon2id$v=19$m=65536,t=2,p=1$abc$def\n",
                               &c, path, err, sizeof err),
                     KS_OK);
    assert_int_equal(c.printer.enabled, 1);
    assert_string_equal(c.printer.device, "/dev/usb/lp0");
    assert_string_equal(c.printer.ids, "04b8:0202, 0416:5011");
    assert_int_equal(c.printer.qr_raster, 1);
    assert_int_equal(c.printer.patience_s, 30);
    assert_string_equal(c.staff.pin_hash, "$argon2id$v=19$m=65536,t=2,p=1$abc$def");
    /* A malformed id list is refused when read, not when the printer is looked for. */
    ks_config_defaults(&c);
    assert_int_equal(load_text("[printer]\nids = 04b8-0202\n", &c, path, err, sizeof err),
                     KS_E_PARSE);
    assert_non_null(strstr(err, "[printer] ids: '04b8-0202' is not a list of VID:PID"));
    assert_int_equal(c.printer.ids[0], '\0'); /* nothing committed */
    expect_error("[printer]\nqr = bitmap\n", 2,
                 "bad value for [printer] qr: 'bitmap' (expected command or raster)");
    expect_error("[printer]\npatience_s = 1\n", 2,
                 "bad value for [printer] patience_s: '1' (expected an integer from 5 to 600)");
}

/* The shipped files document every key: each must load as it is. */
static void test_shipped_files_load(void **state)
{
    (void)state;
    const char *src = getenv("KS_SOURCE_DIR");
    if (!src)
        skip();
    static const char *const files[] = {"config/kiosk.ini", "config/demo.ini"};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        char path[1024], err[512];
        ks_config_t c;
        ks_config_defaults(&c);
        snprintf(path, sizeof path, "%s/%s", src, files[i]);
        int rc = ks_config_load(&c, path, err, sizeof err);
        if (rc != KS_OK)
            fail_msg("%s", err);
    }
}

static void test_missing_file(void **state)
{
    (void)state;
    char err[512], want[512];
    const char *path = "/nonexistent-dir/kiosk.ini";
    ks_config_t c;
    ks_config_defaults(&c);
    assert_int_equal(ks_config_load(&c, path, err, sizeof err), KS_E_IO);
    snprintf(want, sizeof want, "%s: cannot open: No such file or directory", path);
    assert_string_equal(err, want);
}

static void test_directory(void **state)
{
    (void)state;
    char err[512];
    ks_config_t c;
    ks_config_defaults(&c);
    assert_int_equal(ks_config_load(&c, "/", err, sizeof err), KS_E_IO);
    assert_string_equal(err, "/: cannot read: Is a directory");
}

static void test_comments_and_blanks(void **state)
{
    (void)state;
    const char *text = "\xEF\xBB\xBF; leading BOM, then a comment\n"
                       "\n"
                       "   \n"
                       "# another comment\n"
                       "[kiosk]   ; inline comment after a section\n"
                       "\tcountdown_s = 40 ; inline comment after a value\n"
                       "  idle_timeout_s=90\n"
                       "\r\n"
                       "[display]\r\n"
                       "width = 1280\r\n";
    char path[256], err[256];
    ks_config_t c;
    assert_int_equal(load_text(text, &c, path, err, sizeof err), KS_OK);
    assert_int_equal(c.countdown_s, 40);
    assert_int_equal(c.idle_timeout_s, 90);
    assert_int_equal(c.width, 1280);
}

/* An indented line is a key of its own, never a continuation of the previous value. */
static void test_indented_line_is_not_continuation(void **state)
{
    (void)state;
    expect_error("[kiosk]\nstate_dir = /srv/a\n    /srv/b\n", 3,
                 "syntax error (expected [section] or key = value)");
}

static void test_first_error_wins(void **state)
{
    (void)state;
    expect_error("[kiosk]\nidle_timeout_s = 1\nfoo = 2\n", 2,
                 "bad value for [kiosk] idle_timeout_s: '1' (expected an integer from 10 to 3600)");
    expect_error("[kiosk]\nfoo = 2\nidle_timeout_s = 1\n", 2,
                 "unknown key 'foo' in section [kiosk]");
    /* A syntax error inih finds itself still competes by line number. */
    expect_error("[kiosk]\nthis line has no equals sign\nfoo = 2\n", 2,
                 "syntax error (expected [section] or key = value)");
    expect_error("[kiosk]\nfoo = 2\nthis line has no equals sign\n", 2,
                 "unknown key 'foo' in section [kiosk]");
    expect_error("[kiosk\nmode = service\n", 1, "syntax error (expected [section] or key = value)");
}

static void test_duplicate_key(void **state)
{
    (void)state;
    expect_error("[kiosk]\ncountdown_s = 30\n[display]\nwidth = 400\n[kiosk]\ncountdown_s = 40\n",
                 6, "duplicate key 'countdown_s' in section [kiosk] (first set on line 2)");
}

/* libinih cuts lines at 200 bytes; the cut must be an error on the right line. */
static void test_line_too_long(void **state)
{
    (void)state;
    char text[1024], value[400];
    memset(value, 'a', 300);
    value[0] = '/';
    value[300] = '\0';
    snprintf(text, sizeof text, "[kiosk]\nstate_dir = %s\nfoo = 1\n", value);
    expect_error(text, 2, "line is too long (at most 199 bytes)");

    /* A long comment loses nothing by the cut, and later lines keep their numbers. */
    snprintf(text, sizeof text, "; %s\n[kiosk]\nidle_timeout_s = 1\n", value);
    expect_error(text, 3,
                 "bad value for [kiosk] idle_timeout_s: '1' (expected an integer from 10 to 3600)");
    char path[256], err[512];
    ks_config_t c;

    /* Exactly at the limit is fine. */
    memset(value, 'b', sizeof value);
    value[0] = '/';
    size_t prefix = strlen("state_dir = ");
    value[199 - prefix] = '\0';
    snprintf(text, sizeof text, "[kiosk]\nstate_dir = %s\n", value);
    assert_int_equal(load_text(text, &c, path, err, sizeof err), KS_OK);
    assert_string_equal(c.state_dir, value);
}

static void test_small_error_buffer(void **state)
{
    (void)state;
    char path[256], err[16];
    ks_config_t c;
    assert_true(load_text("[kiosk]\nfoo = 1\n", &c, path, err, sizeof err) < 0);
    assert_int_equal(strlen(err), sizeof err - 1);
    assert_memory_equal(err, path, sizeof err - 1);
    /* No error buffer at all is allowed. */
    assert_true(load_text("[kiosk]\nfoo = 1\n", &c, path, NULL, 0) < 0);
}

/* LoadCredential=: a credential named like the configured file replaces it. */
static void test_credentials(void **state)
{
    (void)state;
    ks_config_t c;
    char dir[] = "/tmp/ks-creds-XXXXXX", path[600];
    assert_non_null(mkdtemp(dir));
    ks_config_defaults(&c);
    snprintf(c.backend.cert, sizeof c.backend.cert, "/etc/civic-kiosk/pki/kiosk.pem");
    snprintf(c.backend.key, sizeof c.backend.key, "/etc/civic-kiosk/pki/kiosk.key");
    snprintf(c.backend.secret_file, sizeof c.backend.secret_file, "kiosk.secret");
    /* Nothing there yet, no directory, or not an absolute one: unchanged. */
    assert_int_equal(ks_config_use_credentials(&c, dir), 0);
    assert_int_equal(ks_config_use_credentials(&c, NULL), 0);
    assert_int_equal(ks_config_use_credentials(&c, ""), 0);
    assert_string_equal(c.backend.key, "/etc/civic-kiosk/pki/kiosk.key");
    const char *names[] = {"kiosk.key", "kiosk.secret"};
    for (int i = 0; i < 2; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        FILE *f = fopen(path, "w");
        assert_non_null(f);
        fclose(f);
    }
    assert_int_equal(ks_config_use_credentials(&c, dir), 2);
    snprintf(path, sizeof path, "%s/kiosk.key", dir);
    assert_string_equal(c.backend.key, path);
    snprintf(path, sizeof path, "%s/kiosk.secret", dir);
    assert_string_equal(c.backend.secret_file, path);
    assert_string_equal(c.backend.cert, "/etc/civic-kiosk/pki/kiosk.pem"); /* not given: kept */
    for (int i = 0; i < 2; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        unlink(path);
    }
    rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_credentials),
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_full_file),
        cmocka_unit_test(test_load_over_existing),
        cmocka_unit_test(test_empty_file),
        cmocka_unit_test(test_choices),
        cmocka_unit_test(test_bad_values),
        cmocka_unit_test(test_brief_examples),
        cmocka_unit_test(test_unknown_key_and_section),
        cmocka_unit_test(test_missing_file),
        cmocka_unit_test(test_backend_section),
        cmocka_unit_test(test_marriage_section),
        cmocka_unit_test(test_printer_and_staff_sections),
        cmocka_unit_test(test_shipped_files_load),
        cmocka_unit_test(test_directory),
        cmocka_unit_test(test_comments_and_blanks),
        cmocka_unit_test(test_indented_line_is_not_continuation),
        cmocka_unit_test(test_first_error_wins),
        cmocka_unit_test(test_duplicate_key),
        cmocka_unit_test(test_line_too_long),
        cmocka_unit_test(test_small_error_buffer),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
