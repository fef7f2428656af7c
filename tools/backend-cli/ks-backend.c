/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * ks-backend: one call of the district backend through the kiosk's own client
 * (app/backend), for tests, benchmarks and technicians. Reads the [backend]
 * section of a kiosk config, makes the call, prints the reply as one JSON
 * object on stdout and exits 0 when the call succeeded, 1 when it failed, 2 on
 * a usage or configuration error.
 *
 *   ks-backend --config kiosk.ini [options] CALL [ARGS...]
 *   calls: lookup - CARD_NUMBER (the ID number on stdin) | assistance TOKEN | policies | offices |
 *          slots OFFICE FROM TO TYPE | book TYPE SLOT TOKEN PHONE [TOKEN PHONE] |
 *          bookings TOKEN | cancel NUMBER TOKEN | reschedule NUMBER TOKEN SLOT |
 *          checkin NUMBER OFFICE TOKEN [TOKEN] | heartbeat
 *   options: --key UUID (Idempotency-Key), --timeout-ms N, --connect-timeout-ms N,
 *            --attempts N, --max-kib N, --url URL, --ca F, --pin P,
 *            --repeat N (latency statistics), --fresh (no connection reuse)
 */
#include "api.h"
#include "client.h"
#include "config.h"
#include "log.h"

#include <cjson/cJSON.h>
#include <curl/curl.h>
#include <getopt.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct {
    pthread_mutex_t lock;
    pthread_cond_t cond;
    ks_backend_reply_t *reply;
} waiter_t;

static void on_reply(ks_backend_reply_t *reply, void *ctx)
{
    waiter_t *w = ctx;
    pthread_mutex_lock(&w->lock);
    w->reply = reply;
    pthread_cond_signal(&w->cond);
    pthread_mutex_unlock(&w->lock);
}

static ks_backend_reply_t *wait_reply(waiter_t *w)
{
    pthread_mutex_lock(&w->lock);
    while (!w->reply)
        pthread_cond_wait(&w->cond, &w->lock);
    ks_backend_reply_t *r = w->reply;
    w->reply = NULL;
    pthread_mutex_unlock(&w->lock);
    return r;
}

static int parse_type(const char *s, ks_booking_type_t *t)
{
    for (int i = KS_MARRIAGE; i <= KS_REISSUE; i++) {
        if (strcmp(s, ks_booking_type_str((ks_booking_type_t)i)) == 0) {
            *t = (ks_booking_type_t)i;
            return 0;
        }
    }
    return -1;
}

static ks_api_request_t *build(int argc, char **argv, const char *key, const char *kiosk_id)
{
    const char *call = argv[0];
    ks_booking_type_t t;
    if (strcmp(call, "lookup") == 0 && argc == 3) {
        /* Personal data never on the command line (ps, shell history): "-" reads stdin. */
        char id[32] = "";
        if (strcmp(argv[1], "-") != 0 || !fgets(id, sizeof id, stdin))
            return NULL;
        id[strcspn(id, "\r\n")] = '\0';
        ks_api_request_t *r = ks_api_req_lookup(id, "SSC3", argv[2]);
        explicit_bzero(id, sizeof id);
        return r;
    }
    if (strcmp(call, "assistance") == 0 && argc == 2)
        return ks_api_req_assistance(argv[1]);
    if (strcmp(call, "policies") == 0 && argc == 1)
        return ks_api_req_policies();
    if (strcmp(call, "offices") == 0 && argc == 1)
        return ks_api_req_offices();
    if (strcmp(call, "slots") == 0 && argc == 5 && parse_type(argv[4], &t) == 0)
        return ks_api_req_slots(argv[1], argv[2], argv[3], t);
    if (strcmp(call, "book") == 0 && (argc == 5 || argc == 7) && parse_type(argv[1], &t) == 0) {
        ks_api_party_t parties[2] = {{argv[3], argv[4]},
                                     {argc == 7 ? argv[5] : NULL, argc == 7 ? argv[6] : NULL}};
        return ks_api_req_book(t, argv[2], parties, argc == 7 ? 2 : 1, key);
    }
    if (strcmp(call, "bookings") == 0 && argc == 2)
        return ks_api_req_bookings(argv[1]);
    if (strcmp(call, "cancel") == 0 && argc == 3)
        return ks_api_req_cancel(argv[1], argv[2], key);
    if (strcmp(call, "reschedule") == 0 && argc == 4)
        return ks_api_req_reschedule(argv[1], argv[2], argv[3], key);
    if (strcmp(call, "checkin") == 0 && (argc == 4 || argc == 5)) {
        const char *tokens[2] = {argv[3], argc == 5 ? argv[4] : NULL};
        return ks_api_req_checkin(argv[1], argv[2], tokens, argc - 3, key);
    }
    if (strcmp(call, "heartbeat") == 0 && argc == 1) {
        const char *kv[] = {"cards", "ok", "printer", "absent"};
        return ks_api_req_heartbeat(kiosk_id, KS_VERSION, 1, "service", kv, 2);
    }
    return NULL;
}

