/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The HTTP side: the contract's port (mutual TLS over GnuTLS through
 * libmicrohttpd, a thread per connection so a slow or delayed request never
 * blocks another) and the plain-HTTP admin port on 127.0.0.1 for tests.
 *
 * Verify order on the contract's port: client certificate (refused in the TLS
 * handshake when missing or not issued by the CA) and its CN -> signature
 * headers -> timestamp window -> HMAC -> nonce -> faults -> idempotency -> handler.
 */
#include "sim.h"

#include "log.h"
#include "sign.h"

#include <arpa/inet.h>
#include <cjson/cJSON.h>
#include <errno.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#define DISCARD_MAX  (8u << 20) /* read and drop at most this much of a too-large body */
#define OVERSIZE_LEN (1u << 20)

struct sim_http {
    sim_t *s;
    struct MHD_Daemon *main, *admin;
};

/* Per-request state, created by the URI callback (so it knows the raw target). */
typedef struct {
    char *uri; /* request target exactly as sent (signed as PATH_AND_QUERY) */
    char *body;
    size_t len, cap, discarded;
    int started, too_large;
} req_t;

/* ---- small helpers ------------------------------------------------------------------ */

static void *on_uri(void *cls, const char *uri, struct MHD_Connection *c)
{
    (void)cls;
    (void)c;
    req_t *rq = calloc(1, sizeof *rq);
    if (rq && !(rq->uri = strdup(uri ? uri : ""))) {
        free(rq);
        rq = NULL;
    }
    return rq;
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    (void)cls;
    (void)c;
    (void)toe;
    req_t *rq = *con_cls;
    if (rq) {
        free(rq->uri);
        free(rq->body);
        free(rq);
        *con_cls = NULL;
    }
}

/* Appends upload data up to the cap; past it only counts what is dropped. */
static int take_upload(req_t *rq, const char *data, size_t n)
{
    if (rq->too_large || rq->len + n > SIM_BODY_MAX) {
        rq->too_large = 1;
        rq->discarded += n;
        return rq->discarded <= DISCARD_MAX;
    }
    if (rq->len + n + 1 > rq->cap) {
        size_t cap = rq->cap ? rq->cap : 1024;
        while (cap < rq->len + n + 1)
            cap *= 2;
        char *p = realloc(rq->body, cap);
        if (!p)
            return 0;
        rq->body = p;
        rq->cap = cap;
    }
    memcpy(rq->body + rq->len, data, n);
    rq->len += n;
    rq->body[rq->len] = '\0';
    return 1;
}

static void count_request(sim_t *s, const sim_resp_t *r)
{
    pthread_mutex_lock(&s->state_lock);
    s->requests++;
    if (r->status >= 400 && r->code[0]) {
        int i;
        for (i = 0; i < s->nrejected; i++) {
            if (!strcmp(s->rejected[i].code, r->code))
                break;
        }
        if (i == s->nrejected && i < (int)(sizeof s->rejected / sizeof s->rejected[0])) {
            snprintf(s->rejected[i].code, sizeof s->rejected[i].code, "%s", r->code);
            s->nrejected++;
        }
        if (i < s->nrejected)
            s->rejected[i].count++;
    }
    pthread_mutex_unlock(&s->state_lock);
}

/*
 * The path for logs: no query; a citizen token cut to 6 characters, and
 * whatever follows "citizens/" cut the same way whatever its shape (a kiosk
 * that wrongly put an ID number there must not have it logged).
 */
static void log_path(const char *uri, char *out, size_t outlen)
{
    size_t o = 0;
    const char *p = uri;
    int after_citizens = 0;
    while (*p && *p != '?' && o + 12 < outlen) {
        const char *seg = p;
        size_t n = 0;
        while (seg[n] && seg[n] != '/' && seg[n] != '?')
            n++;
        int hex = n == 32;
        for (size_t i = 0; hex && i < n; i++)
            hex = (seg[i] >= '0' && seg[i] <= '9') || (seg[i] >= 'a' && seg[i] <= 'f');
        if (after_citizens && strncmp(seg, "lookup", n) != 0)
            hex = 1;
        after_citizens = n == 8 && strncmp(seg, "citizens", 8) == 0;
        size_t keep = hex ? (n < 6 ? n : 6) : n;
        if (keep > outlen - o - 12)
            keep = outlen - o - 12;
        memcpy(out + o, seg, keep);
        o += keep;
        if (hex) {
            memcpy(out + o, "...", 3);
            o += 3;
        }
        p = seg + n;
        if (*p == '/')
            out[o++] = *p++;
    }
    out[o] = '\0';
}

/*
 * The Date header from the server's own clock (sim_now, which POST
 * /admin/time shifts), as a real server's Date follows its clock: the
 * kiosk's diagnostics read the clock skew from it. libmicrohttpd adds no
 * Date of its own when the response has one.
 */
