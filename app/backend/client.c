/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "client.h"

#include "config.h"
#include "error.h"
#include "log.h"
#include "outbox.h"
#include "sign.h"

#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define MOD "backend"

/* The server keeps idempotency records 48 h; so do we. */
#define OUTBOX_MAX_AGE_S (48L * 3600)

typedef struct job {
    struct job *next;
    uint64_t id;
    ks_api_request_t *req;
    CURL *easy;
    struct curl_slist *headers;
    char *resp;
    size_t resp_len, resp_cap;
    size_t limit; /* answer size cap */
    int too_big;
    char etag[128];
    char sent_etag[128];
    char date[40]; /* the answer's Date header (diagnostics: clock skew) */
    int replayed;
    int attempts;
    int skew_retried;
    int replay_retried; /* a REPLAY refusal was answered by resending once */
    int no_etag;        /* policies: ask without If-None-Match (the cached copy was unusable) */
    int64_t due_ms;     /* when the next attempt may start */
    int64_t started_ms;
    char error_buf[CURL_ERROR_SIZE];
} job_t;

struct ks_backend {
    ks_backend_config_t cfg;
    uint8_t secret[KS_SIGN_SECRET_LEN];
    char base[256];
    ks_backend_deliver_fn deliver;
    void *ctx;
    ks_outbox_t *outbox;
    char cache_dir[600];

    pthread_t thread;
    pthread_mutex_t lock;
    job_t *incoming;   /* submitted, not yet seen by the thread (locked) */
    uint64_t *cancels; /* ids to drop (locked) */
    size_t n_cancels, cap_cancels;
    int stop;         /* locked */
    uint64_t next_id; /* locked */

    /* Network thread only. */
    CURLM *multi;
    job_t *jobs;
    long long skew_s;      /* server time − our time, learnt from CLOCK_SKEW */
    int64_t next_purge_ms; /* next sweep of outbox records the server has forgotten */
    uint64_t rng;
};

void ks_backend_config_defaults(ks_backend_config_t *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->connect_timeout_ms = 3000;
    cfg->timeout_ms = 10000;
    cfg->max_attempts = 3;
    cfg->backoff_base_ms = 300;
    cfg->backoff_cap_ms = 4000;
    cfg->max_response_bytes = 256 * 1024;
}

int ks_backend_config_from(ks_backend_config_t *out, const ks_config_t *k, char *err, size_t errlen)
{
    ks_backend_config_defaults(out);
    int n[8];
    n[0] = snprintf(out->url, sizeof out->url, "%s", k->backend.url);
    n[1] = snprintf(out->ca, sizeof out->ca, "%s", k->backend.ca);
    n[2] = snprintf(out->cert, sizeof out->cert, "%s", k->backend.cert);
    n[3] = snprintf(out->key, sizeof out->key, "%s", k->backend.key);
    n[4] = snprintf(out->secret_file, sizeof out->secret_file, "%s", k->backend.secret_file);
    n[5] = snprintf(out->kiosk_id, sizeof out->kiosk_id, "%s", k->backend.kiosk_id);
    n[6] =
        snprintf(out->pins, sizeof out->pins, "%s%s%s", k->backend.pin,
                 k->backend.pin[0] && k->backend.backup_pin[0] ? ";" : "", k->backend.backup_pin);
    n[7] = snprintf(out->state_dir, sizeof out->state_dir, "%s", k->state_dir);
    static const size_t caps[8] = {sizeof out->url,  sizeof out->ca,          sizeof out->cert,
                                   sizeof out->key,  sizeof out->secret_file, sizeof out->kiosk_id,
                                   sizeof out->pins, sizeof out->state_dir};
    static const char *const names[8] = {"url",         "ca",       "cert", "key",
                                         "secret_file", "kiosk_id", "pin",  "state_dir"};
    for (int i = 0; i < 8; i++) {
        if (n[i] < 0 || (size_t)n[i] >= caps[i]) {
            snprintf(err, errlen, "backend: %s is longer than %zu bytes", names[i], caps[i] - 1);
            return KS_E_TOOBIG;
        }
    }
    out->connect_timeout_ms = k->backend.connect_timeout_ms;
    out->timeout_ms = k->backend.timeout_ms;
    out->max_attempts = k->backend.attempts;
    out->max_response_bytes = (size_t)k->backend.max_response_kib * 1024;
    return KS_OK;
}

const char *ks_net_result_str(ks_net_result_t r)
{
    static const char *const names[] = {"ok",   "unreachable", "timeout", "tls",
                                        "http", "bad-answer",  "local"};
    return (unsigned)r < sizeof names / sizeof names[0] ? names[r] : "?";
}

void ks_backend_reply_free(ks_backend_reply_t *reply)
{
    if (!reply)
        return;
    if (reply->answer) {
        explicit_bzero(reply->answer, ks_api_answer_size(reply->call));
        free(reply->answer);
    }
    explicit_bzero(reply, sizeof *reply);
    free(reply);
}

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* xorshift64*: enough for backoff jitter, seeded from getrandom. */
static uint64_t rng_next(uint64_t *s)
{
    uint64_t x = *s;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    *s = x;
    return x * 2685821657736338717ULL;
}

/* ---- job lifetime ------------------------------------------------------------ */

/* b is NULL for a probe's job, whose easy handle is in no multi handle. */
static void job_reset_attempt(ks_backend_t *b, job_t *j)
{
    if (j->easy) {
        if (b)
            curl_multi_remove_handle(b->multi, j->easy);
        curl_easy_cleanup(j->easy);
        j->easy = NULL;
    }
    curl_slist_free_all(j->headers);
    j->headers = NULL;
    if (j->resp) {
        explicit_bzero(j->resp, j->resp_cap);
        free(j->resp);
    }
    j->resp = NULL;
    j->resp_len = j->resp_cap = 0;
    j->too_big = 0;
    j->etag[0] = '\0';
    j->date[0] = '\0';
    j->replayed = 0;
}

