/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The social security card profile (ssc.h). The byte layout is not confirmed
 * on real third-generation cards (see cards.md), so everything the card says
 * is checked: status words, TLV lengths, text encoding, and the ID number
 * against the birth date and sex records. Reasons for the log name the step
 * and the status word, never a value read from the card.
 */
#include "ssc.h"
#include "error.h"
#include "identity.h"
#include "idnum.h"

#include <errno.h>
#include <iconv.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

/* Room for one record: a short APDU answer is at most 256 bytes. */
#define REC_MAX 256

/* "sx1.sh." + GBK "社会保障": the SSSE application. */
static const uint8_t select_ssse[] = {0x00, 0xA4, 0x04, 0x00, 0x0F, 0x73, 0x78, 0x31, 0x2E, 0x73,
                                      0x68, 0x2E, 0xC9, 0xE7, 0xBB, 0xE1, 0xB1, 0xA3, 0xD5, 0xCF};
static const uint8_t select_ef05[] = {0x00, 0xA4, 0x02, 0x00, 0x02, 0xEF, 0x05};
static const uint8_t select_ef06[] = {0x00, 0xA4, 0x02, 0x00, 0x02, 0xEF, 0x06};

static void set_why(char *why, size_t whylen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void set_why(char *why, size_t whylen, const char *fmt, ...)
{
    if (why == NULL || whylen == 0)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, whylen, fmt, ap);
    va_end(ap);
}

static int is_pad(uint8_t b)
{
    return b == 0x00 || b == 0x20 || b == 0xFF;
}

/* Narrows v[0..*len) to the part between leading and trailing padding. */
static const uint8_t *trim_pad(const uint8_t *v, size_t *len)
{
    size_t n = *len;
    while (n > 0 && is_pad(v[0])) {
        v++;
        n--;
    }
    while (n > 0 && is_pad(v[n - 1]))
        n--;
    *len = n;
    return v;
}

int ks_ssc_parse_tlv(uint8_t tag, const uint8_t *rec, size_t len, const uint8_t **value,
                     size_t *vlen)
{
    if (rec == NULL || len < 2 || rec[0] != tag)
        return KS_E_PARSE;
    size_t l = rec[1];
    if (l > len - 2)
        return KS_E_PARSE;
    for (size_t i = 2 + l; i < len; i++)
        if (!is_pad(rec[i]))
            return KS_E_PARSE;
    if (value != NULL)
        *value = rec + 2;
    if (vlen != NULL)
        *vlen = l;
    return KS_OK;
}

int ks_ssc_decode_text(const uint8_t *v, size_t vlen, char *out, size_t outlen)
{
    if (out == NULL || outlen == 0)
        return KS_E_TOOBIG;
    out[0] = '\0';
    if (v == NULL)
        return KS_E_PARSE;
    v = trim_pad(v, &vlen);
    if (vlen == 0)
        return KS_E_PARSE;
    if (vlen > REC_MAX)
        return KS_E_TOOBIG;

    /* iconv wants a char ** it could write through: give it a private copy. */
    char in[REC_MAX];
    memcpy(in, v, vlen);
    iconv_t cd = iconv_open("UTF-8", "GB18030");
    if (cd == (iconv_t)-1) {
        explicit_bzero(in, sizeof in);
        return KS_E_IO;
    }
    char *ip = in, *op = out;
    size_t ileft = vlen, oleft = outlen - 1;
    size_t n = iconv(cd, &ip, &ileft, &op, &oleft);
    int err = errno;
    iconv_close(cd);
    explicit_bzero(in, sizeof in);

    int rc = KS_OK;
    if (n == (size_t)-1)
        rc = err == E2BIG ? KS_E_TOOBIG : KS_E_PARSE; /* EILSEQ, or EINVAL: cut sequence */
    *op = '\0';
    /* A control character (C0, DEL, or C1: U+0080-U+009F) inside a name is garbage. */
    for (const unsigned char *c = (const unsigned char *)out; rc == KS_OK && *c != '\0'; c++)
        if (*c < 0x20 || *c == 0x7F || (c[0] == 0xC2 && c[1] >= 0x80 && c[1] <= 0x9F))
            rc = KS_E_PARSE;
    if (rc == KS_OK && (size_t)(op - out) != strlen(out))
        rc = KS_E_PARSE; /* an embedded NUL */
    if (rc != KS_OK)
        explicit_bzero(out, outlen);
    return rc;
}

