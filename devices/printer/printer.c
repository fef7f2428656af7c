/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "printer.h"

#include "clock.h"
#include "error.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_WAITING 8 /* jobs queued at once: more means the printer is gone; say so */

typedef struct job {
    struct job *next;
    long long id;
    unsigned char *bytes;
    size_t n;
    int64_t deadline_ms;
    int cancelled; /* under the lock: the citizen has gone, do not print it */
} job_t;

struct ks_printer {
    ks_printer_io_t io;
    ks_printer_opts_t opts;
    ks_printer_notify_fn notify;
    void *notify_ctx;
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    job_t *head, *tail;
    int waiting;
    int stop;
    long long next_id;
    int open;       /* thread only: the transport is open */
    int no_hotplug; /* under the lock: the transport's wait said it has no hot-plug news */
    ks_printer_status_t status; /* under the lock: as last seen */
};

const char *ks_print_result_name(ks_print_result_t r)
{
    static const char *const names[] = {"done", "retrying", "failed"};
    return (unsigned)r < 3 ? names[r] : "failed";
}

const char *ks_paper_name(ks_paper_t p)
{
    static const char *const names[] = {"unknown", "ok", "near-end", "out"};
    return (unsigned)p < 4 ? names[p] : "unknown";
}

const char *ks_cover_name(ks_cover_t c)
{
    static const char *const names[] = {"unknown", "closed", "open"};
    return (unsigned)c < 3 ? names[c] : "unknown";
}

static void set_status(ks_printer_t *p, const ks_printer_status_t *st)
{
    pthread_mutex_lock(&p->lock);
    p->status = *st;
    pthread_mutex_unlock(&p->lock);
}

/*
 * Finds and opens the printer when it is not open, and asks its paper and
 * cover when the transport can: what staff see, and what decides whether a
 * job is sent. 0, or negative with why (not there, or gone).
 */
static int probe(ks_printer_t *p, ks_printer_status_t *st, char *why, size_t whylen)
{
    memset(st, 0, sizeof *st);
    if (p->open && !p->io.status) {
        /* A transport that cannot be asked (a device node) is opened afresh each time: that
         * is how a printer unplugged since the last job is noticed. */
        p->io.close(p->io.ctx);
        p->open = 0;
    }
    if (!p->open) {
        int rc = p->io.open(p->io.ctx, why, whylen);
        if (rc != KS_OK) {
            snprintf(st->why, sizeof st->why, "%s", why);
            set_status(p, st);
            return rc;
        }
        p->open = 1;
    }
    st->connected = 1;
    if (p->io.status) {
        int rc = p->io.status(p->io.ctx, st, why, whylen);
        st->connected = 1;
        if (rc != KS_OK) {
            p->io.close(p->io.ctx);
            p->open = 0;
            memset(st, 0, sizeof *st);
            snprintf(st->why, sizeof st->why, "%s", why);
            set_status(p, st);
            return rc;
        }
    }
    set_status(p, st);
    return KS_OK;
}

static void job_free(job_t *j)
{
    if (!j)
        return;
    explicit_bzero(j->bytes, j->n); /* a slip may hold a name or a booking number */
    free(j->bytes);
    free(j);
}

/*
 * Waits up to ms for the transport's hot-plug news, the lock held (and let go
 * meanwhile). 1 when it let the lock go (whatever woke it: the caller checks
 * again what changed), 0 when the transport has no hot-plug (remembered once
 * its wait said so): the caller waits on its own clock.
 */
static int wait_hotplug(ks_printer_t *p, int ms)
{
    if (!p->io.wait || !p->io.wake || p->no_hotplug)
        return 0;
    pthread_mutex_unlock(&p->lock);
    int r = p->io.wait(p->io.ctx, ms);
    pthread_mutex_lock(&p->lock);
    if (r < 0)
        p->no_hotplug = 1;
    return 1;
}

/* Wakes the thread wherever it waits (the lock held). */
static void wake_locked(ks_printer_t *p)
{
    pthread_cond_broadcast(&p->wake);
    if (p->io.wake)
        p->io.wake(p->io.ctx);
}

