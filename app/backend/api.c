/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "api.h"

#include "date.h"
#include "error.h"
#include "sign.h"
#include "utf8.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const CALL_NAMES[KS_CALL_COUNT] = {
    "lookup",   "assistance", "policies",   "offices", "slots",     "book",
    "bookings", "cancel",     "reschedule", "checkin", "heartbeat",
};

const char *ks_call_name(ks_call_t call)
{
    return (unsigned)call < KS_CALL_COUNT ? CALL_NAMES[call] : "?";
}

static const char *const BOOKING_TYPES[] = {"MARRIAGE", "DIVORCE", "REISSUE"};
static const char *const BOOKING_STATUSES[] = {"BOOKED", "CANCELLED", "CHECKED_IN"};
static const char *const PROG_STATUSES[] = {"APPLIED", "ACCEPTED",     "REVIEWING", "APPROVED",
                                            "PAYING",  "GRADUAL_EXIT", "SUSPENDED", "TERMINATED"};

const char *ks_booking_type_str(ks_booking_type_t t)
{
    return (unsigned)t < 3 ? BOOKING_TYPES[t] : "?";
}

/* ---- validators ------------------------------------------------------------ */

static int all_of(const char *s, size_t n, const char *set)
{
    for (size_t i = 0; i < n; i++)
        if (!s[i] || !strchr(set, s[i]))
            return 0;
    return 1;
}

int ks_api_token_valid(const char *s)
{
    return s && strlen(s) == KS_API_TOKEN_LEN && all_of(s, KS_API_TOKEN_LEN, "0123456789abcdef");
}

/* Validates the 10 chars at s as YYYY-MM-DD (a real calendar date). */
static int date_at(const char *s)
{
    if (!all_of(s, 4, "0123456789") || s[4] != '-' || !all_of(s + 5, 2, "0123456789") ||
        s[7] != '-' || !all_of(s + 8, 2, "0123456789"))
        return 0;
    int y = atoi(s), m = (s[5] - '0') * 10 + s[6] - '0', d = (s[8] - '0') * 10 + s[9] - '0';
    return y >= 1900 && d >= 1 && d <= ks_days_in_month(y, m);
}

int ks_api_date_valid(const char *s)
{
    return s && strlen(s) == 10 && date_at(s);
}

/* YYYY-MM-DDTHH:MM:SS+HH:MM (the contract's times always carry an offset). */
static int time_valid(const char *s)
{
    if (strlen(s) != 25 || !date_at(s) || s[10] != 'T' || s[13] != ':' || s[16] != ':' ||
        (s[19] != '+' && s[19] != '-') || s[22] != ':')
        return 0;
    const int digits[] = {11, 12, 14, 15, 17, 18, 20, 21, 23, 24};
    for (size_t i = 0; i < sizeof digits / sizeof digits[0]; i++)
        if (s[digits[i]] < '0' || s[digits[i]] > '9')
            return 0;
    return atoi(s + 11) < 24 && atoi(s + 14) < 60 && atoi(s + 17) < 61 && atoi(s + 20) < 15;
}

static int month_valid(const char *s)
{
    return strlen(s) == 7 && all_of(s, 4, "0123456789") && s[4] == '-' &&
           all_of(s + 5, 2, "0123456789") && atoi(s + 5) >= 1 && atoi(s + 5) <= 12;
}

int ks_api_phone_valid(const char *s)
{
    return s && strlen(s) == 11 && s[0] == '1' && s[1] >= '3' && s[1] <= '9' &&
           all_of(s, 11, "0123456789");
}

int ks_api_uuid_valid(const char *s)
{
    if (!s || strlen(s) != 36)
        return 0;
    for (int i = 0; i < 36; i++) {
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (s[i] != '-')
                return 0;
        } else if (!strchr("0123456789abcdef", s[i]) || !s[i]) {
            return 0;
        }
    }
    return 1;
}

/* Path segments we put in URLs: office codes, slot ids, booking numbers. */
static int segment_valid(const char *s, size_t max)
{
    size_t n = s ? strlen(s) : 0;
    return n > 0 && n <= max &&
           all_of(s, n, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");
}

static int utf8_valid(const char *s)
{
    size_t len = strlen(s);
    while (len > 0) {
        uint32_t cp;
        size_t n = ks_utf8_decode(s, len, &cp);
        if (cp == 0xFFFD && n == 1)
            return 0;
        s += n;
        len -= n;
    }
    return 1;
}

/* ---- strict field access ----------------------------------------------------- */

typedef struct {
    char *err;
    size_t errlen;
    char where[64]; /* "programmes[2]" — the object being read */
} vctx_t;

#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static int
fail(vctx_t *v, const char *field, const char *fmt, ...)
{
    char why[96];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, sizeof why, fmt, ap);
    va_end(ap);
    if (v->err && v->errlen)
        snprintf(v->err, v->errlen, "%s%s%s: %s", v->where, v->where[0] ? "." : "", field, why);
    return KS_E_PARSE;
}

