/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The district backend contract as C: one request builder and one strict
 * answer parser per endpoint of docs/backend-api.md. No network and no SDL:
 * the client (client.c) sends what these build and parses with these, and the
 * fuzz targets feed the parsers arbitrary bytes.
 *
 * Parsers: a missing, mistyped or out-of-range field is KS_E_PARSE with a
 * reason naming the field ("programmes[2].status: unknown value"), never a
 * crash; unknown fields are ignored.
 */
#ifndef KS_API_H
#define KS_API_H

#include <stddef.h>
#include <stdint.h>

typedef enum {
    KS_CALL_LOOKUP = 0,
    KS_CALL_ASSISTANCE,
    KS_CALL_POLICIES,
    KS_CALL_OFFICES,
    KS_CALL_SLOTS,
    KS_CALL_BOOK,
    KS_CALL_BOOKINGS,
    KS_CALL_CANCEL,
    KS_CALL_RESCHEDULE,
    KS_CALL_CHECKIN,
    KS_CALL_HEARTBEAT,
    KS_CALL_COUNT
} ks_call_t;

/* Name of a call for logs and the test CLI ("lookup", "assistance"...). */
const char *ks_call_name(ks_call_t call);

#define KS_API_TOKEN_LEN 32 /* hex chars of a citizen token */
#define KS_API_DATE      11 /* "YYYY-MM-DD" + NUL */
#define KS_API_TIME      26 /* "YYYY-MM-DDTHH:MM:SS+08:00" + NUL */

/* ---- answers ------------------------------------------------------------ */

typedef struct {
    char code[32];
    char message[160];
    long long server_time; /* CLOCK_SKEW only, else 0 */
} ks_api_error_t;

typedef struct {
    char citizen[KS_API_TOKEN_LEN + 1];
    int expires_in;
    char name_masked[96]; /* "" when the server sent null */
    int age;
    char sex; /* 'M' or 'F' */
    int known;
} ks_api_lookup_t;

typedef enum {
    KS_PROG_APPLIED = 0,
    KS_PROG_ACCEPTED,
    KS_PROG_REVIEWING,
    KS_PROG_APPROVED,
    KS_PROG_PAYING,
    KS_PROG_GRADUAL_EXIT,
    KS_PROG_SUSPENDED,
    KS_PROG_TERMINATED,
} ks_prog_status_t;

#define KS_API_MAX_PAYMENTS   12
#define KS_API_MAX_PROGRAMMES 16

typedef struct {
    char month[8]; /* YYYY-MM */
    long long amount_fen;
    char paid_on[KS_API_DATE];
} ks_api_payment_t;

typedef struct {
    char code[24];
    char name[96];
    ks_prog_status_t status;
    long long monthly_amount_fen; /* -1 when null */
    char since[KS_API_DATE];      /* "" when null */
    char next_review[KS_API_DATE];
    char gradual_exit_until[KS_API_DATE];
    char office[128];
    int n_payments;
    ks_api_payment_t payments[KS_API_MAX_PAYMENTS];
} ks_api_programme_t;

typedef struct {
    char as_of[KS_API_DATE];
    int n;
    ks_api_programme_t programmes[KS_API_MAX_PROGRAMMES];
} ks_api_assistance_t;

#define KS_API_MAX_DOCS    8
#define KS_API_MAX_AMOUNTS 12
#define KS_API_MAX_PARAMS  8

typedef struct {
    char key[16];
    char label[96];
    long long amount_fen;
} ks_api_amount_t;

typedef struct {
    char code[24];
    char name[96];
    char summary[512];
    char who[768];
    char how[768];
    int n_documents;
    char documents[KS_API_MAX_DOCS][160];
    char effective[KS_API_DATE];
    char source[192];
    int n_amounts;
    ks_api_amount_t amounts[KS_API_MAX_AMOUNTS];
    int n_params;
    struct {
        char name[32];
        long long value;
    } params[KS_API_MAX_PARAMS];
} ks_api_policy_t;

typedef struct {
    char version[32];
    char effective[KS_API_DATE];
    char source[192];
    int n;
    ks_api_policy_t programmes[KS_API_MAX_PROGRAMMES];
} ks_api_policies_t;

#define KS_API_MAX_OFFICES 16

typedef struct {
    char code[16];
    char name[96];
    char address[192];
    char hours[96];
} ks_api_office_t;

typedef struct {
    int n;
    ks_api_office_t offices[KS_API_MAX_OFFICES];
} ks_api_offices_t;

#define KS_API_MAX_SLOTS 512

