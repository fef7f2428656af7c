/*
 * The print queue against a test transport (a printer in the test: it can be
 * unplugged, fail mid-job, and records what reached it). The real transport
 * is libusb; the queue's own behaviour is what is tested here.
 */
#include "error.h"
#include "printer.h"

#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

typedef struct {
    pthread_mutex_t lock;
    int plugged;     /* open succeeds */
    int fail_writes; /* the next n writes fail (unplugged mid-job) */
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

static ks_printer_t *start(fake_t *f, int retry_ms, int patience_ms)
{
    memset(f, 0, sizeof *f);
    pthread_mutex_init(&f->lock, NULL);
    ks_printer_io_t io = {f_open, f_write, f_close, f};
    ks_printer_opts_t o = {retry_ms, patience_ms};
    return ks_printer_new(&io, &o, notify, f);
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
    ks_printer_t *p = start(&f, 5000, 60000); /* no printer: the first job waits 5 s per try */
    const unsigned char a[] = {'A'}, b[] = {'B'}, c[] = {'C'};
    long long ja = ks_printer_submit(p, a, sizeof a);
    long long jb = ks_printer_submit(p, b, sizeof b);
    assert_true(wait_for(&f, &f.retrying, 1));
    /* The visit ends: the waiting job is dropped at once, the one being tried before its next try
     * (without waiting out the 5 s: wait_for gives up after 5 s). */
    ks_printer_cancel(p, jb);
    ks_printer_cancel(p, ja);
    assert_true(wait_for(&f, &f.failed, 1));
    assert_int_equal(f.last_job, ja);
    assert_non_null(strstr(f.last_why, "cancelled"));
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
    assert_int_equal(f.failed, 1); /* the dropped waiting job is not notified */
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
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