static void add_booking(cJSON *o, const ks_api_booking_t *b)
{
    static const char *const st[] = {"BOOKED", "CANCELLED", "CHECKED_IN"};
    cJSON_AddStringToObject(o, "number", b->number);
    cJSON_AddStringToObject(o, "type", ks_booking_type_str(b->type));
    cJSON_AddStringToObject(o, "office", b->office);
    cJSON_AddStringToObject(o, "office_name", b->office_name);
    cJSON_AddStringToObject(o, "slot", b->slot);
    cJSON_AddStringToObject(o, "start", b->start);
    cJSON_AddStringToObject(o, "end", b->end);
    cJSON_AddStringToObject(o, "status", st[b->status]);
    cJSON_AddStringToObject(o, "second_from", b->second_from);
    cJSON_AddStringToObject(o, "second_to", b->second_to);
}

/* The typed answer back as JSON: what the kiosk understood, not what was sent. */
static cJSON *answer_json(ks_call_t call, const void *a)
{
    cJSON *o = cJSON_CreateObject();
    switch (call) {
    case KS_CALL_LOOKUP: {
        const ks_api_lookup_t *l = a;
        char sex[2] = {l->sex, 0};
        cJSON_AddStringToObject(o, "citizen", l->citizen);
        cJSON_AddNumberToObject(o, "expires_in", l->expires_in);
        cJSON_AddStringToObject(o, "name_masked", l->name_masked);
        cJSON_AddNumberToObject(o, "age", l->age);
        cJSON_AddStringToObject(o, "sex", sex);
        cJSON_AddBoolToObject(o, "known", l->known);
        break;
    }
    case KS_CALL_ASSISTANCE: {
        static const char *const st[] = {"APPLIED", "ACCEPTED",     "REVIEWING", "APPROVED",
                                         "PAYING",  "GRADUAL_EXIT", "SUSPENDED", "TERMINATED"};
        const ks_api_assistance_t *as = a;
        cJSON_AddStringToObject(o, "as_of", as->as_of);
        cJSON *arr = cJSON_AddArrayToObject(o, "programmes");
        for (int i = 0; i < as->n; i++) {
            const ks_api_programme_t *p = &as->programmes[i];
            cJSON *x = cJSON_CreateObject();
            cJSON_AddItemToArray(arr, x);
            cJSON_AddStringToObject(x, "code", p->code);
            cJSON_AddStringToObject(x, "status", st[p->status]);
            cJSON_AddNumberToObject(x, "monthly_amount_fen", (double)p->monthly_amount_fen);
            cJSON_AddStringToObject(x, "gradual_exit_until", p->gradual_exit_until);
            cJSON_AddNumberToObject(x, "payments", p->n_payments);
        }
        break;
    }
    case KS_CALL_POLICIES: {
        const ks_api_policies_t *p = a;
        cJSON_AddStringToObject(o, "version", p->version);
        cJSON_AddStringToObject(o, "effective", p->effective);
        cJSON *arr = cJSON_AddArrayToObject(o, "codes");
        for (int i = 0; i < p->n; i++)
            cJSON_AddItemToArray(arr, cJSON_CreateString(p->programmes[i].code));
        break;
    }
    case KS_CALL_OFFICES: {
        const ks_api_offices_t *of = a;
        cJSON *arr = cJSON_AddArrayToObject(o, "codes");
        for (int i = 0; i < of->n; i++)
            cJSON_AddItemToArray(arr, cJSON_CreateString(of->offices[i].code));
        break;
    }
    case KS_CALL_SLOTS: {
        const ks_api_slots_t *s = a;
        cJSON *arr = cJSON_AddArrayToObject(o, "slots");
        for (int i = 0; i < s->n; i++) {
            cJSON *x = cJSON_CreateObject();
            cJSON_AddItemToArray(arr, x);
            cJSON_AddStringToObject(x, "slot", s->slots[i].slot);
            cJSON_AddStringToObject(x, "start", s->slots[i].start);
            cJSON_AddNumberToObject(x, "remaining", s->slots[i].remaining);
        }
        break;
    }
    case KS_CALL_BOOK:
    case KS_CALL_CANCEL:
    case KS_CALL_RESCHEDULE:
        add_booking(o, a);
        break;
    case KS_CALL_BOOKINGS: {
        const ks_api_bookings_t *bs = a;
        cJSON *arr = cJSON_AddArrayToObject(o, "bookings");
        for (int i = 0; i < bs->n; i++) {
            cJSON *x = cJSON_CreateObject();
            cJSON_AddItemToArray(arr, x);
            add_booking(x, &bs->bookings[i]);
        }
        break;
    }
    case KS_CALL_CHECKIN: {
        const ks_api_checkin_t *c = a;
        cJSON_AddStringToObject(o, "ticket", c->ticket);
        cJSON_AddStringToObject(o, "counter_hint", c->counter_hint);
        cJSON_AddNumberToObject(o, "waiting_ahead", c->waiting_ahead);
        break;
    }
    case KS_CALL_HEARTBEAT: {
        const ks_api_heartbeat_t *h = a;
        cJSON_AddNumberToObject(o, "server_time", (double)h->server_time);
        cJSON_AddStringToObject(o, "config_version", h->config_version);
        break;
    }
    default:
        break;
    }
    return o;
}