/* Today as YYYYMMDD in local time (an ID number's birth date cannot be later). */
static int today_yyyymmdd(void)
{
    time_t now = time(NULL);
    struct tm tm;
    if (localtime_r(&now, &tm) == NULL)
        return 0;
    return (tm.tm_year + 1900) * 10000 + (tm.tm_mon + 1) * 100 + tm.tm_mday;
}

/* Copies a trimmed ASCII field of allowed characters into out[outlen]; KS_E_PARSE if not. */
static int ascii_field(const uint8_t *v, size_t vlen, char *out, size_t outlen, int digits_only)
{
    v = trim_pad(v, &vlen);
    if (vlen == 0 || vlen >= outlen)
        return KS_E_PARSE;
    for (size_t i = 0; i < vlen; i++) {
        uint8_t c = v[i];
        int digit = c >= '0' && c <= '9';
        int alpha = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
        if (!digit && (digits_only || !alpha))
            return KS_E_PARSE;
        out[i] = (char)c;
    }
    out[vlen] = '\0';
    return KS_OK;
}

/* Four BCD bytes YYYYMMDD as an integer, or -1 for a nibble above 9. */
static int bcd_date(const uint8_t *v)
{
    int value = 0;
    for (int i = 0; i < 4; i++) {
        int hi = v[i] >> 4, lo = v[i] & 0x0F;
        if (hi > 9 || lo > 9)
            return -1;
        value = value * 100 + hi * 10 + lo;
    }
    return value;
}

/* The checks of ks_ssc_make_identity(); the caller wipes `id` on failure. */
static ks_card_result_t make_identity(const uint8_t *idnum, size_t idlen, const uint8_t *name,
                                      size_t namelen, const uint8_t *sex, size_t sexlen,
                                      const uint8_t *birth, size_t birthlen, const uint8_t *nation,
                                      size_t nationlen, const uint8_t *cardno, size_t cardlen,
                                      ks_identity_t *id, ks_idnum_info_t *info, char *why,
                                      size_t whylen)
{
    if (idnum == NULL) {
        set_why(why, whylen, "no ID number record");
        return KS_CARD_BAD_DATA;
    }
    /* The number may carry a lower-case x and padding: check the trimmed 18 bytes. */
    const uint8_t *num = trim_pad(idnum, &idlen);
    if (idlen != 18) {
        set_why(why, whylen, "ID number record: not 18 characters");
        return KS_CARD_BAD_DATA;
    }
    memcpy(id->idnum, num, 18);
    id->idnum[18] = '\0';
    if (id->idnum[17] == 'x')
        id->idnum[17] = 'X';
    ks_idnum_status_t st = ks_idnum_validate(id->idnum, today_yyyymmdd(), info);
    if (st != KS_IDNUM_OK) {
        set_why(why, whylen, "ID number record: %s", ks_idnum_status_str(st));
        return KS_CARD_BAD_DATA;
    }
    int id_birth = info->year * 10000 + info->month * 100 + info->day;
    id->birth_yyyymmdd = id_birth;
    id->sex = info->sex;

    if (name == NULL) {
        set_why(why, whylen, "no name record");
        return KS_CARD_BAD_DATA;
    }
    int rc = ks_ssc_decode_text(name, namelen, id->name, sizeof id->name);
    if (rc != KS_OK) {
        set_why(why, whylen, "name record: %s",
                rc == KS_E_TOOBIG ? "too long" : "empty or not GB18030 text");
        return KS_CARD_BAD_DATA;
    }

    /* Sex and birth date are optional, but when present they must agree with the number. */
    if (sex != NULL) {
        char s[2];
        if (ascii_field(sex, sexlen, s, sizeof s, 1) != KS_OK || (s[0] != '1' && s[0] != '2')) {
            set_why(why, whylen, "sex record: not '1' or '2'");
            return KS_CARD_BAD_DATA;
        }
        if ((s[0] == '1' ? KS_SEX_MALE : KS_SEX_FEMALE) != info->sex) {
            set_why(why, whylen, "sex record disagrees with the ID number");
            return KS_CARD_BAD_DATA;
        }
    }
    if (birth != NULL) {
        if (birthlen != 4 || bcd_date(birth) < 0) {
            set_why(why, whylen, "birth date record: not 4 BCD bytes");
            return KS_CARD_BAD_DATA;
        }
        if (bcd_date(birth) != id_birth) {
            set_why(why, whylen, "birth date record disagrees with the ID number");
            return KS_CARD_BAD_DATA;
        }
    }
    if (nation != NULL) {
        if (ascii_field(nation, nationlen, id->nation, sizeof id->nation, 1) != KS_OK ||
            strlen(id->nation) != 2) {
            set_why(why, whylen, "nation record: not a 2-digit code");
            return KS_CARD_BAD_DATA;
        }
    }
    if (cardno != NULL) {
        if (ascii_field(cardno, cardlen, id->card_number, sizeof id->card_number, 0) != KS_OK) {
            set_why(why, whylen, "card number record: not 1-31 letters and digits");
            return KS_CARD_BAD_DATA;
        }
    }
    set_why(why, whylen, "ok");
    return KS_CARD_OK;
}

