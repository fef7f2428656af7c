/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The diagnostics report (diag.h) as the running kiosk's staff screen asks for
 * it: what only the kiosk knows (display, last print job, the backend's
 * history) comes from `live`; the verdict follows the problems. Cards and the
 * backend are disabled here: tests/diag/test_diagnose.py covers them with a
 * real pcscd and district-sim.
 */
#include "diag.h"
#include "error.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <curl/curl.h>

static char state_dir[64];

static int setup(void **state)
{
    (void)state;
    snprintf(state_dir, sizeof state_dir, "/tmp/ks-test-diag-XXXXXX");
    if (!mkdtemp(state_dir) || curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
        return -1;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    rmdir(state_dir);
    curl_global_cleanup();
    return 0;
}

/* A configuration with nothing to ask outside this process. */
static void quiet_config(ks_config_t *cfg)
{
    ks_config_defaults(cfg);
    cfg->card_enabled = 0;
    cfg->backend.enabled = 0;
    cfg->printer.enabled = 0;
    snprintf(cfg->state_dir, sizeof cfg->state_dir, "%s", state_dir);
}

static const cJSON *at(const cJSON *o, const char *section, const char *name)
{
    const cJSON *s = cJSON_GetObjectItemCaseSensitive(o, section);
    assert_non_null(s);
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(s, name);
    assert_non_null(v);
    return v;
}

static void test_live(void **state)
{
    (void)state;
    ks_config_t cfg;
    quiet_config(&cfg);
    ks_diag_live_t live;
    memset(&live, 0, sizeof live);
    snprintf(live.video_driver, sizeof live.video_driver, "offscreen");
    live.window_w = 1920;
    live.window_h = 1080;
    live.canvas_w = 1080;
    live.canvas_h = 1920;
    live.dpi = 96.5;
    live.rotate = 90;
    live.printer_has_job = 1;
    live.printer_last_result = KS_PRINT_FAILED;
    snprintf(live.printer_last_reason, sizeof live.printer_last_reason, "printer gone");
    live.printer_last_at = 1764400000;
    live.backend_last_success = 1764400000;
    live.backend_last_error_at = 1764400100;
    snprintf(live.backend_last_error, sizeof live.backend_last_error, "timed out");

    cJSON *r = ks_diag_collect(&cfg, &live);
    assert_non_null(r);
    assert_int_equal(ks_diag_healthy(r), 1);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(r, "problems")), 0);
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(r, "source")->valuestring, "kiosk");
    assert_string_equal(at(r, "display", "source")->valuestring, "measured");
    assert_string_equal(at(r, "display", "video_driver")->valuestring, "offscreen");
    assert_int_equal(at(r, "display", "window_width")->valueint, 1920);
    assert_int_equal(at(r, "display", "canvas_height")->valueint, 1920);
    assert_int_equal(at(r, "display", "rotate")->valueint, 90);
    assert_true(at(r, "display", "dpi")->valuedouble == 96.5);
    const cJSON *job = at(r, "printer", "last_job");
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(job, "result")->valuestring, "failed");
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(job, "reason")->valuestring,
                        "printer gone");
    assert_true(cJSON_IsString(cJSON_GetObjectItemCaseSensitive(job, "at")));
    assert_string_equal(at(r, "backend", "history")->valuestring, "kiosk");
    assert_true(cJSON_IsFalse(at(r, "backend", "probed")));
    assert_true(cJSON_IsString(at(r, "backend", "last_success")));
    assert_string_equal(at(r, "backend", "last_error")->valuestring, "timed out");
    assert_true(cJSON_IsTrue(at(r, "storage", "writable")));
    assert_true(cJSON_IsNull(at(r, "printer", "seen"))); /* the queue had not looked */
    cJSON_Delete(r);

    /* The queue saw the printer with its cover open: a problem, said in words. */
    live.printer_seen = 1;
    live.printer_status.connected = 1;
    live.printer_status.paper = KS_PAPER_OK;
    live.printer_status.cover = KS_COVER_OPEN;
    r = ks_diag_collect(&cfg, &live);
    assert_non_null(r);
    assert_int_equal(ks_diag_healthy(r), 0);
    const cJSON *seen = at(r, "printer", "seen");
    assert_true(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(seen, "connected")));
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(seen, "paper")->valuestring, "ok");
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(seen, "cover")->valuestring, "open");
    assert_string_equal(
        cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(r, "problems"), 0)->valuestring,
        "The receipt printer's cover is open.");
    cJSON_Delete(r);
}