static void job_free(ks_backend_t *b, job_t *j)
{
    job_reset_attempt(b, j);
    ks_api_request_free(j->req);
    explicit_bzero(j, sizeof *j);
    free(j);
}

/* ---- curl callbacks ------------------------------------------------------------- */

static size_t on_write(char *data, size_t size, size_t nmemb, void *userp)
{
    job_t *j = userp;
    size_t n = size * nmemb;
    if (j->resp_len + n > j->limit) {
        j->too_big = 1;
        return 0; /* aborts the transfer: CURLE_WRITE_ERROR */
    }
    if (j->resp_len + n + 1 > j->resp_cap) {
        size_t cap = j->resp_cap ? j->resp_cap : 4096;
        while (cap < j->resp_len + n + 1)
            cap *= 2;
        char *p = malloc(cap);
        if (!p)
            return 0;
        if (j->resp) {
            memcpy(p, j->resp, j->resp_len);
            explicit_bzero(j->resp, j->resp_cap);
            free(j->resp);
        }
        j->resp = p;
        j->resp_cap = cap;
    }
    memcpy(j->resp + j->resp_len, data, n);
    j->resp_len += n;
    j->resp[j->resp_len] = '\0';
    return n;
}

/* Case-insensitive "Name:" prefix match; returns the trimmed value or NULL. */
static const char *header_value(const char *line, size_t len, const char *name, size_t *vlen)
{
    size_t nl = strlen(name);
    if (len <= nl || strncasecmp(line, name, nl) != 0 || line[nl] != ':')
        return NULL;
    const char *v = line + nl + 1;
    const char *end = line + len;
    while (v < end && (*v == ' ' || *v == '\t'))
        v++;
    while (end > v && (end[-1] == '\r' || end[-1] == '\n' || end[-1] == ' '))
        end--;
    *vlen = (size_t)(end - v);
    return v;
}

static size_t on_header(char *data, size_t size, size_t nmemb, void *userp)
{
    job_t *j = userp;
    size_t n = size * nmemb, vlen = 0;
    const char *etag = header_value(data, n, "ETag", &vlen);
    if (etag && vlen < sizeof j->etag) {
        memcpy(j->etag, etag, vlen);
        j->etag[vlen] = '\0';
        return n;
    }
    const char *replay = header_value(data, n, "Idempotent-Replay", &vlen);
    if (replay)
        j->replayed = vlen == 4 && strncasecmp(replay, "true", 4) == 0;
    const char *date = header_value(data, n, "Date", &vlen);
    if (date && vlen < sizeof j->date) {
        memcpy(j->date, date, vlen);
        j->date[vlen] = '\0';
    }
    return n;
}

/* ---- policies cache -------------------------------------------------------------- */

/* Makes a rename or mkdir in `dir` durable. */
static void fsync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        fsync(fd);
        close(fd);
    }
}

static int write_file_atomic(const char *dir, const char *name, const char *data, size_t len)
{
    char path[700], tmp[720];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0)
        return KS_E_IO;
    size_t off = 0;
    int rc = KS_OK;
    while (off < len) {
        ssize_t w = write(fd, data + off, len - off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            rc = KS_E_IO;
            break;
        }
        off += (size_t)w;
    }
    if (rc == 0 && fsync(fd) != 0)
        rc = KS_E_IO;
    if (close(fd) != 0)
        rc = KS_E_IO;
    if (rc == 0 && rename(tmp, path) != 0)
        rc = KS_E_IO;
    if (rc < 0)
        unlink(tmp);
    else
        fsync_dir(dir);
    return rc;
}

/* Reads a whole small file (≤ max bytes) into a malloc'd NUL-terminated buffer. */
static char *read_file(const char *dir, const char *name, size_t max, size_t *len)
{
    char path[700];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "rbe");
    if (!f)
        return NULL;
    char *buf = malloc(max + 1);
    size_t n = buf ? fread(buf, 1, max + 1, f) : 0;
    fclose(f);
    if (!buf || n > max) {
        free(buf);
        return NULL;
    }
    buf[n] = '\0';
    *len = n;
    return buf;
}

/* ETag of the cached copy, or "" (only when the copy itself is still there). */
static void cached_etag(ks_backend_t *b, char *out, size_t cap)
{
    size_t n = 0;
    out[0] = '\0';
    char *etag = read_file(b->cache_dir, "policies.etag", cap - 1, &n);
    struct stat st;
    char path[700];
    snprintf(path, sizeof path, "%s/policies.json", b->cache_dir);
    if (etag && stat(path, &st) == 0 && n > 0 && !memchr(etag, '\n', n) && !memchr(etag, '\r', n))
        snprintf(out, cap, "%s", etag);
    free(etag);
}

/* Fills reply->answer from the cached policies. 0 or a negative code. */
static int answer_from_cache(ks_backend_t *b, ks_backend_reply_t *reply)
{
    size_t n = 0;
    char *body = read_file(b->cache_dir, "policies.json", b->cfg.max_response_bytes, &n);
    if (!body)
        return KS_E_NOTFOUND;
    void *ans = calloc(1, ks_api_answer_size(KS_CALL_POLICIES));
    char err[160];
    int rc = ans ? ks_api_parse(KS_CALL_POLICIES, body, n, ans, err, sizeof err) : KS_E_NOMEM;
    free(body);
    if (rc < 0) {
        free(ans);
        ks_log(KS_LOG_WARN, MOD, "policies cache unusable: %s", rc == KS_E_PARSE ? err : "");
        return rc;
    }
    reply->answer = ans;
    reply->from_cache = 1;
    return KS_OK;
}

