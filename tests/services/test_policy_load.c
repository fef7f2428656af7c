/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The policy file loader (ks_policy_load_file): the bundled fallback loads and
 * carries the 2020 figures of domain.md with its date; each kind of bad file is
 * refused with "path: reason" naming the problem; and the caller's pattern —
 * the cached copy, else the fallback — ends with usable data.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "policy_fixture.h"

#include <unistd.h>

static char g_dir[] = "/tmp/ks-policy-test-XXXXXX";

static int setup(void **state)
{
    (void)state;
    return mkdtemp(g_dir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", g_dir);
    return system(cmd) == 0 ? 0 : -1;
}

/* Writes len bytes to <tmp>/name; the path in out. */
static void write_file(const char *name, const char *data, size_t len, char *out, size_t outlen)
{
    snprintf(out, outlen, "%s/%s", g_dir, name);
    FILE *f = fopen(out, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
}

/* The demo JSON with the first `from` replaced by `to` (malloc'd). */
static char *demo_json_with(const char *from, const char *to)
{
    fixture_figures_t f = fixture_demo();
    char *json = malloc(FIXTURE_JSON_MAX);
    char *out = malloc(FIXTURE_JSON_MAX + 256);
    assert_non_null(json);
    assert_non_null(out);
    fixture_json(&f, json, FIXTURE_JSON_MAX);
    const char *at = from ? strstr(json, from) : NULL;
    if (from && !at)
        fail_msg("\"%s\" not in the fixture", from);
    if (at)
        snprintf(out, FIXTURE_JSON_MAX + 256, "%.*s%s%s", (int)(at - json), json, to,
                 at + strlen(from));
    else
        snprintf(out, FIXTURE_JSON_MAX + 256, "%s", json);
    free(json);
    return out;
}

static void test_fallback_file(void **state)
{
    (void)state;
    ks_api_policies_t *p = fixture_fallback_policies();
    assert_string_equal(p->version, "2020-fallback");
    assert_string_equal(p->effective, "2020-01-01");
    assert_non_null(strstr(p->source, "2020年数据"));
    assert_non_null(strstr(p->source, "本机内置"));
    assert_int_equal(p->n, 6);
    for (int i = 0; i < p->n; i++) {
        assert_string_equal(p->programmes[i].effective, "2020-01-01");
        assert_true(p->programmes[i].source[0] != '\0');
        assert_true(p->programmes[i].n_documents > 0);
    }
    /* The figures of domain.md (district plan, 2020), and only those. */
    assert_int_equal(ks_policy_amount(p, "DIBAO", "URBAN"), 62000);
    assert_int_equal(ks_policy_amount(p, "DIBAO", "RURAL"), 49600);
    assert_int_equal(ks_policy_param(p, "DIBAO", "gradual_exit_permille", -1), 1500);
    assert_int_equal(ks_policy_param(p, "DIBAO", "gradual_exit_months", -1), 6);
    assert_int_equal(ks_policy_amount(p, "TEKUN", "TEKUN"), 80600);
    assert_int_equal(ks_policy_param(p, "TEKUN", "tekun_minor_age", -1), 18);
    assert_int_equal(ks_policy_amount(p, "GUER", "JIZHONG"), 145600);
    assert_int_equal(ks_policy_amount(p, "GUER", "SANJU"), 125600);
    static const char *const no_figures[] = {"LINSHI", "CANJI", "GAOLING"};
    for (size_t i = 0; i < 3; i++) {
        const ks_api_policy_t *pol = ks_policy_find(p, no_figures[i]);
        assert_non_null(pol);
        assert_int_equal(pol->n_amounts, 0);
        assert_non_null(strstr(pol->summary, "镇街"));
    }
    char err[200];
    assert_int_equal(ks_policy_validate(p, err, sizeof err), KS_OK);
    free(p);
}

typedef struct {
    const char *what;
    const char *from, *to; /* edit of the demo JSON; from NULL: `to` is the whole file */
    int rc;
    const char *reason; /* expected in err after "path: " */
} bad_file_t;

static const bad_file_t BAD[] = {
    {"not JSON", NULL, "{\"version\": ", KS_E_PARSE, "not JSON"},
    {"not an object", NULL, "[1,2]", KS_E_PARSE, "expected an object"},
    {"empty", NULL, "", KS_E_PARSE, "empty file"},
    {"missing field", "\"who\":\"对象\",", "", KS_E_PARSE, "programmes[0].who: missing"},
    {"missing version", "\"version\":\"test\",", "", KS_E_PARSE, "version: missing"},
    {"mistyped amount", "\"amount_fen\":62000", "\"amount_fen\":\"62000\"", KS_E_PARSE,
     "programmes[0].amounts[0].amount_fen: expected an integer"},
    {"negative amount", "\"amount_fen\":62000", "\"amount_fen\":-5", KS_E_PARSE,
     "programmes[0].amounts[0].amount_fen"},
    {"mistyped param", "\"gradual_exit_months\":6", "\"gradual_exit_months\":\"6\"", KS_E_PARSE,
     "gradual_exit_months"},
    {"bad date", "\"effective\":\"2020-01-01\"", "\"effective\":\"2020-13-01\"", KS_E_PARSE,
     "effective: expected a date"},
    {"duplicate code", "\"code\":\"LINSHI\"", "\"code\":\"DIBAO\"", KS_E_PARSE,
     "code DIBAO given twice"},
    {"missing DIBAO URBAN", "\"key\":\"URBAN\"", "\"key\":\"CITY\"", KS_E_PARSE,
     "DIBAO: amount URBAN missing"},
    {"missing DIBAO", "\"code\":\"DIBAO\"", "\"code\":\"DIBAO2\"", KS_E_PARSE,
     "programme DIBAO missing"},
    {"permille too low", "\"gradual_exit_permille\":1500", "\"gradual_exit_permille\":999",
     KS_E_PARSE, "DIBAO: parameter gradual_exit_permille is 999, outside 1000..3000"},
    {"months too high", "\"gradual_exit_months\":6", "\"gradual_exit_months\":25", KS_E_PARSE,
     "gradual_exit_months is 25"},
    {"minor age too low", "\"tekun_minor_age\":18", "\"tekun_minor_age\":13", KS_E_PARSE,
     "TEKUN: parameter tekun_minor_age is 13"},
    {"minor age missing", "\"tekun_minor_age\":18", "", KS_E_PARSE,
     "TEKUN: parameter tekun_minor_age missing"},
};

static void test_bad_files(void **state)
{
    (void)state;
    ks_api_policies_t *p = malloc(sizeof *p);
    assert_non_null(p);
    for (size_t i = 0; i < sizeof BAD / sizeof BAD[0]; i++) {
        const bad_file_t *b = &BAD[i];
        char *json = b->from ? demo_json_with(b->from, b->to) : strdup(b->to);
        assert_non_null(json);
        char path[256], err[512], want[600];
        write_file("bad.json", json, strlen(json), path, sizeof path);
        memset(p, 0x55, sizeof *p);
        int rc = ks_policy_load_file(path, p, err, sizeof err);
        snprintf(want, sizeof want, "%s: ", path);
        if (rc != b->rc || strncmp(err, want, strlen(want)) != 0 || !strstr(err, b->reason))
            fail_msg("%s: rc %d, err \"%s\", expected %d and \"%s\"", b->what, rc, err, b->rc,
                     b->reason);
        /* Nothing half-loaded is left for a careless caller. */
        assert_int_equal(p->n, 0);
        assert_string_equal(p->version, "");
        free(json);
    }
    free(p);
}

static void test_missing_and_unreadable(void **state)
{
    (void)state;
    ks_api_policies_t *p = malloc(sizeof *p);
    assert_non_null(p);
    char path[256], err[512];
    snprintf(path, sizeof path, "%s/no-such-file.json", g_dir);
    assert_int_equal(ks_policy_load_file(path, p, err, sizeof err), KS_E_NOTFOUND);
    assert_true(strncmp(err, path, strlen(path)) == 0);
    assert_non_null(strstr(err, ": cannot open: "));
    /* A directory opens but does not read. */
    assert_int_equal(ks_policy_load_file(g_dir, p, err, sizeof err), KS_E_IO);
    assert_non_null(strstr(err, "read error"));
    assert_int_equal(ks_policy_load_file(NULL, p, err, sizeof err), KS_E_INVAL);
    free(p);
}

/* Over 256 KiB: refused before parsing, even if it is valid JSON. */
static void test_too_big(void **state)
{
    (void)state;
    size_t n = 256 * 1024 + 1;
    char *big = malloc(n);
    assert_non_null(big);
    char *json = demo_json_with(NULL, NULL);
    size_t jl = strlen(json);
    memcpy(big, json, jl);
    memset(big + jl, ' ', n - jl);
    char path[256], err[512];
    write_file("big.json", big, n, path, sizeof path);
    ks_api_policies_t *p = malloc(sizeof *p);
    assert_non_null(p);
    assert_int_equal(ks_policy_load_file(path, p, err, sizeof err), KS_E_TOOBIG);
    assert_non_null(strstr(err, "larger than 262144 bytes"));
    /* Exactly the cap is fine. */
    write_file("cap.json", big, n - 1, path, sizeof path);
    assert_int_equal(ks_policy_load_file(path, p, err, sizeof err), KS_OK);
    free(p);
    free(json);
    free(big);
}

/*
 * The caller's pattern: the cached copy of GET /policies, else the bundled
 * fallback. Returns where the data came from; the cache's error in err.
 */
static ks_policy_origin_t load_with_fallback(const char *cache, const char *fallback,
                                             ks_api_policies_t *out, char *err, size_t errlen)
{
    if (ks_policy_load_file(cache, out, err, errlen) == KS_OK)
        return KS_POLICY_FROM_CACHE;
    char err2[512];
    assert_int_equal(ks_policy_load_file(fallback, out, err2, sizeof err2), KS_OK);
    return KS_POLICY_FROM_FALLBACK;
}

static void test_fallback_used_when_cache_bad(void **state)
{
    (void)state;
    char fallback[1024], cache[256], err[512];
    fixture_source_path("config/policies-fallback.json", fallback, sizeof fallback);
    ks_api_policies_t *p = malloc(sizeof *p);
    assert_non_null(p);

    /* A good cache wins. */
    char *json = demo_json_with(NULL, NULL);
    write_file("policies.json", json, strlen(json), cache, sizeof cache);
    assert_int_equal(load_with_fallback(cache, fallback, p, err, sizeof err), KS_POLICY_FROM_CACHE);
    assert_string_equal(p->version, "test");
    free(json);

    /* Every bad cache (and a missing one) ends on the dated fallback. */
    for (size_t i = 0; i < sizeof BAD / sizeof BAD[0]; i++) {
        json = BAD[i].from ? demo_json_with(BAD[i].from, BAD[i].to) : strdup(BAD[i].to);
        assert_non_null(json);
        write_file("policies.json", json, strlen(json), cache, sizeof cache);
        assert_int_equal(load_with_fallback(cache, fallback, p, err, sizeof err),
                         KS_POLICY_FROM_FALLBACK);
        assert_non_null(strstr(err, BAD[i].reason));
        assert_string_equal(p->version, "2020-fallback");
        assert_int_equal(ks_policy_amount(p, "DIBAO", "URBAN"), 62000);
        free(json);
    }
    assert_int_equal(unlink(cache), 0);
    assert_int_equal(load_with_fallback(cache, fallback, p, err, sizeof err),
                     KS_POLICY_FROM_FALLBACK);
    assert_non_null(strstr(err, "cannot open"));
    free(p);
}

/* A copy of the reference server's data (tests/fuzz seed) loads as well. */
static void test_demo_copy(void **state)
{
    (void)state;
    char path[1024], err[512];
    fixture_source_path("tests/fuzz/corpus/fuzz_policy/demo.json", path, sizeof path);
    ks_api_policies_t *p = malloc(sizeof *p);
    assert_non_null(p);
    if (ks_policy_load_file(path, p, err, sizeof err) != KS_OK)
        fail_msg("%s", err);
    assert_string_equal(p->version, "2020.1-demo");
    assert_int_equal(ks_policy_amount(p, "GAOLING", "AGE90"), 10000);
    free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fallback_file),
        cmocka_unit_test(test_bad_files),
        cmocka_unit_test(test_missing_and_unreadable),
        cmocka_unit_test(test_too_big),
        cmocka_unit_test(test_fallback_used_when_cache_bad),
        cmocka_unit_test(test_demo_copy),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
