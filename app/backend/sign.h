/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Request signing of the district backend contract (docs/backend-api.md,
 * "Signed requests"). Plain C over OpenSSL's libcrypto; shared by the kiosk's
 * client and the reference server so both compute the same string.
 */
#ifndef KS_SIGN_H
#define KS_SIGN_H

#include <stddef.h>
#include <stdint.h>

#define KS_SIGN_SECRET_LEN 32
#define KS_SIGN_HEX_LEN    64 /* hex of a SHA-256 / HMAC-SHA256, without NUL */
#define KS_SIGN_NONCE_LEN  32 /* hex chars of the nonce, without NUL */

/* hex(SHA256(data)) into out[KS_SIGN_HEX_LEN + 1]. */
void ks_sign_body_hash(const void *data, size_t len, char out[KS_SIGN_HEX_LEN + 1]);

/*
 * X-Signature for one request: hex HMAC-SHA256(secret, METHOD \n PATH \n
 * KIOSK \n TIMESTAMP \n NONCE \n hex(SHA256(body))) into out. Returns 0, or
 * KS_E_INVAL when a field contains a newline or is empty, KS_E_NOMEM.
 */
int ks_sign_request(const uint8_t secret[KS_SIGN_SECRET_LEN], const char *method, const char *path,
                    const char *kiosk_id, long long timestamp, const char *nonce, const void *body,
                    size_t body_len, char out[KS_SIGN_HEX_LEN + 1]);

/* Constant-time comparison of two signatures (hex strings). Returns 1 when equal. */
int ks_sign_equal(const char *a, const char *b);

/* A fresh random nonce: KS_SIGN_NONCE_LEN lower-case hex chars. 0 or KS_E_IO. */
int ks_sign_nonce(char out[KS_SIGN_NONCE_LEN + 1]);

/* A random UUID v4 (lower case, 36 chars) for Idempotency-Key. 0 or KS_E_IO. */
int ks_sign_uuid4(char out[37]);

/*
 * Reads a device secret file: 64 hex chars and an optional newline. Refuses a
 * file readable or writable by group or others (KS_E_STATE, with a reason in
 * err), a bad format (KS_E_PARSE) or an unreadable file (KS_E_IO).
 */
int ks_sign_load_secret(const char *path, uint8_t secret[KS_SIGN_SECRET_LEN], char *err,
                        size_t errlen);

/* Parses 64 hex chars into a secret. 0 or KS_E_PARSE. */
int ks_sign_parse_secret(const char *hex, size_t len, uint8_t secret[KS_SIGN_SECRET_LEN]);

#endif
