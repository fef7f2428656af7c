/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "escpos.h"

#include "error.h"

#include <errno.h>
#include <iconv.h>
#include <qrencode.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define ESC 0x1B
#define GS  0x1D
#define FS  0x1C
#define LF  0x0A

#define RASTER_MAX_DOTS 576 /* the printable width of 80 mm paper at 203 dpi */

struct ks_escpos {
    unsigned char *buf;
    size_t len, cap;
    iconv_t cd; /* UTF-8 → GB18030 */
};

ks_escpos_t *ks_escpos_new(void)
{
    ks_escpos_t *e = calloc(1, sizeof *e);
    if (!e)
        return NULL;
    e->cd = iconv_open("GB18030", "UTF-8");
    if (e->cd == (iconv_t)-1) {
        free(e);
        return NULL;
    }
    return e;
}

void ks_escpos_free(ks_escpos_t *e)
{
    if (!e)
        return;
    if (e->buf)
        explicit_bzero(e->buf, e->cap);
    free(e->buf);
    iconv_close(e->cd);
    free(e);
}

const unsigned char *ks_escpos_data(const ks_escpos_t *e, size_t *len)
{
    *len = e->len;
    return e->buf;
}

/* Room for n more bytes. */
static int reserve(ks_escpos_t *e, size_t n)
{
    if (n > SIZE_MAX / 2 - e->len)
        return KS_E_NOMEM;
    if (e->len + n <= e->cap)
        return KS_OK;
    size_t cap = e->cap ? e->cap : 256;
    while (cap < e->len + n)
        cap *= 2;
    unsigned char *b = malloc(cap);
    if (!b)
        return KS_E_NOMEM;
    if (e->buf) {
        memcpy(b, e->buf, e->len);
        explicit_bzero(e->buf, e->cap); /* the old copy is wiped, not left in the heap */
        free(e->buf);
    }
    e->buf = b;
    e->cap = cap;
    return KS_OK;
}

static int put(ks_escpos_t *e, const unsigned char *bytes, size_t n)
{
    int rc = reserve(e, n);
    if (rc != KS_OK)
        return rc;
    memcpy(e->buf + e->len, bytes, n);
    e->len += n;
    return KS_OK;
}

int ks_escpos_reset(ks_escpos_t *e)
{
    static const unsigned char b[] = {ESC, '@', FS, '&'};
    return put(e, b, sizeof b);
}

int ks_escpos_align(ks_escpos_t *e, ks_escpos_align_t a)
{
    if ((unsigned)a > KS_ESCPOS_RIGHT)
        return KS_E_INVAL;
    const unsigned char b[] = {ESC, 'a', (unsigned char)a};
    return put(e, b, sizeof b);
}

int ks_escpos_bold(ks_escpos_t *e, int on)
{
    const unsigned char b[] = {ESC, 'E', on ? 1 : 0};
    return put(e, b, sizeof b);
}

int ks_escpos_size(ks_escpos_t *e, int width, int height)
{
    if (width < 1 || width > 8 || height < 1 || height > 8)
        return KS_E_INVAL;
    const unsigned char b[] = {GS, '!', (unsigned char)(((width - 1) << 4) | (height - 1))};
    return put(e, b, sizeof b);
}

int ks_escpos_text(ks_escpos_t *e, const char *utf8)
{
    if (!utf8)
        return KS_E_INVAL;
    size_t n = strlen(utf8);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)utf8[i];
        /* Control bytes would be printer commands: only line feeds pass. */
        if ((c < 0x20 && c != '\n') || c == 0x7F)
            return KS_E_INVAL;
    }
    /* GB18030 needs at most 4 bytes per character, and a character is at least 1 byte. */
    int rc = reserve(e, n * 4 + 4);
    if (rc != KS_OK)
        return rc;
    char *in = (char *)(uintptr_t)utf8; /* iconv's signature; the input is not written */
    size_t in_left = n;
    char *out = (char *)e->buf + e->len;
    size_t out_left = e->cap - e->len;
    iconv(e->cd, NULL, NULL, NULL, NULL);
    if (iconv(e->cd, &in, &in_left, &out, &out_left) == (size_t)-1) {
        /* GB18030 encodes every code point: a failure is malformed or cut UTF-8. */
        explicit_bzero(e->buf + e->len, e->cap - e->len);
        return KS_E_INVAL;
    }
    e->len = (size_t)((unsigned char *)out - e->buf);
    return KS_OK;
}

int ks_escpos_line(ks_escpos_t *e, const char *utf8)
{
    size_t before = e->len;
    int rc = ks_escpos_text(e, utf8);
    if (rc == KS_OK) {
        static const unsigned char lf[] = {LF};
        rc = put(e, lf, 1);
        if (rc != KS_OK)
            e->len = before;
    }
    return rc;
}

