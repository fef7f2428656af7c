/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The staff's diagnostics mode as plain data the screens read
 * (app/screens/staff.c), driven by app/staffmode.c: the hidden corner press
 * that asks for the PIN, the PIN and its lock, the diagnostics report
 * (app/staff/diag.h) gathered off the UI thread, the test print and the
 * touch test grid. Nothing in it is personal.
 */
#ifndef KS_STAFFMODE_H
#define KS_STAFFMODE_H

#include "marry.h"
#include "pin.h"

#include <cjson/cJSON.h>
#include <stdint.h>

#define KS_STAFF_HOLD_MS  5000            /* the corner press that opens staff entry */
#define KS_STAFF_IDLE_MS  (2 * 60 * 1000) /* staff screens close after this long untouched */
#define KS_STAFF_GRID_MAX 128             /* cells of the touch test grid */

typedef struct {
    /* the corner press on the idle screen */
    int holding;
    uint64_t hold_since_ms;

    /* the PIN being typed (never logged; wiped when staff entry closes) */
    ks_pin_guard_t guard;
    char pin[KS_PIN_MAX_DIGITS + 1];
    const char *pin_err; /* catalogue key of the last refusal, or NULL */
    int tries_left;      /* after a wrong PIN */
    int locked_min;      /* minutes left of the lock (rounded up), after KS_PIN_LOCKED */

    /* the diagnostics report: NULL until the first one arrives */
    cJSON *report;
    int collecting;            /* a report is being gathered */
    int collect_again;         /* asked for while one was being gathered: gather once more */
    uint64_t collect_since_ms; /* when the one being gathered was asked for */
    uint64_t now_ms;           /* the kiosk's clock at the last call into staffmode.c */
    long long report_at;       /* unix s it was gathered */

    /* the test print */
    ks_slip_job_t slip;

    /* the touch test grid: cells touched since it opened */
    int grid_cols, grid_rows;
    unsigned char touched[KS_STAFF_GRID_MAX];
} ks_staff_t;

#endif
