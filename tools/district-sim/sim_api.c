/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The endpoints of docs/backend-api.md over the SQLite data. Each handler
 * validates the whole request before it writes anything, runs inside the
 * caller's transaction and answers with one JSON body (or an error body).
 */
#include "sim.h"

#include "idnum.h"
#include "log.h"
#include "sign.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PREFIX        "/kiosk/v1"
#define MAX_PARTIES   2
#define SIM_TOKEN_HEX 32 /* hex chars of a citizen token */

typedef struct {
    char id[19];
    int by, bm, bd;
    int male;
} citizen_t;

typedef struct {
    char id[48]; /* JJ01-20261203-0900 */
    char office[16];
    char office_name[128];
    int day, start_min, end_min, capacity;
} slot_t;

typedef struct {
    char number[24];
    char type[16];
    char status[16];
    char ticket[8];
    int ticket_seq;
    long long checked_in_at;
    slot_t slot;
    char parties[MAX_PARTIES][19];
    int nparties;
} booking_t;

void sim_resp_error(sim_resp_t *r, unsigned status, const char *code, const char *fmt, ...)
{
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (n >= (int)sizeof msg) {
        /* Cut at a character boundary: the body must stay valid UTF-8. */
        size_t end = sizeof msg - 1;
        while (end > 0 && ((unsigned char)msg[end] & 0xC0) == 0x80)
            end--;
        msg[end] = '\0';
    }

    free(r->body);
    r->body = NULL;
    r->status = status;
    snprintf(r->code, sizeof r->code, "%s", code);
    cJSON *root = cJSON_CreateObject();
    cJSON *err = cJSON_AddObjectToObject(root, "error");
    if (err) {
        cJSON_AddStringToObject(err, "code", code);
        cJSON_AddStringToObject(err, "message", msg);
        if (r->server_time)
            cJSON_AddNumberToObject(err, "server_time", (double)r->server_time);
    }
    r->body = cJSON_PrintUnformatted(root);
    r->len = r->body ? strlen(r->body) : 0;
    cJSON_Delete(root);
}

/* Sets a 2xx answer from a JSON tree (consumed). */
static void reply(sim_resp_t *r, unsigned status, cJSON *root)
{
    free(r->body);
    r->body = root ? cJSON_PrintUnformatted(root) : NULL;
    cJSON_Delete(root);
    if (!r->body) {
        sim_resp_error(r, 500, "INTERNAL", "out of memory");
        return;
    }
    r->status = status;
    r->code[0] = '\0';
    r->len = strlen(r->body);
}

static void internal(sim_resp_t *r, sim_t *s)
{
    ks_log(KS_LOG_ERROR, "api", "database: %s", sqlite3_errmsg(s->db));
    sim_resp_error(r, 500, "INTERNAL", "database error");
}

/* ---- request validation ------------------------------------------------------ */

static cJSON *parse_body(const sim_req_t *req, sim_resp_t *r)
{
    if (req->len == 0 || strlen(req->body) != req->len) {
        sim_resp_error(r, 400, "BAD_REQUEST", "body: expected a JSON object");
        return NULL;
    }
    const char *end = NULL;
    cJSON *root = cJSON_ParseWithOpts(req->body, &end, 1);
    if (!root || !cJSON_IsObject(root)) {
        cJSON_Delete(root);
        sim_resp_error(r, 400, "BAD_REQUEST", "body: not a JSON object");
        return NULL;
    }
    return root;
}

/* A string member of 1..maxlen bytes, or NULL with a 400 naming the field. */
static const char *get_str(const cJSON *obj, const char *name, size_t maxlen, sim_resp_t *r)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);
    if (!cJSON_IsString(v) || !v->valuestring) {
        sim_resp_error(r, 400, "BAD_REQUEST", "%s: missing or not a string", name);
        return NULL;
    }
    size_t n = strlen(v->valuestring);
    if (n == 0 || n > maxlen) {
        sim_resp_error(r, 400, "BAD_REQUEST", "%s: length must be 1..%zu", name, maxlen);
        return NULL;
    }
    return v->valuestring;
}

static int is_token(const char *t)
{
    if (!t || strlen(t) != SIM_TOKEN_HEX)
        return 0;
    for (const char *p = t; *p; p++) {
        if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
            return 0;
    }
    return 1;
}

static int is_type(const char *t)
{
    return t && (!strcmp(t, "MARRIAGE") || !strcmp(t, "DIVORCE") || !strcmp(t, "REISSUE"));
}

static int is_phone(const char *p)
{
    if (strlen(p) != 11 || p[0] != '1' || p[1] < '3' || p[1] > '9')
        return 0;
    for (int i = 2; i < 11; i++) {
        if (p[i] < '0' || p[i] > '9')
            return 0;
    }
    return 1;
}

/* ---- citizens and tokens ------------------------------------------------------ */

static int citizen_from_id(const char *id, citizen_t *c)
{
    ks_idnum_info_t info;
    if (ks_idnum_validate(id, 0, &info) != KS_IDNUM_OK)
        return -1;
    snprintf(c->id, sizeof c->id, "%s", id);
    if (c->id[17] == 'x')
        c->id[17] = 'X';
    c->by = info.year;
    c->bm = info.month;
    c->bd = info.day;
    c->male = info.sex == KS_SEX_MALE;
    return 0;
}

/* Resolves a token issued less than 600 s ago: 0, 1 unknown/expired, -1 db error. */
static int token_citizen(sim_t *s, const char *token, citizen_t *c)
{
    if (!is_token(token))
        return 1;
    sqlite3_stmt *st = sim_db_prepare(s, "SELECT id_number, issued_at FROM tokens WHERE token=?1");
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, token, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st);
    int res = 1;
    if (rc == SQLITE_ROW) {
        long long issued = sqlite3_column_int64(st, 1);
        long long now = sim_now();
        const char *id = (const char *)sqlite3_column_text(st, 0);
        if (id && now - issued < SIM_TOKEN_TTL && now >= issued - SIM_SKEW_MAX &&
            citizen_from_id(id, c) == 0)
            res = 0;
    } else if (rc != SQLITE_DONE) {
        res = -1;
    }
    sqlite3_finalize(st);
    return res;
}

/* token_citizen with the error answer set; 0 when resolved. */
static int need_citizen(sim_t *s, const char *token, citizen_t *c, sim_resp_t *r)
{
    int rc = token_citizen(s, token, c);
    if (rc < 0)
        internal(r, s);
    else if (rc > 0)
        sim_resp_error(r, 401, "TOKEN_EXPIRED", "citizen token unknown or expired");
    return rc;
}

/* ---- calendar and slots -------------------------------------------------------- */

static int is_working_day(sim_t *s, int day)
{
    if (s->holidays) {
        int y, m, d;
        sim_ymd_from_days(day, &y, &m, &d);
        return ks_workday_is(y * 10000 + m * 100 + d, s->holidays);
    }
    if (sim_weekday(day) >= 5)
        return 0;
    char d[11];
    sim_format_date(day, d);
    return sim_db_int(s, 0, "SELECT count(*) FROM holidays WHERE day=?1", d, NULL) == 0;
}