enum { REQUIRED = 0, NULLABLE = 1 };

static int get_str(vctx_t *v, const cJSON *o, const char *field, char *out, size_t cap,
                   int nullable)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(o, field);
    out[0] = '\0';
    if (!it)
        return fail(v, field, "missing");
    if (nullable && cJSON_IsNull(it))
        return KS_OK;
    if (!cJSON_IsString(it) || !it->valuestring)
        return fail(v, field, "expected a string%s", nullable ? " or null" : "");
    size_t n = strlen(it->valuestring);
    if (n >= cap)
        return fail(v, field, "longer than %zu bytes", cap - 1);
    if (!utf8_valid(it->valuestring))
        return fail(v, field, "not valid UTF-8");
    memcpy(out, it->valuestring, n + 1);
    return KS_OK;
}

static int get_int(vctx_t *v, const cJSON *o, const char *field, long long *out, long long min,
                   long long max, int nullable)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(o, field);
    if (!it)
        return fail(v, field, "missing");
    if (nullable && cJSON_IsNull(it)) {
        *out = -1;
        return KS_OK;
    }
    if (!cJSON_IsNumber(it))
        return fail(v, field, "expected an integer%s", nullable ? " or null" : "");
    double d = it->valuedouble;
    if (!isfinite(d) || d != floor(d))
        return fail(v, field, "expected an integer");
    if (d < (double)min || d > (double)max)
        return fail(v, field, "out of range %lld..%lld", min, max);
    *out = (long long)d;
    return KS_OK;
}

static int get_int32(vctx_t *v, const cJSON *o, const char *field, int *out, int min, int max)
{
    long long x = 0;
    int rc = get_int(v, o, field, &x, min, max, REQUIRED);
    *out = (int)x;
    return rc;
}

static int get_bool(vctx_t *v, const cJSON *o, const char *field, int *out)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(o, field);
    if (!it)
        return fail(v, field, "missing");
    if (!cJSON_IsBool(it))
        return fail(v, field, "expected true or false");
    *out = cJSON_IsTrue(it);
    return KS_OK;
}

static int get_date(vctx_t *v, const cJSON *o, const char *field, char out[KS_API_DATE],
                    int nullable)
{
    char tmp[KS_API_DATE + 1];
    int rc = get_str(v, o, field, tmp, sizeof tmp, nullable);
    out[0] = '\0';
    if (rc < 0)
        return rc;
    if (tmp[0] && !ks_api_date_valid(tmp))
        return fail(v, field, "expected a date YYYY-MM-DD");
    memcpy(out, tmp, KS_API_DATE);
    return KS_OK;
}

static int get_time(vctx_t *v, const cJSON *o, const char *field, char out[KS_API_TIME])
{
    char tmp[KS_API_TIME + 1];
    int rc = get_str(v, o, field, tmp, sizeof tmp, REQUIRED);
    if (rc < 0)
        return rc;
    if (!time_valid(tmp))
        return fail(v, field, "expected a time YYYY-MM-DDTHH:MM:SS+HH:MM");
    memcpy(out, tmp, KS_API_TIME);
    return KS_OK;
}

static int get_enum(vctx_t *v, const cJSON *o, const char *field, const char *const *names, int n,
                    int *out)
{
    char s[32];
    int rc = get_str(v, o, field, s, sizeof s, REQUIRED);
    if (rc < 0)
        return rc;
    for (int i = 0; i < n; i++) {
        if (strcmp(s, names[i]) == 0) {
            *out = i;
            return KS_OK;
        }
    }
    return fail(v, field, "unknown value");
}

/* The array `field` of o, with at most max elements (more is an error, not a truncation). */
static int get_array(vctx_t *v, const cJSON *o, const char *field, int max, const cJSON **out)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(o, field);
    if (!it)
        return fail(v, field, "missing");
    if (!cJSON_IsArray(it))
        return fail(v, field, "expected an array");
    if (cJSON_GetArraySize(it) > max)
        return fail(v, field, "more than %d entries", max);
    *out = it;
    return KS_OK;
}