/* ---- attempts ---------------------------------------------------------------------- */

static int is_keyed(const job_t *j)
{
    return j->req->idempotency_key[0] != '\0';
}

/* Only GETs and keyed writes may be sent twice. */
static int retry_allowed(const job_t *j)
{
    return strcmp(j->req->method, "GET") == 0 || is_keyed(j);
}

static int add_header(job_t *j, const char *name, const char *value)
{
    char line[320];
    snprintf(line, sizeof line, "%s:%s%s", name, value[0] ? " " : "", value);
    struct curl_slist *l = curl_slist_append(j->headers, line);
    if (!l)
        return KS_E_NOMEM;
    j->headers = l;
    return KS_OK;
}

/*
 * The headers of one attempt of j: the signature (a fresh timestamp, our
 * clock moved by skew_s, and a fresh nonce), Accept, and the body's type and
 * Idempotency-Key when it has them. Appended to j->headers.
 */
static int signed_headers(const ks_backend_config_t *c, const uint8_t *secret, long long skew_s,
                          job_t *j)
{
    const ks_api_request_t *r = j->req;
    char ts[24], nonce[KS_SIGN_NONCE_LEN + 1], sig[KS_SIGN_HEX_LEN + 1];
    long long timestamp = (long long)time(NULL) + skew_s;
    snprintf(ts, sizeof ts, "%lld", timestamp);
    if (ks_sign_nonce(nonce) < 0 ||
        ks_sign_request(secret, r->method, r->path, c->kiosk_id, timestamp, nonce, r->body,
                        r->body_len, sig) < 0)
        return KS_E_IO;

    int rc = add_header(j, "X-Kiosk-Id", c->kiosk_id);
    rc = rc ? rc : add_header(j, "X-Timestamp", ts);
    rc = rc ? rc : add_header(j, "X-Nonce", nonce);
    rc = rc ? rc : add_header(j, "X-Signature", sig);
    rc = rc ? rc : add_header(j, "Accept", "application/json");
    rc = rc ? rc : add_header(j, "Expect", "");
    if (r->body)
        rc = rc ? rc : add_header(j, "Content-Type", "application/json");
    if (is_keyed(j))
        rc = rc ? rc : add_header(j, "Idempotency-Key", r->idempotency_key);
    return rc;
}

/*
 * A new easy handle for one attempt of j at base + path, with its headers:
 * HTTPS only, TLS 1.2 or later, the configured CA alone, our client
 * certificate, the optional pinned server keys, the timeouts, no redirects
 * and the answer's size cap; the answer and its headers go into j. Every
 * request of the kiosk, and the diagnostics probe, is made this way.
 */
static CURL *new_easy(const ks_backend_config_t *c, const char *base, job_t *j)
{
    const ks_api_request_t *r = j->req;
    char url[600];
    snprintf(url, sizeof url, "%s%s", base, r->path);
    CURL *e = curl_easy_init();
    if (!e)
        return NULL;
    curl_easy_setopt(e, CURLOPT_URL, url);
    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "https");
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_PRIVATE, j);
    curl_easy_setopt(e, CURLOPT_ERRORBUFFER, j->error_buf);
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, j->headers);
    curl_easy_setopt(e, CURLOPT_USERAGENT, "civic-kiosk/" KS_VERSION);
    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, (long)c->connect_timeout_ms);
    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, (long)c->timeout_ms);
    curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(e, CURLOPT_SSLVERSION, (long)CURL_SSLVERSION_TLSv1_2);
    curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 2L);
    curl_easy_setopt(e, CURLOPT_CAINFO, c->ca);
    curl_easy_setopt(e, CURLOPT_CAPATH, NULL);
    curl_easy_setopt(e, CURLOPT_SSLCERT, c->cert);
    size_t cl = strlen(c->cert);
    if (cl > 4 && strcmp(c->cert + cl - 4, ".p12") == 0)
        curl_easy_setopt(e, CURLOPT_SSLCERTTYPE, "P12");
    else
        curl_easy_setopt(e, CURLOPT_SSLKEY, c->key);
    if (c->pins[0])
        curl_easy_setopt(e, CURLOPT_PINNEDPUBLICKEY, c->pins);
    curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)c->max_response_bytes);
    j->limit = c->max_response_bytes;
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_write);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, j);
    curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(e, CURLOPT_HEADERDATA, j);
    if (strcmp(r->method, "POST") == 0) {
        curl_easy_setopt(e, CURLOPT_POST, 1L);
        curl_easy_setopt(e, CURLOPT_POSTFIELDS, r->body ? r->body : "");
        curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)(r->body ? r->body_len : 0));
    }
    return e;
}

static int start_attempt(ks_backend_t *b, job_t *j)
{
    job_reset_attempt(b, j);
    int rc = signed_headers(&b->cfg, b->secret, b->skew_s, j);
    j->sent_etag[0] = '\0';
    if (j->req->call == KS_CALL_POLICIES && !j->no_etag) {
        cached_etag(b, j->sent_etag, sizeof j->sent_etag);
        if (j->sent_etag[0])
            rc = rc ? rc : add_header(j, "If-None-Match", j->sent_etag);
    }
    if (rc < 0)
        return rc;
    CURL *e = new_easy(&b->cfg, b->base, j);
    if (!e)
        return KS_E_NOMEM;
    j->easy = e;
    if (b->cfg.fresh_connections) {
        curl_easy_setopt(e, CURLOPT_FRESH_CONNECT, 1L);
        curl_easy_setopt(e, CURLOPT_FORBID_REUSE, 1L);
    }
    j->attempts++;
    if (curl_multi_add_handle(b->multi, e) != CURLM_OK)
        return KS_E_STATE;
    return KS_OK;
}