static void print_reply(const ks_backend_reply_t *r)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "result", ks_net_result_str(r->result));
    cJSON_AddNumberToObject(o, "status", (double)r->status);
    cJSON_AddStringToObject(o, "error_code", r->error.code);
    cJSON_AddStringToObject(o, "reason", r->reason);
    cJSON_AddNumberToObject(o, "attempts", r->attempts);
    cJSON_AddBoolToObject(o, "replayed", r->replayed);
    cJSON_AddBoolToObject(o, "from_cache", r->from_cache);
    cJSON_AddNumberToObject(o, "elapsed_ms", r->elapsed_ms);
    cJSON_AddStringToObject(o, "idempotency_key", r->idempotency_key);
    if (r->answer)
        cJSON_AddItemToObject(o, "answer", answer_json(r->call, r->answer));
    char *s = cJSON_PrintUnformatted(o);
    printf("%s\n", s);
    free(s);
    cJSON_Delete(o);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

static void usage(FILE *f)
{
    fprintf(f, "usage: ks-backend --config kiosk.ini [--key UUID] [--timeout-ms N]\n"
               "         [--connect-timeout-ms N] [--attempts N] [--max-kib N] [--url URL]\n"
               "         [--ca FILE] [--pin PIN] [--repeat N] [--fresh] CALL [ARGS...]\n"
               "calls: lookup - CARD_NUMBER (ID number on stdin) | assistance TOKEN | policies |\n"
               "       offices |\n"
               "       slots OFFICE FROM TO TYPE | book TYPE SLOT TOKEN PHONE [TOKEN PHONE] |\n"
               "       bookings TOKEN | cancel NUMBER TOKEN | reschedule NUMBER TOKEN SLOT |\n"
               "       checkin NUMBER OFFICE TOKEN [TOKEN] | heartbeat\n");
}