static int get_object(vctx_t *v, const cJSON *o, const char *field, const cJSON **out)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(o, field);
    if (!it)
        return fail(v, field, "missing");
    if (!cJSON_IsObject(it))
        return fail(v, field, "expected an object");
    *out = it;
    return KS_OK;
}

/* Enters element i of array `name` for error messages; returns the old context length. */
static size_t enter(vctx_t *v, const char *name, int i)
{
    size_t old = strlen(v->where);
    snprintf(v->where + old, sizeof v->where - old, "%s%s[%d]", old ? "." : "", name, i);
    return old;
}

static void leave(vctx_t *v, size_t old)
{
    v->where[old] = '\0';
}

#define TRY(expr)                                                                                  \
    do {                                                                                           \
        int rc_ = (expr);                                                                          \
        if (rc_ < 0)                                                                               \
            return rc_;                                                                            \
    } while (0)

/* ---- answer parsers ---------------------------------------------------------- */

#define FEN_MAX 100000000000LL /* 10^9 yuan: anything above is garbage */

static int parse_lookup(vctx_t *v, const cJSON *o, ks_api_lookup_t *out)
{
    long long x;
    char sex[4];
    TRY(get_str(v, o, "citizen", out->citizen, sizeof out->citizen, REQUIRED));
    if (!ks_api_token_valid(out->citizen))
        return fail(v, "citizen", "expected %d lower-case hex chars", KS_API_TOKEN_LEN);
    TRY(get_int(v, o, "expires_in", &x, 1, 86400, REQUIRED));
    out->expires_in = (int)x;
    TRY(get_str(v, o, "name_masked", out->name_masked, sizeof out->name_masked, NULLABLE));
    TRY(get_int(v, o, "age", &x, 0, 150, REQUIRED));
    out->age = (int)x;
    TRY(get_str(v, o, "sex", sex, sizeof sex, REQUIRED));
    if (strcmp(sex, "M") != 0 && strcmp(sex, "F") != 0)
        return fail(v, "sex", "expected \"M\" or \"F\"");
    out->sex = sex[0];
    return get_bool(v, o, "known", &out->known);
}

typedef int (*item_fn)(vctx_t *v, const cJSON *item, void *out);

/*
 * Parses the array `field` of o, whose elements are objects, with fn into
 * items (max elements of `stride` bytes); *n is how many. More than max is an
 * error, never a silent cut.
 */
static int parse_list(vctx_t *v, const cJSON *o, const char *field, int max, item_fn fn,
                      void *items, size_t stride, int *n)
{
    const cJSON *arr, *it;
    *n = 0;
    TRY(get_array(v, o, field, max, &arr));
    cJSON_ArrayForEach(it, arr)
    {
        size_t old = enter(v, field, *n);
        if (!cJSON_IsObject(it))
            return fail(v, "", "expected an object");
        TRY(fn(v, it, (char *)items + (size_t)*n * stride));
        leave(v, old);
        (*n)++;
    }
    return KS_OK;
}

#define LIST(v, o, field, fn, array, n)                                                            \
    parse_list(v, o, field, (int)(sizeof(array) / sizeof((array)[0])), fn, array,                  \
               sizeof((array)[0]), n)

static int parse_payment(vctx_t *v, const cJSON *o, void *out)
{
    ks_api_payment_t *pay = out;
    TRY(get_str(v, o, "month", pay->month, sizeof pay->month, REQUIRED));
    if (!month_valid(pay->month))
        return fail(v, "month", "expected YYYY-MM");
    TRY(get_int(v, o, "amount_fen", &pay->amount_fen, 0, FEN_MAX, REQUIRED));
    return get_date(v, o, "paid_on", pay->paid_on, REQUIRED);
}

static int parse_programme(vctx_t *v, const cJSON *o, void *out)
{
    ks_api_programme_t *p = out;
    int st = 0;
    TRY(get_str(v, o, "code", p->code, sizeof p->code, REQUIRED));
    TRY(get_str(v, o, "name", p->name, sizeof p->name, REQUIRED));
    TRY(get_enum(v, o, "status", PROG_STATUSES, 8, &st));
    p->status = (ks_prog_status_t)st;
    TRY(get_int(v, o, "monthly_amount_fen", &p->monthly_amount_fen, 0, FEN_MAX, NULLABLE));
    TRY(get_date(v, o, "since", p->since, NULLABLE));
    TRY(get_date(v, o, "next_review", p->next_review, NULLABLE));
    TRY(get_date(v, o, "gradual_exit_until", p->gradual_exit_until, NULLABLE));
    TRY(get_str(v, o, "office", p->office, sizeof p->office, REQUIRED));
    TRY(LIST(v, o, "payments", parse_payment, p->payments, &p->n_payments));
    if (p->status == KS_PROG_GRADUAL_EXIT && !p->gradual_exit_until[0])
        return fail(v, "gradual_exit_until", "required while in gradual exit");
    return KS_OK;
}

