/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * One error convention for the whole program: functions return 0 (KS_OK) or a
 * negative KS_E* code; constructors return NULL. ks_strerror() names a code.
 */
#ifndef KS_ERROR_H
#define KS_ERROR_H

enum {
    KS_OK = 0,
    KS_E_INVAL = -1,    /* argument or input is malformed */
    KS_E_NOMEM = -2,    /* allocation failed */
    KS_E_IO = -3,       /* file or device I/O failed */
    KS_E_PARSE = -4,    /* input could not be parsed */
    KS_E_RANGE = -5,    /* value out of its allowed range */
    KS_E_NOTFOUND = -6, /* lookup found nothing */
    KS_E_TOOBIG = -7,   /* output buffer or input too large */
    KS_E_STATE = -8,    /* operation not allowed in this state */
};

/* Returns a static English description of a KS_E* code (never NULL). */
const char *ks_strerror(int code);

#endif