typedef struct {
    char slot[32];
    char start[KS_API_TIME];
    char end[KS_API_TIME];
    int capacity;
    int remaining;
} ks_api_slot_t;

typedef struct {
    int n;
    ks_api_slot_t slots[KS_API_MAX_SLOTS];
} ks_api_slots_t;

typedef enum { KS_MARRIAGE = 0, KS_DIVORCE, KS_REISSUE } ks_booking_type_t;
typedef enum { KS_BOOKED = 0, KS_CANCELLED, KS_CHECKED_IN } ks_booking_status_t;

/* "MARRIAGE" / "DIVORCE" / "REISSUE". */
const char *ks_booking_type_str(ks_booking_type_t t);

typedef struct {
    char number[24];
    ks_booking_type_t type;
    char office[16];
    char office_name[96];
    char slot[32];
    char start[KS_API_TIME];
    char end[KS_API_TIME];
    ks_booking_status_t status;
    char second_from[KS_API_DATE]; /* "" unless a divorce */
    char second_to[KS_API_DATE];
} ks_api_booking_t;

#define KS_API_MAX_BOOKINGS 16

typedef struct {
    int n;
    ks_api_booking_t bookings[KS_API_MAX_BOOKINGS];
} ks_api_bookings_t;

typedef struct {
    char ticket[16];
    char counter_hint[64];
    int waiting_ahead;
    char checked_in_at[KS_API_TIME];
} ks_api_checkin_t;

typedef struct {
    long long server_time;
    char config_version[32];
} ks_api_heartbeat_t;

/*
 * Parses an answer body of `call` into `out`, which must point to the answer
 * struct of that call (lookup → ks_api_lookup_t, book/cancel/reschedule →
 * ks_api_booking_t...). Returns 0, or KS_E_PARSE with a reason in err.
 */
int ks_api_parse(ks_call_t call, const char *body, size_t len, void *out, char *err, size_t errlen);

/* Size of the answer struct of `call` (for allocating `out`). */
size_t ks_api_answer_size(ks_call_t call);

/* Parses the error body of a status >= 400. 0 or KS_E_PARSE. */
int ks_api_parse_error(const char *body, size_t len, ks_api_error_t *out);

/* ---- requests ------------------------------------------------------------ */

typedef struct ks_api_request {
    ks_call_t call;
    char method[8];
    char path[256]; /* starts with /kiosk/v1 */
    char *body;     /* malloc'd JSON or NULL; wiped and freed with the request */
    size_t body_len;
    char idempotency_key[37]; /* "" unless a keyed write */
    void *user;               /* caller's tag, returned in the reply */
} ks_api_request_t;

/* Frees a request, wiping its body (it may hold an ID number or phone). */
void ks_api_request_free(ks_api_request_t *req);

/*
 * Request builders. Each returns a new request or NULL when an argument is
 * invalid (bad token, date, phone, type) or memory runs out. Keyed writes take
 * the Idempotency-Key made when the citizen confirmed (a lower-case UUID);
 * NULL makes a fresh one.
 */
ks_api_request_t *ks_api_req_lookup(const char *id_number, const char *card_kind,
                                    const char *card_number);
ks_api_request_t *ks_api_req_assistance(const char *token);
ks_api_request_t *ks_api_req_policies(void);
ks_api_request_t *ks_api_req_offices(void);
ks_api_request_t *ks_api_req_slots(const char *office, const char *from, const char *to,
                                   ks_booking_type_t type);

typedef struct {
    const char *citizen; /* token */
    const char *phone;   /* 11 digits */
} ks_api_party_t;

ks_api_request_t *ks_api_req_book(ks_booking_type_t type, const char *slot,
                                  const ks_api_party_t *parties, int n_parties, const char *key);
ks_api_request_t *ks_api_req_bookings(const char *token);
ks_api_request_t *ks_api_req_cancel(const char *number, const char *token, const char *key);
ks_api_request_t *ks_api_req_reschedule(const char *number, const char *token, const char *slot,
                                        const char *key);
ks_api_request_t *ks_api_req_checkin(const char *number, const char *office,
                                     const char *const *tokens, int n_tokens, const char *key);
ks_api_request_t *ks_api_req_heartbeat(const char *kiosk_id, const char *version,
                                       long long uptime_s, const char *mode,
                                       const char *const *status_kv, int n_kv);

/* Validators shared with the builders (and the UI). 1 when valid. */
int ks_api_token_valid(const char *s);
int ks_api_date_valid(const char *s);
int ks_api_phone_valid(const char *s);
int ks_api_uuid_valid(const char *s);

#endif