/* Booking window: from the second working day after today to today + 30 days. */
static int in_window(sim_t *s, int day)
{
    int today = sim_today();
    int earliest = today;
    for (int n = 0; n < 2;) {
        earliest++;
        if (is_working_day(s, earliest))
            n++;
    }
    return day >= earliest && day <= today + 30;
}

static int office_load(sim_t *s, const char *code, slot_t *sl)
{
    sqlite3_stmt *st = sim_db_prepare(s, "SELECT name, capacity FROM offices WHERE code=?1");
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, code, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st), res = 1;
    if (rc == SQLITE_ROW) {
        snprintf(sl->office, sizeof sl->office, "%s", code);
        snprintf(sl->office_name, sizeof sl->office_name, "%s", sqlite3_column_text(st, 0));
        sl->capacity = sqlite3_column_int(st, 1);
        res = 0;
    } else if (rc != SQLITE_DONE) {
        res = -1;
    }
    sqlite3_finalize(st);
    return res;
}

static void slot_id(slot_t *sl)
{
    int y, m, d;
    sim_ymd_from_days(sl->day, &y, &m, &d);
    snprintf(sl->id, sizeof sl->id, "%.8s-%04d%02d%02d-%02d%02d", sl->office, y % 10000, m, d,
             sl->start_min / 60, sl->start_min % 60);
}

/* The slot of an office at `hhmm` on `day` (any day: no working-day check):
 * 0, 1 no such office, 2 no such slot time, -1 db error. */
static int slot_at(sim_t *s, const char *office, int day, int hhmm, slot_t *sl)
{
    int rc = office_load(s, office, sl);
    if (rc != 0)
        return rc;
    char hh[8];
    snprintf(hh, sizeof hh, "%d", hhmm);
    long long minutes = sim_db_int(s, -1, "SELECT minutes FROM slot_times WHERE hhmm=?1", hh, NULL);
    if (minutes <= 0)
        return 2;
    sl->day = day;
    sl->start_min = hhmm / 100 * 60 + hhmm % 100;
    sl->end_min = sl->start_min + (int)minutes;
    slot_id(sl);
    return 0;
}

/* Parses and checks "OFFICE-YYYYMMDD-HHMM": 0, 1 no such slot, -1 db error. */
static int slot_parse(sim_t *s, const char *id, slot_t *sl)
{
    memset(sl, 0, sizeof *sl);
    const char *dash = id ? strchr(id, '-') : NULL;
    if (!dash || dash == id || dash - id > 8 || strlen(dash) != 14 || dash[9] != '-')
        return 1;
    char office[16], date[11];
    snprintf(office, sizeof office, "%.*s", (int)(dash - id), id);
    for (int i = 1; i < 14; i++) {
        if (i != 9 && (dash[i] < '0' || dash[i] > '9'))
            return 1;
    }
    snprintf(date, sizeof date, "%.4s-%.2s-%.2s", dash + 1, dash + 5, dash + 7);
    int day;
    if (sim_parse_date(date, &day) < 0)
        return 1;
    int rc = slot_at(s, office, day, atoi(dash + 10), sl);
    if (rc < 0)
        return -1;
    return rc > 0 || !is_working_day(s, day) ? 1 : 0;
}

static long long slot_used(sim_t *s, const char *slot)
{
    return sim_db_int(s, -1,
                      "SELECT count(*) FROM bookings WHERE slot=?1"
                      " AND status IN ('BOOKED','CHECKED_IN')",
                      slot, NULL);
}

static void add_time(cJSON *o, const char *name, int day, int minutes)
{
    char t[26];
    sim_format_time(sim_local_unix(day, minutes), t);
    cJSON_AddStringToObject(o, name, t);
}

static void add_date_or_null(cJSON *o, const char *name, const unsigned char *v)
{
    if (v)
        cJSON_AddStringToObject(o, name, (const char *)v);
    else
        cJSON_AddNullToObject(o, name);
}

/* ---- bookings -------------------------------------------------------------------- */

/* Loads a booking and its parties: 0, 1 not found, -1 db error. */
static int booking_load(sim_t *s, const char *number, booking_t *b)
{
    memset(b, 0, sizeof *b);
    sqlite3_stmt *st = sim_db_prepare(s, "SELECT type, office, day, start_min, end_min, status,"
                                         " ticket, ticket_seq, checked_in_at FROM bookings"
                                         " WHERE number=?1");
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, number, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        sqlite3_finalize(st);
        return rc == SQLITE_DONE ? 1 : -1;
    }
    snprintf(b->number, sizeof b->number, "%s", number);
    snprintf(b->type, sizeof b->type, "%s", sqlite3_column_text(st, 0));
    char office[16];
    snprintf(office, sizeof office, "%s", sqlite3_column_text(st, 1));
    b->slot.day = sqlite3_column_int(st, 2);
    b->slot.start_min = sqlite3_column_int(st, 3);
    b->slot.end_min = sqlite3_column_int(st, 4);
    snprintf(b->status, sizeof b->status, "%s", sqlite3_column_text(st, 5));
    if (sqlite3_column_type(st, 6) != SQLITE_NULL)
        snprintf(b->ticket, sizeof b->ticket, "%s", sqlite3_column_text(st, 6));
    b->ticket_seq = sqlite3_column_int(st, 7);
    b->checked_in_at = sqlite3_column_int64(st, 8);
    sqlite3_finalize(st);
    int day = b->slot.day, start = b->slot.start_min, end = b->slot.end_min;
    if (office_load(s, office, &b->slot) != 0)
        return -1;
    b->slot.day = day;
    b->slot.start_min = start;
    b->slot.end_min = end;
    slot_id(&b->slot);

    st = sim_db_prepare(s, "SELECT id_number FROM parties WHERE number=?1 ORDER BY rowid");
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, number, -1, SQLITE_TRANSIENT);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && b->nparties < MAX_PARTIES)
        snprintf(b->parties[b->nparties++], 19, "%s", sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1;
}

static cJSON *booking_json(const booking_t *b)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "number", b->number);
    cJSON_AddStringToObject(o, "type", b->type);
    cJSON_AddStringToObject(o, "office", b->slot.office);
    cJSON_AddStringToObject(o, "office_name", b->slot.office_name);
    cJSON_AddStringToObject(o, "slot", b->slot.id);
    add_time(o, "start", b->slot.day, b->slot.start_min);
    add_time(o, "end", b->slot.day, b->slot.end_min);
    cJSON_AddStringToObject(o, "status", b->status);
    if (!strcmp(b->type, "DIVORCE")) {
        /* Cooling-off: both come back between start + 30 and start + 60 days. */
        char from[11], to[11];
        sim_format_date(b->slot.day + 30, from);
        sim_format_date(b->slot.day + 60, to);
        cJSON *w = cJSON_AddObjectToObject(o, "second_window");
        cJSON_AddStringToObject(w, "from", from);
        cJSON_AddStringToObject(w, "to", to);
    } else {
        cJSON_AddNullToObject(o, "second_window");
    }
    return o;
}

