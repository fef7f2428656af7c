/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The print queue against a test transport (a printer in the test: it can be
 * unplugged, fail mid-job, and records what reached it). The real transport
 * is libusb; the queue's own behaviour is what is tested here.
 */
#include "clock.h"
#include "error.h"
#include "printer.h"

#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

typedef struct {
    pthread_mutex_t lock;
    int plugged;     /* open succeeds */
    int fail_writes; /* the next n writes fail (unplugged mid-job) */
    int roll;        /* ks_paper_t: what DLE EOT would answer */
    int cover;       /* ks_cover_t */
    int statuses;
    /* hot-plug news (when hotplug is set) */
    int hotplug;
    pthread_cond_t news;
    int arrived, woken;
    int opens, writes, closes;
    unsigned char paper[4096]; /* what was printed, in order */
    size_t printed;
    /* notifications */
    int done, retrying, failed;
    long long last_job;
    char last_why[256];
} fake_t;

static int f_open(void *ctx, char *why, size_t whylen)
{
    fake_t *f = ctx;
    pthread_mutex_lock(&f->lock);
    f->opens++;
    int ok = f->plugged;
    pthread_mutex_unlock(&f->lock);
    if (!ok)
        snprintf(why, whylen, "no printer on USB");
    return ok ? KS_OK : KS_E_NOTFOUND;
}

static int f_write(void *ctx, const unsigned char *b, size_t n, char *why, size_t whylen)
{
    fake_t *f = ctx;
    pthread_mutex_lock(&f->lock);
    f->writes++;
    int rc = KS_OK;
    if (f->fail_writes > 0) {
        f->fail_writes--;
        snprintf(why, whylen, "bulk OUT: device gone");
        rc = KS_E_IO;
    } else if (f->printed + n <= sizeof f->paper) {
        memcpy(f->paper + f->printed, b, n);
        f->printed += n;
    }
    pthread_mutex_unlock(&f->lock);
    return rc;
}

static int f_status(void *ctx, ks_printer_status_t *st, char *why, size_t whylen)
{
    (void)why;
    (void)whylen;
    fake_t *f = ctx;
    pthread_mutex_lock(&f->lock);
    f->statuses++;
    st->paper = (ks_paper_t)f->roll;
    st->cover = (ks_cover_t)f->cover;
    pthread_mutex_unlock(&f->lock);
    return KS_OK;
}

static int f_wait(void *ctx, int ms)
{
    fake_t *f = ctx;
    if (!f->hotplug)
        return -1;
    struct timespec until = ks_time_after(CLOCK_REALTIME, ms);
    pthread_mutex_lock(&f->lock);
    while (!f->arrived && !f->woken && pthread_cond_timedwait(&f->news, &f->lock, &until) == 0)
        ;
    int r = f->arrived ? 1 : 0;
    f->arrived = f->woken = 0;
    pthread_mutex_unlock(&f->lock);
    return r;
}

static void f_wake(void *ctx)
{
    fake_t *f = ctx;
    pthread_mutex_lock(&f->lock);
    f->woken = 1;
    pthread_cond_broadcast(&f->news);
    pthread_mutex_unlock(&f->lock);
}

/* The printer is plugged in and the transport hears of it. */
static void plug_in(fake_t *f)
{
    pthread_mutex_lock(&f->lock);
    f->plugged = 1;
    f->arrived = 1;
    pthread_cond_broadcast(&f->news);
    pthread_mutex_unlock(&f->lock);
}

static void f_close(void *ctx)
{
    fake_t *f = ctx;
    pthread_mutex_lock(&f->lock);
    f->closes++;
    pthread_mutex_unlock(&f->lock);
}

static void notify(long long job, ks_print_result_t r, const char *why, void *ctx)
{
    fake_t *f = ctx;
    pthread_mutex_lock(&f->lock);
    f->last_job = job;
    snprintf(f->last_why, sizeof f->last_why, "%s", why);
    if (r == KS_PRINT_DONE)
        f->done++;
    else if (r == KS_PRINT_RETRYING)
        f->retrying++;
    else
        f->failed++;
    pthread_mutex_unlock(&f->lock);
}

/* Waits (up to 5 s) until *counter reaches want. */
static int wait_for(fake_t *f, const int *counter, int want)
{
    for (int i = 0; i < 500; i++) {
        pthread_mutex_lock(&f->lock);
        int v = *counter;
        pthread_mutex_unlock(&f->lock);
        if (v >= want)
            return 1;
        usleep(10000);
    }
    return 0;
}

static ks_printer_t *start_with(fake_t *f, int retry_ms, int patience_ms, int poll_ms, int hotplug)
{
    memset(f, 0, sizeof *f);
    f->hotplug = hotplug; /* before the thread starts: it decides how it waits */
    pthread_mutex_init(&f->lock, NULL);
    pthread_cond_init(&f->news, NULL);
    ks_printer_io_t io = {f_open, f_write, f_close, f, f_status, f_wait, f_wake};
    ks_printer_opts_t o = {retry_ms, patience_ms, poll_ms};
    return ks_printer_new(&io, &o, notify, f);
}