/* Delivers the reply of `j` (which the caller then frees). */
static void deliver(ks_backend_t *b, job_t *j, ks_backend_reply_t *reply)
{
    reply->id = j->id;
    reply->call = j->req->call;
    reply->user = j->req->user;
    reply->attempts = j->attempts;
    reply->elapsed_ms = (double)(now_ms() - j->started_ms);
    snprintf(reply->idempotency_key, sizeof reply->idempotency_key, "%s", j->req->idempotency_key);
    if (reply->result != KS_NET_OK)
        ks_log(KS_LOG_WARN, MOD, "%s: %s after %d attempt(s): %s", ks_call_name(reply->call),
               ks_net_result_str(reply->result), reply->attempts, reply->reason);
    else
        ks_log(KS_LOG_DEBUG, MOD, "%s: ok in %.0f ms, %d attempt(s)%s%s", ks_call_name(reply->call),
               reply->elapsed_ms, reply->attempts, reply->replayed ? ", replayed" : "",
               reply->from_cache ? ", from cache" : "");
    b->deliver(reply, b->ctx);
}

/* Schedules another attempt after a full-jitter backoff. 1 if scheduled. */
static int schedule_retry(ks_backend_t *b, job_t *j)
{
    if (!retry_allowed(j) || j->attempts >= b->cfg.max_attempts)
        return 0;
    int64_t ceiling = b->cfg.backoff_base_ms;
    for (int i = 1; i < j->attempts && ceiling < b->cfg.backoff_cap_ms; i++)
        ceiling *= 2;
    if (ceiling > b->cfg.backoff_cap_ms)
        ceiling = b->cfg.backoff_cap_ms;
    j->due_ms = now_ms() + (int64_t)(rng_next(&b->rng) % (uint64_t)(ceiling + 1));
    job_reset_attempt(b, j);
    return 1;
}

static ks_net_result_t classify(CURLcode cc)
{
    switch (cc) {
    case CURLE_OPERATION_TIMEDOUT:
        return KS_NET_TIMEOUT;
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_CRL_BADFILE:
    case CURLE_SSL_ENGINE_INITFAILED:
    case CURLE_USE_SSL_FAILED:
        return KS_NET_TLS;
    case CURLE_FILESIZE_EXCEEDED:
        return KS_NET_BAD_ANSWER;
    default:
        return KS_NET_UNREACHABLE;
    }
}

static int transient_status(long st)
{
    return st == 429 || st == 500 || st == 502 || st == 503 || st == 504;
}

/*
 * The HTTP status of j's attempt (0: no answer) and its TLS handshake time
 * in ms, counted from the end of the TCP connect (-1: no handshake was made,
 * e.g. a reused connection or a refused one).
 */