/* Without live: the configured display, said to be configured; no print job. */
static void test_configured(void **state)
{
    (void)state;
    ks_config_t cfg;
    quiet_config(&cfg);
    cfg.rotate = 90;
    cfg.dpi = 200;
    cJSON *r = ks_diag_collect(&cfg, NULL);
    assert_non_null(r);
    assert_string_equal(at(r, "display", "source")->valuestring, "configured");
    assert_true(cJSON_IsNull(at(r, "display", "video_driver")));
    assert_int_equal(at(r, "display", "window_width")->valueint, 1080);
    assert_int_equal(at(r, "display", "canvas_width")->valueint, 1920); /* turned by 90 */
    assert_true(at(r, "display", "dpi")->valuedouble == 200.0);
    assert_true(cJSON_IsNull(at(r, "printer", "last_job")));
    assert_string_equal(at(r, "backend", "history")->valuestring, "probe");
    cJSON_Delete(r);
}

/* Each rule adds one plain sentence and makes the report unhealthy. */
static void test_problems(void **state)
{
    (void)state;
    ks_config_t cfg;
    quiet_config(&cfg);
    cfg.printer.enabled = 1;
    snprintf(cfg.printer.device, sizeof cfg.printer.device, "/nonexistent/lp0");
    snprintf(cfg.state_dir, sizeof cfg.state_dir, "/nonexistent/state");
    cJSON *r = ks_diag_collect(&cfg, NULL);
    assert_non_null(r);
    assert_int_equal(ks_diag_healthy(r), 0);
    const cJSON *problems = cJSON_GetObjectItemCaseSensitive(r, "problems");
    assert_int_equal(cJSON_GetArraySize(problems), 2);
    assert_non_null(strstr(cJSON_GetArrayItem(problems, 0)->valuestring, "/nonexistent/lp0"));
    assert_non_null(strstr(cJSON_GetArrayItem(problems, 1)->valuestring, "/nonexistent/state"));
    assert_true(cJSON_IsFalse(at(r, "printer", "found")));
    /* The verdict is the first member, for a person reading it. */
    assert_string_equal(r->child->string, "healthy");
    cJSON_Delete(r);

    /* The same printer, disabled: reported, not a problem. */
    cfg.printer.enabled = 0;
    snprintf(cfg.state_dir, sizeof cfg.state_dir, "%s", state_dir);
    r = ks_diag_collect(&cfg, NULL);
    assert_int_equal(ks_diag_healthy(r), 1);
    assert_true(cJSON_IsFalse(at(r, "printer", "found")));
    cJSON_Delete(r);
}

/* No secret of the configuration is ever in the report. */
static void test_no_secrets(void **state)
{
    (void)state;
    ks_config_t cfg;
    quiet_config(&cfg);
    snprintf(cfg.staff.pin_hash, sizeof cfg.staff.pin_hash,
             "$argon2id$v=19$m=65536,t=2,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNo");
    snprintf(cfg.backend.pin, sizeof cfg.backend.pin,
             "sha256//AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=");
    cJSON *r = ks_diag_collect(&cfg, NULL);
    char *text = cJSON_PrintUnformatted(r);
    assert_non_null(text);
    assert_null(strstr(text, "argon2"));
    assert_null(strstr(text, "c2FsdHNhbHRzYWx0"));
    assert_null(strstr(text, "AAAAAAAAAAAAAAAA"));
    assert_non_null(strstr(text, "\"pin_set\":true"));
    cJSON_free(text);
    cJSON_Delete(r);
}

static void test_arguments(void **state)
{
    (void)state;
    assert_null(ks_diag_collect(NULL, NULL));
    assert_int_equal(ks_diag_healthy(NULL), 0);
    cJSON *o = cJSON_CreateObject();
    assert_int_equal(ks_diag_healthy(o), 0);
    cJSON_AddTrueToObject(o, "healthy");
    assert_int_equal(ks_diag_healthy(o), 1);
    cJSON_Delete(o);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_live),      cmocka_unit_test(test_configured),
        cmocka_unit_test(test_problems),  cmocka_unit_test(test_no_secrets),
        cmocka_unit_test(test_arguments),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
