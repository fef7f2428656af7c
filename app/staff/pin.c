/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "pin.h"

#include "error.h"

#include <sodium.h>
#include <string.h>

int ks_pin_valid(const char *s)
{
    size_t n = s ? strnlen(s, KS_PIN_MAX_DIGITS + 1) : 0;
    if (n < KS_PIN_MIN_DIGITS || n > KS_PIN_MAX_DIGITS)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return 1;
}

static int sodium_ready(void)
{
    return sodium_init() >= 0; /* idempotent and thread-safe */
}

int ks_pin_hash(const char *pin, char *out, size_t outlen)
{
    if (!ks_pin_valid(pin) || !out || outlen < crypto_pwhash_STRBYTES)
        return KS_E_INVAL;
    if (!sodium_ready())
        return KS_E_NOMEM;
    if (crypto_pwhash_str(out, pin, strlen(pin), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
        return KS_E_NOMEM;
    return KS_OK;
}

int ks_pin_hash_usable(const char *hash)
{
    size_t n = hash ? strnlen(hash, KS_PIN_HASH_MAX) : 0;
    return n > 0 && n < KS_PIN_HASH_MAX &&
           (strncmp(hash, "$argon2id$", 10) == 0 || strncmp(hash, "$argon2i$", 9) == 0);
}

ks_pin_result_t ks_pin_check(ks_pin_guard_t *g, const char *hash, const char *pin, int64_t now_ms,
                             int64_t *retry_ms)
{
    if (retry_ms)
        *retry_ms = 0;
    if (!ks_pin_hash_usable(hash) || !sodium_ready())
        return KS_PIN_NO_HASH;
    if (g->locked_until_ms > now_ms) {
        if (retry_ms)
            *retry_ms = g->locked_until_ms - now_ms;
        return KS_PIN_LOCKED;
    }
    if (g->locked_until_ms) { /* the lock has run out: a fresh count */
        g->locked_until_ms = 0;
        g->failures = 0;
    }
    if (!ks_pin_valid(pin))
        return KS_PIN_MALFORMED;
    if (crypto_pwhash_str_verify(hash, pin, strlen(pin)) == 0) {
        g->failures = 0;
        return KS_PIN_OK;
    }
    if (++g->failures >= KS_PIN_MAX_FAILURES) {
        g->locked_until_ms = now_ms + KS_PIN_LOCK_MS;
        if (retry_ms)
            *retry_ms = KS_PIN_LOCK_MS;
        return KS_PIN_LOCKED;
    }
    return KS_PIN_WRONG;
}
