/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Shared by the services tests: policy data built from JSON text through the
 * real parser (ks_policy_parse → ks_api_parse + ks_policy_validate), with every
 * figure a field of fixture_figures_t so a test can change one and see the
 * estimate follow. Include after <cmocka.h>.
 */
#ifndef KS_POLICY_FIXTURE_H
#define KS_POLICY_FIXTURE_H

#include "error.h"
#include "policy.h"
#include "subsidy.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Figures of the test data; a negative value leaves that amount or parameter out. */
typedef struct {
    long long urban, rural, permille, months;
    long long tekun, minor_age;
    long long jizhong, sanju;
    long long shenghuo, huli;
    long long age80, age90, age100;
    int with_gaoling, with_guer, with_canji, with_linshi; /* programme present */
} fixture_figures_t;

/* The figures of tools/district-sim/demo-data.sql. */
static inline fixture_figures_t fixture_demo(void)
{
    fixture_figures_t f = {.urban = 62000,
                           .rural = 49600,
                           .permille = 1500,
                           .months = 6,
                           .tekun = 80600,
                           .minor_age = 18,
                           .jizhong = 145600,
                           .sanju = 125600,
                           .shenghuo = 8000,
                           .huli = 9000,
                           .age80 = 5000,
                           .age90 = 10000,
                           .age100 = 50000,
                           .with_gaoling = 1,
                           .with_guer = 1,
                           .with_canji = 1,
                           .with_linshi = 1};
    return f;
}

/* Appends s at *off (asserting it fits). */
static inline void fixture_cat(char *buf, size_t cap, size_t *off, const char *s)
{
    size_t n = strlen(s);
    assert_true(*off + n < cap);
    memcpy(buf + *off, s, n + 1);
    *off += n;
}

/* Appends `{"key":..,"label":"..","amount_fen":v}` when v >= 0. */
static inline void fixture_amount(char *buf, size_t cap, size_t *off, int *first, const char *key,
                                  long long v)
{
    char item[160];
    if (v < 0)
        return;
    snprintf(item, sizeof item, "%s{\"key\":\"%s\",\"label\":\"%s标准\",\"amount_fen\":%lld}",
             *first ? "" : ",", key, key, v);
    fixture_cat(buf, cap, off, item);
    *first = 0;
}

static inline void fixture_param(char *buf, size_t cap, size_t *off, int *first, const char *name,
                                 long long v)
{
    char item[96];
    if (v < 0)
        return;
    snprintf(item, sizeof item, "%s\"%s\":%lld", *first ? "" : ",", name, v);
    fixture_cat(buf, cap, off, item);
    *first = 0;
}

/* Opens a programme object up to its amounts array. */
static inline void fixture_open(char *buf, size_t cap, size_t *off, int first_programme,
                                const char *code)
{
    char head[400];
    snprintf(head, sizeof head,
             "%s{\"code\":\"%s\",\"name\":\"%s名称\",\"summary\":\"摘要\",\"who\":\"对象\","
             "\"how\":\"办理\",\"documents\":[\"居民身份证\"],\"effective\":\"2020-01-01\","
             "\"source\":\"测试数据\",\"amounts\":[",
             first_programme ? "" : ",", code, code);
    fixture_cat(buf, cap, off, head);
}

