/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The idempotency outbox: before the first attempt of a keyed write, its
 * Idempotency-Key is written to the state directory and fsync'd, so that the
 * key is known to have been used even if the kiosk dies mid-request; it is
 * removed when a definitive answer arrives. A record holds the method, the
 * path and a keyed fingerprint of the body (HMAC with the device secret, so a
 * phone number cannot be recovered from it) — never the body itself, which
 * may hold personal data. Leftover records are reported (diagnostics) and
 * purged after 48 hours, when the server forgets the key too.
 */
#ifndef KS_OUTBOX_H
#define KS_OUTBOX_H

#include <stddef.h>
#include <stdint.h>

typedef struct ks_outbox ks_outbox_t;

/* Opens (creating with mode 0700) `dir`. NULL on failure with a reason in err. */
ks_outbox_t *ks_outbox_open(const char *dir, const uint8_t secret[32], char *err, size_t errlen);
void ks_outbox_close(ks_outbox_t *ob);

/*
 * Records `key` for a write (method, path, body) durably: the record file and
 * the directory are fsync'd before this returns 0. Recording a key that is
 * already there (a retry) is 0 and changes nothing. KS_E_IO on failure: the
 * write must then not be sent.
 */
int ks_outbox_record(ks_outbox_t *ob, const char *key, const char *method, const char *path,
                     const void *body, size_t body_len);

/* Forgets `key` after a definitive answer. */
void ks_outbox_done(ks_outbox_t *ob, const char *key);

/* Whether `key` has a record (1) or not (0). */
int ks_outbox_has(ks_outbox_t *ob, const char *key);

/* Number of records (writes whose outcome the kiosk never learnt). */
int ks_outbox_pending(ks_outbox_t *ob);

/*
 * Removes records older than max_age_s, and temporary files of records a
 * crash cut short. Returns how many records were removed.
 */
int ks_outbox_purge(ks_outbox_t *ob, long max_age_s);

#endif
