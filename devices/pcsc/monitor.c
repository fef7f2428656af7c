/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "monitor.h"

#include "clock.h"
#include "error.h"
#include "log.h"
#include "pcsc_io.h"

#include <winscard.h>
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define KS_MAX_READERS       16
#define KS_STATUS_TIMEOUT_MS 2000 /* also the re-list period where PnP is missing */
#define KS_BACKOFF_MIN_MS    250
#define KS_BACKOFF_MAX_MS    5000

static const char PNP_READER[] = "\\\\?PnP?\\Notification";

typedef struct {
    char name[128];
    int present; /* a card is in it (as far as we reported) */
    DWORD state; /* last dwEventState seen */
} reader_t;

struct ks_pcsc_monitor {
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    atomic_int stop;
    SCARDCONTEXT ctx; /* valid while have_ctx; SCardCancel'd by stop */
    atomic_int have_ctx;
    char pattern[128];
    ks_cardev_post_fn post;
    void *ud;
    reader_t readers[KS_MAX_READERS];
    int nreaders;
    int service_down_posted;
};

const char *ks_cardev_kind_str(ks_cardev_kind_t k)
{
    switch (k) {
    case KS_CARDEV_READER_ADDED:
        return "reader added";
    case KS_CARDEV_READER_REMOVED:
        return "reader removed";
    case KS_CARDEV_CARD_INSERTED:
        return "card inserted";
    case KS_CARDEV_CARD_REMOVED:
        return "card removed";
    case KS_CARDEV_IDENTITY_READ:
        return "identity read";
    case KS_CARDEV_CARD_ERROR:
        return "card error";
    case KS_CARDEV_SERVICE_DOWN:
        return "PC/SC service down";
    case KS_CARDEV_NO_READER:
        return "no reader";
    }
    return "?";
}

void ks_cardev_free(ks_cardev_t *ev)
{
    if (!ev)
        return;
    ks_identity_wipe(&ev->identity);
    free(ev);
}

static void post(ks_pcsc_monitor_t *m, ks_cardev_kind_t kind, const char *reader,
                 ks_card_result_t error, const ks_identity_t *id, int apdus, unsigned long read_ms)
{
    ks_cardev_t *ev = calloc(1, sizeof *ev);
    if (!ev) {
        ks_log(KS_LOG_ERROR, "pcsc", "out of memory: %s event lost", ks_cardev_kind_str(kind));
        return;
    }
    ev->kind = kind;
    snprintf(ev->reader, sizeof ev->reader, "%s", reader ? reader : "");
    ev->readers = m->nreaders;
    ev->error = error;
    if (id)
        ev->identity = *id;
    ev->apdus = apdus;
    ev->read_ms = read_ms;
    m->post(ev, m->ud);
}

/* Sleeps up to ms, waking early when the monitor is stopped. */
static void nap(ks_pcsc_monitor_t *m, unsigned ms)
{
    /* The condvar waits on the monotonic clock. */
    struct timespec until = ks_time_after(CLOCK_MONOTONIC, (int)ms);
    pthread_mutex_lock(&m->lock);
    while (!atomic_load(&m->stop)) {
        if (pthread_cond_timedwait(&m->wake, &m->lock, &until) == ETIMEDOUT)
            break;
    }
    pthread_mutex_unlock(&m->lock);
}

/* Errors after which the context is useless: pcscd went away or restarted. */
static int service_lost(LONG rc)
{
    return rc == (LONG)SCARD_E_NO_SERVICE || rc == (LONG)SCARD_E_SERVICE_STOPPED ||
           rc == (LONG)SCARD_E_INVALID_HANDLE || rc == (LONG)SCARD_F_COMM_ERROR;
}