static long attempt_info(const job_t *j, double *tls_ms)
{
    long status = 0;
    curl_off_t tls_us = 0, connect_us = 0;
    curl_easy_getinfo(j->easy, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_getinfo(j->easy, CURLINFO_APPCONNECT_TIME_T, &tls_us);
    curl_easy_getinfo(j->easy, CURLINFO_CONNECT_TIME_T, &connect_us);
    *tls_ms = tls_us > 0 ? (double)(tls_us > connect_us ? tls_us - connect_us : 0) / 1000.0 : -1;
    return status;
}

/* A transfer that did not complete (cc != CURLE_OK): its result, with a reason. */
static ks_net_result_t transfer_failed(const job_t *j, CURLcode cc, char *reason, size_t len)
{
    if (j->too_big || cc == CURLE_FILESIZE_EXCEEDED) {
        snprintf(reason, len, "answer larger than %zu bytes", j->limit);
        return KS_NET_BAD_ANSWER;
    }
    snprintf(reason, len, "%.80s: %.160s", curl_easy_strerror(cc),
             j->error_buf[0] ? j->error_buf : "-");
    return classify(cc);
}

/* Parses a 2xx answer of j's call into *answer (malloc'd): KS_NET_OK, or why not. */
static ks_net_result_t parse_answer(const job_t *j, long status, void **answer, char *reason,
                                    size_t len)
{
    char err[200] = "";
    ks_call_t call = j->req->call;
    void *ans = calloc(1, ks_api_answer_size(call));
    int rc = ans ? ks_api_parse(call, j->resp ? j->resp : "", j->resp_len, ans, err, sizeof err)
                 : KS_E_NOMEM;
    if (rc == 0) {
        *answer = ans;
        return KS_NET_OK;
    }
    free(ans);
    snprintf(reason, len, "HTTP %ld with a bad answer: %s", status, err);
    return rc == KS_E_NOMEM ? KS_NET_LOCAL : KS_NET_BAD_ANSWER;
}

/* A refusal (status >= 400): the server's error object, else HTTP_<status>, and a reason. */
static void refusal(const job_t *j, long status, ks_api_error_t *error, char *reason, size_t len)
{
    if (ks_api_parse_error(j->resp, j->resp_len, error) < 0)
        snprintf(error->code, sizeof error->code, "HTTP_%ld", status);
    snprintf(reason, len, "HTTP %ld %s", status, error->code);
}

/* One attempt of `j` ended with `cc`. Returns 1 when the job is finished. */
static int finish_attempt(ks_backend_t *b, job_t *j, CURLcode cc)
{
    ks_backend_reply_t *reply = calloc(1, sizeof *reply);
    if (!reply)
        return 1; /* nothing can be said; the caller frees the job */
    long status = attempt_info(j, &reply->tls_ms);
    if (reply->tls_ms < 0)
        reply->tls_ms = 0;
    reply->status = status;
    reply->replayed = j->replayed;
    ks_call_t call = j->req->call;

    if (cc != CURLE_OK) {
        reply->result = transfer_failed(j, cc, reply->reason, sizeof reply->reason);
        if ((reply->result == KS_NET_UNREACHABLE || reply->result == KS_NET_TIMEOUT) &&
            schedule_retry(b, j)) {
            ks_log(KS_LOG_INFO, MOD, "%s: %s, retrying", ks_call_name(call), reply->reason);
            free(reply);
            return 0;
        }
    } else if (status == 304 && call == KS_CALL_POLICIES && j->sent_etag[0]) {
        reply->result = answer_from_cache(b, reply) == 0 ? KS_NET_OK : KS_NET_BAD_ANSWER;
        if (reply->result != KS_NET_OK && !j->no_etag) {
            /* The copy went bad (or a stricter parser refuses it): fetch it whole again. */
            char path[700];
            snprintf(path, sizeof path, "%s/policies.etag", b->cache_dir);
            unlink(path);
            j->no_etag = 1;
            j->attempts--;
            j->due_ms = now_ms();
            job_reset_attempt(b, j);
            free(reply);
            return 0;
        }
        if (reply->result != KS_NET_OK)
            snprintf(reply->reason, sizeof reply->reason, "304 but the cached copy is unusable");
    } else if (status >= 200 && status < 300) {
        reply->result =
            parse_answer(j, status, &reply->answer, reply->reason, sizeof reply->reason);
        if (reply->result == KS_NET_OK && call == KS_CALL_POLICIES && j->etag[0] &&
            (write_file_atomic(b->cache_dir, "policies.json", j->resp, j->resp_len) < 0 ||
             write_file_atomic(b->cache_dir, "policies.etag", j->etag, strlen(j->etag)) < 0))
            ks_log(KS_LOG_WARN, MOD, "could not write the policies cache in %s", b->cache_dir);
    } else {
        reply->result = KS_NET_HTTP;
        refusal(j, status, &reply->error, reply->reason, sizeof reply->reason);
        if (status == 401 && strcmp(reply->error.code, "CLOCK_SKEW") == 0 &&
            reply->error.server_time > 0 && !j->skew_retried) {
            /* Rejected before any processing: safe to resend once with the server's clock. */
            b->skew_s = reply->error.server_time - (long long)time(NULL);
            ks_log(KS_LOG_WARN, MOD, "clock differs from the server's by %lld s; adjusting",
                   b->skew_s);
            j->skew_retried = 1;
            j->attempts--;
            j->due_ms = now_ms();
            job_reset_attempt(b, j);
            free(reply);
            return 0;
        }
        if (status == 401 && strcmp(reply->error.code, "REPLAY") == 0 && !j->replay_retried) {
            /*
             * Our own signature seen twice: libcurl resends a request by itself on a
             * fresh connection when a reused one turns out dead, with the same nonce.
             * Refused before any processing: resend once, signed afresh (a keyed
             * write keeps its Idempotency-Key, so it is still done at most once).
             */
            ks_log(KS_LOG_INFO, MOD, "%s: nonce seen twice (a resent request); signing afresh",
                   ks_call_name(call));
            j->replay_retried = 1;
            j->attempts--;
            j->due_ms = now_ms();
            job_reset_attempt(b, j);
            free(reply);
            return 0;
        }
        if (transient_status(status) && schedule_retry(b, j)) {
            ks_log(KS_LOG_INFO, MOD, "%s: %s, retrying", ks_call_name(call), reply->reason);
            free(reply);
            return 0;
        }
    }

    /* A definitive answer (success or a refusal) settles the key; otherwise it stays. */
    if (is_keyed(j) && (reply->result == KS_NET_OK ||
                        (reply->result == KS_NET_HTTP && status >= 400 && status < 500)))
        ks_outbox_done(b->outbox, j->req->idempotency_key);
    if (call == KS_CALL_POLICIES && reply->result != KS_NET_OK && !reply->answer)
        answer_from_cache(b, reply); /* offline: the last good copy, marked from_cache */
    deliver(b, j, reply);
    return 1;
}

/* First attempt of a keyed write: record the key durably before anything is sent. */
static int prepare_first_attempt(ks_backend_t *b, job_t *j)
{
    if (!is_keyed(j) || j->attempts > 0)
        return KS_OK;
    return ks_outbox_record(b->outbox, j->req->idempotency_key, j->req->method, j->req->path,
                            j->req->body, j->req->body_len);
}

static void fail_local(ks_backend_t *b, job_t *j, const char *why)
{
    ks_backend_reply_t *reply = calloc(1, sizeof *reply);
    if (reply) {
        reply->result = KS_NET_LOCAL;
        snprintf(reply->reason, sizeof reply->reason, "%s", why);
        deliver(b, j, reply);
    }
}

static void unlink_job(ks_backend_t *b, job_t *j)
{
    for (job_t **p = &b->jobs; *p; p = &(*p)->next) {
        if (*p == j) {
            *p = j->next;
            return;
        }
    }
}

static void *thread_main(void *arg)
{
    ks_backend_t *b = arg;
    for (;;) {
        /*
         * Take new jobs and cancellations. Nothing is freed under the lock:
         * removing a transfer may wait for a DNS thread, and the UI thread
         * takes this lock to submit.
         */
        pthread_mutex_lock(&b->lock);
        int stop = b->stop;
        job_t *in = b->incoming;
        b->incoming = NULL;
        size_t n_cancels = b->n_cancels;
        uint64_t cancels[64];
        if (n_cancels > sizeof cancels / sizeof cancels[0])
            n_cancels = sizeof cancels / sizeof cancels[0]; /* the rest next time round */
        if (n_cancels > 0) { /* b->cancels is NULL until the first cancel */
            memcpy(cancels, b->cancels, n_cancels * sizeof cancels[0]);
            memmove(b->cancels, b->cancels + n_cancels,
                    (b->n_cancels - n_cancels) * sizeof cancels[0]);
            b->n_cancels -= n_cancels;
        }
        pthread_mutex_unlock(&b->lock);
        while (in) {
            job_t *next = in->next;
            in->next = b->jobs;
            b->jobs = in;
            in = next;
        }
        for (size_t i = 0; i < n_cancels; i++) {
            for (job_t *j = b->jobs; j; j = j->next) {
                if (j->id == cancels[i]) {
                    unlink_job(b, j);
                    job_free(b, j);
                    break;
                }
            }
        }
        if (stop)
            break;
        if (now_ms() >= b->next_purge_ms) {
            ks_outbox_purge(b->outbox, OUTBOX_MAX_AGE_S);
            b->next_purge_ms = now_ms() + 3600 * 1000;
        }

        /* Start attempts that are due. */
        int64_t now = now_ms();
        for (job_t *j = b->jobs, *next; j; j = next) {
            next = j->next;
            if (j->easy || j->due_ms > now)
                continue;
            const char *why = NULL;
            if (prepare_first_attempt(b, j) < 0)
                why = "could not record the Idempotency-Key on disk; not sent";
            else if (start_attempt(b, j) < 0)
                why = "could not start the request";
            if (why) {
                unlink_job(b, j);
                fail_local(b, j, why);
                job_free(b, j);
            }
        }

        int running = 0;
        curl_multi_perform(b->multi, &running);
        CURLMsg *msg;
        int left;
        while ((msg = curl_multi_info_read(b->multi, &left)) != NULL) {
            if (msg->msg != CURLMSG_DONE)
                continue;
            job_t *j = NULL;
            curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&j);
            CURLcode cc = msg->data.result;
            if (j && finish_attempt(b, j, cc)) {
                unlink_job(b, j);
                job_free(b, j);
            }
        }

        /* Sleep until the next retry is due (after the replies above scheduled theirs). */
        now = now_ms();
        int64_t next_due = now + 3600 * 1000;
        for (job_t *j = b->jobs; j; j = j->next)
            if (!j->easy && j->due_ms < next_due)
                next_due = j->due_ms;
        int timeout = next_due > now ? (int)(next_due - now) : 0;
        if (timeout > 60000)
            timeout = 60000; /* curl_multi_wakeup or a transfer wakes it sooner */
        curl_multi_poll(b->multi, NULL, 0, timeout, NULL);
    }
    while (b->jobs) {
        job_t *j = b->jobs;
        b->jobs = j->next;
        job_free(b, j);
    }
    return NULL;
}

