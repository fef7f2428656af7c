/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The staff PIN that opens the diagnostics screen: only a password hash
 * (libsodium crypto_pwhash_str, Argon2id) is kept in the configuration, and
 * wrong PINs lock entry for a while. Plain C, no SDL: the screen asks, this
 * decides.
 */
#ifndef KS_PIN_H
#define KS_PIN_H

#include <stddef.h>
#include <stdint.h>

#define KS_PIN_MIN_DIGITS   4
#define KS_PIN_MAX_DIGITS   12
#define KS_PIN_MAX_FAILURES 5               /* wrong PINs in a row before the lock */
#define KS_PIN_LOCK_MS      (5 * 60 * 1000) /* how long the lock lasts */
#define KS_PIN_HASH_MAX     128             /* crypto_pwhash_STRBYTES */

typedef enum {
    KS_PIN_OK = 0,    /* the PIN matches: open the staff screen */
    KS_PIN_WRONG,     /* it does not; *retry_ms is 0 */
    KS_PIN_LOCKED,    /* too many wrong PINs: nothing is checked until *retry_ms passes */
    KS_PIN_MALFORMED, /* not 4-12 digits: not counted as a try */
    KS_PIN_NO_HASH,   /* the configuration has no usable hash: staff entry is closed */
} ks_pin_result_t;

/* Wrong tries and the lock, per kiosk run (the UI thread's). */
typedef struct {
    int failures;
    int64_t locked_until_ms;
} ks_pin_guard_t;

/* 1 when s is 4-12 ASCII digits. */
int ks_pin_valid(const char *s);

/*
 * Hashes a PIN for the configuration (Argon2id, interactive limits) into out
 * (KS_PIN_HASH_MAX bytes). 0, KS_E_INVAL for a malformed PIN, KS_E_NOMEM.
 */
int ks_pin_hash(const char *pin, char *out, size_t outlen);

/* 1 when `hash` looks like a libsodium password hash this build can verify. */
int ks_pin_hash_usable(const char *hash);

/*
 * Checks a PIN typed at now_ms against the configured hash. While locked,
 * nothing is checked (KS_PIN_LOCKED, *retry_ms the time left). The fifth
 * wrong PIN in a row locks entry for KS_PIN_LOCK_MS; a right one clears the
 * count. retry_ms may be NULL.
 */
ks_pin_result_t ks_pin_check(ks_pin_guard_t *g, const char *hash, const char *pin, int64_t now_ms,
                             int64_t *retry_ms);

#endif