/* Reads the card in `reader` with each profile in turn; posts the outcome. */
static void read_card(ks_pcsc_monitor_t *m, const char *reader, unsigned long inserted_ms)
{
    ks_pcsc_card_t t;
    LONG rc = ks_pcsc_card_open(m->ctx, reader, &m->stop, &t);
    if (rc != SCARD_S_SUCCESS) {
        ks_log(KS_LOG_WARN, "pcsc", "connect to card in %s: %s", reader, pcsc_stringify_error(rc));
        ks_card_result_t why =
            rc == (LONG)SCARD_W_REMOVED_CARD || rc == (LONG)SCARD_E_NO_SMARTCARD ? KS_CARD_REMOVED
            : rc == (LONG)SCARD_W_UNRESPONSIVE_CARD || rc == (LONG)SCARD_W_UNPOWERED_CARD
                ? KS_CARD_NOT_RECOGNISED
                : KS_CARD_IO_ERROR;
        post(m, KS_CARDEV_CARD_ERROR, reader, why, NULL, 0, 0);
        return;
    }
    ks_card_io_t io = {ks_pcsc_transmit, &t};
    ks_identity_t id;
    ks_card_result_t res = KS_CARD_NOT_RECOGNISED;
    char why[160] = "";
    int apdus = 0;
    for (size_t i = 0; i < ks_card_profile_count; i++) {
        int n = 0;
        res = ks_card_profiles[i]->read_identity(&io, &id, why, sizeof why, &n);
        apdus += n;
        if (res != KS_CARD_NOT_RECOGNISED)
            break;
    }
    ks_pcsc_card_close(&t);
    if (res == KS_CARD_OK) {
        unsigned long took = (unsigned long)ks_mono_ms() - inserted_ms;
        ks_log(KS_LOG_INFO, "pcsc", "identity read in %s (%d APDUs, %lu ms)", reader, apdus, took);
        post(m, KS_CARDEV_IDENTITY_READ, reader, KS_CARD_OK, &id, apdus, took);
    } else {
        ks_log(KS_LOG_WARN, "pcsc", "card in %s: %s: %s", reader, ks_card_result_str(res), why);
        post(m, KS_CARDEV_CARD_ERROR, reader, res, NULL, apdus, 0);
    }
    ks_identity_wipe(&id);
}

/* ---- readers ------------------------------------------------------------- */

static int wanted(const ks_pcsc_monitor_t *m, const char *name)
{
    return m->pattern[0] == '\0' || strstr(name, m->pattern) != NULL;
}

static reader_t *find_reader(ks_pcsc_monitor_t *m, const char *name)
{
    for (int i = 0; i < m->nreaders; i++)
        if (strcmp(m->readers[i].name, name) == 0)
            return &m->readers[i];
    return NULL;
}

static void drop_reader(ks_pcsc_monitor_t *m, int i)
{
    char name[128];
    int had_card = m->readers[i].present;
    snprintf(name, sizeof name, "%s", m->readers[i].name);
    m->readers[i] = m->readers[--m->nreaders];
    if (had_card)
        post(m, KS_CARDEV_CARD_REMOVED, name, KS_CARD_OK, NULL, 0, 0);
    post(m, KS_CARDEV_READER_REMOVED, name, KS_CARD_OK, NULL, 0, 0);
}

/* Brings the reader list up to date; returns the pcsc-lite result. */
static LONG relist(ks_pcsc_monitor_t *m)
{
    char buf[4096];
    DWORD len = sizeof buf;
    LONG rc = SCardListReaders(m->ctx, NULL, buf, &len);
    if (rc == (LONG)SCARD_E_NO_READERS_AVAILABLE) {
        len = 0;
        rc = SCARD_S_SUCCESS;
    }
    if (rc != SCARD_S_SUCCESS)
        return rc;
    /* Gone readers first. */
    for (int i = m->nreaders - 1; i >= 0; i--) {
        int still = 0;
        for (const char *p = buf; len && *p; p += strlen(p) + 1)
            if (strcmp(p, m->readers[i].name) == 0)
                still = 1;
        if (!still)
            drop_reader(m, i);
    }
    for (const char *p = buf; len && *p; p += strlen(p) + 1) {
        size_t nlen = strlen(p);
        if (!wanted(m, p) || find_reader(m, p) || m->nreaders == KS_MAX_READERS ||
            nlen >= sizeof m->readers[0].name)
            continue;
        reader_t *r = &m->readers[m->nreaders++];
        memset(r, 0, sizeof *r);
        memcpy(r->name, p, nlen + 1);
        r->state = SCARD_STATE_UNAWARE;
        ks_log(KS_LOG_INFO, "pcsc", "reader added: %s", r->name);
        post(m, KS_CARDEV_READER_ADDED, r->name, KS_CARD_OK, NULL, 0, 0);
    }
    return SCARD_S_SUCCESS;
}