static void http_date(char *out, size_t cap)
{
    static const char days[7][4] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static const char months[12][4] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                       "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    time_t t = (time_t)sim_now();
    struct tm tm;
    if (!gmtime_r(&t, &tm)) {
        out[0] = '\0';
        return;
    }
    snprintf(out, cap, "%s, %02d %s %04d %02d:%02d:%02d GMT", days[tm.tm_wday], tm.tm_mday,
             months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

static enum MHD_Result send_resp(struct MHD_Connection *c, sim_resp_t *r, int replay)
{
    struct MHD_Response *resp;
    if (r->body && r->len) {
        resp = MHD_create_response_from_buffer(r->len, r->body, MHD_RESPMEM_MUST_FREE);
        if (!resp)
            free(r->body);
        r->body = NULL;
    } else {
        resp = MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
    }
    if (!resp)
        return MHD_NO;
    enum MHD_Result ok = MHD_YES;
    if (r->status != 304)
        ok = MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, "application/json");
    if (ok == MHD_YES && r->etag[0])
        ok = MHD_add_response_header(resp, MHD_HTTP_HEADER_ETAG, r->etag);
    if (ok == MHD_YES && replay)
        ok = MHD_add_response_header(resp, "Idempotent-Replay", "true");
    char date[40];
    http_date(date, sizeof date);
    if (ok == MHD_YES && date[0])
        ok = MHD_add_response_header(resp, MHD_HTTP_HEADER_DATE, date);
    if (ok == MHD_YES)
        ok = MHD_queue_response(c, r->status, resp);
    MHD_destroy_response(resp);
    return ok;
}

static const char *header(struct MHD_Connection *c, const char *name)
{
    return MHD_lookup_connection_value(c, MHD_HEADER_KIND, name);
}

static int all_of(const char *s, size_t len, const char *set)
{
    if (!s || strlen(s) != len)
        return 0;
    for (size_t i = 0; i < len; i++) {
        if (!strchr(set, s[i]))
            return 0;
    }
    return 1;
}

static int is_kiosk_id(const char *id)
{
    static const char ok[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-";
    size_t n = id ? strlen(id) : 0;
    return n >= 1 && n <= 32 && all_of(id, n, ok);
}

/* ---- TLS: the client certificate ------------------------------------------------------ */

static unsigned char kp_client[] = GNUTLS_KP_TLS_WWW_CLIENT;

/* Chain to the configured CA and clientAuth purpose; 0 when good. */
static int verify_peer(gnutls_session_t sess)
{
    unsigned status = 0;
    gnutls_typed_vdata_st data = {.type = GNUTLS_DT_KEY_PURPOSE_OID, .data = kp_client, .size = 0};
    if (gnutls_certificate_type_get(sess) != GNUTLS_CRT_X509 ||
        gnutls_certificate_verify_peers(sess, &data, 1, &status) < 0 || status != 0)
        return GNUTLS_E_CERTIFICATE_ERROR;
    return 0;
}

/* Makes the handshake itself refuse a client without a good certificate. */
static void on_connection(void *cls, struct MHD_Connection *c, void **socket_context,
                          enum MHD_ConnectionNotificationCode toe)
{
    (void)cls;
    (void)socket_context;
    if (toe != MHD_CONNECTION_NOTIFY_STARTED)
        return;
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_GNUTLS_SESSION);
    if (!ci || !ci->tls_session)
        return; /* the request handler refuses it then */
    gnutls_session_t sess = (gnutls_session_t)ci->tls_session;
    gnutls_certificate_server_set_request(sess, GNUTLS_CERT_REQUIRE);
    gnutls_session_set_verify_function(sess, verify_peer);
}

/* The verified peer certificate's CN; 0 or -1. */
static int peer_cn(struct MHD_Connection *c, char *cn, size_t cnlen)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_GNUTLS_SESSION);
    if (!ci || !ci->tls_session)
        return -1;
    gnutls_session_t sess = (gnutls_session_t)ci->tls_session;
    if (verify_peer(sess) != 0)
        return -1;
    unsigned n = 0;
    const gnutls_datum_t *certs = gnutls_certificate_get_peers(sess, &n);
    if (!certs || n == 0)
        return -1;
    gnutls_x509_crt_t crt;
    if (gnutls_x509_crt_init(&crt) < 0)
        return -1;
    size_t len = cnlen;
    int rc = gnutls_x509_crt_import(crt, &certs[0], GNUTLS_X509_FMT_DER);
    if (rc >= 0)
        rc = gnutls_x509_crt_get_dn_by_oid(crt, GNUTLS_OID_X520_COMMON_NAME, 0, 0, cn, &len);
    gnutls_x509_crt_deinit(crt);
    return rc < 0 || len >= cnlen ? -1 : 0;
}