static int parse_assistance(vctx_t *v, const cJSON *o, ks_api_assistance_t *out)
{
    TRY(get_date(v, o, "as_of", out->as_of, REQUIRED));
    return LIST(v, o, "programmes", parse_programme, out->programmes, &out->n);
}

static int parse_amount(vctx_t *v, const cJSON *o, void *out)
{
    ks_api_amount_t *a = out;
    TRY(get_str(v, o, "key", a->key, sizeof a->key, REQUIRED));
    TRY(get_str(v, o, "label", a->label, sizeof a->label, REQUIRED));
    return get_int(v, o, "amount_fen", &a->amount_fen, 0, FEN_MAX, REQUIRED);
}

static int parse_policy(vctx_t *v, const cJSON *o, void *out)
{
    ks_api_policy_t *p = out;
    const cJSON *arr, *it, *params;
    TRY(get_str(v, o, "code", p->code, sizeof p->code, REQUIRED));
    TRY(get_str(v, o, "name", p->name, sizeof p->name, REQUIRED));
    TRY(get_str(v, o, "summary", p->summary, sizeof p->summary, REQUIRED));
    TRY(get_str(v, o, "who", p->who, sizeof p->who, REQUIRED));
    TRY(get_str(v, o, "how", p->how, sizeof p->how, REQUIRED));
    TRY(get_date(v, o, "effective", p->effective, REQUIRED));
    TRY(get_str(v, o, "source", p->source, sizeof p->source, REQUIRED));
    TRY(get_array(v, o, "documents", KS_API_MAX_DOCS, &arr));
    p->n_documents = 0;
    cJSON_ArrayForEach(it, arr)
    {
        if (!cJSON_IsString(it) || strlen(it->valuestring) >= sizeof p->documents[0] ||
            !utf8_valid(it->valuestring))
            return fail(v, "documents", "expected short UTF-8 strings");
        snprintf(p->documents[p->n_documents++], sizeof p->documents[0], "%s", it->valuestring);
    }
    TRY(LIST(v, o, "amounts", parse_amount, p->amounts, &p->n_amounts));
    TRY(get_object(v, o, "params", &params));
    p->n_params = 0;
    cJSON_ArrayForEach(it, params)
    {
        if (p->n_params >= KS_API_MAX_PARAMS)
            return fail(v, "params", "more than %d entries", KS_API_MAX_PARAMS);
        if (strlen(it->string) >= sizeof p->params[0].name)
            return fail(v, "params", "name too long");
        snprintf(p->params[p->n_params].name, sizeof p->params[0].name, "%s", it->string);
        TRY(get_int(v, params, it->string, &p->params[p->n_params].value, -1000000000LL,
                    1000000000LL, REQUIRED));
        p->n_params++;
    }
    return KS_OK;
}

static int parse_policies(vctx_t *v, const cJSON *o, ks_api_policies_t *out)
{
    TRY(get_str(v, o, "version", out->version, sizeof out->version, REQUIRED));
    TRY(get_date(v, o, "effective", out->effective, REQUIRED));
    TRY(get_str(v, o, "source", out->source, sizeof out->source, REQUIRED));
    return LIST(v, o, "programmes", parse_policy, out->programmes, &out->n);
}

static int parse_office(vctx_t *v, const cJSON *o, void *out)
{
    ks_api_office_t *of = out;
    TRY(get_str(v, o, "code", of->code, sizeof of->code, REQUIRED));
    if (!segment_valid(of->code, sizeof of->code - 1))
        return fail(v, "code", "expected letters, digits, - or _");
    TRY(get_str(v, o, "name", of->name, sizeof of->name, REQUIRED));
    TRY(get_str(v, o, "address", of->address, sizeof of->address, REQUIRED));
    return get_str(v, o, "hours", of->hours, sizeof of->hours, REQUIRED);
}

static int parse_offices(vctx_t *v, const cJSON *o, ks_api_offices_t *out)
{
    return LIST(v, o, "offices", parse_office, out->offices, &out->n);
}