/* Drops every reader (the service went away). */
static void forget_readers(ks_pcsc_monitor_t *m)
{
    while (m->nreaders > 0)
        drop_reader(m, m->nreaders - 1);
}

/*
 * Watches readers until the service is lost or the monitor stops. Returns 1
 * once the service proved usable (the first re-list worked), else 0.
 */
static int watch(ks_pcsc_monitor_t *m, int was_down)
{
    SCARD_READERSTATE st[KS_MAX_READERS + 1];
    DWORD pnp_state = SCARD_STATE_UNAWARE;
    int have_pnp = 1;

    if (relist(m) != SCARD_S_SUCCESS)
        return 0;
    if (was_down)
        ks_log(KS_LOG_INFO, "pcsc", "PC/SC service is back");
    m->service_down_posted = 0;
    if (m->nreaders == 0)
        post(m, KS_CARDEV_NO_READER, NULL, KS_CARD_OK, NULL, 0, 0);
    while (!atomic_load(&m->stop)) {
        int n = 0;
        memset(st, 0, sizeof st);
        if (have_pnp) {
            st[n].szReader = PNP_READER;
            st[n].dwCurrentState = pnp_state;
            n++;
        }
        int first = n;
        for (int i = 0; i < m->nreaders; i++, n++) {
            st[n].szReader = m->readers[i].name;
            st[n].dwCurrentState = m->readers[i].state;
        }
        if (n == 0) {
            /* Nothing to wait on (pcsc-lite would return at once): look again later. */
            nap(m, KS_STATUS_TIMEOUT_MS);
            if (relist(m) != SCARD_S_SUCCESS)
                return 1;
            continue;
        }
        LONG rc = SCardGetStatusChange(m->ctx, KS_STATUS_TIMEOUT_MS, st, (DWORD)n);
        if (atomic_load(&m->stop) || rc == (LONG)SCARD_E_CANCELLED)
            return 1;
        if (service_lost(rc)) {
            ks_log(KS_LOG_WARN, "pcsc", "lost the PC/SC service: %s", pcsc_stringify_error(rc));
            return 1;
        }
        if (rc == (LONG)SCARD_E_UNKNOWN_READER) {
            /* A reader vanished, or PnP notification is not supported here. */
            int before = m->nreaders;
            if (relist(m) != SCARD_S_SUCCESS)
                return 1;
            if (m->nreaders == before) {
                if (have_pnp)
                    have_pnp = 0; /* the readers are all there: it was the PnP name */
                else
                    nap(m, KS_BACKOFF_MIN_MS);
            }
            continue;
        }
        if (rc == (LONG)SCARD_E_TIMEOUT) {
            /* Re-list on every timeout, PnP or not: a reader that came while we were
             * busy reading a card would otherwise go unnoticed (cheap: one IPC). */
            if (relist(m) != SCARD_S_SUCCESS)
                return 1;
            continue;
        }
        if (rc != SCARD_S_SUCCESS) {
            ks_log(KS_LOG_WARN, "pcsc", "status change: %s", pcsc_stringify_error(rc));
            nap(m, KS_BACKOFF_MIN_MS);
            continue;
        }
        if (have_pnp)
            pnp_state = st[0].dwEventState & ~(DWORD)SCARD_STATE_CHANGED;
        if (have_pnp && (st[0].dwEventState & SCARD_STATE_CHANGED)) {
            if (relist(m) != SCARD_S_SUCCESS)
                return 1;
            continue; /* the reader array changed under us: look again */
        }
        for (int i = first; i < n; i++) {
            if (!(st[i].dwEventState & SCARD_STATE_CHANGED))
                continue;
            reader_t *r = find_reader(m, st[i].szReader);
            if (!r)
                continue;
            DWORD ev = st[i].dwEventState;
            /* The high 16 bits count card events: a quick swap still shows. */
            int swapped =
                r->present && ((ev >> 16) != (r->state >> 16)) && (ev & SCARD_STATE_PRESENT);
            r->state = ev & ~(DWORD)SCARD_STATE_CHANGED;
            int present = (ev & SCARD_STATE_PRESENT) && !(ev & SCARD_STATE_MUTE);
            if (r->present && (!present || swapped)) {
                r->present = 0;
                post(m, KS_CARDEV_CARD_REMOVED, r->name, KS_CARD_OK, NULL, 0, 0);
            }
            if (!r->present && present) {
                if (atomic_load(&m->stop))
                    return 1;
                unsigned long t0 = (unsigned long)ks_mono_ms();
                r->present = 1;
                post(m, KS_CARDEV_CARD_INSERTED, r->name, KS_CARD_OK, NULL, 0, 0);
                read_card(m, r->name, t0);
            } else if (!r->present && (ev & SCARD_STATE_MUTE)) {
                /* A card that does not answer at all: say so, once per insertion. */
                r->present = 1;
                post(m, KS_CARDEV_CARD_INSERTED, r->name, KS_CARD_OK, NULL, 0, 0);
                post(m, KS_CARDEV_CARD_ERROR, r->name, KS_CARD_NOT_RECOGNISED, NULL, 0, 0);
            }
        }
    }
    return 1;
}