static ks_printer_t *start_polling(fake_t *f, int retry_ms, int patience_ms, int poll_ms)
{
    return start_with(f, retry_ms, patience_ms, poll_ms, 0);
}

static ks_printer_t *start(fake_t *f, int retry_ms, int patience_ms)
{
    return start_with(f, retry_ms, patience_ms, 0, 0);
}

static void set(fake_t *f, int *field, int v)
{
    pthread_mutex_lock(&f->lock);
    *field = v;
    pthread_mutex_unlock(&f->lock);
}

/* Waits (up to 5 s) until the queue reports the printer connected (or not). */
static int wait_connected(ks_printer_t *p, int want, ks_printer_status_t *st)
{
    for (int i = 0; i < 500; i++) {
        ks_printer_status(p, st);
        if (st->connected == want)
            return 1;
        usleep(10000);
    }
    return 0;
}

static void test_prints_in_order(void **state)
{
    (void)state;
    fake_t f;
    ks_printer_t *p = start(&f, 20, 2000);
    f.plugged = 1;
    const unsigned char a[] = {0x1B, '@', 'A'}, b[] = {'B', 0x0A};
    long long j1 = ks_printer_submit(p, a, sizeof a), j2 = ks_printer_submit(p, b, sizeof b);
    assert_true(j1 > 0 && j2 == j1 + 1);
    assert_true(wait_for(&f, &f.done, 2));
    assert_int_equal(f.printed, 5);
    static const unsigned char want[] = {0x1B, '@', 'A', 'B', 0x0A};
    assert_memory_equal(f.paper, want, sizeof want);
    assert_int_equal(f.opens, 1); /* opened once, kept open */
    ks_printer_free(p);
    assert_int_equal(f.closes, 1);
}

static void test_plugged_in_later(void **state)
{
    (void)state;
    fake_t f;
    ks_printer_t *p = start(&f, 20, 3000);
    const unsigned char a[] = {'S', 'L', 'I', 'P'};
    ks_printer_submit(p, a, sizeof a);
    assert_true(wait_for(&f, &f.retrying, 1)); /* the citizen is told it is being tried */
    assert_string_equal(f.last_why, "no printer on USB");
    pthread_mutex_lock(&f.lock);
    f.plugged = 1;
    pthread_mutex_unlock(&f.lock);
    assert_true(wait_for(&f, &f.done, 1));
    assert_int_equal(f.retrying, 1); /* told once, not at every attempt */
    assert_int_equal(f.printed, 4);
    ks_printer_free(p);
}

static void test_unplugged_mid_job_is_printed_again(void **state)
{
    (void)state;
    fake_t f;
    ks_printer_t *p = start(&f, 20, 3000);
    f.plugged = 1;
    f.fail_writes = 2;
    const unsigned char a[] = {0x1B, '@', 'J', 'J'};
    ks_printer_submit(p, a, sizeof a);
    assert_true(wait_for(&f, &f.done, 1));
    assert_int_equal(f.writes, 3);
    assert_true(f.closes >= 2); /* each failure closes; the next attempt opens afresh */
    assert_int_equal(f.printed, sizeof a);
    assert_memory_equal(f.paper, a, sizeof a);
    ks_printer_free(p);
}

static void test_gives_up_and_says_why(void **state)
{
    (void)state;
    fake_t f;
    ks_printer_t *p = start(&f, 20, 200);
    const unsigned char a[] = {'X'};
    long long j = ks_printer_submit(p, a, sizeof a);
    assert_true(wait_for(&f, &f.failed, 1));
    assert_int_equal(f.last_job, j);
    assert_string_equal(f.last_why, "no printer on USB");
    assert_int_equal(f.done, 0);
    /* The next job still gets its own chance. */
    pthread_mutex_lock(&f.lock);
    f.plugged = 1;
    pthread_mutex_unlock(&f.lock);
    ks_printer_submit(p, a, sizeof a);
    assert_true(wait_for(&f, &f.done, 1));
    ks_printer_free(p);
}

static void test_submit_never_blocks_and_is_bounded(void **state)
{
    (void)state;
    fake_t f;
    ks_printer_t *p = start(&f, 1000, 60000); /* no printer: jobs wait */
    const unsigned char a[] = {'X'};
    int accepted = 0, refused = 0;
    /* With no printer the jobs wait in the queue: were submit to wait for the printer,
     * this loop would hang here (ctest's timeout fails it). */
    for (int i = 0; i < 12; i++) {
        long long id = ks_printer_submit(p, a, sizeof a);
        if (id > 0)
            accepted++;
        else if (id == KS_E_STATE)
            refused++;
    }
    assert_int_equal(accepted, 8);
    assert_int_equal(refused, 4);
    assert_int_equal(f.printed, 0);
    assert_int_equal(ks_printer_submit(p, NULL, 1), KS_E_INVAL);
    ks_printer_free(p); /* stops while a job waits: no notification after, nothing leaked */
}