/* ---- authentication --------------------------------------------------------------------- */

static int load_secret(sim_t *s, const char *kiosk, uint8_t secret[KS_SIGN_SECRET_LEN])
{
    char path[4096], err[256];
    if (!is_kiosk_id(kiosk) ||
        snprintf(path, sizeof path, "%s/%s.secret", s->secrets_dir, kiosk) >= (int)sizeof path)
        return -1;
    if (ks_sign_load_secret(path, secret, err, sizeof err) < 0) {
        if (s->verbose)
            ks_log(KS_LOG_WARN, "auth", "kiosk %s: %s", kiosk, err);
        return -1;
    }
    return 0;
}

/* Checks everything up to the nonce; 0, or -1 with the error answer set. */
static int authenticate(sim_t *s, struct MHD_Connection *c, const req_t *rq, const char *method,
                        char kiosk[40], sim_resp_t *r)
{
    char cn[256];
    uint8_t secret[KS_SIGN_SECRET_LEN];
    if (peer_cn(c, cn, sizeof cn) < 0 || !is_kiosk_id(cn)) {
        sim_resp_error(r, 401, "CERT_UNKNOWN", "no valid client certificate");
        return -1;
    }
    const char *id = header(c, "X-Kiosk-Id");
    if (id && strcmp(id, cn)) {
        sim_resp_error(r, 401, "CERT_UNKNOWN", "certificate CN differs from X-Kiosk-Id");
        return -1;
    }
    if (load_secret(s, cn, secret) < 0) {
        sim_resp_error(r, 401, "CERT_UNKNOWN", "unknown kiosk");
        return -1;
    }
    snprintf(kiosk, 40, "%.32s", cn);
    const char *ts = header(c, "X-Timestamp"), *nonce = header(c, "X-Nonce");
    const char *sig = header(c, "X-Signature");
    int rc = -1;
    size_t tslen = ts ? strlen(ts) : 0;
    if (!id || !ts || !nonce || !sig || tslen < 1 || tslen > 12 ||
        !all_of(ts, tslen, "0123456789") || (ts[0] == '0' && tslen > 1) ||
        !all_of(nonce, KS_SIGN_NONCE_LEN, "0123456789abcdef") ||
        !all_of(sig, KS_SIGN_HEX_LEN, "0123456789abcdef")) {
        sim_resp_error(r, 401, "BAD_SIGNATURE", "signature headers missing or malformed");
        goto out;
    }
    long long t = strtoll(ts, NULL, 10), now = sim_now();
    if (t < now - SIM_SKEW_MAX || t > now + SIM_SKEW_MAX) {
        r->server_time = now;
        sim_resp_error(r, 401, "CLOCK_SKEW", "timestamp outside +-%d s", SIM_SKEW_MAX);
        goto out;
    }
    char want[KS_SIGN_HEX_LEN + 1];
    if (ks_sign_request(secret, method, rq->uri, kiosk, t, nonce, rq->body, rq->len, want) < 0 ||
        !ks_sign_equal(want, sig)) {
        sim_resp_error(r, 401, "BAD_SIGNATURE", "signature does not match");
        goto out;
    }
    pthread_mutex_lock(&s->db_lock);
    int fresh = sim_db_nonce(s, kiosk, nonce, now);
    pthread_mutex_unlock(&s->db_lock);
    if (fresh < 0)
        sim_resp_error(r, 500, "INTERNAL", "database error");
    else if (fresh == 0)
        sim_resp_error(r, 401, "REPLAY", "nonce already used");
    else
        rc = 0;
out:
    explicit_bzero(secret, sizeof secret);
    return rc;
}

/* ---- faults --------------------------------------------------------------------------------- */

static int fault_matches(const sim_fault_t *f, const char *method, const char *path)
{
    if (strcmp(f->method, "*") && strcmp(f->method, method))
        return 0;
    size_t n = strlen(f->path);
    if (!strncmp(path, f->path, n))
        return 1;
    /* Also accept a prefix written without /kiosk/v1. */
    return !strncmp(path, "/kiosk/v1", 9) && !strncmp(path + 9, f->path, n);
}

/* Takes the first matching fault (counting it down) into *out; 1 when one applies. */
static int take_fault(sim_t *s, const char *method, const char *path, sim_fault_t *out)
{
    int found = 0;
    pthread_mutex_lock(&s->state_lock);
    for (int i = 0; i < s->nfaults; i++) {
        sim_fault_t *f = &s->faults[i];
        if (!fault_matches(f, method, path))
            continue;
        *out = *f;
        found = 1;
        if (f->remaining > 0 && --f->remaining == 0) {
            memmove(f, f + 1, (size_t)(s->nfaults - i - 1) * sizeof *f);
            s->nfaults--;
        }
        break;
    }
    pthread_mutex_unlock(&s->state_lock);
    return found;
}