/*
 * The ID number and the name are required; sex, birth date, nation and card
 * number may be NULL (sex and birth date then come from the number).
 */
ks_card_result_t ks_ssc_make_identity(const uint8_t *idnum, size_t idlen, const uint8_t *name,
                                      size_t namelen, const uint8_t *sex, size_t sexlen,
                                      const uint8_t *birth, size_t birthlen, const uint8_t *nation,
                                      size_t nationlen, const uint8_t *cardno, size_t cardlen,
                                      ks_identity_t *id, char *why, size_t whylen)
{
    if (why != NULL && whylen > 0)
        why[0] = '\0';
    if (id == NULL) {
        set_why(why, whylen, "no identity to fill");
        return KS_CARD_BAD_DATA;
    }
    ks_identity_wipe(id);
    ks_idnum_info_t info;
    ks_card_result_t r = make_identity(idnum, idlen, name, namelen, sex, sexlen, birth, birthlen,
                                       nation, nationlen, cardno, cardlen, id, &info, why, whylen);
    explicit_bzero(&info, sizeof info); /* the birth date and sex */
    if (r != KS_CARD_OK)
        ks_identity_wipe(id);
    return r;
}

/* One record as read: the TLV value inside `buf`. */
typedef struct {
    uint8_t buf[REC_MAX];
    const uint8_t *value;
    size_t len;
} record_t;

/* The records the profile reads, in order; `file` 5 or 6 is EF05 or EF06. */
static const struct {
    uint8_t file, tag;
} wanted[] = {
    {5, KS_SSC_TAG_CARD_NUMBER}, {6, KS_SSC_TAG_IDNUM},  {6, KS_SSC_TAG_NAME},
    {6, KS_SSC_TAG_SEX},         {6, KS_SSC_TAG_NATION}, {6, KS_SSC_TAG_BIRTH},
};
#define N_WANTED (sizeof wanted / sizeof wanted[0])

/* Maps a failed exchange to a result: KS_E_IO and short replies mean the card went away. */
static ks_card_result_t exchange_failed(int rc, const char *step, char *why, size_t whylen)
{
    switch (rc) {
    case KS_E_IO:
        set_why(why, whylen, "%s: card or transport gone", step);
        return KS_CARD_REMOVED;
    case KS_E_PARSE:
        set_why(why, whylen, "%s: reply shorter than 2 bytes (card pulled?)", step);
        return KS_CARD_REMOVED;
    case KS_E_TOOBIG:
        set_why(why, whylen, "%s: reply longer than %d bytes", step, REC_MAX);
        return KS_CARD_BAD_DATA;
    default:
        set_why(why, whylen, "%s: transport error (%s)", step, ks_strerror(rc));
        return KS_CARD_IO_ERROR;
    }
}

/* SELECT; any status word but 9000 gives `refused`. */
static ks_card_result_t select_file(const ks_card_io_t *io, const uint8_t *cmd, size_t clen,
                                    const char *step, ks_card_result_t refused, record_t *scratch,
                                    char *why, size_t whylen, int *apdus)
{
    size_t dlen;
    uint16_t sw;
    int rc = ks_apdu_exchange(io, cmd, clen, scratch->buf, sizeof scratch->buf, &dlen, &sw, apdus);
    if (rc != KS_OK)
        return exchange_failed(rc, step, why, whylen);
    if (sw != 0x9000) {
        set_why(why, whylen, "%s: status %04X", step, sw);
        return refused;
    }
    return KS_CARD_OK;
}

