/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * district-sim: the reference district backend of docs/backend-api.md.
 * Shared declarations of its modules: time (sim_time.c), storage (sim_db.c),
 * the contract's endpoints (sim_api.c) and the HTTP side (sim_http.c).
 */
#ifndef SIM_H
#define SIM_H

#include "calendar.h"

#include <pthread.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <stddef.h>

struct cJSON;

#define SIM_BODY_MAX   (64 * 1024) /* request body cap of the contract */
#define SIM_TOKEN_TTL  600         /* citizen token lifetime, seconds */
#define SIM_SKEW_MAX   300         /* X-Timestamp window, seconds */
#define SIM_NONCE_TTL  600         /* how long a nonce is remembered */
#define SIM_IDEM_TTL   (48 * 3600) /* how long an idempotent answer is kept */
#define SIM_TZ_OFFSET  (8 * 3600)  /* Asia/Shanghai, no DST */
#define SIM_FAULTS_MAX 32

/* The demo data set (demo-data.sql), NUL-terminated, compiled in by CMake. */
extern const unsigned char sim_demo_sql[];

/* ---- time: real clock plus the admin offset, dates as days since 1970 ---- */

/* Unix seconds of the server's clock (real time + admin offset). */
long long sim_now(void);
void sim_set_offset(long long seconds);
long long sim_get_offset(void);
/* Today in +08:00, as days since 1970-01-01. */
int sim_today(void);
int sim_days_from_ymd(int y, int m, int d);
void sim_ymd_from_days(int days, int *y, int *m, int *d);
/* 0 Monday .. 6 Sunday. */
int sim_weekday(int days);
/* Parses a strict "YYYY-MM-DD" into days; returns 0 and sets *days, or -1. */
int sim_parse_date(const char *s, int *days);
void sim_format_date(int days, char out[11]);
/* "YYYY-MM-DDTHH:MM:SS+08:00" of a unix time. */
void sim_format_time(long long unix_s, char out[26]);
/* Unix time of local (+08:00) day `days` at `minutes` after midnight. */
long long sim_local_unix(int days, int minutes);
/* Completed years on `days` of someone born on y-m-d. */
int sim_age_on(int by, int bm, int bd, int days);

/* ---- the server ------------------------------------------------------------ */

enum {
    SIM_FAULT_DELAY = 1,
    SIM_FAULT_STATUS,
    SIM_FAULT_MALFORMED,
    SIM_FAULT_OVERSIZE,
    SIM_FAULT_DROP,
    SIM_FAULT_DROP_AFTER_COMMIT,
};

typedef struct {
    char path[256]; /* prefix of the request path */
    char method[8]; /* "GET", "POST" or "*" */
    int kind;       /* SIM_FAULT_* */
    int remaining;  /* requests left; -1 until cleared */
    int delay_ms;
    unsigned status; /* SIM_FAULT_STATUS */
} sim_fault_t;

typedef struct {
    char code[32];
    unsigned long count;
} sim_counter_t;

typedef struct {
    sqlite3 *db;
    pthread_mutex_t db_lock; /* every use of db holds it: correctness over speed */
    char *secrets_dir;
    int verbose;
    /* --holidays FILE: the kiosk's own holiday list (with make-up working days),
     * read with the same parser; NULL: the holidays table of the database. */
    ks_holidays_t *holidays;
    atomic_int stopping;

    pthread_mutex_t state_lock; /* faults and statistics */
    sim_fault_t faults[SIM_FAULTS_MAX];
    int nfaults;
    unsigned long requests;
    sim_counter_t rejected[32];
    int nrejected;
} sim_t;

/* One answer: status, a malloc'd body (NULL for none), the error code if any. */
typedef struct {
    unsigned status;
    char *body;
    size_t len;
    char code[32];
    char etag[72];         /* quoted, or "" */
    long long server_time; /* CLOCK_SKEW: copied into the error object */
} sim_resp_t;

/* A request after authentication, as the endpoint handlers see it. */
typedef struct {
    const char *method;
    const char *path; /* without the query, starting with /kiosk/v1 */
    const char *kiosk_id;
    const char *body; /* NUL-terminated copy; len excludes the NUL */
    size_t len;
    const char *if_none_match;
    const char *q_office, *q_from, *q_to, *q_type; /* slots query */
} sim_req_t;

/* Sets an error answer {"error": {"code", "message"}}. */
void sim_resp_error(sim_resp_t *r, unsigned status, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* ---- storage (sim_db.c) --------------------------------------------------- */

/* Opens or creates the database (WAL, synchronous=FULL, schema). 0 or -1. */
int sim_db_open(sim_t *s, const char *path);
/* Loads the demo data set when the database holds no citizens yet. 0 or -1. */
int sim_db_load_demo(sim_t *s);
void sim_db_close(sim_t *s);
/* Runs SQL without results; logs and returns -1 on failure. */
int sim_db_exec(sim_t *s, const char *sql);
/* Prepares a statement; logs and returns NULL on failure. */
sqlite3_stmt *sim_db_prepare(sim_t *s, const char *sql);
/* The first column of a one-row integer query with text parameters, or `dflt`. */
long long sim_db_int(sim_t *s, long long dflt, const char *sql, const char *a, const char *b);

/* Records a nonce; returns 1 when new, 0 when seen in the last 600 s, -1 on error. */
int sim_db_nonce(sim_t *s, const char *kiosk, const char *nonce, long long now);

/* ---- endpoints (sim_api.c) ------------------------------------------------ */

/* Whether this request is one of the keyed writes (Idempotency-Key needed). */
int sim_api_is_keyed(const char *method, const char *path);
/*
 * Answers one authenticated request. Runs inside a write transaction the
 * caller holds (with db_lock held); on a 5xx answer the caller rolls back.
 */
void sim_api_handle(sim_t *s, const sim_req_t *req, sim_resp_t *resp);
/* Creates the demo bookings relative to today (after demo-data.sql). 0 or -1. */
int sim_api_demo_bookings(sim_t *s);
/*
 * POST /admin/bookings: inserts the booking a JSON object describes (type, office,
 * date "YYYY-MM-DD" or "today", hhmm, parties' ID numbers, status) outside the
 * booking rules, so tests can have one for today. Answers 200 {"number"}, 400 or
 * 404. Runs inside a write transaction the caller holds (with db_lock held).
 */
void sim_api_admin_booking(sim_t *s, const struct cJSON *body, sim_resp_t *resp);

/* ---- HTTP (sim_http.c) ----------------------------------------------------- */

typedef struct sim_http sim_http_t;

typedef struct {
    const char *cert_pem, *key_pem, *ca_pem; /* file contents */
    const char *bind;
    unsigned port, admin_port;
} sim_http_conf_t;

/* Starts both daemons; NULL on failure (logged). */
sim_http_t *sim_http_start(sim_t *s, const sim_http_conf_t *conf);
void sim_http_ports(const sim_http_t *h, unsigned *port, unsigned *admin_port);
void sim_http_stop(sim_http_t *h);

#endif