static void sleep_ms(sim_t *s, int ms)
{
    while (ms > 0 && !atomic_load(&s->stopping)) {
        int step = ms < 50 ? ms : 50;
        struct timespec ts = {0, step * 1000000L};
        nanosleep(&ts, NULL);
        ms -= step;
    }
}

static void fault_answer(const sim_fault_t *f, sim_resp_t *r)
{
    if (f->kind == SIM_FAULT_STATUS) {
        unsigned st = f->status;
        const char *code = st == 400   ? "BAD_REQUEST"
                           : st == 401 ? "BAD_SIGNATURE"
                           : st == 404 ? "NOT_FOUND"
                           : st == 413 ? "TOO_LARGE"
                           : st == 500 ? "INTERNAL"
                                       : "UNAVAILABLE";
        sim_resp_error(r, st, code, "injected fault");
        return;
    }
    r->status = 200;
    if (f->kind == SIM_FAULT_MALFORMED) {
        r->body = strdup("{\"citizen\": \"0123456789abcdef\", \"expires_in\": [1, 2,");
        r->len = r->body ? strlen(r->body) : 0;
        return;
    }
    /* Oversize: valid JSON of 1 MiB, so only the size is wrong. */
    r->body = malloc(OVERSIZE_LEN);
    if (!r->body) {
        r->len = 0;
        return;
    }
    memset(r->body, 'x', OVERSIZE_LEN);
    memcpy(r->body, "{\"pad\":\"", 8);
    memcpy(r->body + OVERSIZE_LEN - 2, "\"}", 2);
    r->len = OVERSIZE_LEN;
}

/* ---- idempotent dispatch --------------------------------------------------------------------- */