static void reply_booking(sim_t *s, sim_resp_t *r, unsigned status, const char *number)
{
    booking_t b;
    if (booking_load(s, number, &b) != 0) {
        internal(r, s);
        return;
    }
    cJSON *root = cJSON_CreateObject();
    cJSON_AddItemToObject(root, "booking", booking_json(&b));
    reply(r, status, root);
}

static int is_party(const booking_t *b, const char *id)
{
    for (int i = 0; i < b->nparties; i++) {
        if (!strcmp(b->parties[i], id))
            return 1;
    }
    return 0;
}

/* Whether the citizen holds a booking that is still ahead (or checked in today). */
static long long has_active_booking(sim_t *s, const char *id, const char *except)
{
    sqlite3_stmt *st = sim_db_prepare(s, "SELECT count(*) FROM bookings b JOIN parties p"
                                         " ON p.number=b.number WHERE p.id_number=?1"
                                         " AND b.status IN ('BOOKED','CHECKED_IN')"
                                         " AND b.day >= ?2 AND b.number != ?3");
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(st, 2, sim_today());
    sqlite3_bind_text(st, 3, except ? except : "", -1, SQLITE_TRANSIENT);
    long long n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
    sqlite3_finalize(st);
    return n;
}

/* UNDER_AGE for a marriage: man < 22 or woman < 20 on the registration day. */
static int under_age(const citizen_t *c, int n, int day)
{
    for (int i = 0; i < n; i++) {
        int age = sim_age_on(c[i].by, c[i].bm, c[i].bd, day);
        if (age < (c[i].male ? 22 : 20))
            return 1;
    }
    return 0;
}

/* Inserts a booking with its parties; writes the new number. 0 or -1. */
static int booking_insert(sim_t *s, const char *type, const slot_t *sl, const char ids[][19],
                          const char phones[][12], int n, const char *kiosk, char number[24])
{
    int y, m, d;
    sim_ymd_from_days(sl->day, &y, &m, &d);
    char prefix[16];
    snprintf(prefix, sizeof prefix, "JJ%02d%02d%02d", y % 100, m, d);
    char like[20];
    snprintf(like, sizeof like, "%s%%", prefix);
    long long seq =
        sim_db_int(s, -1, "SELECT count(*) FROM bookings WHERE number LIKE ?1", like, NULL);
    if (seq < 0 || seq >= 9999)
        return -1;
    snprintf(number, 24, "%s%04lld", prefix, seq + 1);

    sqlite3_stmt *st = sim_db_prepare(
        s, "INSERT INTO bookings(number, type, office, slot, day, start_min, end_min, status,"
           " created_at, seq, kiosk) VALUES(?1,?2,?3,?4,?5,?6,?7,'BOOKED',?8,"
           " (SELECT coalesce(max(seq),0)+1 FROM bookings),?9)");
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, number, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, type, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, sl->office, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 4, sl->id, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(st, 5, sl->day);
    sqlite3_bind_int(st, 6, sl->start_min);
    sqlite3_bind_int(st, 7, sl->end_min);
    sqlite3_bind_int64(st, 8, sim_now());
    sqlite3_bind_text(st, 9, kiosk ? kiosk : "", -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return -1;
    for (int i = 0; i < n; i++) {
        st = sim_db_prepare(s, "INSERT INTO parties(number, id_number, phone) VALUES(?1,?2,?3)");
        if (!st)
            return -1;
        sqlite3_bind_text(st, 1, number, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 2, ids[i], -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 3, phones[i], -1, SQLITE_TRANSIENT);
        rc = sqlite3_step(st);
        sqlite3_finalize(st);
        if (rc != SQLITE_DONE)
            return -1;
    }
    return 0;
}

/* ---- handlers ---------------------------------------------------------------------- */

static void h_lookup(sim_t *s, const sim_req_t *req, sim_resp_t *r)
{
    cJSON *body = parse_body(req, r);
    if (!body)
        return;
    const char *id = get_str(body, "id_number", 18, r);
    const char *kind = id ? get_str(body, "card_kind", 4, r) : NULL;
    const char *cardno = kind ? get_str(body, "card_number", 20, r) : NULL;
    if (!cardno)
        goto out;
    if (strlen(id) != 18) {
        sim_resp_error(r, 400, "BAD_REQUEST", "id_number: expected 18 characters");
        goto out;
    }
    if (strcmp(kind, "SSC1") && strcmp(kind, "SSC2") && strcmp(kind, "SSC3")) {
        sim_resp_error(r, 400, "BAD_REQUEST", "card_kind: expected SSC1, SSC2 or SSC3");
        goto out;
    }
    int y, m, d;
    sim_ymd_from_days(sim_today(), &y, &m, &d);
    ks_idnum_info_t info;
    ks_idnum_status_t vs = ks_idnum_validate(id, y * 10000 + m * 100 + d, &info);
    citizen_t c;
    if (vs != KS_IDNUM_OK || citizen_from_id(id, &c) < 0) {
        sim_resp_error(r, 422, "INVALID_ID", "id_number: %s", ks_idnum_status_str(vs));
        goto out;
    }

    char token[KS_SIGN_NONCE_LEN + 1];
    if (ks_sign_nonce(token) < 0) {
        sim_resp_error(r, 500, "INTERNAL", "no randomness");
        goto out;
    }
    sqlite3_stmt *st =
        sim_db_prepare(s, "INSERT INTO tokens(token, id_number, issued_at) VALUES(?1,?2,?3)");
    if (!st) {
        internal(r, s);
        goto out;
    }
    sqlite3_bind_text(st, 1, token, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, c.id, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 3, sim_now());
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        internal(r, s);
        goto out;
    }
    /* Old tokens are useless after their 600 s; keep the table small. */
    char cutoff[24];
    snprintf(cutoff, sizeof cutoff, "%lld", sim_now() - 3600);
    sim_db_int(s, 0, "DELETE FROM tokens WHERE issued_at < ?1", cutoff, NULL);

    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "citizen", token);
    cJSON_AddNumberToObject(root, "expires_in", SIM_TOKEN_TTL);
    char name[128] = "";
    st = sim_db_prepare(s, "SELECT name FROM citizens WHERE id_number=?1");
    if (!st) {
        cJSON_Delete(root);
        internal(r, s);
        goto out;
    }
    sqlite3_bind_text(st, 1, c.id, -1, SQLITE_TRANSIENT);
    int known = sqlite3_step(st) == SQLITE_ROW;
    if (known)
        snprintf(name, sizeof name, "%s", sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    char masked[256];
    if (known && name[0] && ks_mask_name(name, masked, sizeof masked) == 0)
        cJSON_AddStringToObject(root, "name_masked", masked);
    else
        cJSON_AddNullToObject(root, "name_masked");
    cJSON_AddNumberToObject(root, "age", sim_age_on(c.by, c.bm, c.bd, sim_today()));
    cJSON_AddStringToObject(root, "sex", c.male ? "M" : "F");
    cJSON_AddBoolToObject(root, "known", known);
    reply(r, 200, root);
out:
    cJSON_Delete(body);
}