/* ---- public API ---------------------------------------------------------------------- */

/* https://host[:port], optionally followed by /kiosk/v1 (the prefix every request has). */
static int url_ok(const char *url)
{
    if (strncmp(url, "https://", 8) != 0 || !url[8])
        return 0;
    const char *slash = strchr(url + 8, '/');
    if (slash && strcmp(slash, "/kiosk/v1") != 0 && strcmp(slash, "/kiosk/v1/") != 0 &&
        strcmp(slash, "/") != 0)
        return 0;
    return !strpbrk(url + 8, "?#@ \t\r\n");
}

/* "" or one or more sha256//BASE64 separated by ';' (curl would read anything else as a file). */
static int pins_ok(const char *pins)
{
    const char *p = pins;
    while (*p) {
        if (strncmp(p, "sha256//", 8) != 0)
            return 0;
        p += 8;
        size_t n = strspn(p, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=");
        if (n < 40)
            return 0;
        p += n;
        if (*p == ';')
            p++;
        else if (*p)
            return 0;
    }
    return 1;
}

static int file_readable(const char *path, const char *what, char *err, size_t errlen)
{
    if (!path[0]) {
        snprintf(err, errlen, "backend: %s is not configured", what);
        return KS_E_INVAL;
    }
    if (access(path, R_OK) != 0) {
        snprintf(err, errlen, "backend: %s %s: %s", what, path, strerror(errno));
        return KS_E_IO;
    }
    return KS_OK;
}

/*
 * What ks_backend_new and ks_backend_probe check before anything is sent:
 * the URL, kiosk id, pins and limits, and that the files can be read.
 * 0, or KS_E_INVAL / KS_E_IO with a reason in err.
 */
static int config_check(const ks_backend_config_t *cfg, char *err, size_t errlen)
{
    if (!url_ok(cfg->url)) {
        snprintf(err, errlen,
                 "backend: url must be https://HOST[:PORT] (no path; /kiosk/v1 is "
                 "added to every request)");
        return KS_E_INVAL;
    }
    size_t kl = strlen(cfg->kiosk_id);
    if (kl == 0 || kl > 32 ||
        strspn(cfg->kiosk_id, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                              "0123456789-") != kl) {
        snprintf(err, errlen, "backend: kiosk_id must be 1-32 of A-Z a-z 0-9 -");
        return KS_E_INVAL;
    }
    if (!pins_ok(cfg->pins)) {
        snprintf(err, errlen, "backend: pins must be sha256//BASE64 (a backup after ';')");
        return KS_E_INVAL;
    }
    if (cfg->connect_timeout_ms <= 0 || cfg->timeout_ms <= 0 || cfg->max_attempts < 1 ||
        cfg->backoff_base_ms < 1 || cfg->backoff_cap_ms < cfg->backoff_base_ms ||
        cfg->max_response_bytes < 1024) {
        snprintf(err, errlen, "backend: timeouts, attempts or caps out of range");
        return KS_E_INVAL;
    }
    int is_p12 = strlen(cfg->cert) > 4 && strcmp(cfg->cert + strlen(cfg->cert) - 4, ".p12") == 0;
    int rc = file_readable(cfg->ca, "ca", err, errlen);
    rc = rc ? rc : file_readable(cfg->cert, "cert", err, errlen);
    if (rc == 0 && !is_p12)
        rc = file_readable(cfg->key, "key", err, errlen);
    rc = rc ? rc : file_readable(cfg->secret_file, "secret_file", err, errlen);
    if (rc == 0 && !cfg->state_dir[0]) {
        snprintf(err, errlen, "backend: state_dir is not configured");
        rc = KS_E_INVAL;
    }
    return rc;
}

/* The URL every request path (/kiosk/v1/...) is appended to: url without a trailing prefix. */
static void base_url(const char *url, char *out, size_t cap)
{
    snprintf(out, cap, "%s", url);
    size_t bl = strlen(out);
    while (bl > 0 && out[bl - 1] == '/')
        out[--bl] = '\0';
    if (bl >= 9 && strcmp(out + bl - 9, "/kiosk/v1") == 0)
        out[bl - 9] = '\0';
}

ks_backend_t *ks_backend_new(const ks_backend_config_t *cfg, ks_backend_deliver_fn deliver_fn,
                             void *ctx, char *err, size_t errlen)
{
    if (!cfg || !deliver_fn)
        return NULL;
    if (config_check(cfg, err, errlen) < 0)
        return NULL;

    ks_backend_t *b = calloc(1, sizeof *b);
    if (!b) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    b->cfg = *cfg;
    b->deliver = deliver_fn;
    b->ctx = ctx;
    b->next_id = 1;
    base_url(cfg->url, b->base, sizeof b->base);

    char sub[600];
    if (ks_sign_load_secret(cfg->secret_file, b->secret, err, errlen) < 0)
        goto fail;
    if (mkdir(cfg->state_dir, 0700) != 0 && errno != EEXIST) {
        snprintf(err, errlen, "backend: state_dir %s: %s", cfg->state_dir, strerror(errno));
        goto fail;
    }
    snprintf(sub, sizeof sub, "%s/outbox", cfg->state_dir);
    b->outbox = ks_outbox_open(sub, b->secret, err, errlen);
    if (!b->outbox)
        goto fail;
    snprintf(b->cache_dir, sizeof b->cache_dir, "%s/cache", cfg->state_dir);
    if (mkdir(b->cache_dir, 0700) != 0 && errno != EEXIST) {
        snprintf(err, errlen, "backend: %s: %s", b->cache_dir, strerror(errno));
        goto fail;
    }
    fsync_dir(cfg->state_dir); /* outbox/ and cache/ survive a power cut */
    int purged = ks_outbox_purge(b->outbox, OUTBOX_MAX_AGE_S);
    b->next_purge_ms = now_ms() + 3600 * 1000;
    int pending = ks_outbox_pending(b->outbox);
    if (pending > 0 || purged > 0)
        ks_log(KS_LOG_WARN, MOD, "%d write(s) with an unknown outcome in the outbox (%d expired)",
               pending, purged);

    if (getrandom(&b->rng, sizeof b->rng, 0) != (ssize_t)sizeof b->rng || b->rng == 0)
        b->rng = (uint64_t)now_ms() | 1;
    b->multi = curl_multi_init();
    if (!b->multi) {
        snprintf(err, errlen, "backend: curl_multi_init failed");
        goto fail;
    }
    curl_multi_setopt(b->multi, CURLMOPT_MAXCONNECTS, 4L);
    pthread_mutex_init(&b->lock, NULL);
    if (pthread_create(&b->thread, NULL, thread_main, b) != 0) {
        snprintf(err, errlen, "backend: cannot start the network thread");
        pthread_mutex_destroy(&b->lock);
        goto fail;
    }
    return b;

fail:
    if (b->multi)
        curl_multi_cleanup(b->multi);
    ks_outbox_close(b->outbox);
    explicit_bzero(b, sizeof *b);
    free(b);
    return NULL;
}

long long ks_backend_submit(ks_backend_t *b, ks_api_request_t *req)
{
    if (!b || !req) {
        ks_api_request_free(req);
        return KS_E_INVAL;
    }
    job_t *j = calloc(1, sizeof *j);
    if (!j) {
        ks_api_request_free(req);
        return KS_E_NOMEM;
    }
    j->req = req;
    j->started_ms = now_ms();
    j->due_ms = j->started_ms;
    pthread_mutex_lock(&b->lock);
    j->id = b->next_id++;
    /* Append, so requests start in the order they were submitted. */
    job_t **p = &b->incoming;
    while (*p)
        p = &(*p)->next;
    *p = j;
    long long id = (long long)j->id;
    pthread_mutex_unlock(&b->lock);
    curl_multi_wakeup(b->multi);
    return id;
}

void ks_backend_cancel(ks_backend_t *b, uint64_t id)
{
    if (!b || id == 0)
        return;
    pthread_mutex_lock(&b->lock);
    if (b->n_cancels == b->cap_cancels) {
        size_t cap = b->cap_cancels ? b->cap_cancels * 2 : 8;
        uint64_t *p = realloc(b->cancels, cap * sizeof *p);
        if (p) {
            b->cancels = p;
            b->cap_cancels = cap;
        }
    }
    if (b->n_cancels < b->cap_cancels)
        b->cancels[b->n_cancels++] = id;
    pthread_mutex_unlock(&b->lock);
    curl_multi_wakeup(b->multi);
}

int ks_backend_pending_writes(ks_backend_t *b)
{
    return b ? ks_outbox_pending(b->outbox) : 0;
}

void ks_backend_free(ks_backend_t *b)
{
    if (!b)
        return;
    pthread_mutex_lock(&b->lock);
    b->stop = 1;
    pthread_mutex_unlock(&b->lock);
    curl_multi_wakeup(b->multi);
    pthread_join(b->thread, NULL);
    while (b->incoming) {
        job_t *j = b->incoming;
        b->incoming = j->next;
        job_free(b, j);
    }
    curl_multi_cleanup(b->multi);
    pthread_mutex_destroy(&b->lock);
    ks_outbox_close(b->outbox);
    free(b->cancels);
    explicit_bzero(b, sizeof *b);
    free(b);
}

/* ---- diagnostics probe ------------------------------------------------------------------ */

/* The server certificate's notAfter from libcurl's certificate info (unix s), 0 when unknown. */
static long long cert_expiry(CURL *e)
{
    struct curl_certinfo *ci = NULL;
    if (curl_easy_getinfo(e, CURLINFO_CERTINFO, &ci) != CURLE_OK || !ci || ci->num_of_certs < 1)
        return 0;
    /* certinfo[0] is the server's own certificate; "Expire date:Mar  4 12:00:00 2028 GMT". */
    for (const struct curl_slist *l = ci->certinfo[0]; l; l = l->next) {
        if (strncmp(l->data, "Expire date:", 12) == 0) {
            time_t t = curl_getdate(l->data + 12, NULL);
            return t > 0 ? (long long)t : 0;
        }
    }
    return 0;
}

/* One attempt of the probe ended with cc: fills out. Returns 1 to send again (clock skew). */
static int probe_done(job_t *j, CURLcode cc, ks_backend_probe_t *out)
{
    double tls_ms;
    long status = attempt_info(j, &tls_ms);
    out->status = status;
    if (tls_ms >= 0)
        out->tls_ms = tls_ms;
    long long expiry = cert_expiry(j->easy);
    if (expiry)
        out->cert_expires = expiry;
    out->reason[0] = out->error_code[0] = '\0';
    if (cc != CURLE_OK) {
        out->result = transfer_failed(j, cc, out->reason, sizeof out->reason);
        return 0;
    }
    out->reachable = 1;
    time_t date = j->date[0] ? curl_getdate(j->date, NULL) : -1;
    if (date > 0 && !out->skew_from_server_time) {
        out->have_skew = 1;
        out->skew_s = (long long)date - (long long)time(NULL);
    }
    if (status >= 200 && status < 300) {
        void *answer = NULL;
        out->result = parse_answer(j, status, &answer, out->reason, sizeof out->reason);
        free(answer); /* the offices: nothing personal */
        return 0;
    }
    ks_api_error_t error;
    memset(&error, 0, sizeof error);
    out->result = KS_NET_HTTP;
    refusal(j, status, &error, out->reason, sizeof out->reason);
    snprintf(out->error_code, sizeof out->error_code, "%s", error.code);
    if (status == 401 && strcmp(error.code, "CLOCK_SKEW") == 0 && error.server_time > 0 &&
        !out->skew_from_server_time) {
        /* The kiosk's client adopts the server's clock and resends once: so does the probe. */
        out->have_skew = out->skew_from_server_time = 1;
        out->skew_s = error.server_time - (long long)time(NULL);
        return 1;
    }
    return 0;
}

int ks_backend_probe(const ks_backend_config_t *cfg, ks_backend_probe_t *out)
{
    if (!out)
        return KS_E_INVAL;
    memset(out, 0, sizeof *out);
    out->result = KS_NET_LOCAL;
    out->tls_ms = -1;
    int64_t t0 = now_ms();
    uint8_t secret[KS_SIGN_SECRET_LEN];
    char base[256];
    int rc = cfg ? config_check(cfg, out->reason, sizeof out->reason) : KS_E_INVAL;
    if (rc == 0)
        rc = ks_sign_load_secret(cfg->secret_file, secret, out->reason, sizeof out->reason);
    if (rc < 0) {
        out->at = (long long)time(NULL);
        return rc;
    }
    base_url(cfg->url, base, sizeof base);
    job_t j;
    memset(&j, 0, sizeof j);
    j.req = ks_api_req_offices(); /* cheap, signed, and nothing personal either way */
    for (int again = j.req != NULL; again;) {
        long long skew = out->skew_from_server_time ? out->skew_s : 0;
        CURL *e = signed_headers(cfg, secret, skew, &j) == 0 ? new_easy(cfg, base, &j) : NULL;
        if (!e) {
            snprintf(out->reason, sizeof out->reason, "could not start the request");
            break;
        }
        j.easy = e;
        /* A handle of its own: a new connection, so the handshake and certificate are seen. */
        curl_easy_setopt(e, CURLOPT_CERTINFO, 1L);
        out->attempts++;
        again = probe_done(&j, curl_easy_perform(e), out);
        job_reset_attempt(NULL, &j);
    }
    if (!j.req)
        snprintf(out->reason, sizeof out->reason, "out of memory");
    job_reset_attempt(NULL, &j);
    ks_api_request_free(j.req);
    explicit_bzero(secret, sizeof secret);
    out->elapsed_ms = (double)(now_ms() - t0);
    out->at = (long long)time(NULL);
    ks_log(out->result == KS_NET_OK ? KS_LOG_DEBUG : KS_LOG_INFO, MOD, "probe: %s in %.0f ms%s%s",
           ks_net_result_str(out->result), out->elapsed_ms, out->reason[0] ? ": " : "",
           out->reason);
    return KS_OK;
}