static int is_uuid4(const char *k)
{
    if (!k || strlen(k) != 36)
        return 0;
    for (int i = 0; i < 36; i++) {
        char ch = k[i];
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (ch != '-')
                return 0;
        } else if (!((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f'))) {
            return 0;
        }
    }
    return k[14] == '4' && strchr("89ab", k[19]) != NULL;
}

/*
 * Runs the handler in one transaction with the idempotency record of a keyed
 * write. Sets *replay when the stored first answer is returned. Holds db_lock.
 */
static void dispatch(sim_t *s, const sim_req_t *req, const char *key, sim_resp_t *r, int *replay)
{
    /*
     * The record is of this request: method, path and body. The same key on
     * another endpoint or booking is a mismatch, never the other's answer.
     */
    char hash[KS_SIGN_HEX_LEN + 1];
    size_t what_len = strlen(req->method) + strlen(req->path) + req->len + 3;
    char *what = malloc(what_len);
    if (!what) {
        sim_resp_error(r, 503, "UNAVAILABLE", "out of memory");
        return;
    }
    int wn = snprintf(what, what_len, "%s\n%s\n", req->method, req->path);
    memcpy(what + wn, req->body ? req->body : "", req->len);
    ks_sign_body_hash(what, (size_t)wn + req->len, hash);
    free(what);
    long long now = sim_now();
    pthread_mutex_lock(&s->db_lock);
    if (sim_db_exec(s, "BEGIN IMMEDIATE") < 0) {
        pthread_mutex_unlock(&s->db_lock);
        sim_resp_error(r, 503, "UNAVAILABLE", "database busy");
        return;
    }
    if (key) {
        sqlite3_stmt *st = sim_db_prepare(s, "SELECT body_sha256, status, response, created_at"
                                             " FROM idempotency WHERE kiosk=?1 AND key=?2");
        int rc = SQLITE_ERROR;
        if (st) {
            sqlite3_bind_text(st, 1, req->kiosk_id, -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(st, 2, key, -1, SQLITE_TRANSIENT);
            rc = sqlite3_step(st);
        }
        if (rc == SQLITE_ROW && sqlite3_column_int64(st, 3) >= now - SIM_IDEM_TTL) {
            if (strcmp((const char *)sqlite3_column_text(st, 0), hash)) {
                sim_resp_error(r, 409, "IDEMPOTENCY_MISMATCH", "key reused with another body");
            } else {
                /* The first answer again, byte for byte. */
                int n = sqlite3_column_bytes(st, 2);
                const void *body = sqlite3_column_blob(st, 2);
                r->status = (unsigned)sqlite3_column_int(st, 1);
                r->body = malloc((size_t)n + 1);
                if (r->body) {
                    if (n)
                        memcpy(r->body, body, (size_t)n);
                    r->body[n] = '\0';
                    r->len = (size_t)n;
                    *replay = 1;
                    if (r->status >= 400) {
                        /* The stored error's code, for statistics. */
                        cJSON *j = cJSON_Parse(r->body);
                        const cJSON *code = cJSON_GetObjectItemCaseSensitive(
                            cJSON_GetObjectItemCaseSensitive(j, "error"), "code");
                        if (cJSON_IsString(code))
                            snprintf(r->code, sizeof r->code, "%s", code->valuestring);
                        cJSON_Delete(j);
                    }
                } else {
                    sim_resp_error(r, 500, "INTERNAL", "out of memory");
                }
            }
            sqlite3_finalize(st);
            sim_db_exec(s, "ROLLBACK");
            pthread_mutex_unlock(&s->db_lock);
            return;
        }
        sqlite3_finalize(st);
        if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
            sim_db_exec(s, "ROLLBACK");
            pthread_mutex_unlock(&s->db_lock);
            sim_resp_error(r, 500, "INTERNAL", "database error");
            return;
        }
    }

    sim_api_handle(s, req, r);

    int ok = r->status < 500;
    /* Store the first answer, except auth-like refusals (a retry after a new
     * lookup would differ) and server faults (nothing was done). */
    if (ok && key && r->status != 401) {
        char cutoff[24];
        snprintf(cutoff, sizeof cutoff, "%lld", now - SIM_IDEM_TTL);
        sim_db_int(s, 0, "DELETE FROM idempotency WHERE created_at < ?1", cutoff, NULL);
        sqlite3_stmt *st = sim_db_prepare(s, "INSERT OR REPLACE INTO idempotency(kiosk, key,"
                                             " body_sha256, status, response, created_at)"
                                             " VALUES(?1,?2,?3,?4,?5,?6)");
        ok = st != NULL;
        if (st) {
            sqlite3_bind_text(st, 1, req->kiosk_id, -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(st, 2, key, -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(st, 3, hash, -1, SQLITE_TRANSIENT);
            sqlite3_bind_int(st, 4, (int)r->status);
            sqlite3_bind_text(st, 5, r->body ? r->body : "", (int)r->len, SQLITE_TRANSIENT);
            sqlite3_bind_int64(st, 6, now);
            ok = sqlite3_step(st) == SQLITE_DONE;
            sqlite3_finalize(st);
        }
    }
    if (ok && sim_db_exec(s, "COMMIT") == 0) {
        pthread_mutex_unlock(&s->db_lock);
        return;
    }
    sim_db_exec(s, "ROLLBACK");
    pthread_mutex_unlock(&s->db_lock);
    if (r->status < 500) {
        r->etag[0] = '\0';
        sim_resp_error(r, 500, "INTERNAL", "could not commit");
    }
}

/* ---- the contract's port ----------------------------------------------------------------------
 */

static enum MHD_Result finish(sim_t *s, struct MHD_Connection *c, const char *method,
                              const req_t *rq, sim_resp_t *r, int replay, int drop)
{
    count_request(s, r);
    if (s->verbose || r->status >= 500) {
        char path[160];
        log_path(rq->uri, path, sizeof path);
        ks_log(r->status >= 500 ? KS_LOG_WARN : KS_LOG_INFO, "http", "%s %s -> %u %s%s%s", method,
               path, r->status, r->code, replay ? " (replay)" : "", drop ? " (dropped)" : "");
    }
    if (drop) {
        free(r->body);
        return MHD_NO; /* close without an answer */
    }
    return send_resp(c, r, replay);
}

static enum MHD_Result process(sim_t *s, struct MHD_Connection *c, req_t *rq, const char *method)
{
    sim_resp_t r = {0};
    char kiosk[40] = "", path[1024];
    snprintf(path, sizeof path, "%.*s", (int)strcspn(rq->uri, "?"), rq->uri);

    if (rq->too_large) {
        sim_resp_error(&r, 413, "TOO_LARGE", "request body over %d bytes", SIM_BODY_MAX);
        return finish(s, c, method, rq, &r, 0, 0);
    }
    if (authenticate(s, c, rq, method, kiosk, &r) < 0)
        return finish(s, c, method, rq, &r, 0, 0);

    sim_fault_t f;
    int after_commit = 0;
    if (take_fault(s, method, path, &f)) {
        if (f.kind == SIM_FAULT_DELAY)
            sleep_ms(s, f.delay_ms);
        else if (f.kind == SIM_FAULT_DROP)
            return finish(s, c, method, rq, &r, 0, 1);
        else if (f.kind == SIM_FAULT_DROP_AFTER_COMMIT)
            after_commit = 1;
        else {
            fault_answer(&f, &r);
            return finish(s, c, method, rq, &r, 0, 0);
        }
    }

    const char *key = NULL;
    if (sim_api_is_keyed(method, path)) {
        key = header(c, "Idempotency-Key");
        if (!key) {
            sim_resp_error(&r, 428, "IDEMPOTENCY_KEY_REQUIRED", "write without Idempotency-Key");
            return finish(s, c, method, rq, &r, 0, 0);
        }
        if (!is_uuid4(key)) {
            sim_resp_error(&r, 400, "BAD_REQUEST",
                           "Idempotency-Key: expected a lower-case uuid v4");
            return finish(s, c, method, rq, &r, 0, 0);
        }
    }
    sim_req_t req = {
        .method = method,
        .path = path,
        .kiosk_id = kiosk,
        .body = rq->body ? rq->body : "",
        .len = rq->len,
        .if_none_match = header(c, MHD_HTTP_HEADER_IF_NONE_MATCH),
        .q_office = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "office"),
        .q_from = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "from"),
        .q_to = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "to"),
        .q_type = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "type"),
    };
    int replay = 0;
    dispatch(s, &req, key, &r, &replay);
    return finish(s, c, method, rq, &r, replay, after_commit);
}