int ks_escpos_feed(ks_escpos_t *e, int lines)
{
    if (lines < 0 || lines > 255)
        return KS_E_INVAL;
    const unsigned char b[] = {ESC, 'd', (unsigned char)lines};
    return put(e, b, sizeof b);
}

int ks_escpos_cut(ks_escpos_t *e, int feed_dots)
{
    if (feed_dots < 0 || feed_dots > 255)
        return KS_E_INVAL;
    const unsigned char b[] = {GS, 'V', 66, (unsigned char)feed_dots};
    return put(e, b, sizeof b);
}

/* GS ( k pL pH cn fn [params]: one QR function with its parameter bytes. */
static int qr_function(ks_escpos_t *e, unsigned char fn, const unsigned char *p, size_t n)
{
    size_t plen = n + 2; /* cn and fn count */
    const unsigned char head[] = {
        GS, '(', 'k', (unsigned char)(plen & 0xFF), (unsigned char)(plen >> 8), 49 /* cn: QR */,
        fn};
    int rc = put(e, head, sizeof head);
    return rc == KS_OK && n ? put(e, p, n) : rc;
}

int ks_escpos_qr(ks_escpos_t *e, const char *data, int module_dots)
{
    size_t n = data ? strlen(data) : 0;
    if (n < 1 || n > 7089 || module_dots < 1 || module_dots > 16)
        return KS_E_INVAL;
    size_t before = e->len;
    const unsigned char model[] = {50 /* model 2 */, 0};
    const unsigned char size[] = {(unsigned char)module_dots};
    const unsigned char ecc[] = {49 /* M */};
    const unsigned char print[] = {48};
    unsigned char m = 48;
    int rc = qr_function(e, 65, model, sizeof model);
    if (rc == KS_OK)
        rc = qr_function(e, 67, size, sizeof size);
    if (rc == KS_OK)
        rc = qr_function(e, 69, ecc, sizeof ecc);
    if (rc == KS_OK) {
        /* Store: fn 80, m = 48, then the data (pL pH count m and the data too). */
        size_t plen = n + 3;
        const unsigned char head[] = {
            GS, '(', 'k', (unsigned char)(plen & 0xFF), (unsigned char)(plen >> 8), 49, 80, m};
        rc = put(e, head, sizeof head);
        if (rc == KS_OK)
            rc = put(e, (const unsigned char *)data, n);
    }
    if (rc == KS_OK)
        rc = qr_function(e, 81, print, sizeof print);
    if (rc != KS_OK)
        e->len = before;
    return rc;
}

int ks_escpos_qr_raster(ks_escpos_t *e, const char *data, int module_dots)
{
    if (!data || !*data || module_dots < 1 || module_dots > 16)
        return KS_E_INVAL;
    QRcode *qr = QRcode_encodeString(data, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    if (!qr)
        return errno == ENOMEM ? KS_E_NOMEM : KS_E_INVAL;
    int modules = qr->width + 8; /* a quiet zone of 4 modules on each side */
    int dots = modules * module_dots;
    if (dots > RASTER_MAX_DOTS) {
        QRcode_free(qr);
        return KS_E_INVAL;
    }
    int row_bytes = (dots + 7) / 8;
    size_t before = e->len;
    const unsigned char head[] = {GS,
                                  'v',
                                  '0',
                                  0 /* normal density */,
                                  (unsigned char)(row_bytes & 0xFF),
                                  (unsigned char)(row_bytes >> 8),
                                  (unsigned char)(dots & 0xFF),
                                  (unsigned char)(dots >> 8)};
    int rc = put(e, head, sizeof head);
    if (rc == KS_OK)
        rc = reserve(e, (size_t)row_bytes * (size_t)dots);
    for (int y = 0; rc == KS_OK && y < dots; y++) {
        unsigned char *row = e->buf + e->len;
        memset(row, 0, (size_t)row_bytes);
        int my = y / module_dots - 4;
        for (int x = 0; x < dots; x++) {
            int mx = x / module_dots - 4;
            int dark = mx >= 0 && my >= 0 && mx < qr->width && my < qr->width &&
                       (qr->data[my * qr->width + mx] & 1);
            if (dark)
                row[x / 8] |= (unsigned char)(0x80 >> (x % 8));
        }
        e->len += (size_t)row_bytes;
    }
    explicit_bzero(qr->data, (size_t)qr->width * (size_t)qr->width);
    QRcode_free(qr);
    if (rc != KS_OK)
        e->len = before;
    return rc;
}