/* READ RECORD by tag with Le 00 (the card corrects it with 6Cxx if it wants). */
static ks_card_result_t read_record(const ks_card_io_t *io, uint8_t tag, record_t *rec, char *why,
                                    size_t whylen, int *apdus)
{
    const uint8_t cmd[5] = {0x00, 0xB2, tag, 0x00, 0x00};
    char step[32];
    snprintf(step, sizeof step, "READ RECORD %02X", tag);
    size_t dlen;
    uint16_t sw;
    int rc = ks_apdu_exchange(io, cmd, sizeof cmd, rec->buf, sizeof rec->buf, &dlen, &sw, apdus);
    if (rc != KS_OK)
        return exchange_failed(rc, step, why, whylen);
    if (sw != 0x9000) {
        set_why(why, whylen, "%s: status %04X", step, sw);
        return KS_CARD_BAD_DATA;
    }
    if (ks_ssc_parse_tlv(tag, rec->buf, dlen, &rec->value, &rec->len) != KS_OK) {
        set_why(why, whylen, "%s: malformed TLV", step);
        return KS_CARD_BAD_DATA;
    }
    return KS_CARD_OK;
}

static ks_card_result_t read_all(const ks_card_io_t *io, record_t *recs, ks_identity_t *id,
                                 char *why, size_t whylen, int *apdus)
{
    record_t *scratch = &recs[N_WANTED];
    ks_card_result_t r = select_file(io, select_ssse, sizeof select_ssse, "SELECT SSSE",
                                     KS_CARD_NOT_RECOGNISED, scratch, why, whylen, apdus);
    uint8_t current = 0;
    for (size_t i = 0; r == KS_CARD_OK && i < N_WANTED; i++) {
        if (wanted[i].file != current) {
            current = wanted[i].file;
            if (current == 5)
                r = select_file(io, select_ef05, sizeof select_ef05, "SELECT EF05",
                                KS_CARD_BAD_DATA, scratch, why, whylen, apdus);
            else
                r = select_file(io, select_ef06, sizeof select_ef06, "SELECT EF06",
                                KS_CARD_BAD_DATA, scratch, why, whylen, apdus);
            if (r != KS_CARD_OK)
                break;
        }
        r = read_record(io, wanted[i].tag, &recs[i], why, whylen, apdus);
    }
    if (r != KS_CARD_OK)
        return r;
    /* recs[] follows wanted[]: card number, ID number, name, sex, nation, birth. */
    return ks_ssc_make_identity(recs[1].value, recs[1].len, recs[2].value, recs[2].len,
                                recs[3].value, recs[3].len, recs[5].value, recs[5].len,
                                recs[4].value, recs[4].len, recs[0].value, recs[0].len, id, why,
                                whylen);
}

static ks_card_result_t ssc_read_identity(const ks_card_io_t *io, ks_identity_t *id, char *why,
                                          size_t whylen, int *apdus)
{
    if (why != NULL && whylen > 0)
        why[0] = '\0';
    if (apdus != NULL)
        *apdus = 0;
    if (id == NULL) {
        set_why(why, whylen, "no identity to fill");
        return KS_CARD_IO_ERROR;
    }
    ks_identity_wipe(id);
    if (io == NULL || io->transmit == NULL) {
        set_why(why, whylen, "no card transport");
        return KS_CARD_IO_ERROR;
    }
    /* The records plus one scratch buffer for SELECT answers. */
    record_t recs[N_WANTED + 1];
    memset(recs, 0, sizeof recs);
    ks_card_result_t r = read_all(io, recs, id, why, whylen, apdus);
    explicit_bzero(recs, sizeof recs);
    if (r != KS_CARD_OK)
        ks_identity_wipe(id);
    return r;
}

/* The SELECT of the SSSE application alone: its answer (FCI) names no one. */
static ks_card_result_t ssc_recognise(const ks_card_io_t *io, char *why, size_t whylen)
{
    if (why != NULL && whylen > 0)
        why[0] = '\0';
    if (io == NULL || io->transmit == NULL) {
        set_why(why, whylen, "no card transport");
        return KS_CARD_IO_ERROR;
    }
    record_t scratch;
    ks_card_result_t r = select_file(io, select_ssse, sizeof select_ssse, "SELECT SSSE",
                                     KS_CARD_NOT_RECOGNISED, &scratch, why, whylen, NULL);
    explicit_bzero(&scratch, sizeof scratch);
    return r;
}

const ks_card_profile_t ks_ssc_profile = {
    .name = "social security card",
    .read_identity = ssc_read_identity,
    .recognise = ssc_recognise,
};