static int parse_slot(vctx_t *v, const cJSON *o, void *out)
{
    ks_api_slot_t *s = out;
    TRY(get_str(v, o, "slot", s->slot, sizeof s->slot, REQUIRED));
    if (!segment_valid(s->slot, sizeof s->slot - 1))
        return fail(v, "slot", "expected letters, digits, - or _");
    TRY(get_time(v, o, "start", s->start));
    TRY(get_time(v, o, "end", s->end));
    TRY(get_int32(v, o, "capacity", &s->capacity, 0, 100000));
    TRY(get_int32(v, o, "remaining", &s->remaining, 0, s->capacity));
    if (strcmp(s->end, s->start) <= 0)
        return fail(v, "end", "not after start");
    return KS_OK;
}

static int parse_slots(vctx_t *v, const cJSON *o, ks_api_slots_t *out)
{
    return LIST(v, o, "slots", parse_slot, out->slots, &out->n);
}

static int parse_booking_obj(vctx_t *v, const cJSON *o, void *out)
{
    ks_api_booking_t *b = out;
    int t = 0, st = 0;
    TRY(get_str(v, o, "number", b->number, sizeof b->number, REQUIRED));
    if (!segment_valid(b->number, sizeof b->number - 1))
        return fail(v, "number", "expected letters, digits, - or _");
    TRY(get_enum(v, o, "type", BOOKING_TYPES, 3, &t));
    b->type = (ks_booking_type_t)t;
    TRY(get_str(v, o, "office", b->office, sizeof b->office, REQUIRED));
    TRY(get_str(v, o, "office_name", b->office_name, sizeof b->office_name, REQUIRED));
    TRY(get_str(v, o, "slot", b->slot, sizeof b->slot, REQUIRED));
    TRY(get_time(v, o, "start", b->start));
    TRY(get_time(v, o, "end", b->end));
    TRY(get_enum(v, o, "status", BOOKING_STATUSES, 3, &st));
    b->status = (ks_booking_status_t)st;
    const cJSON *w = cJSON_GetObjectItemCaseSensitive(o, "second_window");
    b->second_from[0] = b->second_to[0] = '\0';
    if (!w)
        return fail(v, "second_window", "missing");
    if (!cJSON_IsNull(w)) {
        if (!cJSON_IsObject(w))
            return fail(v, "second_window", "expected an object or null");
        size_t old = strlen(v->where);
        snprintf(v->where + old, sizeof v->where - old, "%ssecond_window", old ? "." : "");
        TRY(get_date(v, w, "from", b->second_from, REQUIRED));
        TRY(get_date(v, w, "to", b->second_to, REQUIRED));
        leave(v, old);
    }
    if (b->type == KS_DIVORCE && !b->second_from[0])
        return fail(v, "second_window", "required for a divorce");
    return KS_OK;
}

static int parse_booking(vctx_t *v, const cJSON *o, ks_api_booking_t *out)
{
    const cJSON *b;
    TRY(get_object(v, o, "booking", &b));
    snprintf(v->where, sizeof v->where, "booking");
    return parse_booking_obj(v, b, out);
}

static int parse_bookings(vctx_t *v, const cJSON *o, ks_api_bookings_t *out)
{
    return LIST(v, o, "bookings", parse_booking_obj, out->bookings, &out->n);
}

static int parse_checkin(vctx_t *v, const cJSON *o, ks_api_checkin_t *out)
{
    TRY(get_str(v, o, "ticket", out->ticket, sizeof out->ticket, REQUIRED));
    if (!out->ticket[0])
        return fail(v, "ticket", "empty");
    TRY(get_str(v, o, "counter_hint", out->counter_hint, sizeof out->counter_hint, REQUIRED));
    TRY(get_int32(v, o, "waiting_ahead", &out->waiting_ahead, 0, 100000));
    return get_time(v, o, "checked_in_at", out->checked_in_at);
}

static int parse_heartbeat(vctx_t *v, const cJSON *o, ks_api_heartbeat_t *out)
{
    TRY(get_int(v, o, "server_time", &out->server_time, 0, 1LL << 40, REQUIRED));
    return get_str(v, o, "config_version", out->config_version, sizeof out->config_version,
                   REQUIRED);
}

