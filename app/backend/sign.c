/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "sign.h"

#include "error.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

static const char HEX[] = "0123456789abcdef";

static void to_hex(const uint8_t *in, size_t n, char *out)
{
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = HEX[in[i] >> 4];
        out[2 * i + 1] = HEX[in[i] & 15];
    }
    out[2 * n] = '\0';
}

void ks_sign_body_hash(const void *data, size_t len, char out[KS_SIGN_HEX_LEN + 1])
{
    uint8_t md[32];
    unsigned int mdlen = 0;
    EVP_Digest(len ? data : "", len, md, &mdlen, EVP_sha256(), NULL);
    to_hex(md, sizeof md, out);
}

static int field_ok(const char *s)
{
    return s && s[0] && !strchr(s, '\n');
}

int ks_sign_request(const uint8_t secret[KS_SIGN_SECRET_LEN], const char *method, const char *path,
                    const char *kiosk_id, long long timestamp, const char *nonce, const void *body,
                    size_t body_len, char out[KS_SIGN_HEX_LEN + 1])
{
    if (!field_ok(method) || !field_ok(path) || !field_ok(kiosk_id) || !field_ok(nonce))
        return KS_E_INVAL;
    char body_hash[KS_SIGN_HEX_LEN + 1];
    ks_sign_body_hash(body, body_len, body_hash);

    int n = snprintf(NULL, 0, "%s\n%s\n%s\n%lld\n%s\n%s", method, path, kiosk_id, timestamp, nonce,
                     body_hash);
    if (n < 0)
        return KS_E_INVAL;
    char *msg = malloc((size_t)n + 1);
    if (!msg)
        return KS_E_NOMEM;
    snprintf(msg, (size_t)n + 1, "%s\n%s\n%s\n%lld\n%s\n%s", method, path, kiosk_id, timestamp,
             nonce, body_hash);

    uint8_t mac[EVP_MAX_MD_SIZE];
    unsigned int maclen = 0;
    const uint8_t *ok = HMAC(EVP_sha256(), secret, KS_SIGN_SECRET_LEN, (const uint8_t *)msg,
                             (size_t)n, mac, &maclen);
    /* The hash of a lookup body could be brute-forced back to its ID number: wipe it. */
    explicit_bzero(msg, (size_t)n);
    explicit_bzero(body_hash, sizeof body_hash);
    free(msg);
    if (!ok || maclen != 32)
        return KS_E_NOMEM;
    to_hex(mac, 32, out);
    return KS_OK;
}

int ks_sign_equal(const char *a, const char *b)
{
    if (!a || !b)
        return 0;
    size_t la = strlen(a), lb = strlen(b);
    if (la != KS_SIGN_HEX_LEN || lb != KS_SIGN_HEX_LEN)
        return 0;
    return CRYPTO_memcmp(a, b, KS_SIGN_HEX_LEN) == 0;
}

static int random_bytes(uint8_t *buf, size_t n)
{
    size_t got = 0;
    while (got < n) {
        ssize_t r = getrandom(buf + got, n - got, 0);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            return KS_E_IO;
        }
        got += (size_t)r;
    }
    return KS_OK;
}

int ks_sign_nonce(char out[KS_SIGN_NONCE_LEN + 1])
{
    uint8_t raw[KS_SIGN_NONCE_LEN / 2];
    if (random_bytes(raw, sizeof raw) < 0)
        return KS_E_IO;
    to_hex(raw, sizeof raw, out);
    return KS_OK;
}

int ks_sign_uuid4(char out[37])
{
    uint8_t r[16];
    if (random_bytes(r, sizeof r) < 0)
        return KS_E_IO;
    r[6] = (uint8_t)((r[6] & 0x0f) | 0x40); /* version 4 */
    r[8] = (uint8_t)((r[8] & 0x3f) | 0x80); /* RFC 4122 variant */
    char hex[33];
    to_hex(r, 16, hex);
    snprintf(out, 37, "%.8s-%.4s-%.4s-%.4s-%.12s", hex, hex + 8, hex + 12, hex + 16, hex + 20);
    return KS_OK;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

int ks_sign_parse_secret(const char *hex, size_t len, uint8_t secret[KS_SIGN_SECRET_LEN])
{
    if (len == KS_SIGN_HEX_LEN + 1 && hex[KS_SIGN_HEX_LEN] == '\n')
        len--;
    if (len != KS_SIGN_HEX_LEN)
        return KS_E_PARSE;
    for (size_t i = 0; i < KS_SIGN_SECRET_LEN; i++) {
        int hi = hexval(hex[2 * i]), lo = hexval(hex[2 * i + 1]);
        if (hi < 0 || lo < 0)
            return KS_E_PARSE;
        secret[i] = (uint8_t)(hi << 4 | lo);
    }
    return KS_OK;
}

int ks_sign_load_secret(const char *path, uint8_t secret[KS_SIGN_SECRET_LEN], char *err,
                        size_t errlen)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return KS_E_IO;
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        snprintf(err, errlen, "%s: not a regular file", path);
        close(fd);
        return KS_E_IO;
    }
    if (st.st_mode & (S_IRWXG | S_IRWXO)) {
        snprintf(err, errlen, "%s: readable or writable by group or others (mode %03o); chmod 600",
                 path, (unsigned)(st.st_mode & 0777));
        close(fd);
        return KS_E_STATE;
    }
    char buf[KS_SIGN_HEX_LEN + 2];
    ssize_t n = read(fd, buf, sizeof buf);
    close(fd);
    int rc = n < 0 ? KS_E_IO : ks_sign_parse_secret(buf, (size_t)n, secret);
    explicit_bzero(buf, sizeof buf);
    if (rc < 0)
        snprintf(err, errlen, "%s: expected 64 hex characters and an optional newline", path);
    return rc;
}