/* Waits up to ms or until stopped or j is cancelled; the lock is held. Returns 1 when stopping. */
static int pause_locked(ks_printer_t *p, const job_t *j, int ms)
{
    /* A printer plugged in ends the wait at once: no need to sit out the retry interval. */
    if (!p->stop && !j->cancelled && wait_hotplug(p, ms) && !p->no_hotplug)
        return p->stop;
    struct timespec until = ks_time_after(CLOCK_REALTIME, ms);
    while (!p->stop && !j->cancelled &&
           pthread_cond_timedwait(&p->wake, &p->lock, &until) != ETIMEDOUT)
        ;
    return p->stop;
}

/* One attempt at a job: open when needed, write it all. 0, or negative with why. */
static int attempt(ks_printer_t *p, const job_t *j, char *why, size_t whylen)
{
    ks_printer_status_t st;
    int rc = probe(p, &st, why, whylen);
    if (rc != KS_OK)
        return rc;
    /* A printer that says it cannot print keeps the job until it can. */
    if (st.paper == KS_PAPER_OUT) {
        snprintf(why, whylen, "printer out of paper");
        return KS_E_IO;
    }
    if (st.cover == KS_COVER_OPEN) {
        snprintf(why, whylen, "printer cover open");
        return KS_E_IO;
    }
    rc = p->io.write(p->io.ctx, j->bytes, j->n, why, whylen);
    if (rc != KS_OK) {
        /* Unplugged, jammed, a stalled endpoint: start again from a fresh open. */
        p->io.close(p->io.ctx);
        p->open = 0;
    }
    return rc;
}

static void *run(void *arg)
{
    ks_printer_t *p = arg;
    pthread_mutex_lock(&p->lock);
    for (;;) {
        while (!p->stop && !p->head) {
            if (p->opts.poll_ms > 0 && wait_hotplug(p, p->opts.poll_ms)) {
                /* A device came or went, or the time is up: look at the printer (unless a job
                 * or the stop woke us, or there turned out to be no hot-plug news). */
                if (!p->head && !p->stop && !p->no_hotplug) {
                    pthread_mutex_unlock(&p->lock);
                    char why[256] = "";
                    ks_printer_status_t st;
                    probe(p, &st, why, sizeof why);
                    pthread_mutex_lock(&p->lock);
                }
                continue;
            }
            if (p->opts.poll_ms <= 0) {
                pthread_cond_wait(&p->wake, &p->lock);
                continue;
            }
            struct timespec until = ks_time_after(CLOCK_REALTIME, p->opts.poll_ms);
            if (pthread_cond_timedwait(&p->wake, &p->lock, &until) == ETIMEDOUT && !p->head &&
                !p->stop) {
                /* Idle: look for the printer again (plugged in or out, paper, cover). */
                pthread_mutex_unlock(&p->lock);
                char why[256] = "";
                ks_printer_status_t st;
                probe(p, &st, why, sizeof why);
                pthread_mutex_lock(&p->lock);
            }
        }
        if (p->stop)
            break;
        job_t *j = p->head;
        pthread_mutex_unlock(&p->lock);

        char why[256] = "";
        int told = 0, cancelled = 0;
        ks_print_result_t result = KS_PRINT_FAILED;
        for (;;) {
            why[0] = '\0';
            pthread_mutex_lock(&p->lock);
            cancelled = j->cancelled;
            pthread_mutex_unlock(&p->lock);
            if (cancelled)
                break; /* nobody waits for it: not reported (staff keep the real reason) */
            if (attempt(p, j, why, sizeof why) == KS_OK) {
                result = KS_PRINT_DONE;
                break;
            }
            if (ks_mono_ms() + p->opts.retry_ms > j->deadline_ms)
                break; /* no time for another attempt: given up */
            if (!told) {
                /* Once per job: the citizen hears it is being tried again, staff see why. */
                p->notify(j->id, KS_PRINT_RETRYING, why[0] ? why : "printer not ready",
                          p->notify_ctx);
                told = 1;
            }
            pthread_mutex_lock(&p->lock);
            int stopping = pause_locked(p, j, p->opts.retry_ms);
            pthread_mutex_unlock(&p->lock);
            if (stopping)
                break;
        }
        pthread_mutex_lock(&p->lock);
        int stopping = p->stop;
        p->head = j->next;
        if (!p->head)
            p->tail = NULL;
        p->waiting--;
        pthread_mutex_unlock(&p->lock);
        if (!stopping && !cancelled)
            p->notify(j->id, result,
                      result == KS_PRINT_DONE ? "" : (why[0] ? why : "printer not ready"),
                      p->notify_ctx);
        job_free(j);
        pthread_mutex_lock(&p->lock);
    }
    pthread_mutex_unlock(&p->lock);
    if (p->open)
        p->io.close(p->io.ctx);
    p->open = 0;
    return NULL;
}

