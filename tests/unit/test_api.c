/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The backend contract's parsers and builders (app/backend/api.c): valid
 * answers of every call parse into the typed structs; each kind of bad field
 * is refused with a reason that names it; builders refuse bad arguments and
 * produce the documented bodies.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "api.h"
#include "error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TOKEN "0123456789abcdef0123456789abcdef"

static const char LOOKUP[] = "{\"citizen\":\"" TOKEN "\",\"expires_in\":600,"
                             "\"name_masked\":\"张*\",\"age\":41,\"sex\":\"M\",\"known\":true}";

static const char ASSISTANCE[] =
    "{\"as_of\":\"2026-11-29\",\"programmes\":[{\"code\":\"DIBAO_URBAN\",\"name\":\"城市低保\","
    "\"status\":\"PAYING\",\"monthly_amount_fen\":32000,\"since\":\"2024-03-01\","
    "\"next_review\":\"2027-03-01\",\"gradual_exit_until\":null,\"office\":\"几江街道\","
    "\"payments\":[{\"month\":\"2026-11\",\"amount_fen\":32000,\"paid_on\":\"2026-11-10\"}]},"
    "{\"code\":\"LINSHI\",\"name\":\"临时救助\",\"status\":\"APPLIED\","
    "\"monthly_amount_fen\":null,\"since\":null,\"next_review\":null,"
    "\"gradual_exit_until\":null,\"office\":\"几江街道\",\"payments\":[]}]}";

static const char SLOTS[] =
    "{\"slots\":[{\"slot\":\"JJ01-20261203-0900\",\"start\":\"2026-12-03T09:00:00+08:00\","
    "\"end\":\"2026-12-03T10:00:00+08:00\",\"capacity\":4,\"remaining\":0}]}";

static const char BOOKING[] =
    "{\"booking\":{\"number\":\"JJ2612030001\",\"type\":\"DIVORCE\",\"office\":\"JJ01\","
    "\"office_name\":\"江津区婚姻登记处\",\"slot\":\"JJ01-20261203-0900\","
    "\"start\":\"2026-12-03T09:00:00+08:00\",\"end\":\"2026-12-03T10:00:00+08:00\","
    "\"status\":\"BOOKED\",\"second_window\":{\"from\":\"2027-01-02\",\"to\":\"2027-02-01\"}}}";

static const char POLICIES[] =
    "{\"version\":\"2020.1\",\"effective\":\"2020-01-01\",\"source\":\"规划\",\"programmes\":"
    "[{\"code\":\"DIBAO\",\"name\":\"低保\",\"summary\":\"s\",\"who\":\"w\",\"how\":\"h\","
    "\"documents\":[\"身份证\"],\"effective\":\"2020-01-01\",\"source\":\"规划\","
    "\"amounts\":[{\"key\":\"URBAN\",\"label\":\"城市\",\"amount_fen\":62000}],"
    "\"params\":{\"gradual_exit_permille\":1500,\"gradual_exit_months\":6}}]}";

static int parse(ks_call_t call, const char *body, void *out, char *err)
{
    return ks_api_parse(call, body, strlen(body), out, err, 200);
}