size_t ks_api_answer_size(ks_call_t call)
{
    switch (call) {
    case KS_CALL_LOOKUP:
        return sizeof(ks_api_lookup_t);
    case KS_CALL_ASSISTANCE:
        return sizeof(ks_api_assistance_t);
    case KS_CALL_POLICIES:
        return sizeof(ks_api_policies_t);
    case KS_CALL_OFFICES:
        return sizeof(ks_api_offices_t);
    case KS_CALL_SLOTS:
        return sizeof(ks_api_slots_t);
    case KS_CALL_BOOK:
    case KS_CALL_CANCEL:
    case KS_CALL_RESCHEDULE:
        return sizeof(ks_api_booking_t);
    case KS_CALL_BOOKINGS:
        return sizeof(ks_api_bookings_t);
    case KS_CALL_CHECKIN:
        return sizeof(ks_api_checkin_t);
    case KS_CALL_HEARTBEAT:
        return sizeof(ks_api_heartbeat_t);
    default:
        return 0;
    }
}

int ks_api_parse(ks_call_t call, const char *body, size_t len, void *out, char *err, size_t errlen)
{
    vctx_t v = {.err = err, .errlen = errlen, .where = ""};
    if (err && errlen)
        err[0] = '\0';
    if (!body || !out || ks_api_answer_size(call) == 0)
        return KS_E_INVAL;
    memset(out, 0, ks_api_answer_size(call));
    /* return_parse_end, not cJSON_GetErrorPtr(): that is one global for all threads. */
    const char *end = NULL;
    cJSON *root = cJSON_ParseWithLengthOpts(body, len, &end, 0);
    if (!root) {
        if (err && errlen)
            snprintf(err, errlen, "not JSON (near byte %td)", end ? end - body : (ptrdiff_t)0);
        return KS_E_PARSE;
    }
    int rc;
    if (!cJSON_IsObject(root)) {
        rc = fail(&v, "(body)", "expected an object");
    } else {
        switch (call) {
        case KS_CALL_LOOKUP:
            rc = parse_lookup(&v, root, out);
            break;
        case KS_CALL_ASSISTANCE:
            rc = parse_assistance(&v, root, out);
            break;
        case KS_CALL_POLICIES:
            rc = parse_policies(&v, root, out);
            break;
        case KS_CALL_OFFICES:
            rc = parse_offices(&v, root, out);
            break;
        case KS_CALL_SLOTS:
            rc = parse_slots(&v, root, out);
            break;
        case KS_CALL_BOOK:
        case KS_CALL_CANCEL:
        case KS_CALL_RESCHEDULE:
            rc = parse_booking(&v, root, out);
            break;
        case KS_CALL_BOOKINGS:
            rc = parse_bookings(&v, root, out);
            break;
        case KS_CALL_CHECKIN:
            rc = parse_checkin(&v, root, out);
            break;
        case KS_CALL_HEARTBEAT:
            rc = parse_heartbeat(&v, root, out);
            break;
        default:
            rc = KS_E_INVAL;
        }
    }
    cJSON_Delete(root);
    if (rc < 0)
        memset(out, 0, ks_api_answer_size(call));
    return rc;
}

int ks_api_parse_error(const char *body, size_t len, ks_api_error_t *out)
{
    memset(out, 0, sizeof *out);
    if (!body)
        return KS_E_PARSE;
    cJSON *root = cJSON_ParseWithLength(body, len);
    const cJSON *e = cJSON_GetObjectItemCaseSensitive(root, "error");
    vctx_t v = {.err = NULL, .errlen = 0, .where = ""};
    int rc = KS_E_PARSE;
    if (cJSON_IsObject(e) && get_str(&v, e, "code", out->code, sizeof out->code, REQUIRED) == 0 &&
        all_of(out->code, strlen(out->code), "ABCDEFGHIJKLMNOPQRSTUVWXYZ_") && out->code[0]) {
        rc = KS_OK;
        /* The message is for logs: cut, not refused, when long. */
        const cJSON *m = cJSON_GetObjectItemCaseSensitive(e, "message");
        if (cJSON_IsString(m) && utf8_valid(m->valuestring))
            snprintf(out->message, sizeof out->message, "%s", m->valuestring);
        const cJSON *t = cJSON_GetObjectItemCaseSensitive(e, "server_time");
        if (cJSON_IsNumber(t) && t->valuedouble > 0 && t->valuedouble < 1e12)
            out->server_time = (long long)t->valuedouble;
    } else {
        out->code[0] = '\0';
    }
    cJSON_Delete(root);
    return rc;
}

/* ---- request builders ---------------------------------------------------------- */

void ks_api_request_free(ks_api_request_t *req)
{
    if (!req)
        return;
    if (req->body) {
        explicit_bzero(req->body, req->body_len);
        free(req->body);
    }
    explicit_bzero(req, sizeof *req);
    free(req);
}

