#include "printer.h"

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
    int open; /* thread only: the transport is open */
};

static int64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void job_free(job_t *j)
{
    if (!j)
        return;
    explicit_bzero(j->bytes, j->n); /* a slip may hold a name or a booking number */
    free(j->bytes);
    free(j);
}

/* Waits up to ms or until stopped or j is cancelled; the lock is held. Returns 1 when stopping. */
static int pause_locked(ks_printer_t *p, const job_t *j, int ms)
{
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += ms / 1000;
    until.tv_nsec += (long)(ms % 1000) * 1000000L;
    if (until.tv_nsec >= 1000000000L) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000L;
    }
    while (!p->stop && !j->cancelled && pthread_cond_timedwait(&p->wake, &p->lock, &until) != ETIMEDOUT)
        ;
    return p->stop;
}

/* One attempt at a job: open when needed, write it all. 0, or negative with why. */
static int attempt(ks_printer_t *p, const job_t *j, char *why, size_t whylen)
{
    if (!p->open) {
        int rc = p->io.open(p->io.ctx, why, whylen);
        if (rc != KS_OK)
            return rc;
        p->open = 1;
    }
    int rc = p->io.write(p->io.ctx, j->bytes, j->n, why, whylen);
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
        while (!p->stop && !p->head)
            pthread_cond_wait(&p->wake, &p->lock);
        if (p->stop)
            break;
        job_t *j = p->head;
        pthread_mutex_unlock(&p->lock);

        char why[256] = "";
        int told = 0;
        ks_print_result_t result = KS_PRINT_FAILED;
        for (;;) {
            why[0] = '\0';
            pthread_mutex_lock(&p->lock);
            int cancelled = j->cancelled;
            pthread_mutex_unlock(&p->lock);
            if (cancelled) {
                snprintf(why, sizeof why, "cancelled: the visit ended before it printed");
                break;
            }
            if (attempt(p, j, why, sizeof why) == KS_OK) {
                result = KS_PRINT_DONE;
                break;
            }
            if (mono_ms() + p->opts.retry_ms > j->deadline_ms)
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
        if (!stopping)
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
    j->deadline_ms = mono_ms() + p->opts.patience_ms;
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
    pthread_cond_signal(&p->wake);
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
            pthread_cond_broadcast(&p->wake);
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

void ks_printer_free(ks_printer_t *p)
{
    if (!p)
        return;
    pthread_mutex_lock(&p->lock);
    p->stop = 1;
    pthread_cond_broadcast(&p->wake);
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