static void test_valid_answers(void **state)
{
    (void)state;
    char err[200];
    ks_api_lookup_t l;
    assert_int_equal(parse(KS_CALL_LOOKUP, LOOKUP, &l, err), KS_OK);
    assert_string_equal(l.citizen, TOKEN);
    assert_int_equal(l.age, 41);
    assert_int_equal(l.sex, 'M');
    assert_true(l.known);
    assert_string_equal(l.name_masked, "张*");

    ks_api_assistance_t *a = malloc(sizeof *a);
    assert_int_equal(parse(KS_CALL_ASSISTANCE, ASSISTANCE, a, err), KS_OK);
    assert_int_equal(a->n, 2);
    assert_int_equal(a->programmes[0].status, KS_PROG_PAYING);
    assert_int_equal(a->programmes[0].monthly_amount_fen, 32000);
    assert_int_equal(a->programmes[0].n_payments, 1);
    assert_string_equal(a->programmes[0].payments[0].month, "2026-11");
    assert_int_equal(a->programmes[1].monthly_amount_fen, -1); /* null */
    assert_string_equal(a->programmes[1].since, "");
    free(a);

    ks_api_slots_t *s = malloc(sizeof *s);
    assert_int_equal(parse(KS_CALL_SLOTS, SLOTS, s, err), KS_OK);
    assert_int_equal(s->n, 1);
    assert_int_equal(s->slots[0].remaining, 0);
    free(s);

    ks_api_booking_t b;
    assert_int_equal(parse(KS_CALL_BOOK, BOOKING, &b, err), KS_OK);
    assert_int_equal(b.type, KS_DIVORCE);
    assert_string_equal(b.second_from, "2027-01-02");

    ks_api_policies_t *p = malloc(sizeof *p);
    assert_int_equal(parse(KS_CALL_POLICIES, POLICIES, p, err), KS_OK);
    assert_int_equal(p->programmes[0].amounts[0].amount_fen, 62000);
    assert_int_equal(p->programmes[0].n_params, 2);
    assert_string_equal(p->programmes[0].params[1].name, "gradual_exit_months");
    free(p);

    ks_api_checkin_t c;
    assert_int_equal(parse(KS_CALL_CHECKIN,
                           "{\"ticket\":\"J012\",\"counter_hint\":\"2号窗口\",\"waiting_ahead\":3,"
                           "\"checked_in_at\":\"2026-12-03T08:55:10+08:00\"}",
                           &c, err),
                     KS_OK);
    assert_string_equal(c.ticket, "J012");
}

/* Replaces the first occurrence of `from` in `src` with `to`. */
static char *mutate(const char *src, const char *from, const char *to)
{
    const char *at = strstr(src, from);
    assert_non_null(at);
    size_t n = strlen(src) - strlen(from) + strlen(to) + 1;
    char *out = malloc(n);
    snprintf(out, n, "%.*s%s%s", (int)(at - src), src, to, at + strlen(from));
    return out;
}

typedef struct {
    ks_call_t call;
    const char *doc;
    const char *from, *to;
    const char *reason; /* must appear in the error */
} bad_t;

