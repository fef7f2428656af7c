/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * ks_policy_validate: what the JSON parser cannot know. The programmes and
 * figures the estimate needs, no code, amount key or parameter twice, and the
 * parameters in range (edges included). Each refusal names the problem.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "policy_fixture.h"

static ks_api_policy_t *prog(ks_api_policies_t *p, const char *code)
{
    ks_api_policy_t *pol = (ks_api_policy_t *)(uintptr_t)ks_policy_find(p, code);
    assert_non_null(pol);
    return pol;
}

static long long *param(ks_api_policies_t *p, const char *code, const char *name)
{
    ks_api_policy_t *pol = prog(p, code);
    for (int i = 0; i < pol->n_params; i++)
        if (strcmp(pol->params[i].name, name) == 0)
            return &pol->params[i].value;
    fail_msg("no parameter %s in %s", name, code);
    return NULL;
}

static void expect_refused(const ks_api_policies_t *p, const char *reason)
{
    char err[256];
    int rc = ks_policy_validate(p, err, sizeof err);
    if (rc != KS_E_PARSE || !strstr(err, reason))
        fail_msg("rc %d, err \"%s\", expected \"%s\"", rc, err, reason);
}

static void test_valid(void **state)
{
    (void)state;
    ks_api_policies_t *p = fixture_demo_policies();
    char err[256] = "x";
    assert_int_equal(ks_policy_validate(p, err, sizeof err), KS_OK);
    assert_string_equal(err, "");
    assert_int_equal(ks_policy_validate(NULL, err, sizeof err), KS_E_INVAL);
    free(p);
}

/* Each parameter at both edges of its range passes; one step outside fails. */
static void test_param_ranges(void **state)
{
    (void)state;
    static const struct {
        const char *code, *name;
        long long lo, hi;
    } ranges[] = {
        {"DIBAO", "gradual_exit_permille", 1000, 3000},
        {"DIBAO", "gradual_exit_months", 1, 24},
        {"TEKUN", "tekun_minor_age", 14, 22},
    };
    ks_api_policies_t *p = fixture_demo_policies();
    for (size_t i = 0; i < sizeof ranges / sizeof ranges[0]; i++) {
        long long *v = param(p, ranges[i].code, ranges[i].name);
        long long keep = *v;
        char err[256], want[128];
        *v = ranges[i].lo;
        assert_int_equal(ks_policy_validate(p, err, sizeof err), KS_OK);
        *v = ranges[i].hi;
        assert_int_equal(ks_policy_validate(p, err, sizeof err), KS_OK);
        *v = ranges[i].lo - 1;
        snprintf(want, sizeof want, "%s: parameter %s is %lld, outside %lld..%lld", ranges[i].code,
                 ranges[i].name, *v, ranges[i].lo, ranges[i].hi);
        expect_refused(p, want);
        *v = ranges[i].hi + 1;
        expect_refused(p, ranges[i].name);
        *v = keep;
    }
    free(p);
}

/* A known parameter is checked wherever it appears, not only where required. */
static void test_param_elsewhere(void **state)
{
    (void)state;
    ks_api_policies_t *p = fixture_demo_policies();
    ks_api_policy_t *guer = prog(p, "GUER");
    snprintf(guer->params[0].name, sizeof guer->params[0].name, "tekun_minor_age");
    guer->params[0].value = 99;
    guer->n_params = 1;
    expect_refused(p, "GUER: parameter tekun_minor_age is 99");
    free(p);
}