static ks_api_request_t *req_new(ks_call_t call, const char *method, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

static ks_api_request_t *req_new(ks_call_t call, const char *method, const char *fmt, ...)
{
    ks_api_request_t *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->call = call;
    snprintf(r->method, sizeof r->method, "%s", method);
    int n = snprintf(r->path, sizeof r->path, "/kiosk/v1");
    va_list ap;
    va_start(ap, fmt);
    int m = vsnprintf(r->path + n, sizeof r->path - (size_t)n, fmt, ap);
    va_end(ap);
    if (m < 0 || (size_t)(n + m) >= sizeof r->path) {
        free(r);
        return NULL;
    }
    return r;
}

/* Serialises `body` (deleted here, wiped first) into the request; NULL on failure. */
static ks_api_request_t *with_body(ks_api_request_t *r, cJSON *body)
{
    char *s = body && r ? cJSON_PrintUnformatted(body) : NULL;
    if (body) {
        /* Wipe personal strings in the tree before freeing it. */
        cJSON *stack[16];
        int sp = 0;
        stack[sp++] = body;
        while (sp > 0) {
            cJSON *n = stack[--sp];
            for (cJSON *c = n->child; c; c = c->next) {
                if (cJSON_IsString(c) && c->valuestring)
                    explicit_bzero(c->valuestring, strlen(c->valuestring));
                if (c->child && sp < 16)
                    stack[sp++] = c;
            }
        }
        cJSON_Delete(body);
    }
    if (!s) {
        ks_api_request_free(r);
        return NULL;
    }
    r->body = s;
    r->body_len = strlen(s);
    return r;
}

static int set_key(ks_api_request_t *r, const char *key)
{
    if (key) {
        if (!ks_api_uuid_valid(key))
            return KS_E_INVAL;
        snprintf(r->idempotency_key, sizeof r->idempotency_key, "%s", key);
        return KS_OK;
    }
    return ks_sign_uuid4(r->idempotency_key);
}

ks_api_request_t *ks_api_req_lookup(const char *id_number, const char *card_kind,
                                    const char *card_number)
{
    if (!id_number || strlen(id_number) != 18 || !card_kind || !card_number ||
        !segment_valid(card_kind, 8) || !segment_valid(card_number, 20))
        return NULL;
    ks_api_request_t *r = req_new(KS_CALL_LOOKUP, "POST", "/citizens/lookup");
    cJSON *b = cJSON_CreateObject();
    if (!r || !b || !cJSON_AddStringToObject(b, "id_number", id_number) ||
        !cJSON_AddStringToObject(b, "card_kind", card_kind) ||
        !cJSON_AddStringToObject(b, "card_number", card_number)) {
        ks_api_request_free(r);
        r = NULL;
    }
    return with_body(r, b);
}

ks_api_request_t *ks_api_req_assistance(const char *token)
{
    if (!ks_api_token_valid(token))
        return NULL;
    return req_new(KS_CALL_ASSISTANCE, "GET", "/citizens/%s/assistance", token);
}

ks_api_request_t *ks_api_req_policies(void)
{
    return req_new(KS_CALL_POLICIES, "GET", "/policies");
}

ks_api_request_t *ks_api_req_offices(void)
{
    return req_new(KS_CALL_OFFICES, "GET", "/marriage/offices");
}

ks_api_request_t *ks_api_req_slots(const char *office, const char *from, const char *to,
                                   ks_booking_type_t type)
{
    if (!segment_valid(office, 15) || !ks_api_date_valid(from) || !ks_api_date_valid(to) ||
        (unsigned)type > KS_REISSUE)
        return NULL;
    return req_new(KS_CALL_SLOTS, "GET", "/marriage/slots?office=%s&from=%s&to=%s&type=%s", office,
                   from, to, ks_booking_type_str(type));
}

ks_api_request_t *ks_api_req_book(ks_booking_type_t type, const char *slot,
                                  const ks_api_party_t *parties, int n_parties, const char *key)
{
    if ((unsigned)type > KS_REISSUE || !segment_valid(slot, 31) || n_parties < 1 || n_parties > 2 ||
        (n_parties == 1 && type != KS_REISSUE))
        return NULL;
    for (int i = 0; i < n_parties; i++)
        if (!ks_api_token_valid(parties[i].citizen) || !ks_api_phone_valid(parties[i].phone))
            return NULL;
    ks_api_request_t *r = req_new(KS_CALL_BOOK, "POST", "/marriage/bookings");
    cJSON *b = cJSON_CreateObject();
    cJSON *arr = b ? cJSON_AddArrayToObject(b, "parties") : NULL;
    int ok = r && b && arr && set_key(r, key) == 0 &&
             cJSON_AddStringToObject(b, "type", ks_booking_type_str(type)) &&
             cJSON_AddStringToObject(b, "slot", slot);
    for (int i = 0; ok && i < n_parties; i++) {
        cJSON *p = cJSON_CreateObject();
        ok = p && cJSON_AddItemToArray(arr, p) &&
             cJSON_AddStringToObject(p, "citizen", parties[i].citizen) &&
             cJSON_AddStringToObject(p, "phone", parties[i].phone);
    }
    if (!ok) {
        ks_api_request_free(r);
        r = NULL;
    }
    return with_body(r, b);
}

ks_api_request_t *ks_api_req_bookings(const char *token)
{
    if (!ks_api_token_valid(token))
        return NULL;
    return req_new(KS_CALL_BOOKINGS, "GET", "/citizens/%s/marriage/bookings", token);
}

ks_api_request_t *ks_api_req_cancel(const char *number, const char *token, const char *key)
{
    if (!segment_valid(number, 23) || !ks_api_token_valid(token))
        return NULL;
    ks_api_request_t *r = req_new(KS_CALL_CANCEL, "POST", "/marriage/bookings/%s/cancel", number);
    cJSON *b = cJSON_CreateObject();
    if (!r || !b || set_key(r, key) < 0 || !cJSON_AddStringToObject(b, "citizen", token)) {
        ks_api_request_free(r);
        r = NULL;
    }
    return with_body(r, b);
}

ks_api_request_t *ks_api_req_reschedule(const char *number, const char *token, const char *slot,
                                        const char *key)
{
    if (!segment_valid(number, 23) || !ks_api_token_valid(token) || !segment_valid(slot, 31))
        return NULL;
    ks_api_request_t *r =
        req_new(KS_CALL_RESCHEDULE, "POST", "/marriage/bookings/%s/reschedule", number);
    cJSON *b = cJSON_CreateObject();
    if (!r || !b || set_key(r, key) < 0 || !cJSON_AddStringToObject(b, "citizen", token) ||
        !cJSON_AddStringToObject(b, "slot", slot)) {
        ks_api_request_free(r);
        r = NULL;
    }
    return with_body(r, b);
}

ks_api_request_t *ks_api_req_checkin(const char *number, const char *office,
                                     const char *const *tokens, int n_tokens, const char *key)
{
    if (!segment_valid(number, 23) || !segment_valid(office, 15) || n_tokens < 1 || n_tokens > 2)
        return NULL;
    for (int i = 0; i < n_tokens; i++)
        if (!ks_api_token_valid(tokens[i]))
            return NULL;
    ks_api_request_t *r = req_new(KS_CALL_CHECKIN, "POST", "/marriage/bookings/%s/checkin", number);
    cJSON *b = cJSON_CreateObject();
    cJSON *arr = b ? cJSON_AddArrayToObject(b, "citizens") : NULL;
    int ok = r && arr && set_key(r, key) == 0 && cJSON_AddStringToObject(b, "office", office);
    for (int i = 0; ok && i < n_tokens; i++)
        ok = cJSON_AddItemToArray(arr, cJSON_CreateString(tokens[i]));
    if (!ok) {
        ks_api_request_free(r);
        r = NULL;
    }
    return with_body(r, b);
}

ks_api_request_t *ks_api_req_heartbeat(const char *kiosk_id, const char *version,
                                       long long uptime_s, const char *mode,
                                       const char *const *status_kv, int n_kv)
{
    if (!segment_valid(kiosk_id, 32) || !version || !mode || n_kv < 0)
        return NULL;
    ks_api_request_t *r = req_new(KS_CALL_HEARTBEAT, "POST", "/kiosks/%s/heartbeat", kiosk_id);
    cJSON *b = cJSON_CreateObject();
    cJSON *st = b ? cJSON_AddObjectToObject(b, "status") : NULL;
    int ok = r && st && cJSON_AddStringToObject(b, "version", version) &&
             cJSON_AddNumberToObject(b, "uptime_s", (double)uptime_s) &&
             cJSON_AddStringToObject(b, "mode", mode);
    for (int i = 0; ok && i < 2 * n_kv; i += 2)
        ok = cJSON_AddStringToObject(st, status_kv[i], status_kv[i + 1]) != NULL;
    if (!ok) {
        ks_api_request_free(r);
        r = NULL;
    }
    return with_body(r, b);
}