ks_printer_t *ks_printer_new(const ks_printer_io_t *io, const ks_printer_opts_t *opts,
                             ks_printer_notify_fn notify, void *notify_ctx)
{
    if (!io || !io->open || !io->write || !io->close || !notify)
        return NULL;
    ks_printer_t *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    p->io = *io;
    p->opts.retry_ms = opts && opts->retry_ms > 0 ? opts->retry_ms : 2000;
    p->opts.patience_ms = opts && opts->patience_ms > 0 ? opts->patience_ms : 60000;
    p->opts.poll_ms = opts && opts->poll_ms > 0 ? opts->poll_ms : 0;
    p->status.connected = -1;
    p->notify = notify;
    p->notify_ctx = notify_ctx;
    pthread_mutex_init(&p->lock, NULL);
    pthread_cond_init(&p->wake, NULL);
    if (pthread_create(&p->thread, NULL, run, p) != 0) {
        pthread_cond_destroy(&p->wake);
        pthread_mutex_destroy(&p->lock);
        free(p);
        return NULL;
    }
    return p;
}

long long ks_printer_submit(ks_printer_t *p, const unsigned char *bytes, size_t n)
{
    if (!p || !bytes || n == 0)
        return KS_E_INVAL;
    job_t *j = calloc(1, sizeof *j);
    unsigned char *copy = j ? malloc(n) : NULL;
    if (!copy) {
        free(j);
        return KS_E_NOMEM;
    }
    memcpy(copy, bytes, n);
    j->bytes = copy;
    j->n = n;
    j->deadline_ms = ks_mono_ms() + p->opts.patience_ms;
    pthread_mutex_lock(&p->lock);
    if (p->waiting >= MAX_WAITING) {
        pthread_mutex_unlock(&p->lock);
        job_free(j);
        return KS_E_STATE;
    }
    j->id = ++p->next_id;
    if (p->tail)
        p->tail->next = j;
    else
        p->head = j;
    p->tail = j;
    p->waiting++;
    long long id = j->id;
    wake_locked(p);
    pthread_mutex_unlock(&p->lock);
    return id;
}

void ks_printer_cancel(ks_printer_t *p, long long job)
{
    if (!p || job <= 0)
        return;
    pthread_mutex_lock(&p->lock);
    job_t *prev = NULL;
    for (job_t *j = p->head; j; prev = j, j = j->next) {
        if (j->id != job)
            continue;
        if (j == p->head) {
            /* The thread has it (between attempts): it stops before the next one. */
            j->cancelled = 1;
            wake_locked(p);
        } else {
            prev->next = j->next;
            if (p->tail == j)
                p->tail = prev;
            p->waiting--;
            job_free(j);
        }
        break;
    }
    pthread_mutex_unlock(&p->lock);
}

void ks_printer_status(ks_printer_t *p, ks_printer_status_t *out)
{
    memset(out, 0, sizeof *out);
    out->connected = -1;
    if (!p)
        return;
    pthread_mutex_lock(&p->lock);
    *out = p->status;
    pthread_mutex_unlock(&p->lock);
}

void ks_printer_free(ks_printer_t *p)
{
    if (!p)
        return;
    pthread_mutex_lock(&p->lock);
    p->stop = 1;
    wake_locked(p);
    pthread_mutex_unlock(&p->lock);
    pthread_join(p->thread, NULL);
    while (p->head) {
        job_t *j = p->head;
        p->head = j->next;
        job_free(j);
    }
    pthread_cond_destroy(&p->wake);
    pthread_mutex_destroy(&p->lock);
    free(p);
}