/* Shared upload handling; returns 1 when the request is complete and ready. */
static int gather(struct MHD_Connection *c, req_t *rq, const char *upload, size_t *upload_size,
                  enum MHD_Result *ret)
{
    *ret = MHD_YES;
    if (!rq->started) {
        rq->started = 1;
        const char *cl = header(c, MHD_HTTP_HEADER_CONTENT_LENGTH);
        if (cl) {
            char *end = NULL;
            errno = 0;
            unsigned long long n = strtoull(cl, &end, 10);
            if (errno || end == cl || n > SIM_BODY_MAX)
                rq->too_large = 1; /* answered at once, nothing read */
        }
        return rq->too_large;
    }
    if (*upload_size) {
        if (!take_upload(rq, upload, *upload_size))
            *ret = MHD_NO;
        *upload_size = 0;
        return 0;
    }
    return 1;
}

static enum MHD_Result on_main(void *cls, struct MHD_Connection *c, const char *url,
                               const char *method, const char *version, const char *upload,
                               size_t *upload_size, void **con_cls)
{
    (void)url;
    (void)version;
    sim_t *s = cls;
    req_t *rq = *con_cls;
    if (!rq)
        return MHD_NO;
    enum MHD_Result ret;
    if (!gather(c, rq, upload, upload_size, &ret))
        return ret;
    return process(s, c, rq, method);
}

/* ---- the admin port -------------------------------------------------------------------------- */

static void admin_reply(sim_resp_t *r, cJSON *root)
{
    r->status = 200;
    r->body = cJSON_PrintUnformatted(root);
    r->len = r->body ? strlen(r->body) : 0;
    cJSON_Delete(root);
}

/* An optional non-negative integer member; 0, or -1 when mistyped. */
static int admin_int(const cJSON *o, const char *name, int *out, int dflt)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
    if (!v) {
        *out = dflt;
        return 0;
    }
    if (!cJSON_IsNumber(v) || v->valuedouble < 0 || v->valuedouble > 1e9)
        return -1;
    *out = (int)v->valuedouble;
    return 0;
}

static void admin_fault(sim_t *s, const cJSON *o, sim_resp_t *r)
{
    static const char *const kinds[] = {"delay",    "status", "malformed",
                                        "oversize", "drop",   "drop_after_commit"};
    const cJSON *path = cJSON_GetObjectItemCaseSensitive(o, "path");
    const cJSON *method = cJSON_GetObjectItemCaseSensitive(o, "method");
    const cJSON *kind = cJSON_GetObjectItemCaseSensitive(o, "kind");
    sim_fault_t f = {0};
    int count, status;
    for (int i = 0; cJSON_IsString(kind) && i < 6; i++) {
        if (!strcmp(kind->valuestring, kinds[i]))
            f.kind = SIM_FAULT_DELAY + i;
    }
    if (!f.kind || !cJSON_IsString(path) || strlen(path->valuestring) >= sizeof f.path ||
        (method && (!cJSON_IsString(method) ||
                    (strcmp(method->valuestring, "GET") && strcmp(method->valuestring, "POST") &&
                     strcmp(method->valuestring, "*")))) ||
        admin_int(o, "count", &count, 1) < 0 || admin_int(o, "delay_ms", &f.delay_ms, 0) < 0 ||
        admin_int(o, "status", &status, 503) < 0 ||
        (f.kind == SIM_FAULT_STATUS && (status < 400 || status > 599))) {
        sim_resp_error(r, 400, "BAD_REQUEST",
                       "expected {path, method GET|POST|*, kind, count, delay_ms, status}");
        return;
    }
    snprintf(f.path, sizeof f.path, "%s", path->valuestring);
    snprintf(f.method, sizeof f.method, "%s", method ? method->valuestring : "*");
    f.remaining = count == 0 ? -1 : count;
    f.status = (unsigned)status;
    pthread_mutex_lock(&s->state_lock);
    int n = s->nfaults;
    if (n < SIM_FAULTS_MAX)
        s->faults[s->nfaults++] = f;
    pthread_mutex_unlock(&s->state_lock);
    if (n >= SIM_FAULTS_MAX) {
        sim_resp_error(r, 503, "UNAVAILABLE", "too many faults");
        return;
    }
    cJSON *root = cJSON_CreateObject();
    cJSON_AddNumberToObject(root, "faults", n + 1);
    admin_reply(r, root);
}

