/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * For the print-queue tests with a real transport (test_devprint, test_usbprint):
 * what the queue notified, counted under a lock, and a wait for a count.
 */
#ifndef KS_TEST_PRINT_SEEN_H
#define KS_TEST_PRINT_SEEN_H

#include "printer.h"

#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

typedef struct {
    pthread_mutex_t lock;
    int done, retrying, failed;
    char why[256]; /* the last notification's reason */
} seen_t;

#define SEEN_INIT                                                                                  \
    {                                                                                              \
        PTHREAD_MUTEX_INITIALIZER, 0, 0, 0, ""                                                     \
    }

/* The queue's notify function; ctx is a seen_t. */
static void notify(long long job, ks_print_result_t r, const char *why, void *ctx)
{
    (void)job;
    seen_t *s = ctx;
    pthread_mutex_lock(&s->lock);
    snprintf(s->why, sizeof s->why, "%s", why);
    if (r == KS_PRINT_DONE)
        s->done++;
    else if (r == KS_PRINT_RETRYING)
        s->retrying++;
    else
        s->failed++;
    pthread_mutex_unlock(&s->lock);
}

/* Waits (up to 5 s) until *counter is above 0: 1, or 0 when it never was. */
static int wait_for(seen_t *s, const int *counter)
{
    for (int i = 0; i < 500; i++) {
        pthread_mutex_lock(&s->lock);
        int v = *counter;
        pthread_mutex_unlock(&s->lock);
        if (v > 0)
            return 1;
        usleep(10000);
    }
    return 0;
}

#endif
