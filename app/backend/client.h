/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The district backend client: a libcurl multi handle on its own thread.
 * Callers submit typed requests (api.h) from any thread, without waiting; the
 * answer comes back through the `deliver` callback, called on the network
 * thread, which in the kiosk turns it into an SDL event. No SDL here.
 *
 * What it does for every request: mutual TLS (client certificate, the
 * configured CA only, optional pinned server key with a backup), signing as in
 * docs/backend-api.md (fresh timestamp and nonce per attempt), connect and
 * total timeouts, a cap on the answer's size, strict parsing of the answer.
 * GETs and keyed POSTs are retried with full-jitter exponential backoff on
 * transient failures; a keyed POST's Idempotency-Key is recorded durably in
 * the outbox (outbox.h) before its first attempt and reused on every retry.
 * GET /policies uses an ETag and an on-disk copy of the last good answer.
 *
 * The caller must have called curl_global_init() once (main does).
 */
#ifndef KS_CLIENT_H
#define KS_CLIENT_H

#include "api.h"
#include "config.h"

#include <stddef.h>
#include <stdint.h>

typedef struct {
    char url[256];             /* https://host:port (a trailing /kiosk/v1 is accepted) */
    char ca[512];              /* CA bundle the server certificate must chain to */
    char cert[512];            /* client certificate, PEM (or PKCS#12 when it ends in .p12) */
    char key[512];             /* client key, PEM */
    char secret_file[512];     /* device secret: 64 hex chars, mode 0600 */
    char kiosk_id[33];         /* X-Kiosk-Id, the certificate's CN */
    char pins[256];            /* "" or "sha256//A=;sha256//B=" (primary and backup) */
    char state_dir[512];       /* outbox/ and cache/ live here */
    int connect_timeout_ms;    /* default 3000 */
    int timeout_ms;            /* whole attempt, default 10000 */
    int max_attempts;          /* retried calls, default 3 */
    int backoff_base_ms;       /* default 300 */
    int backoff_cap_ms;        /* default 4000 */
    size_t max_response_bytes; /* default 256 KiB */
    int fresh_connections;     /* 1: no connection reuse (benchmark only) */
} ks_backend_config_t;

/* Fills the defaults (timeouts, attempts, caps); paths stay empty. */
void ks_backend_config_defaults(ks_backend_config_t *cfg);

/*
 * Fills `out` from the kiosk configuration's [backend] section and state_dir.
 * Returns 0, or KS_E_TOOBIG when a value does not fit (with a reason in err).
 */
int ks_backend_config_from(ks_backend_config_t *out, const ks_config_t *kiosk_config, char *err,
                           size_t errlen);

typedef enum {
    KS_NET_OK = 0,      /* 2xx (or 304 served from the cache) and a valid answer */
    KS_NET_UNREACHABLE, /* connection refused, reset, no answer */
    KS_NET_TIMEOUT,     /* connect or total timeout */
    KS_NET_TLS,         /* certificate, pin or handshake failure: not retried */
    KS_NET_HTTP,        /* status >= 400: see status and error.code */
    KS_NET_BAD_ANSWER,  /* 2xx but the body is malformed, mistyped or too big */
    KS_NET_LOCAL,       /* could not record the idempotency key, out of memory */
} ks_net_result_t;

/* "ok", "unreachable", "timeout", "tls", "http", "bad-answer", "local". */
const char *ks_net_result_str(ks_net_result_t r);

typedef struct {
    uint64_t id;
    ks_call_t call;
    void *user; /* the request's tag */
    ks_net_result_t result;
    long status;          /* HTTP status of the last attempt, 0 if none */
    ks_api_error_t error; /* the server's error object when result is HTTP */
    char reason[256];     /* one line for logs and diagnostics (no personal data) */
    void *answer;         /* the typed answer (api.h) when result is OK; see from_cache */
    int attempts;
    int replayed;   /* Idempotent-Replay: the server answered a retry from its record */
    int from_cache; /* policies: the answer is the on-disk copy (304, or offline) */
    double elapsed_ms;
    double tls_ms; /* TLS handshake time of the last attempt when it made a connection */
    char idempotency_key[37];
} ks_backend_reply_t;

/* Frees a reply, wiping the answer (it may hold a token or masked name). */
void ks_backend_reply_free(ks_backend_reply_t *reply);

typedef void (*ks_backend_deliver_fn)(ks_backend_reply_t *reply, void *ctx);

typedef struct ks_backend ks_backend_t;

/*
 * Starts the client and its thread. Checks the configuration first: files
 * readable, the secret file private (mode 0600), the state directory usable.
 * NULL on failure with a reason in err.
 */
ks_backend_t *ks_backend_new(const ks_backend_config_t *cfg, ks_backend_deliver_fn deliver,
                             void *ctx, char *err, size_t errlen);

/*
 * Queues `req` (ownership passes, even on failure) and returns its id (> 0),
 * or a negative KS_E* code. Never blocks on the network.
 */
long long ks_backend_submit(ks_backend_t *b, ks_api_request_t *req);

/*
 * Drops a request: no reply is delivered after the network thread has seen the
 * cancel (one already handed to `deliver` still arrives; tag requests to
 * recognise stale replies). Unknown ids are ignored.
 */
void ks_backend_cancel(ks_backend_t *b, uint64_t id);

/* Number of keyed writes whose outcome was never learnt (outbox records). */
int ks_backend_pending_writes(ks_backend_t *b);

/* Stops the thread (requests in flight are dropped, not delivered) and frees. */
void ks_backend_free(ks_backend_t *b);

/* What one diagnostics probe of the backend found. */
typedef struct {
    ks_net_result_t result;    /* KS_NET_OK: a 2xx with a valid answer */
    int reachable;             /* a TLS connection was made and an HTTP answer came back */
    long status;               /* HTTP status of the last attempt, 0 when none */
    char error_code[32];       /* the server's error code when status >= 400, else "" */
    char reason[256];          /* why result is not OK, one line without personal data; else "" */
    double tls_ms;             /* TLS handshake, from the end of the TCP connect; -1 when none */
    double elapsed_ms;         /* the whole probe */
    long long cert_expires;    /* the server certificate's notAfter (unix s), 0 when unknown */
    int have_skew;             /* skew_s is known */
    long long skew_s;          /* server clock - ours, in s */
    int skew_from_server_time; /* skew_s came from a CLOCK_SKEW refusal, not the Date header */
    int attempts;              /* 1, or 2 when resent with the server's clock after CLOCK_SKEW */
    long long at;              /* when the probe ended (unix s) */
} ks_backend_probe_t;

/*
 * Diagnostics: one signed GET /marriage/offices, blocking, on an easy handle
 * of its own (new connection, same TLS, pinning and signing as every request
 * of the client; no retries except the one resend after CLOCK_SKEW the
 * client also makes). Safe on any thread while a client runs. The clock
 * skew comes from the server_time of a CLOCK_SKEW refusal, else from the
 * answer's Date header (1 s resolution). Returns 0 with the outcome in out,
 * or a negative KS_E* code when the configuration is unusable (out->reason
 * says why, out->result is KS_NET_LOCAL).
 */
int ks_backend_probe(const ks_backend_config_t *cfg, ks_backend_probe_t *out);

#endif