static void test_cancelled_jobs_never_print(void **state)
{
    (void)state;
    fake_t f;
    ks_printer_t *p = start(&f, 60000, 120000); /* no printer: the first job waits a minute */
    const unsigned char a[] = {'A'}, b[] = {'B'}, c[] = {'C'};
    long long ja = ks_printer_submit(p, a, sizeof a);
    long long jb = ks_printer_submit(p, b, sizeof b);
    assert_true(wait_for(&f, &f.retrying, 1));
    /* The visit ends: the waiting job is dropped at once, the one being tried before its next
     * try, without sitting out the minute (wait_for below gives up after 5 s). */
    ks_printer_cancel(p, jb);
    ks_printer_cancel(p, ja);
    pthread_mutex_lock(&f.lock);
    f.plugged = 1;
    pthread_mutex_unlock(&f.lock);
    ks_printer_cancel(p, 999); /* unknown: nothing happens */
    long long jc = ks_printer_submit(p, c, sizeof c);
    assert_true(jc > jb);
    assert_true(wait_for(&f, &f.done, 1));
    /* Only the next citizen's slip reached the paper. */
    assert_int_equal(f.printed, 1);
    assert_int_equal(f.paper[0], 'C');
    /* Cancelled jobs are not reported: the last reason staff see is still the printer's. */
    assert_int_equal(f.failed, 0);
    assert_int_equal(f.last_job, jc);
    ks_printer_free(p);
}

static void test_paper_out_keeps_the_job(void **state)
{
    (void)state;
    fake_t f;
    ks_printer_t *p = start(&f, 20, 5000);
    f.plugged = 1;
    f.roll = KS_PAPER_OUT; /* DLE EOT 4 says the roll is empty */
    const unsigned char a[] = {'S', 'L', 'I', 'P'};
    ks_printer_submit(p, a, sizeof a);
    assert_true(wait_for(&f, &f.retrying, 1));
    assert_string_equal(f.last_why, "printer out of paper");
    assert_int_equal(f.printed, 0); /* nothing sent to a printer that cannot print it */
    ks_printer_status_t st;
    ks_printer_status(p, &st);
    assert_int_equal(st.connected, 1);
    assert_int_equal(st.paper, KS_PAPER_OUT);
    set(&f, &f.roll, KS_PAPER_UNKNOWN); /* refilled (a printer that does not answer) */
    set(&f, &f.cover, KS_COVER_OPEN);   /* ... but the cover is still open */
    assert_true(wait_for(&f, &f.statuses, 4));
    pthread_mutex_lock(&f.lock);
    assert_int_equal(f.printed, 0);
    assert_string_equal(f.last_why, "printer out of paper"); /* told once: no new notice */
    pthread_mutex_unlock(&f.lock);
    set(&f, &f.cover, KS_COVER_CLOSED);
    assert_true(wait_for(&f, &f.done, 1));
    assert_int_equal(f.printed, sizeof a);
    ks_printer_free(p);
}

static void test_idle_rescan_sees_the_printer_come_and_go(void **state)
{
    (void)state;
    fake_t f;
    ks_printer_t *p = start_polling(&f, 20, 1000, 20);
    ks_printer_status_t st;
    ks_printer_status(p, &st);
    assert_true(st.connected == -1 || st.connected == 0); /* not looked yet, or not there */
    assert_true(wait_connected(p, 0, &st));
    assert_string_equal(st.why, "no printer on USB");
    set(&f, &f.plugged, 1); /* plugged in with no job waiting: seen by the rescan */
    assert_true(wait_connected(p, 1, &st));
    assert_int_equal(st.paper, KS_PAPER_UNKNOWN);
    assert_int_equal(f.printed, 0);
    ks_printer_free(p);
}

static void test_hotplug_prints_at_once(void **state)
{
    (void)state;
    fake_t f;
    /* Retries a minute apart: only the hot-plug news can print the job within wait_for's 5 s. */
    ks_printer_t *p = start_with(&f, 60000, 120000, 0, 1);
    const unsigned char a[] = {'H', 'O', 'T'};
    ks_printer_submit(p, a, sizeof a);
    assert_true(wait_for(&f, &f.retrying, 1));
    plug_in(&f);
    assert_true(wait_for(&f, &f.done, 1));
    assert_int_equal(f.printed, sizeof a);
    ks_printer_free(p); /* wakes the transport's wait: no minute-long hang here */
}

static void test_hotplug_seen_while_idle(void **state)
{
    (void)state;
    fake_t f;
    ks_printer_t *p = start_with(&f, 20, 1000, 60000, 1); /* rescans a minute apart */
    ks_printer_status_t st;
    plug_in(&f);
    assert_true(wait_connected(p, 1, &st));
    ks_printer_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_prints_in_order),
        cmocka_unit_test(test_plugged_in_later),
        cmocka_unit_test(test_unplugged_mid_job_is_printed_again),
        cmocka_unit_test(test_gives_up_and_says_why),
        cmocka_unit_test(test_submit_never_blocks_and_is_bounded),
        cmocka_unit_test(test_cancelled_jobs_never_print),
        cmocka_unit_test(test_paper_out_keeps_the_job),
        cmocka_unit_test(test_idle_rescan_sees_the_printer_come_and_go),
        cmocka_unit_test(test_hotplug_prints_at_once),
        cmocka_unit_test(test_hotplug_seen_while_idle),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