static void test_bad_fields_are_named(void **state)
{
    (void)state;
    static const bad_t cases[] = {
        {KS_CALL_LOOKUP, LOOKUP, "\"citizen\"", "\"citizenX\"", "citizen: missing"},
        {KS_CALL_LOOKUP, LOOKUP, "\"" TOKEN "\"", "\"ABC\"", "citizen: expected"},
        {KS_CALL_LOOKUP, LOOKUP, "600", "\"600\"", "expires_in: expected an integer"},
        {KS_CALL_LOOKUP, LOOKUP, "41", "41.5", "age: expected an integer"},
        {KS_CALL_LOOKUP, LOOKUP, "41", "-3", "age: out of range"},
        {KS_CALL_LOOKUP, LOOKUP, "\"M\"", "\"X\"", "sex"},
        {KS_CALL_LOOKUP, LOOKUP, "true", "1", "known: expected true or false"},
        {KS_CALL_ASSISTANCE, ASSISTANCE, "\"PAYING\"", "\"PAID\"", "programmes[0].status: unknown"},
        {KS_CALL_ASSISTANCE, ASSISTANCE, "\"2026-11-29\"", "\"2026-02-30\"",
         "as_of: expected a date"},
        {KS_CALL_ASSISTANCE, ASSISTANCE, "\"2026-11\"", "\"2026-13\"",
         "programmes[0].payments[0].month"},
        {KS_CALL_ASSISTANCE, ASSISTANCE, "32000,\"since\"", "-5,\"since\"",
         "monthly_amount_fen: out of range"},
        {KS_CALL_ASSISTANCE, ASSISTANCE, "\"office\":\"几江街道\",\"payments\":[]",
         "\"office\":\"几江街道\",\"payments\":{}", "programmes[1].payments: expected an array"},
        {KS_CALL_ASSISTANCE, ASSISTANCE, "\"status\":\"PAYING\"", "\"status\":\"GRADUAL_EXIT\"",
         "gradual_exit_until: required"},
        {KS_CALL_SLOTS, SLOTS, "\"remaining\":0", "\"remaining\":5",
         "slots[0].remaining: out of range"},
        {KS_CALL_SLOTS, SLOTS, "T10:00:00", "T08:00:00", "slots[0].end: not after start"},
        {KS_CALL_SLOTS, SLOTS, "+08:00\",\"end\"", "\",\"end\"", "slots[0].start: expected a time"},
        {KS_CALL_SLOTS, SLOTS, "JJ01-20261203-0900", "JJ01/../x", "slots[0].slot"},
        {KS_CALL_BOOK, BOOKING, "\"DIVORCE\"", "\"WEDDING\"", "booking.type: unknown"},
        {KS_CALL_BOOK, BOOKING, "{\"from\":\"2027-01-02\",\"to\":\"2027-02-01\"}", "null",
         "second_window: required"},
        {KS_CALL_BOOK, BOOKING, "\"to\":\"2027-02-01\"", "\"to\":20270201",
         "booking.second_window.to"},
        {KS_CALL_POLICIES, POLICIES, "62000", "62000.5", "programmes[0].amounts[0].amount_fen"},
        {KS_CALL_POLICIES, POLICIES, "{\"gradual_exit_permille\":1500,\"gradual_exit_months\":6}",
         "[1500,6]", "params: expected an object"},
        {KS_CALL_POLICIES, POLICIES, "[\"身份证\"]", "[1]", "documents"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *doc = mutate(cases[i].doc, cases[i].from, cases[i].to);
        char err[200] = "";
        void *out = calloc(1, ks_api_answer_size(cases[i].call));
        int rc = ks_api_parse(cases[i].call, doc, strlen(doc), out, err, sizeof err);
        if (rc != KS_E_PARSE || !strstr(err, cases[i].reason))
            fail_msg("case %zu: rc %d, err '%s', wanted '%s'", i, rc, err, cases[i].reason);
        free(out);
        free(doc);
    }
}

static void test_not_json_and_wrong_shape(void **state)
{
    (void)state;
    char err[200];
    ks_api_lookup_t l;
    assert_int_equal(parse(KS_CALL_LOOKUP, "", &l, err), KS_E_PARSE);
    assert_int_equal(parse(KS_CALL_LOOKUP, "{\"citizen\":", &l, err), KS_E_PARSE);
    assert_non_null(strstr(err, "not JSON"));
    assert_int_equal(parse(KS_CALL_LOOKUP, "[1,2]", &l, err), KS_E_PARSE);
    assert_int_equal(parse(KS_CALL_LOOKUP, "null", &l, err), KS_E_PARSE);
    /* Invalid UTF-8 in a string that would be drawn on screen. */
    char *bad = mutate(LOOKUP, "张*", "\xe5\xbc");
    assert_int_equal(parse(KS_CALL_LOOKUP, bad, &l, err), KS_E_PARSE);
    assert_non_null(strstr(err, "UTF-8"));
    free(bad);
    /* Too many entries is refused, never silently cut. */
    char big[20000];
    size_t n = (size_t)snprintf(big, sizeof big, "{\"offices\":[");
    for (int i = 0; i < KS_API_MAX_OFFICES + 1; i++)
        n += (size_t)snprintf(
            big + n, sizeof big - n,
            "%s{\"code\":\"O%d\",\"name\":\"n\",\"address\":\"a\",\"hours\":\"h\"}", i ? "," : "",
            i);
    snprintf(big + n, sizeof big - n, "]}");
    ks_api_offices_t o;
    assert_int_equal(parse(KS_CALL_OFFICES, big, &o, err), KS_E_PARSE);
    assert_non_null(strstr(err, "more than"));
}

static void test_error_body(void **state)
{
    (void)state;
    ks_api_error_t e;
    const char *skew = "{\"error\":{\"code\":\"CLOCK_SKEW\",\"message\":\"off by 400 s\","
                       "\"server_time\":1764400000}}";
    assert_int_equal(ks_api_parse_error(skew, strlen(skew), &e), KS_OK);
    assert_string_equal(e.code, "CLOCK_SKEW");
    assert_int_equal(e.server_time, 1764400000);
    assert_int_equal(ks_api_parse_error("<html>", 6, &e), KS_E_PARSE);
    const char *evil = "{\"error\":{\"code\":\"a b\"}}";
    assert_int_equal(ks_api_parse_error(evil, strlen(evil), &e), KS_E_PARSE);
    assert_int_equal(ks_api_parse_error(NULL, 0, &e), KS_E_PARSE);
}

static void test_builders(void **state)
{
    (void)state;
    ks_api_request_t *r = ks_api_req_lookup("110105198503151230", "SSC3", "A00000001");
    assert_non_null(r);
    assert_string_equal(r->method, "POST");
    assert_string_equal(r->path, "/kiosk/v1/citizens/lookup");
    assert_non_null(strstr(r->body, "\"id_number\":\"110105198503151230\""));
    assert_string_equal(r->idempotency_key, ""); /* lookups are not keyed */
    ks_api_request_free(r);

    /* Personal data never in a URL: the token is, the ID number is not. */
    r = ks_api_req_assistance(TOKEN);
    assert_string_equal(r->path, "/kiosk/v1/citizens/" TOKEN "/assistance");
    assert_null(r->body);
    ks_api_request_free(r);
    assert_null(ks_api_req_assistance("110105198503151230"));
    assert_null(ks_api_req_assistance("../../admin"));

    r = ks_api_req_slots("JJ01", "2026-12-01", "2026-12-31", KS_DIVORCE);
    assert_string_equal(
        r->path, "/kiosk/v1/marriage/slots?office=JJ01&from=2026-12-01&to=2026-12-31&type=DIVORCE");
    ks_api_request_free(r);
    assert_null(ks_api_req_slots("JJ01&x=1", "2026-12-01", "2026-12-31", KS_MARRIAGE));
    assert_null(ks_api_req_slots("JJ01", "2026-12-32", "2026-12-31", KS_MARRIAGE));

    ks_api_party_t parties[2] = {{TOKEN, "13800138000"}, {TOKEN, "13900139000"}};
    r = ks_api_req_book(KS_MARRIAGE, "JJ01-20261203-0900", parties, 2, NULL);
    assert_non_null(r);
    assert_true(ks_api_uuid_valid(r->idempotency_key)); /* a fresh key when none is given */
    assert_non_null(strstr(r->body, "\"type\":\"MARRIAGE\""));
    ks_api_request_free(r);
    const char *key = "3f1c0e2a-8b4d-4c6e-9f00-112233445566";
    r = ks_api_req_book(KS_MARRIAGE, "JJ01-20261203-0900", parties, 2, key);
    assert_string_equal(r->idempotency_key, key);
    ks_api_request_free(r);
    assert_null(ks_api_req_book(KS_MARRIAGE, "JJ01-20261203-0900", parties, 1, NULL));
    assert_non_null(r = ks_api_req_book(KS_REISSUE, "JJ01-20261203-0900", parties, 1, NULL));
    ks_api_request_free(r);
    parties[1].phone = "12800138000"; /* no mobile number starts with 12 */
    assert_null(ks_api_req_book(KS_MARRIAGE, "JJ01-20261203-0900", parties, 2, NULL));
    assert_null(ks_api_req_book(KS_MARRIAGE, "JJ01-20261203-0900", parties, 2, "not-a-uuid"));

    const char *tokens[2] = {TOKEN, TOKEN};
    r = ks_api_req_checkin("JJ2612030001", "JJ01", tokens, 2, key);
    assert_string_equal(r->path, "/kiosk/v1/marriage/bookings/JJ2612030001/checkin");
    assert_non_null(strstr(r->body, "\"citizens\":[\"" TOKEN "\",\"" TOKEN "\"]"));
    ks_api_request_free(r);

    const char *kv[] = {"cards", "ok"};
    r = ks_api_req_heartbeat("JJ-0001", "0.1.0", 12, "service", kv, 1);
    assert_non_null(strstr(r->body, "\"status\":{\"cards\":\"ok\"}"));
    ks_api_request_free(r);
}

static void test_validators(void **state)
{
    (void)state;
    assert_true(ks_api_date_valid("2024-02-29"));
    assert_false(ks_api_date_valid("2023-02-29"));
    assert_false(ks_api_date_valid("2023-2-28"));
    assert_true(ks_api_phone_valid("13800138000"));
    assert_false(ks_api_phone_valid("1380013800"));
    assert_false(ks_api_phone_valid("23800138000"));
    assert_false(ks_api_phone_valid("1380013800a"));
    assert_true(ks_api_token_valid(TOKEN));
    assert_false(ks_api_token_valid("0123456789ABCDEF0123456789abcdef"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_answers),
        cmocka_unit_test(test_bad_fields_are_named),
        cmocka_unit_test(test_not_json_and_wrong_shape),
        cmocka_unit_test(test_error_body),
        cmocka_unit_test(test_builders),
        cmocka_unit_test(test_validators),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