int main(int argc, char **argv)
{
    static const struct option opts[] = {{"config", required_argument, NULL, 'c'},
                                         {"key", required_argument, NULL, 'k'},
                                         {"timeout-ms", required_argument, NULL, 't'},
                                         {"connect-timeout-ms", required_argument, NULL, 'C'},
                                         {"attempts", required_argument, NULL, 'a'},
                                         {"max-kib", required_argument, NULL, 'm'},
                                         {"url", required_argument, NULL, 'u'},
                                         {"ca", required_argument, NULL, 'A'},
                                         {"pin", required_argument, NULL, 'p'},
                                         {"repeat", required_argument, NULL, 'r'},
                                         {"fresh", no_argument, NULL, 'f'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    const char *config_path = NULL, *key = NULL;
    ks_config_t kcfg;
    ks_config_defaults(&kcfg);
    int timeout = 0, connect_timeout = 0, attempts = 0, max_kib = 0, repeat = 0, fresh = 0;
    const char *url = NULL, *ca = NULL, *pin = NULL;
    int c;
    while ((c = getopt_long(argc, argv, "+", opts, NULL)) != -1) {
        switch (c) {
        case 'c':
            config_path = optarg;
            break;
        case 'k':
            key = optarg;
            break;
        case 't':
            timeout = atoi(optarg);
            break;
        case 'C':
            connect_timeout = atoi(optarg);
            break;
        case 'a':
            attempts = atoi(optarg);
            break;
        case 'm':
            max_kib = atoi(optarg);
            break;
        case 'u':
            url = optarg;
            break;
        case 'A':
            ca = optarg;
            break;
        case 'p':
            pin = optarg;
            break;
        case 'r':
            repeat = atoi(optarg);
            break;
        case 'f':
            fresh = 1;
            break;
        case 'h':
            usage(stdout);
            return 0;
        default:
            usage(stderr);
            return 2;
        }
    }
    if (!config_path || optind >= argc) {
        usage(stderr);
        return 2;
    }
    char err[512];
    if (ks_config_load(&kcfg, config_path, err, sizeof err) < 0) {
        fprintf(stderr, "ks-backend: %s\n", err);
        return 2;
    }
    ks_log_init(kcfg.log_target, kcfg.log_level);
    ks_backend_config_t bcfg;
    if (ks_backend_config_from(&bcfg, &kcfg, err, sizeof err) < 0) {
        fprintf(stderr, "ks-backend: %s\n", err);
        return 2;
    }
    if (timeout > 0)
        bcfg.timeout_ms = timeout;
    if (connect_timeout > 0)
        bcfg.connect_timeout_ms = connect_timeout;
    if (attempts > 0)
        bcfg.max_attempts = attempts;
    if (max_kib > 0)
        bcfg.max_response_bytes = (size_t)max_kib * 1024;
    if (url)
        snprintf(bcfg.url, sizeof bcfg.url, "%s", url);
    if (ca)
        snprintf(bcfg.ca, sizeof bcfg.ca, "%s", ca);
    if (pin)
        snprintf(bcfg.pins, sizeof bcfg.pins, "%s", pin);
    bcfg.fresh_connections = fresh;

    curl_global_init(CURL_GLOBAL_DEFAULT);
    waiter_t w = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, NULL};
    ks_backend_t *b = ks_backend_new(&bcfg, on_reply, &w, err, sizeof err);
    if (!b) {
        fprintf(stderr, "ks-backend: %s\n", err);
        curl_global_cleanup();
        return 2;
    }
    int rc = 0, n = repeat > 0 ? repeat : 1;
    double *lat = calloc((size_t)n, sizeof *lat);
    if (!lat) {
        fprintf(stderr, "ks-backend: out of memory\n");
        ks_backend_free(b);
        return 2;
    }
    double t0 = mono_ms();
    for (int i = 0; i < n && rc == 0; i++) {
        ks_api_request_t *req = build(argc - optind, argv + optind, key, bcfg.kiosk_id);
        if (!req) {
            fprintf(stderr, "ks-backend: bad call or arguments\n");
            usage(stderr);
            rc = 2;
            break;
        }
        double s = mono_ms();
        if (ks_backend_submit(b, req) < 0) {
            fprintf(stderr, "ks-backend: could not queue the request\n");
            rc = 2;
            break;
        }
        ks_backend_reply_t *r = wait_reply(&w);
        lat[i] = mono_ms() - s;
        if (repeat == 0)
            print_reply(r);
        else if (r->result != KS_NET_OK)
            print_reply(r);
        rc = r->result == KS_NET_OK ? 0 : 1;
        ks_backend_reply_free(r);
    }
    if (repeat > 0 && rc == 0) {
        double total = mono_ms() - t0;
        qsort(lat, (size_t)n, sizeof *lat, cmp_double);
        printf("{\"n\": %d, \"rps\": %.1f, \"p50_ms\": %.3f, \"p99_ms\": %.3f, \"max_ms\": %.3f}\n",
               n, n / (total / 1000.0), lat[n / 2],
               lat[(n * 99) / 100 < n ? (n * 99) / 100 : n - 1], lat[n - 1]);
    }
    free(lat);
    ks_backend_free(b);
    curl_global_cleanup();
    return rc;
}