static void h_assistance(sim_t *s, const char *token, sim_resp_t *r)
{
    citizen_t c;
    if (need_citizen(s, token, &c, r) != 0)
        return;
    sqlite3_stmt *st = sim_db_prepare(s, "SELECT id, code, name, status, monthly_amount_fen,"
                                         " since, next_review, gradual_exit_until, office"
                                         " FROM programmes WHERE id_number=?1 ORDER BY id");
    sqlite3_stmt *pay = sim_db_prepare(s, "SELECT month, amount_fen, paid_on FROM payments"
                                          " WHERE programme_id=?1 ORDER BY month DESC,"
                                          " paid_on DESC LIMIT 12");
    if (!st || !pay) {
        sqlite3_finalize(st);
        sqlite3_finalize(pay);
        internal(r, s);
        return;
    }
    char today[11];
    sim_format_date(sim_today(), today);
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "as_of", today);
    cJSON *list = cJSON_AddArrayToObject(root, "programmes");
    sqlite3_bind_text(st, 1, c.id, -1, SQLITE_TRANSIENT);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        cJSON *p = cJSON_CreateObject();
        cJSON_AddStringToObject(p, "code", (const char *)sqlite3_column_text(st, 1));
        cJSON_AddStringToObject(p, "name", (const char *)sqlite3_column_text(st, 2));
        cJSON_AddStringToObject(p, "status", (const char *)sqlite3_column_text(st, 3));
        if (sqlite3_column_type(st, 4) == SQLITE_NULL)
            cJSON_AddNullToObject(p, "monthly_amount_fen");
        else
            cJSON_AddNumberToObject(p, "monthly_amount_fen", (double)sqlite3_column_int64(st, 4));
        add_date_or_null(p, "since", sqlite3_column_text(st, 5));
        add_date_or_null(p, "next_review", sqlite3_column_text(st, 6));
        add_date_or_null(p, "gradual_exit_until", sqlite3_column_text(st, 7));
        cJSON_AddStringToObject(p, "office", (const char *)sqlite3_column_text(st, 8));
        cJSON *pays = cJSON_AddArrayToObject(p, "payments");
        sqlite3_reset(pay);
        sqlite3_bind_int64(pay, 1, sqlite3_column_int64(st, 0));
        while (sqlite3_step(pay) == SQLITE_ROW) {
            cJSON *e = cJSON_CreateObject();
            cJSON_AddStringToObject(e, "month", (const char *)sqlite3_column_text(pay, 0));
            cJSON_AddNumberToObject(e, "amount_fen", (double)sqlite3_column_int64(pay, 1));
            cJSON_AddStringToObject(e, "paid_on", (const char *)sqlite3_column_text(pay, 2));
            cJSON_AddItemToArray(pays, e);
        }
        cJSON_AddItemToArray(list, p);
    }
    sqlite3_finalize(st);
    sqlite3_finalize(pay);
    if (rc != SQLITE_DONE) {
        cJSON_Delete(root);
        internal(r, s);
        return;
    }
    reply(r, 200, root);
}

/* An If-None-Match list ("a", W/"b", *) matching our strong ETag. */
static int etag_matches(const char *inm, const char *etag)
{
    if (!inm)
        return 0;
    if (!strcmp(inm, "*"))
        return 1;
    size_t n = strlen(etag);
    for (const char *p = strstr(inm, etag); p; p = strstr(p + 1, etag)) {
        if ((p == inm || p[-1] == ' ' || p[-1] == ',') &&
            (p[n] == '\0' || p[n] == ',' || p[n] == ' '))
            return 1;
    }
    return 0;
}