static void *run(void *arg)
{
    ks_pcsc_monitor_t *m = arg;
    unsigned backoff = KS_BACKOFF_MIN_MS;
    while (!atomic_load(&m->stop)) {
        SCARDCONTEXT ctx;
        LONG rc = SCardEstablishContext(SCARD_SCOPE_SYSTEM, NULL, NULL, &ctx);
        if (rc != SCARD_S_SUCCESS) {
            if (!m->service_down_posted) {
                ks_log(KS_LOG_WARN, "pcsc", "no PC/SC service: %s (retrying)",
                       pcsc_stringify_error(rc));
                post(m, KS_CARDEV_SERVICE_DOWN, NULL, KS_CARD_IO_ERROR, NULL, 0, 0);
                m->service_down_posted = 1;
            }
            nap(m, backoff);
            backoff = backoff * 2 > KS_BACKOFF_MAX_MS ? KS_BACKOFF_MAX_MS : backoff * 2;
            continue;
        }
        pthread_mutex_lock(&m->lock);
        m->ctx = ctx;
        atomic_store(&m->have_ctx, 1);
        pthread_mutex_unlock(&m->lock);
        int was_down = m->service_down_posted;

        if (watch(m, was_down)) {
            /* It worked for a while: the next outage starts with a short backoff. */
            backoff = KS_BACKOFF_MIN_MS;
        } else {
            backoff = backoff * 2 > KS_BACKOFF_MAX_MS ? KS_BACKOFF_MAX_MS : backoff * 2;
        }

        pthread_mutex_lock(&m->lock);
        atomic_store(&m->have_ctx, 0);
        pthread_mutex_unlock(&m->lock);
        SCardReleaseContext(ctx);
        forget_readers(m);
        if (!atomic_load(&m->stop)) {
            if (!m->service_down_posted)
                post(m, KS_CARDEV_SERVICE_DOWN, NULL, KS_CARD_IO_ERROR, NULL, 0, 0);
            m->service_down_posted = 1;
            nap(m, backoff);
        }
    }
    return NULL;
}

ks_pcsc_monitor_t *ks_pcsc_monitor_start(const char *reader_pattern, ks_cardev_post_fn post_fn,
                                         void *ud)
{
    ks_pcsc_monitor_t *m = calloc(1, sizeof *m);
    if (!m)
        return NULL;
    snprintf(m->pattern, sizeof m->pattern, "%s", reader_pattern ? reader_pattern : "");
    m->post = post_fn;
    m->ud = ud;
    pthread_mutex_init(&m->lock, NULL);
    /* Waits on the monotonic clock: an NTP step must not stretch a backoff. */
    pthread_condattr_t attr;
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&m->wake, &attr);
    pthread_condattr_destroy(&attr);
    if (pthread_create(&m->thread, NULL, run, m) != 0) {
        pthread_cond_destroy(&m->wake);
        pthread_mutex_destroy(&m->lock);
        free(m);
        return NULL;
    }
    return m;
}

void ks_pcsc_monitor_stop(ks_pcsc_monitor_t *m)
{
    if (!m)
        return;
    pthread_mutex_lock(&m->lock);
    atomic_store(&m->stop, 1);
    if (atomic_load(&m->have_ctx))
        SCardCancel(m->ctx);
    pthread_cond_broadcast(&m->wake);
    pthread_mutex_unlock(&m->lock);
    pthread_join(m->thread, NULL);
    pthread_cond_destroy(&m->wake);
    pthread_mutex_destroy(&m->lock);
    free(m);
}