static void admin_stats(sim_t *s, sim_resp_t *r)
{
    pthread_mutex_lock(&s->db_lock);
    long long total = sim_db_int(s, -1, "SELECT count(*) FROM bookings", NULL, NULL);
    long long active = sim_db_int(
        s, -1, "SELECT count(*) FROM bookings WHERE status IN ('BOOKED','CHECKED_IN')", NULL, NULL);
    pthread_mutex_unlock(&s->db_lock);
    cJSON *root = cJSON_CreateObject();
    cJSON_AddNumberToObject(root, "bookings", (double)total);
    cJSON_AddNumberToObject(root, "active_bookings", (double)active);
    pthread_mutex_lock(&s->state_lock);
    cJSON_AddNumberToObject(root, "requests", (double)s->requests);
    cJSON *rej = cJSON_AddObjectToObject(root, "rejected");
    for (int i = 0; i < s->nrejected; i++)
        cJSON_AddNumberToObject(rej, s->rejected[i].code, (double)s->rejected[i].count);
    pthread_mutex_unlock(&s->state_lock);
    admin_reply(r, root);
}

/* POST /admin/bookings in one transaction, as a request on the contract's port. */
static void admin_booking(sim_t *s, const cJSON *body, sim_resp_t *r)
{
    pthread_mutex_lock(&s->db_lock);
    if (sim_db_exec(s, "BEGIN IMMEDIATE") < 0) {
        pthread_mutex_unlock(&s->db_lock);
        sim_resp_error(r, 503, "UNAVAILABLE", "database busy");
        return;
    }
    sim_api_admin_booking(s, body, r);
    if (r->status == 200 && sim_db_exec(s, "COMMIT") == 0) {
        pthread_mutex_unlock(&s->db_lock);
        return;
    }
    sim_db_exec(s, "ROLLBACK");
    pthread_mutex_unlock(&s->db_lock);
    if (r->status == 200)
        sim_resp_error(r, 500, "INTERNAL", "could not commit");
}

static void admin_handle(sim_t *s, const char *method, const char *path, const req_t *rq,
                         sim_resp_t *r)
{
    int post = !strcmp(method, "POST");
    cJSON *body = NULL;
    if (post) {
        body = rq->body ? cJSON_Parse(rq->body) : NULL;
        if (!cJSON_IsObject(body)) {
            cJSON_Delete(body);
            sim_resp_error(r, 400, "BAD_REQUEST", "body: expected a JSON object");
            return;
        }
    }
    if (!strcmp(path, "/admin/faults") && post) {
        admin_fault(s, body, r);
    } else if (!strcmp(path, "/admin/faults") && !strcmp(method, "DELETE")) {
        pthread_mutex_lock(&s->state_lock);
        s->nfaults = 0;
        pthread_mutex_unlock(&s->state_lock);
        cJSON *root = cJSON_CreateObject();
        cJSON_AddNumberToObject(root, "faults", 0);
        admin_reply(r, root);
    } else if (!strcmp(path, "/admin/bookings") && post) {
        admin_booking(s, body, r);
    } else if (!strcmp(path, "/admin/stats") && !strcmp(method, "GET")) {
        admin_stats(s, r);
    } else if (!strcmp(path, "/admin/time") && post) {
        const cJSON *off = cJSON_GetObjectItemCaseSensitive(body, "offset_s");
        if (!cJSON_IsNumber(off) || off->valuedouble < -1e10 || off->valuedouble > 1e10) {
            sim_resp_error(r, 400, "BAD_REQUEST", "offset_s: expected an integer");
        } else {
            sim_set_offset((long long)off->valuedouble);
            cJSON *root = cJSON_CreateObject();
            cJSON_AddNumberToObject(root, "offset_s", (double)sim_get_offset());
            cJSON_AddNumberToObject(root, "server_time", (double)sim_now());
            admin_reply(r, root);
        }
    } else {
        sim_resp_error(r, 404, "NOT_FOUND", "no such admin path or method");
    }
    cJSON_Delete(body);
}

