/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The receipt printer's print queue: jobs (ESC/POS bytes, see escpos.h) go
 * in from the UI thread and never block it; a thread of its own opens the
 * printer, writes, and when the printer is missing or fails mid-job retries
 * until the job's patience runs out, then says why. The printer itself is
 * reached through a small transport (libusb on a kiosk, a test one in tests).
 */
#ifndef KS_PRINTER_H
#define KS_PRINTER_H

#include <stddef.h>
#include <stdint.h>

/* What the printer says of itself (ESC/POS DLE EOT), when it answers. */
typedef enum { KS_PAPER_UNKNOWN = 0, KS_PAPER_OK, KS_PAPER_NEAR_END, KS_PAPER_OUT } ks_paper_t;
typedef enum { KS_COVER_UNKNOWN = 0, KS_COVER_CLOSED, KS_COVER_OPEN } ks_cover_t;

typedef struct {
    int connected;    /* 1 found and opened, 0 not found or not usable, -1 not looked yet */
    ks_paper_t paper; /* UNKNOWN when the printer does not answer DLE EOT */
    ks_cover_t cover;
    char why[160]; /* when not connected: the transport's reason */
} ks_printer_status_t;

/* "ok", "near-end", "out", "unknown" / "closed", "open", "unknown". */
const char *ks_paper_name(ks_paper_t p);
const char *ks_cover_name(ks_cover_t c);

/* The transport: all calls come from the queue's thread. */
typedef struct {
    /* Finds and opens the printer: 0, or a negative KS_E_* code with a reason for staff. */
    int (*open)(void *ctx, char *why, size_t whylen);
    /* Writes all n bytes (or fails): 0 or a negative KS_E_* code with a reason. */
    int (*write)(void *ctx, const unsigned char *bytes, size_t n, char *why, size_t whylen);
    void (*close)(void *ctx);
    void *ctx;
    /*
     * Optional (NULL: the printer cannot be asked): paper and cover of the open
     * printer through DLE EOT. 0 with *st filled (UNKNOWN where it did not
     * answer), or a negative KS_E_* code with a reason (the printer went away).
     */
    int (*status)(void *ctx, ks_printer_status_t *st, char *why, size_t whylen);
    /*
     * Optional hot-plug (NULL, or wait returning -1: not supported, the queue
     * rescans on its own clock): wait blocks up to ms for a device to come or
     * go (1), or returns 0 on timeout or when wake was called (from any thread:
     * a job was submitted, the queue stops).
     */
    int (*wait)(void *ctx, int ms);
    void (*wake)(void *ctx);
} ks_printer_io_t;

typedef enum {
    KS_PRINT_DONE = 0, /* every byte went to the printer */
    KS_PRINT_RETRYING, /* the printer is missing or failed: trying again (the job is kept) */
    KS_PRINT_FAILED,   /* given up: the citizen is told (e.g. to note the booking number) */
} ks_print_result_t;

/* "done", "retrying", "failed". */
const char *ks_print_result_name(ks_print_result_t r);

/*
 * What became of a job, from the queue's thread: the UI turns it into an
 * event. why is one line for staff (no personal data: the transport's words).
 */
typedef void (*ks_printer_notify_fn)(long long job, ks_print_result_t result, const char *why,
                                     void *ctx);

typedef struct {
    int retry_ms;    /* between attempts, default 2000 */
    int patience_ms; /* a job is given up this long after it was submitted, default 60000 */
    int poll_ms; /* with no job, look for the printer (plugged in? paper?) this often; 0 never */
} ks_printer_opts_t;

typedef struct ks_printer ks_printer_t;

/* Starts the queue's thread. opts may be NULL (the defaults). NULL on failure. */
ks_printer_t *ks_printer_new(const ks_printer_io_t *io, const ks_printer_opts_t *opts,
                             ks_printer_notify_fn notify, void *notify_ctx);

/*
 * Queues a copy of the bytes (the caller keeps its buffer) and returns the
 * job's id (> 0) at once, or a negative KS_E_* code: KS_E_STATE when 8 jobs
 * are already waiting (the printer is gone: tell the citizen now),
 * KS_E_NOMEM, KS_E_INVAL.
 */
long long ks_printer_submit(ks_printer_t *p, const unsigned char *bytes, size_t n);

/*
 * Drops a job not yet printed (the citizen it was for has gone: their slip
 * must not come out for the next one). A job being written finishes; one
 * waiting for the printer to come back is given up before its next attempt
 * (not notified: the last reason staff see stays the printer's own). Unknown
 * or finished jobs: nothing happens.
 */
void ks_printer_cancel(ks_printer_t *p, long long job);

/*
 * The printer as last seen by the queue's thread (before each job, and every
 * poll_ms while idle): whether it is there, its paper and cover.
 */
void ks_printer_status(ks_printer_t *p, ks_printer_status_t *out);

/* Stops the thread (jobs not yet printed are dropped, wiped) and frees. */
void ks_printer_free(ks_printer_t *p);

#endif
