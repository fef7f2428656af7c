/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Logging to stderr or journald, and helpers that mask personal data.
 * Rule: a name, ID number or phone number is never passed to ks_log except
 * through one of the ks_mask_* helpers.
 */
#ifndef KS_LOG_H
#define KS_LOG_H

#include <stddef.h>

enum { KS_LOG_ERROR = 3, KS_LOG_WARN = 4, KS_LOG_INFO = 6, KS_LOG_DEBUG = 7 }; /* syslog levels */

/* Chooses the target (0 stderr, 1 journald) and the most verbose level written. */
void ks_log_init(int target, int level);

/* printf-style message; adds level and module prefix on stderr. Thread-safe. */
void ks_log(int level, const char *module, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* "张三" -> "张*", "欧阳娜娜" -> "欧***", "Li Lei" -> "L*****"; empty -> "". */
int ks_mask_name(const char *name, char *out, size_t outlen);

/* 11-digit phone "13812345678" -> "138****5678"; anything else -> "***". */
int ks_mask_phone(const char *phone, char *out, size_t outlen);

#endif
