/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Clocks for the threads that wait (the card monitor, the print queue):
 * milliseconds on the monotonic clock, and an absolute time ms from now for
 * pthread_cond_timedwait on the condition variable's clock.
 */
#ifndef KS_CLOCK_H
#define KS_CLOCK_H

#include <stdint.h>
#include <time.h>

/* Milliseconds on CLOCK_MONOTONIC. */
int64_t ks_mono_ms(void);

/* The time on clock `clk` ms milliseconds from now (ms >= 0). */
struct timespec ks_time_after(clockid_t clk, int ms);

#endif