static enum MHD_Result on_admin(void *cls, struct MHD_Connection *c, const char *url,
                                const char *method, const char *version, const char *upload,
                                size_t *upload_size, void **con_cls)
{
    (void)url;
    (void)version;
    sim_t *s = cls;
    req_t *rq = *con_cls;
    if (!rq)
        return MHD_NO;
    enum MHD_Result ret;
    if (!gather(c, rq, upload, upload_size, &ret))
        return ret;
    sim_resp_t r = {0};
    char path[256];
    snprintf(path, sizeof path, "%.*s", (int)strcspn(rq->uri, "?"), rq->uri);
    if (rq->too_large)
        sim_resp_error(&r, 413, "TOO_LARGE", "request body over %d bytes", SIM_BODY_MAX);
    else
        admin_handle(s, method, path, rq, &r);
    if (s->verbose)
        ks_log(KS_LOG_INFO, "admin", "%s %s -> %u %s", method, path, r.status, r.code);
    return send_resp(c, &r, 0);
}

/* ---- start and stop ----------------------------------------------------------------------------
 */

static int make_addr(const char *bind, unsigned port, struct sockaddr_storage *ss, int *v6)
{
    memset(ss, 0, sizeof *ss);
    struct sockaddr_in *in4 = (struct sockaddr_in *)ss;
    struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;
    if (inet_pton(AF_INET, bind, &in4->sin_addr) == 1) {
        in4->sin_family = AF_INET;
        in4->sin_port = htons((uint16_t)port);
        *v6 = 0;
        return 0;
    }
    if (inet_pton(AF_INET6, bind, &in6->sin6_addr) == 1) {
        in6->sin6_family = AF_INET6;
        in6->sin6_port = htons((uint16_t)port);
        *v6 = 1;
        return 0;
    }
    return -1;
}

static unsigned bound_port(struct MHD_Daemon *d)
{
    const union MHD_DaemonInfo *di = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    return di ? di->port : 0;
}

sim_http_t *sim_http_start(sim_t *s, const sim_http_conf_t *conf)
{
    struct sockaddr_storage main_addr, admin_addr;
    int v6 = 0, admin_v6 = 0;
    if (make_addr(conf->bind, conf->port, &main_addr, &v6) < 0 ||
        make_addr("127.0.0.1", conf->admin_port, &admin_addr, &admin_v6) < 0) {
        ks_log(KS_LOG_ERROR, "http", "--bind %s: not an IP address", conf->bind);
        return NULL;
    }
    sim_http_t *h = calloc(1, sizeof *h);
    if (!h)
        return NULL;
    h->s = s;
    unsigned flags = MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD |
                     MHD_USE_POLL | (s->verbose ? MHD_USE_ERROR_LOG : 0);
    h->main = MHD_start_daemon(
        flags | MHD_USE_TLS | (v6 ? MHD_USE_IPv6 : 0), (uint16_t)conf->port, NULL, NULL, on_main, s,
        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&main_addr, MHD_OPTION_HTTPS_MEM_CERT,
        conf->cert_pem, MHD_OPTION_HTTPS_MEM_KEY, conf->key_pem, MHD_OPTION_HTTPS_MEM_TRUST,
        conf->ca_pem, MHD_OPTION_HTTPS_PRIORITIES, "NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2",
        MHD_OPTION_NOTIFY_CONNECTION, on_connection, s, MHD_OPTION_URI_LOG_CALLBACK, on_uri, s,
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, s, MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30,
        MHD_OPTION_CONNECTION_LIMIT, (unsigned)256, MHD_OPTION_END);
    if (!h->main) {
        ks_log(KS_LOG_ERROR, "http",
               "cannot start the TLS daemon on %s:%u (port in use, bad"
               " certificate or key?)",
               conf->bind, conf->port);
        free(h);
        return NULL;
    }
    h->admin = MHD_start_daemon(flags, (uint16_t)conf->admin_port, NULL, NULL, on_admin, s,
                                MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&admin_addr,
                                MHD_OPTION_URI_LOG_CALLBACK, on_uri, s, MHD_OPTION_NOTIFY_COMPLETED,
                                on_completed, s, MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30,
                                MHD_OPTION_END);
    if (!h->admin) {
        ks_log(KS_LOG_ERROR, "http", "cannot start the admin daemon on 127.0.0.1:%u",
               conf->admin_port);
        MHD_stop_daemon(h->main);
        free(h);
        return NULL;
    }
    return h;
}

void sim_http_ports(const sim_http_t *h, unsigned *port, unsigned *admin_port)
{
    *port = bound_port(h->main);
    *admin_port = bound_port(h->admin);
}

void sim_http_stop(sim_http_t *h)
{
    if (!h)
        return;
    MHD_stop_daemon(h->main);
    MHD_stop_daemon(h->admin);
    free(h);
}