/* The /policies answer for figures f, as JSON text in buf. */
static inline void fixture_json(const fixture_figures_t *f, char *buf, size_t cap)
{
    size_t off = 0;
    int first;
    buf[0] = '\0';
    fixture_cat(buf, cap, &off,
                "{\"version\":\"test\",\"effective\":\"2020-01-01\",\"source\":\"测试数据\","
                "\"programmes\":[");
    fixture_open(buf, cap, &off, 1, "DIBAO");
    first = 1;
    fixture_amount(buf, cap, &off, &first, "URBAN", f->urban);
    fixture_amount(buf, cap, &off, &first, "RURAL", f->rural);
    fixture_cat(buf, cap, &off, "],\"params\":{");
    first = 1;
    fixture_param(buf, cap, &off, &first, "gradual_exit_permille", f->permille);
    fixture_param(buf, cap, &off, &first, "gradual_exit_months", f->months);
    fixture_cat(buf, cap, &off, "}}");

    fixture_open(buf, cap, &off, 0, "TEKUN");
    first = 1;
    fixture_amount(buf, cap, &off, &first, "TEKUN", f->tekun);
    fixture_cat(buf, cap, &off, "],\"params\":{");
    first = 1;
    fixture_param(buf, cap, &off, &first, "tekun_minor_age", f->minor_age);
    fixture_cat(buf, cap, &off, "}}");

    if (f->with_linshi) {
        fixture_open(buf, cap, &off, 0, "LINSHI");
        fixture_cat(buf, cap, &off, "],\"params\":{}}");
    }
    if (f->with_canji) {
        fixture_open(buf, cap, &off, 0, "CANJI");
        first = 1;
        fixture_amount(buf, cap, &off, &first, "SHENGHUO", f->shenghuo);
        fixture_amount(buf, cap, &off, &first, "HULI", f->huli);
        fixture_cat(buf, cap, &off, "],\"params\":{}}");
    }
    if (f->with_gaoling) {
        fixture_open(buf, cap, &off, 0, "GAOLING");
        first = 1;
        fixture_amount(buf, cap, &off, &first, "AGE80", f->age80);
        fixture_amount(buf, cap, &off, &first, "AGE90", f->age90);
        fixture_amount(buf, cap, &off, &first, "AGE100", f->age100);
        fixture_cat(buf, cap, &off, "],\"params\":{}}");
    }
    if (f->with_guer) {
        fixture_open(buf, cap, &off, 0, "GUER");
        first = 1;
        fixture_amount(buf, cap, &off, &first, "JIZHONG", f->jizhong);
        fixture_amount(buf, cap, &off, &first, "SANJU", f->sanju);
        fixture_cat(buf, cap, &off, "],\"params\":{}}");
    }
    fixture_cat(buf, cap, &off, "]}");
}

#define FIXTURE_JSON_MAX 16384

/* Parses and validates figures f (asserting success); free() the result. */
static inline ks_api_policies_t *fixture_policies(const fixture_figures_t *f)
{
    char *json = malloc(FIXTURE_JSON_MAX);
    ks_api_policies_t *p = malloc(sizeof *p);
    char err[300];
    assert_non_null(json);
    assert_non_null(p);
    fixture_json(f, json, FIXTURE_JSON_MAX);
    int rc = ks_policy_parse(json, strlen(json), p, err, sizeof err);
    if (rc != 0)
        fail_msg("fixture data refused: %s", err);
    free(json);
    return p;
}

static inline ks_api_policies_t *fixture_demo_policies(void)
{
    fixture_figures_t f = fixture_demo();
    return fixture_policies(&f);
}

/* A file of the source tree: KS_SOURCE_DIR under ctest, else from this header's path. */
static inline void fixture_source_path(const char *rel, char *out, size_t outlen)
{
    const char *src = getenv("KS_SOURCE_DIR");
    if (src != NULL && src[0] != '\0') {
        snprintf(out, outlen, "%s/%s", src, rel);
        return;
    }
    const char *me = __FILE__;
    const char *cut = strstr(me, "tests/services/");
    int dirlen = cut != NULL ? (int)(cut - me) : 0;
    snprintf(out, outlen, "%.*s%s", dirlen, me, rel);
}

/* Loads config/policies-fallback.json (asserting success); free() the result. */
static inline ks_api_policies_t *fixture_fallback_policies(void)
{
    char path[1024], err[1200];
    ks_api_policies_t *p = malloc(sizeof *p);
    assert_non_null(p);
    fixture_source_path("config/policies-fallback.json", path, sizeof path);
    int rc = ks_policy_load_file(path, p, err, sizeof err);
    if (rc != 0)
        fail_msg("fallback refused: %s", err);
    return p;
}

/* Answers that qualify for nothing in particular: an urban adult of 40 who can work. */
static inline ks_answers_t fixture_answers(void)
{
    ks_answers_t a = {.area = KS_AREA_URBAN,
                      .household_size = 1,
                      .income_fen = 500000,
                      .age = 40,
                      .disability_grade = 0,
                      .can_work = 1};
    return a;
}

/* The item of programme `code` with amounts key `key` (NULL: any key), or NULL. */
static inline const ks_estimate_item_t *fixture_item(const ks_estimate_t *e, const char *code,
                                                     const char *key)
{
    for (int i = 0; i < e->n; i++)
        if (strcmp(e->items[i].code, code) == 0 && (!key || strcmp(e->items[i].key, key) == 0))
            return &e->items[i];
    return NULL;
}

/* Runs the estimate (asserting success) and returns the item of `code`/`key`. */
static inline const ks_estimate_item_t *fixture_estimate(const ks_api_policies_t *p,
                                                         const ks_answers_t *a, ks_estimate_t *e,
                                                         const char *code, const char *key)
{
    assert_int_equal(ks_estimate(p, a, e), KS_OK);
    const ks_estimate_item_t *it = fixture_item(e, code, key);
    if (!it)
        fail_msg("no %s item (key %s)", code, key ? key : "any");
    return it;
}

#endif