static void test_required_figures(void **state)
{
    (void)state;
    static const struct {
        const char *code, *key, *reason;
    } cases[] = {
        {"DIBAO", "URBAN", "DIBAO: amount URBAN missing"},
        {"DIBAO", "RURAL", "DIBAO: amount RURAL missing"},
        {"TEKUN", "TEKUN", "TEKUN: amount TEKUN missing"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ks_api_policies_t *p = fixture_demo_policies();
        ks_api_policy_t *pol = prog(p, cases[i].code);
        for (int j = 0; j < pol->n_amounts; j++)
            if (strcmp(pol->amounts[j].key, cases[i].key) == 0) {
                pol->amounts[j].amount_fen = 0;
                expect_refused(p, "must be above 0");
                snprintf(pol->amounts[j].key, sizeof pol->amounts[j].key, "OTHER");
            }
        expect_refused(p, cases[i].reason);
        free(p);
    }
    /* TEKUN gone altogether. */
    ks_api_policies_t *p = fixture_demo_policies();
    snprintf(prog(p, "TEKUN")->code, sizeof p->programmes[0].code, "TEKUN_X");
    expect_refused(p, "programme TEKUN missing");
    free(p);
}

static void test_required_params(void **state)
{
    (void)state;
    static const struct {
        const char *code, *name;
    } cases[] = {
        {"DIBAO", "gradual_exit_permille"},
        {"DIBAO", "gradual_exit_months"},
        {"TEKUN", "tekun_minor_age"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ks_api_policies_t *p = fixture_demo_policies();
        ks_api_policy_t *pol = prog(p, cases[i].code);
        for (int j = 0; j < pol->n_params; j++)
            if (strcmp(pol->params[j].name, cases[i].name) == 0)
                snprintf(pol->params[j].name, sizeof pol->params[j].name, "renamed");
        char want[128];
        snprintf(want, sizeof want, "%s: parameter %s missing", cases[i].code, cases[i].name);
        expect_refused(p, want);
        free(p);
    }
}

static void test_duplicates(void **state)
{
    (void)state;
    ks_api_policies_t *p = fixture_demo_policies();
    ks_api_policy_t *dibao = prog(p, "DIBAO");
    snprintf(dibao->amounts[1].key, sizeof dibao->amounts[1].key, "URBAN");
    expect_refused(p, "DIBAO: amount URBAN given twice");
    free(p);

    p = fixture_demo_policies();
    dibao = prog(p, "DIBAO");
    snprintf(dibao->params[1].name, sizeof dibao->params[1].name, "%s", dibao->params[0].name);
    expect_refused(p, "given twice");
    free(p);

    p = fixture_demo_policies();
    snprintf(p->programmes[p->n - 1].code, sizeof p->programmes[0].code, "TEKUN");
    expect_refused(p, "code TEKUN given twice");
    free(p);

    /* A JSON object with a repeated name parses into two entries: refused here. */
    fixture_figures_t f = fixture_demo();
    char *json = malloc(FIXTURE_JSON_MAX);
    assert_non_null(json);
    fixture_json(&f, json, FIXTURE_JSON_MAX);
    char *at = strstr(json, "\"tekun_minor_age\":18");
    assert_non_null(at);
    memcpy(at, "\"tekun_minor_age\":16", 20); /* same length; now add a second one */
    char *json2 = malloc(FIXTURE_JSON_MAX + 64);
    assert_non_null(json2);
    snprintf(json2, FIXTURE_JSON_MAX + 64, "%.*s\"tekun_minor_age\":20,%s", (int)(at - json), json,
             at);
    p = malloc(sizeof *p);
    assert_non_null(p);
    char err[256];
    assert_int_equal(ks_policy_parse(json2, strlen(json2), p, err, sizeof err), KS_E_PARSE);
    assert_non_null(strstr(err, "TEKUN: parameter tekun_minor_age given twice"));
    assert_int_equal(p->n, 0);
    free(p);
    free(json2);
    free(json);
}

/* Hand-built structs: impossible counts, empty names, out-of-range amounts. */
static void test_malformed_struct(void **state)
{
    (void)state;
    ks_api_policies_t *p = fixture_demo_policies();
    int n = p->n;
    p->n = KS_API_MAX_PROGRAMMES + 1;
    expect_refused(p, "programme count");
    p->n = -1;
    expect_refused(p, "programme count");
    p->n = n;
    prog(p, "GUER")->n_amounts = KS_API_MAX_AMOUNTS + 1;
    expect_refused(p, "GUER: too many");
    prog(p, "GUER")->n_amounts = 2;
    prog(p, "GUER")->amounts[0].key[0] = '\0';
    expect_refused(p, "GUER: amounts[0] has an empty key");
    snprintf(prog(p, "GUER")->amounts[0].key, sizeof p->programmes[0].amounts[0].key, "JIZHONG");
    prog(p, "GUER")->amounts[0].amount_fen = -2;
    expect_refused(p, "GUER: amount JIZHONG is -2");
    prog(p, "GUER")->amounts[0].amount_fen = 100000000001LL;
    expect_refused(p, "GUER: amount JIZHONG is 100000000001");
    prog(p, "GUER")->amounts[0].amount_fen = 145600;
    prog(p, "GUER")->code[0] = '\0';
    expect_refused(p, "empty code");
    free(p);
}

static void test_small_err_buffer(void **state)
{
    (void)state;
    ks_api_policies_t *p = fixture_demo_policies();
    prog(p, "TEKUN")->amounts[0].amount_fen = 0;
    char tiny[6];
    assert_int_equal(ks_policy_validate(p, tiny, sizeof tiny), KS_E_PARSE);
    assert_string_equal(tiny, "TEKUN");
    assert_int_equal(ks_policy_validate(p, NULL, 0), KS_E_PARSE);
    free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid),
        cmocka_unit_test(test_param_ranges),
        cmocka_unit_test(test_param_elsewhere),
        cmocka_unit_test(test_required_figures),
        cmocka_unit_test(test_required_params),
        cmocka_unit_test(test_duplicates),
        cmocka_unit_test(test_malformed_struct),
        cmocka_unit_test(test_small_err_buffer),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