static void h_policies(sim_t *s, const sim_req_t *req, sim_resp_t *r)
{
    sqlite3_stmt *st = sim_db_prepare(s, "SELECT body FROM policies WHERE id=1");
    if (!st) {
        internal(r, s);
        return;
    }
    cJSON *root = NULL;
    if (sqlite3_step(st) == SQLITE_ROW)
        root = cJSON_Parse((const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    if (!root) {
        sim_resp_error(r, 503, "UNAVAILABLE", "no policies loaded");
        return;
    }
    reply(r, 200, root);
    if (r->status != 200)
        return;
    char hash[KS_SIGN_HEX_LEN + 1];
    ks_sign_body_hash(r->body, r->len, hash);
    snprintf(r->etag, sizeof r->etag, "\"%s\"", hash);
    if (etag_matches(req->if_none_match, r->etag)) {
        free(r->body);
        r->body = NULL;
        r->len = 0;
        r->status = 304;
    }
}

static void h_offices(sim_t *s, sim_resp_t *r)
{
    sqlite3_stmt *st =
        sim_db_prepare(s, "SELECT code, name, address, hours FROM offices ORDER BY sort, code");
    if (!st) {
        internal(r, s);
        return;
    }
    cJSON *root = cJSON_CreateObject();
    cJSON *list = cJSON_AddArrayToObject(root, "offices");
    while (sqlite3_step(st) == SQLITE_ROW) {
        cJSON *o = cJSON_CreateObject();
        static const char *const cols[] = {"code", "name", "address", "hours"};
        for (int i = 0; i < 4; i++)
            cJSON_AddStringToObject(o, cols[i], (const char *)sqlite3_column_text(st, i));
        cJSON_AddItemToArray(list, o);
    }
    sqlite3_finalize(st);
    reply(r, 200, root);
}

static void h_slots(sim_t *s, const sim_req_t *req, sim_resp_t *r)
{
    int from, to;
    if (!req->q_type || !is_type(req->q_type)) {
        sim_resp_error(r, 400, "BAD_REQUEST", "type: expected MARRIAGE, DIVORCE or REISSUE");
        return;
    }
    if (sim_parse_date(req->q_from, &from) < 0 || sim_parse_date(req->q_to, &to) < 0) {
        sim_resp_error(r, 400, "BAD_REQUEST", "from/to: expected YYYY-MM-DD dates");
        return;
    }
    if (to < from || to - from + 1 > 62) {
        sim_resp_error(r, 400, "BAD_REQUEST", "from/to: range must be 1..62 days");
        return;
    }
    if (!req->q_office || !req->q_office[0]) {
        sim_resp_error(r, 400, "BAD_REQUEST", "office: missing");
        return;
    }
    slot_t sl;
    int rc = office_load(s, req->q_office, &sl);
    if (rc < 0) {
        internal(r, s);
        return;
    }
    if (rc > 0) {
        sim_resp_error(r, 404, "NOT_FOUND", "office: no such office");
        return;
    }
    sqlite3_stmt *st = sim_db_prepare(s, "SELECT hhmm, minutes FROM slot_times ORDER BY hhmm");
    if (!st) {
        internal(r, s);
        return;
    }
    cJSON *root = cJSON_CreateObject();
    cJSON *list = cJSON_AddArrayToObject(root, "slots");
    for (int day = from; day <= to; day++) {
        if (!is_working_day(s, day))
            continue;
        sqlite3_reset(st);
        while (sqlite3_step(st) == SQLITE_ROW) {
            int hhmm = sqlite3_column_int(st, 0);
            sl.day = day;
            sl.start_min = hhmm / 100 * 60 + hhmm % 100;
            sl.end_min = sl.start_min + sqlite3_column_int(st, 1);
            slot_id(&sl);
            long long used = slot_used(s, sl.id);
            long long left = sl.capacity - (used < 0 ? 0 : used);
            cJSON *o = cJSON_CreateObject();
            cJSON_AddStringToObject(o, "slot", sl.id);
            add_time(o, "start", day, sl.start_min);
            add_time(o, "end", day, sl.end_min);
            cJSON_AddNumberToObject(o, "capacity", sl.capacity);
            cJSON_AddNumberToObject(o, "remaining", (double)(left < 0 ? 0 : left));
            cJSON_AddItemToArray(list, o);
        }
    }
    sqlite3_finalize(st);
    reply(r, 200, root);
}

/* Checks a slot for a booking of these citizens; 0 when it may be taken. */
static int slot_rules(sim_t *s, const char *type, const slot_t *sl, const citizen_t *c, int n,
                      const char *except, sim_resp_t *r)
{
    if (!in_window(s, sl->day)) {
        sim_resp_error(r, 422, "OUTSIDE_WINDOW", "slot: book 2 working days to 30 days ahead");
        return -1;
    }
    if (!strcmp(type, "MARRIAGE") && under_age(c, n, sl->day)) {
        sim_resp_error(r, 422, "UNDER_AGE", "a party is under the legal marriage age then");
        return -1;
    }
    long long used = sim_db_int(s, -1,
                                "SELECT count(*) FROM bookings WHERE slot=?1 AND status IN"
                                " ('BOOKED','CHECKED_IN') AND number != ?2",
                                sl->id, except ? except : "");
    if (used < 0) {
        internal(r, s);
        return -1;
    }
    if (used >= sl->capacity) {
        sim_resp_error(r, 409, "SLOT_FULL", "slot: no places left");
        return -1;
    }
    return 0;
}

static void h_book(sim_t *s, const sim_req_t *req, sim_resp_t *r)
{
    cJSON *body = parse_body(req, r);
    if (!body)
        return;
    const char *type = get_str(body, "type", 16, r);
    const char *slot = type ? get_str(body, "slot", 32, r) : NULL;
    if (!slot)
        goto out;
    if (!is_type(type)) {
        sim_resp_error(r, 400, "BAD_REQUEST", "type: expected MARRIAGE, DIVORCE or REISSUE");
        goto out;
    }
    const cJSON *parties = cJSON_GetObjectItemCaseSensitive(body, "parties");
    int n = cJSON_GetArraySize(parties);
    int min = !strcmp(type, "REISSUE") ? 1 : 2;
    if (!cJSON_IsArray(parties) || n < min || n > MAX_PARTIES) {
        sim_resp_error(r, 400, "BAD_REQUEST", "parties: expected an array of %d..2 parties", min);
        goto out;
    }
    citizen_t c[MAX_PARTIES];
    char ids[MAX_PARTIES][19], phones[MAX_PARTIES][12];
    const char *tokens[MAX_PARTIES];
    for (int i = 0; i < n; i++) {
        const cJSON *p = cJSON_GetArrayItem(parties, i);
        const cJSON *tok = cJSON_GetObjectItemCaseSensitive(p, "citizen");
        const cJSON *ph = cJSON_GetObjectItemCaseSensitive(p, "phone");
        if (!cJSON_IsObject(p) || !cJSON_IsString(tok) || !is_token(tok->valuestring)) {
            sim_resp_error(r, 400, "BAD_REQUEST", "parties[%d].citizen: expected a token", i);
            goto out;
        }
        if (!cJSON_IsString(ph) || !is_phone(ph->valuestring)) {
            sim_resp_error(r, 400, "BAD_REQUEST", "parties[%d].phone: expected 11 digits 1[3-9]",
                           i);
            goto out;
        }
        tokens[i] = tok->valuestring;
        snprintf(phones[i], sizeof phones[i], "%s", ph->valuestring);
    }
    for (int i = 0; i < n; i++) {
        if (need_citizen(s, tokens[i], &c[i], r) != 0)
            goto out;
        memcpy(ids[i], c[i].id, sizeof ids[i]);
    }
    slot_t sl;
    int rc = slot_parse(s, slot, &sl);
    if (rc != 0) {
        if (rc < 0)
            internal(r, s);
        else
            sim_resp_error(r, 404, "NOT_FOUND", "slot: no such slot");
        goto out;
    }
    if (n == 2 && !strcmp(ids[0], ids[1])) {
        sim_resp_error(r, 422, "SAME_PERSON", "parties: both are the same person");
        goto out;
    }
    for (int i = 0; i < n; i++) {
        long long act = has_active_booking(s, ids[i], NULL);
        if (act < 0) {
            internal(r, s);
            goto out;
        }
        if (act > 0) {
            sim_resp_error(r, 422, "ALREADY_BOOKED", "parties[%d]: has an active booking", i);
            goto out;
        }
    }
    if (slot_rules(s, type, &sl, c, n, NULL, r) < 0)
        goto out;
    char number[24];
    if (booking_insert(s, type, &sl, (const char(*)[19])ids, (const char(*)[12])phones, n,
                       req->kiosk_id, number) < 0) {
        internal(r, s);
        goto out;
    }
    reply_booking(s, r, 201, number);
out:
    cJSON_Delete(body);
}

static void h_bookings(sim_t *s, const char *token, sim_resp_t *r)
{
    citizen_t c;
    if (need_citizen(s, token, &c, r) != 0)
        return;
    sqlite3_stmt *st = sim_db_prepare(s, "SELECT b.number FROM bookings b JOIN parties p"
                                         " ON p.number=b.number WHERE p.id_number=?1"
                                         " ORDER BY b.created_at DESC, b.seq DESC");
    if (!st) {
        internal(r, s);
        return;
    }
    sqlite3_bind_text(st, 1, c.id, -1, SQLITE_TRANSIENT);
    cJSON *root = cJSON_CreateObject();
    cJSON *list = cJSON_AddArrayToObject(root, "bookings");
    int rc, ok = 1;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        booking_t b;
        if (booking_load(s, (const char *)sqlite3_column_text(st, 0), &b) != 0) {
            ok = 0;
            break;
        }
        cJSON_AddItemToArray(list, booking_json(&b));
    }
    sqlite3_finalize(st);
    if (!ok || (rc != SQLITE_DONE && rc != SQLITE_ROW)) {
        cJSON_Delete(root);
        internal(r, s);
        return;
    }
    reply(r, 200, root);
}

/* Common part of cancel and reschedule: the booking, the acting citizen, the rules. */
static int acting_party(sim_t *s, const char *number, const char *token, booking_t *b, citizen_t *c,
                        sim_resp_t *r)
{
    int rc = booking_load(s, number, b);
    if (rc != 0) {
        if (rc < 0)
            internal(r, s);
        else
            sim_resp_error(r, 404, "NOT_FOUND", "no such booking");
        return -1;
    }
    if (need_citizen(s, token, c, r) != 0)
        return -1;
    if (!is_party(b, c->id)) {
        sim_resp_error(r, 403, "NOT_A_PARTY", "the citizen is not a party of this booking");
        return -1;
    }
    if (!strcmp(b->status, "CANCELLED")) {
        sim_resp_error(r, 422, "CANCELLED", "the booking is cancelled");
        return -1;
    }
    if (!strcmp(b->status, "CHECKED_IN") ||
        sim_now() > sim_local_unix(b->slot.day, b->slot.start_min) - 86400) {
        sim_resp_error(r, 422, "TOO_LATE", "less than one day before the start");
        return -1;
    }
    return 0;
}

static int set_status(sim_t *s, const char *number, const char *status)
{
    sqlite3_stmt *st = sim_db_prepare(s, "UPDATE bookings SET status=?2 WHERE number=?1");
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, number, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, status, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

static void h_cancel(sim_t *s, const sim_req_t *req, const char *number, sim_resp_t *r)
{
    cJSON *body = parse_body(req, r);
    if (!body)
        return;
    const char *token = get_str(body, "citizen", 64, r);
    booking_t b;
    citizen_t c;
    if (token && acting_party(s, number, token, &b, &c, r) == 0) {
        if (set_status(s, number, "CANCELLED") < 0)
            internal(r, s);
        else
            reply_booking(s, r, 200, number);
    }
    cJSON_Delete(body);
}

static void h_reschedule(sim_t *s, const sim_req_t *req, const char *number, sim_resp_t *r)
{
    cJSON *body = parse_body(req, r);
    if (!body)
        return;
    const char *token = get_str(body, "citizen", 64, r);
    const char *slot = token ? get_str(body, "slot", 32, r) : NULL;
    booking_t b;
    citizen_t c[MAX_PARTIES], actor;
    slot_t sl;
    if (!slot || acting_party(s, number, token, &b, &actor, r) != 0)
        goto out;
    int rc = slot_parse(s, slot, &sl);
    if (rc != 0) {
        if (rc < 0)
            internal(r, s);
        else
            sim_resp_error(r, 404, "NOT_FOUND", "slot: no such slot");
        goto out;
    }
    for (int i = 0; i < b.nparties; i++) {
        if (citizen_from_id(b.parties[i], &c[i]) < 0) {
            internal(r, s);
            goto out;
        }
    }
    if (slot_rules(s, b.type, &sl, c, b.nparties, number, r) < 0)
        goto out;
    sqlite3_stmt *st = sim_db_prepare(s, "UPDATE bookings SET office=?2, slot=?3, day=?4,"
                                         " start_min=?5, end_min=?6 WHERE number=?1");
    if (!st) {
        internal(r, s);
        goto out;
    }
    sqlite3_bind_text(st, 1, number, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, sl.office, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, sl.id, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(st, 4, sl.day);
    sqlite3_bind_int(st, 5, sl.start_min);
    sqlite3_bind_int(st, 6, sl.end_min);
    rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        internal(r, s);
    else
        reply_booking(s, r, 200, number);
out:
    cJSON_Delete(body);
}

/* Checks a booking in now with the next ticket of its office and day. 0 or -1. */
static int check_in(sim_t *s, booking_t *b)
{
    /* Tickets count per office and day: J001, J002, ... */
    char day[16];
    snprintf(day, sizeof day, "%d", b->slot.day);
    long long seq = sim_db_int(s, -1,
                               "SELECT coalesce(max(ticket_seq),0) FROM bookings"
                               " WHERE office=?1 AND day=?2 AND status='CHECKED_IN'",
                               b->slot.office, day);
    sqlite3_stmt *st = seq < 0
                           ? NULL
                           : sim_db_prepare(s, "UPDATE bookings SET status='CHECKED_IN', ticket=?2,"
                                               " ticket_seq=?3, checked_in_at=?4 WHERE number=?1");
    if (!st)
        return -1;
    b->ticket_seq = (int)seq + 1;
    b->checked_in_at = sim_now();
    snprintf(b->ticket, sizeof b->ticket, "J%03d", b->ticket_seq % 1000);
    sqlite3_bind_text(st, 1, b->number, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, b->ticket, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(st, 3, b->ticket_seq);
    sqlite3_bind_int64(st, 4, b->checked_in_at);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return -1;
    snprintf(b->status, sizeof b->status, "CHECKED_IN");
    return 0;
}

static void h_checkin(sim_t *s, const sim_req_t *req, const char *number, sim_resp_t *r)
{
    cJSON *body = parse_body(req, r);
    if (!body)
        return;
    const cJSON *toks = cJSON_GetObjectItemCaseSensitive(body, "citizens");
    const char *office = get_str(body, "office", 16, r);
    int n = cJSON_GetArraySize(toks);
    booking_t b;
    if (!office)
        goto out;
    if (!cJSON_IsArray(toks) || n < 1 || n > 4) {
        sim_resp_error(r, 400, "BAD_REQUEST", "citizens: expected an array of 1..2 tokens");
        goto out;
    }
    for (int i = 0; i < n; i++) {
        const cJSON *t = cJSON_GetArrayItem(toks, i);
        if (!cJSON_IsString(t) || !is_token(t->valuestring)) {
            sim_resp_error(r, 400, "BAD_REQUEST", "citizens[%d]: expected a token", i);
            goto out;
        }
    }
    int rc = booking_load(s, number, &b);
    if (rc != 0) {
        if (rc < 0)
            internal(r, s);
        else
            sim_resp_error(r, 404, "NOT_FOUND", "no such booking");
        goto out;
    }
    int present[MAX_PARTIES] = {0};
    for (int i = 0; i < n; i++) {
        citizen_t c;
        if (need_citizen(s, cJSON_GetArrayItem(toks, i)->valuestring, &c, r) != 0)
            goto out;
        if (!is_party(&b, c.id)) {
            sim_resp_error(r, 403, "NOT_A_PARTY", "citizens[%d]: not a party of this booking", i);
            goto out;
        }
        for (int k = 0; k < b.nparties; k++)
            present[k] |= !strcmp(b.parties[k], c.id);
    }
    if (!strcmp(b.status, "CANCELLED")) {
        sim_resp_error(r, 422, "CANCELLED", "the booking is cancelled");
        goto out;
    }
    if (b.slot.day != sim_today()) {
        sim_resp_error(r, 422, "NOT_TODAY", "the booking is for another day");
        goto out;
    }
    if (strcmp(office, b.slot.office)) {
        sim_resp_error(r, 422, "WRONG_OFFICE", "the booking is for office %s", b.slot.office);
        goto out;
    }
    for (int k = 0; k < b.nparties; k++) {
        if (!present[k]) {
            sim_resp_error(r, 422, "PARTY_MISSING", "every party must check in together");
            goto out;
        }
    }
    if (strcmp(b.status, "CHECKED_IN") && check_in(s, &b) < 0) {
        internal(r, s);
        goto out;
    }
    long long counters =
        sim_db_int(s, 1, "SELECT counters FROM offices WHERE code=?1", b.slot.office, NULL);
    if (counters < 1)
        counters = 1;
    char hint[32], at[26];
    snprintf(hint, sizeof hint, "%lld号窗口", (long long)(b.ticket_seq - 1) % counters + 1);
    sim_format_time(b.checked_in_at, at);
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "ticket", b.ticket);
    cJSON_AddStringToObject(root, "counter_hint", hint);
    /* No caller in the simulation: everyone checked in earlier today is ahead. */
    cJSON_AddNumberToObject(root, "waiting_ahead", b.ticket_seq - 1);
    cJSON_AddStringToObject(root, "checked_in_at", at);
    reply(r, 200, root);
out:
    cJSON_Delete(body);
}

static int is_int(const cJSON *v)
{
    return cJSON_IsNumber(v) && isfinite(v->valuedouble) && v->valuedouble >= 0 &&
           v->valuedouble <= 9007199254740991.0 && floor(v->valuedouble) == v->valuedouble;
}

static void h_heartbeat(sim_t *s, const sim_req_t *req, const char *id, sim_resp_t *r)
{
    if (strcmp(id, req->kiosk_id)) {
        sim_resp_error(r, 401, "CERT_UNKNOWN", "path kiosk id differs from X-Kiosk-Id");
        return;
    }
    cJSON *body = parse_body(req, r);
    if (!body)
        return;
    const char *version = get_str(body, "version", 64, r);
    const char *mode = version ? get_str(body, "mode", 16, r) : NULL;
    const cJSON *up = cJSON_GetObjectItemCaseSensitive(body, "uptime_s");
    const cJSON *status = cJSON_GetObjectItemCaseSensitive(body, "status");
    if (!mode)
        goto out;
    if (strcmp(mode, "service") && strcmp(mode, "registry")) {
        sim_resp_error(r, 400, "BAD_REQUEST", "mode: expected service or registry");
        goto out;
    }
    if (!is_int(up)) {
        sim_resp_error(r, 400, "BAD_REQUEST", "uptime_s: expected a non-negative integer");
        goto out;
    }
    if (!cJSON_IsObject(status)) {
        sim_resp_error(r, 400, "BAD_REQUEST", "status: expected an object of strings");
        goto out;
    }
    const cJSON *e;
    cJSON_ArrayForEach(e, status)
    {
        if (!cJSON_IsString(e)) {
            /* The client's key is not echoed: it could be anything, even invalid UTF-8. */
            sim_resp_error(r, 400, "BAD_REQUEST", "status: every value must be a string");
            goto out;
        }
    }
    sqlite3_stmt *st = sim_db_prepare(s, "INSERT OR REPLACE INTO heartbeats(kiosk, at, version,"
                                         " mode) VALUES(?1,?2,?3,?4)");
    if (!st) {
        internal(r, s);
        goto out;
    }
    sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, sim_now());
    sqlite3_bind_text(st, 3, version, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 4, mode, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        internal(r, s);
        goto out;
    }
    char cfg[64] = "none";
    st = sim_db_prepare(s, "SELECT value FROM meta WHERE key='config_version'");
    if (st && sqlite3_step(st) == SQLITE_ROW)
        snprintf(cfg, sizeof cfg, "%s", sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    cJSON *root = cJSON_CreateObject();
    cJSON_AddNumberToObject(root, "server_time", (double)sim_now());
    cJSON_AddStringToObject(root, "config_version", cfg);
    reply(r, 200, root);
out:
    cJSON_Delete(body);
}

/* ---- routing ----------------------------------------------------------------------- */

/* Splits "/a/b/c" into at most `max` segments (each < 64 bytes); returns the count or -1. */
static int split_path(const char *path, char seg[][64], int max)
{
    int n = 0;
    const char *p = path;
    while (*p == '/') {
        p++;
        const char *e = strchr(p, '/');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        if (n == max || len == 0 || len >= 64)
            return -1;
        memcpy(seg[n], p, len);
        seg[n][len] = '\0';
        n++;
        p += len;
    }
    return *p ? -1 : n;
}

int sim_api_is_keyed(const char *method, const char *path)
{
    char seg[8][64];
    if (strcmp(method, "POST") || strncmp(path, PREFIX "/", sizeof PREFIX))
        return 0;
    int n = split_path(path + sizeof PREFIX - 1, seg, 8);
    if (n < 2 || strcmp(seg[0], "marriage") || strcmp(seg[1], "bookings"))
        return 0;
    return n == 2 || (n == 4 && (!strcmp(seg[3], "cancel") || !strcmp(seg[3], "reschedule") ||
                                 !strcmp(seg[3], "checkin")));
}

void sim_api_handle(sim_t *s, const sim_req_t *req, sim_resp_t *r)
{
    char seg[8][64];
    int n = -1;
    if (!strncmp(req->path, PREFIX "/", sizeof PREFIX))
        n = split_path(req->path + sizeof PREFIX - 1, seg, 8);
    int get = !strcmp(req->method, "GET"), post = !strcmp(req->method, "POST");

    if (n == 2 && post && !strcmp(seg[0], "citizens") && !strcmp(seg[1], "lookup"))
        h_lookup(s, req, r);
    else if (n == 3 && get && !strcmp(seg[0], "citizens") && !strcmp(seg[2], "assistance"))
        h_assistance(s, seg[1], r);
    else if (n == 4 && get && !strcmp(seg[0], "citizens") && !strcmp(seg[2], "marriage") &&
             !strcmp(seg[3], "bookings"))
        h_bookings(s, seg[1], r);
    else if (n == 1 && get && !strcmp(seg[0], "policies"))
        h_policies(s, req, r);
    else if (n == 2 && get && !strcmp(seg[0], "marriage") && !strcmp(seg[1], "offices"))
        h_offices(s, r);
    else if (n == 2 && get && !strcmp(seg[0], "marriage") && !strcmp(seg[1], "slots"))
        h_slots(s, req, r);
    else if (n == 2 && post && !strcmp(seg[0], "marriage") && !strcmp(seg[1], "bookings"))
        h_book(s, req, r);
    else if (n == 4 && post && !strcmp(seg[0], "marriage") && !strcmp(seg[1], "bookings") &&
             !strcmp(seg[3], "cancel"))
        h_cancel(s, req, seg[2], r);
    else if (n == 4 && post && !strcmp(seg[0], "marriage") && !strcmp(seg[1], "bookings") &&
             !strcmp(seg[3], "reschedule"))
        h_reschedule(s, req, seg[2], r);
    else if (n == 4 && post && !strcmp(seg[0], "marriage") && !strcmp(seg[1], "bookings") &&
             !strcmp(seg[3], "checkin"))
        h_checkin(s, req, seg[2], r);
    else if (n == 3 && post && !strcmp(seg[0], "kiosks") && !strcmp(seg[2], "heartbeat"))
        h_heartbeat(s, req, seg[1], r);
    else
        sim_resp_error(r, 404, "NOT_FOUND", "no such path or method");
}

/* ---- bookings outside the rules: the demo data and POST /admin/bookings ---------------- */

/*
 * Inserts a booking of n valid, distinct ID numbers at office/day/hhmm as it is:
 * no booking window, working-day, age, capacity or one-active-booking rule.
 * Phones are fixed demo numbers. status NULL or "BOOKED", "CANCELLED", or
 * "CHECKED_IN" (checked in now, with the next ticket). Writes the number;
 * 0, 1 no such office, 2 no such slot time, -1 db error.
 */
static int direct_booking(sim_t *s, const char *type, const char *office, int day, int hhmm,
                          const char ids[][19], int n, const char *status, const char *kiosk,
                          char number[24])
{
    static const char phones[MAX_PARTIES][12] = {"13800000001", "13900000002"};
    slot_t sl;
    int rc = slot_at(s, office, day, hhmm, &sl);
    if (rc != 0)
        return rc;
    if (booking_insert(s, type, &sl, ids, phones, n, kiosk, number) < 0)
        return -1;
    if (status && !strcmp(status, "CANCELLED"))
        return set_status(s, number, status);
    if (status && !strcmp(status, "CHECKED_IN")) {
        booking_t b;
        return booking_load(s, number, &b) == 0 ? check_in(s, &b) : -1;
    }
    return 0;
}

static int demo_booking(sim_t *s, const char *type, const char *office, int day, int hhmm,
                        const char *a, const char *b, const char *status)
{
    char ids[MAX_PARTIES][19], number[24];
    snprintf(ids[0], sizeof ids[0], "%s", a);
    snprintf(ids[1], sizeof ids[1], "%s", b ? b : "");
    int rc = direct_booking(s, type, office, day, hhmm, (const char(*)[19])ids, b ? 2 : 1, status,
                            "DEMO", number);
    return rc == 0 ? 0 : -1;
}

int sim_api_demo_bookings(sim_t *s)
{
    /* Working days ahead of today, so the demo looks the same whatever the date. */
    int wd[6], day = sim_today();
    for (int n = 0; n < 6;) {
        day++;
        if (is_working_day(s, day))
            wd[n++] = day;
    }
    /* A full slot: JJ01, third working day ahead, 09:00 (capacity 4). */
    static const char *const full[] = {"500116199403030059", "500116199507070063",
                                       "500116199210100073", "500116199311110086"};
    for (int i = 0; i < 4; i++) {
        if (demo_booking(s, "REISSUE", "JJ01", wd[2], 900, full[i], NULL, NULL) < 0)
            return -1;
    }
    if (demo_booking(s, "MARRIAGE", "JJ02", wd[4], 1000, "500116199604180037", "500116199809090027",
                     NULL) < 0 ||
        demo_booking(s, "DIVORCE", "JJ01", wd[5], 1400, "500116197702020011", "500116198811110029",
                     "CANCELLED") < 0)
        return -1;
    return 0;
}

/* An optional member: absent and null both mean "use the default". */
static const cJSON *optional(const cJSON *obj, const char *name)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);
    return cJSON_IsNull(v) ? NULL : v;
}

void sim_api_admin_booking(sim_t *s, const cJSON *body, sim_resp_t *r)
{
    const char *type = get_str(body, "type", 16, r);
    const char *office = type ? get_str(body, "office", 15, r) : NULL;
    const char *date = office ? get_str(body, "date", 32, r) : NULL;
    if (!date)
        return;
    if (!is_type(type)) {
        sim_resp_error(r, 400, "BAD_REQUEST", "type: expected MARRIAGE, DIVORCE or REISSUE");
        return;
    }
    int day;
    if (!strcmp(date, "today")) {
        day = sim_today();
    } else if (sim_parse_date(date, &day) < 0) {
        sim_resp_error(r, 400, "BAD_REQUEST", "date: expected YYYY-MM-DD or \"today\"");
        return;
    }
    const cJSON *v = optional(body, "hhmm");
    if (v && (!is_int(v) || v->valuedouble > 2359)) {
        sim_resp_error(r, 400, "BAD_REQUEST", "hhmm: expected a slot time such as 900 or 1400");
        return;
    }
    int hhmm = v ? (int)v->valuedouble : 900;
    const char *status = "BOOKED";
    v = optional(body, "status");
    if (v && (!cJSON_IsString(v) ||
              (strcmp(v->valuestring, "BOOKED") && strcmp(v->valuestring, "CANCELLED") &&
               strcmp(v->valuestring, "CHECKED_IN")))) {
        sim_resp_error(r, 400, "BAD_REQUEST", "status: expected BOOKED, CANCELLED or CHECKED_IN");
        return;
    }
    if (v)
        status = v->valuestring;

    const cJSON *parties = cJSON_GetObjectItemCaseSensitive(body, "parties");
    int n = cJSON_GetArraySize(parties);
    int min = !strcmp(type, "REISSUE") ? 1 : 2;
    if (!cJSON_IsArray(parties) || n < min || n > MAX_PARTIES) {
        if (min == 2)
            sim_resp_error(r, 400, "BAD_REQUEST", "parties: expected 2 ID numbers for %s", type);
        else
            sim_resp_error(r, 400, "BAD_REQUEST", "parties: expected 1 or 2 ID numbers");
        return;
    }
    int y, m, d;
    sim_ymd_from_days(sim_today(), &y, &m, &d);
    char ids[MAX_PARTIES][19];
    for (int i = 0; i < n; i++) {
        const cJSON *p = cJSON_GetArrayItem(parties, i);
        citizen_t c;
        if (!cJSON_IsString(p)) {
            sim_resp_error(r, 400, "BAD_REQUEST", "parties[%d]: expected an ID number string", i);
            return;
        }
        /* As a lookup would check it: the party must be able to check in. */
        ks_idnum_status_t vs = ks_idnum_validate(p->valuestring, y * 10000 + m * 100 + d, NULL);
        if (vs != KS_IDNUM_OK || citizen_from_id(p->valuestring, &c) < 0) {
            sim_resp_error(r, 400, "BAD_REQUEST", "parties[%d]: invalid ID number (%s)", i,
                           ks_idnum_status_str(vs));
            return;
        }
        memcpy(ids[i], c.id, sizeof ids[i]);
    }
    if (n == 2 && !strcmp(ids[0], ids[1])) {
        sim_resp_error(r, 400, "BAD_REQUEST", "parties: both are the same person");
        return;
    }

    char number[24];
    int rc = direct_booking(s, type, office, day, hhmm, (const char(*)[19])ids, n, status, "ADMIN",
                            number);
    if (rc == 1) {
        sim_resp_error(r, 404, "NOT_FOUND", "office: no such office");
    } else if (rc == 2) {
        char times[128] = "";
        sqlite3_stmt *st = sim_db_prepare(s, "SELECT group_concat(hhmm, ', ') FROM"
                                             " (SELECT hhmm FROM slot_times ORDER BY hhmm)");
        if (st && sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
            snprintf(times, sizeof times, "%s", sqlite3_column_text(st, 0));
        sqlite3_finalize(st);
        sim_resp_error(r, 400, "BAD_REQUEST", "hhmm: not a slot time (%s)", times);
    } else if (rc < 0) {
        internal(r, s);
    } else {
        cJSON *root = cJSON_CreateObject();
        cJSON_AddStringToObject(root, "number", number);
        reply(r, 200, root);
    }
}
