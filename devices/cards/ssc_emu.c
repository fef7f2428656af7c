/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The emulated social security card (ssc_emu.h). It keeps the state a real
 * card keeps between APDUs (the selected file, a pending GET RESPONSE) and
 * builds each record on demand from the holder data, with the faults asked
 * for at creation. Short APDUs only, CLA 00.
 */
#include "ssc_emu.h"
#include "error.h"
#include "inifile.h"
#include "ssc.h"

#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define NAME_FIELD_DEFAULT 30
/* Widest name field: the corrupted length (field + 16) must still fit in one byte. */
#define NAME_FIELD_MAX 200
/* Chunk size of the answers under KS_EMU_SPLIT_61. */
#define SPLIT_CHUNK 16
/* Longest record body: tag + length + the widest value. */
#define REC_MAX (2 + NAME_FIELD_MAX)

/* Status words. */
#define SW_OK           0x9000
#define SW_WRONG_LENGTH 0x6700
#define SW_NOT_ALLOWED  0x6986 /* READ RECORD with no EF selected */
#define SW_NO_PENDING   0x6985 /* GET RESPONSE with nothing to get */
#define SW_NOT_FOUND    0x6A82
#define SW_NO_RECORD    0x6A83
#define SW_BAD_P1P2     0x6A86
#define SW_BAD_INS      0x6D00
#define SW_BAD_CLA      0x6E00
#define SW_NO_DIAGNOSIS 0x6F00

/* "sx1.sh." + GBK "社会保障". */
static const uint8_t ssse_name[] = {0x73, 0x78, 0x31, 0x2E, 0x73, 0x68, 0x2E, 0xC9,
                                    0xE7, 0xBB, 0xE1, 0xB1, 0xA3, 0xD5, 0xCF};

/* TS 3B (direct), T0 6C: TB1 TC1 present, 12 historical bytes "KS-SSC-EMU01"; T=0. */
static const uint8_t emu_atr[] = {0x3B, 0x6C, 0x00, 0x00, 0x4B, 0x53, 0x2D, 0x53,
                                  0x53, 0x43, 0x2D, 0x45, 0x4D, 0x55, 0x30, 0x31};

typedef enum { FILE_MF, FILE_SSSE, FILE_EF05, FILE_EF06 } emu_file_t;

struct ks_ssc_emu {
    ks_ssc_holder_t holder;
    unsigned faults;
    uint8_t name[NAME_FIELD_MAX]; /* GB18030, padded to name_len */
    size_t name_len;
    emu_file_t current;
    uint8_t pending[256]; /* answer still to be fetched with GET RESPONSE */
    size_t pending_len, pending_off;
};

/*
 * UTF-8 -> GB18030 into out[0..field), padded with `pad`. Returns KS_OK, or
 * KS_E_PARSE when the text is not valid UTF-8 or has no GB18030 form,
 * KS_E_TOOBIG when it does not fit the field.
 */
static int encode_name(const char *utf8, uint8_t *out, size_t field, uint8_t pad)
{
    char in[sizeof((ks_ssc_holder_t *)0)->name];
    size_t len = strnlen(utf8, sizeof in);
    if (len == 0 || len == sizeof in)
        return KS_E_PARSE;
    memcpy(in, utf8, len); /* iconv takes a char **: a writable copy */
    iconv_t cd = iconv_open("GB18030", "UTF-8");
    if (cd == (iconv_t)-1) {
        explicit_bzero(in, sizeof in);
        return KS_E_IO;
    }
    char *ip = in, *op = (char *)out;
    size_t ileft = len, oleft = field;
    size_t n = iconv(cd, &ip, &ileft, &op, &oleft);
    int err = errno;
    iconv_close(cd);
    explicit_bzero(in, sizeof in);
    if (n == (size_t)-1)
        return err == E2BIG ? KS_E_TOOBIG : KS_E_PARSE;
    memset(op, pad, oleft);
    return KS_OK;
}

/* Copies a possibly unterminated holder string field into a terminated one. */
static void copy_field(char *dst, const char *src, size_t size)
{
    size_t n = strnlen(src, size - 1);
    memcpy(dst, src, n);
    memset(dst + n, 0, size - n);
}

ks_ssc_emu_t *ks_ssc_emu_new(const ks_ssc_holder_t *holder, unsigned faults)
{
    if (holder == NULL)
        return NULL;
    int field = holder->name_field > 0 ? holder->name_field : NAME_FIELD_DEFAULT;
    if (field > NAME_FIELD_MAX)
        return NULL;
    ks_ssc_emu_t *emu = calloc(1, sizeof *emu);
    if (emu == NULL)
        return NULL;
    emu->holder = *holder;
    emu->holder.name_field = field;
    copy_field(emu->holder.name, holder->name, sizeof emu->holder.name);
    copy_field(emu->holder.idnum, holder->idnum, sizeof emu->holder.idnum);
    copy_field(emu->holder.card_number, holder->card_number, sizeof emu->holder.card_number);
    copy_field(emu->holder.nation, holder->nation, sizeof emu->holder.nation);
    emu->faults = faults;
    emu->name_len = (size_t)field;
    if (encode_name(emu->holder.name, emu->name, emu->name_len, holder->name_pad) != KS_OK) {
        ks_ssc_emu_free(emu);
        return NULL;
    }
    return emu;
}

void ks_ssc_emu_free(ks_ssc_emu_t *emu)
{
    if (emu == NULL)
        return;
    explicit_bzero(emu, sizeof *emu); /* holder data, even if made up */
    free(emu);
}

/* Copies the ATR when it fits in cap bytes; returns its length, or 0 when it does not fit. */
size_t ks_ssc_emu_atr(const ks_ssc_emu_t *emu, uint8_t *atr, size_t cap)
{
    (void)emu;
    if (atr == NULL || cap < sizeof emu_atr)
        return 0;
    memcpy(atr, emu_atr, sizeof emu_atr);
    return sizeof emu_atr;
}

void ks_ssc_emu_reset(ks_ssc_emu_t *emu)
{
    if (emu == NULL)
        return;
    emu->current = FILE_MF;
    explicit_bzero(emu->pending, sizeof emu->pending);
    emu->pending_len = emu->pending_off = 0;
}

/* Writes a date as 4 BCD bytes. */
static void put_bcd(uint8_t *out, int yyyymmdd)
{
    if (yyyymmdd < 0 || yyyymmdd > 99999999)
        yyyymmdd = 0;
    for (int i = 3; i >= 0; i--) {
        int two = yyyymmdd % 100;
        out[i] = (uint8_t)((two / 10) << 4 | two % 10);
        yyyymmdd /= 100;
    }
}

/* Appends a TLV with value v[0..len) to out at *pos. */
static void put_tlv(uint8_t *out, size_t *pos, uint8_t tag, const void *v, size_t len)
{
    out[(*pos)++] = tag;
    out[(*pos)++] = (uint8_t)len;
    memcpy(out + *pos, v, len);
    *pos += len;
}

/* The ID number with a wrong check character (the next one in 0-9, X). */
static void spoil_check_char(char *id)
{
    static const char cycle[] = "0123456789X0";
    const char *at = strchr(cycle, id[17] == 'x' ? 'X' : id[17]);
    id[17] = at != NULL && id[17] != '\0' ? at[1] : '0';
}

/*
 * Builds record `tag` of the selected EF into out[REC_MAX]. Returns its
 * length, or 0 when the EF has no such record.
 */
static size_t build_record(const ks_ssc_emu_t *emu, uint8_t tag, uint8_t *out)
{
    const ks_ssc_holder_t *h = &emu->holder;
    uint8_t bcd[4];
    size_t pos = 0;
    if (emu->current == FILE_EF05) {
        switch (tag) {
        case KS_SSC_TAG_CARD_ID: {
            /* Card identifier: the holder's region code and a fixed serial. */
            char cid[17];
            snprintf(cid, sizeof cid, "%.6s%s", h->idnum, "D156000005");
            put_tlv(out, &pos, tag, cid, strlen(cid));
            explicit_bzero(cid, sizeof cid);
            return pos;
        }
        case KS_SSC_TAG_ISSUED:
            put_bcd(bcd, 20200101);
            put_tlv(out, &pos, tag, bcd, sizeof bcd);
            return pos;
        case KS_SSC_TAG_EXPIRES:
            put_bcd(bcd, 20300101);
            put_tlv(out, &pos, tag, bcd, sizeof bcd);
            return pos;
        case KS_SSC_TAG_CARD_NUMBER:
            put_tlv(out, &pos, tag, h->card_number, strlen(h->card_number));
            return pos;
        default:
            return 0;
        }
    }
    if (emu->current != FILE_EF06)
        return 0;
    switch (tag) {
    case KS_SSC_TAG_IDNUM: {
        char id[sizeof h->idnum];
        memcpy(id, h->idnum, sizeof id);
        if ((emu->faults & KS_EMU_BAD_CHECKSUM) && strlen(id) == 18)
            spoil_check_char(id);
        put_tlv(out, &pos, tag, id, strlen(id));
        explicit_bzero(id, sizeof id);
        return pos;
    }
    case KS_SSC_TAG_NAME:
        put_tlv(out, &pos, tag, emu->name, emu->name_len);
        if (emu->faults & KS_EMU_CORRUPT_NAME)
            out[1] = (uint8_t)(emu->name_len + 16); /* runs past the end of the record */
        return pos;
    case KS_SSC_TAG_SEX:
        put_tlv(out, &pos, tag, &h->sex, 1);
        return pos;
    case KS_SSC_TAG_NATION:
        put_tlv(out, &pos, tag, h->nation, strlen(h->nation));
        return pos;
    case KS_SSC_TAG_BIRTHPLACE:
        put_tlv(out, &pos, tag, h->idnum, strnlen(h->idnum, 6));
        return pos;
    case KS_SSC_TAG_BIRTH:
        /* A year later than the number says, for KS_EMU_BIRTH_MISMATCH. */
        put_bcd(bcd, h->birth_yyyymmdd + ((emu->faults & KS_EMU_BIRTH_MISMATCH) ? 10000 : 0));
        put_tlv(out, &pos, tag, bcd, sizeof bcd);
        return pos;
    default:
        return 0;
    }
}

/* Writes SW1 SW2 alone. */
static size_t status(uint8_t *rapdu, uint16_t sw)
{
    rapdu[0] = (uint8_t)(sw >> 8);
    rapdu[1] = (uint8_t)sw;
    return 2;
}

static void drop_pending(ks_ssc_emu_t *emu)
{
    explicit_bzero(emu->pending, sizeof emu->pending);
    emu->pending_len = emu->pending_off = 0;
}

/* 61xx for what is left of the pending answer, announced a chunk at a time. */
static uint16_t more_data(const ks_ssc_emu_t *emu)
{
    size_t left = emu->pending_len - emu->pending_off;
    return (uint16_t)(0x6100 | (left < SPLIT_CHUNK ? left : SPLIT_CHUNK));
}

/*
 * Answers with data + 9000; under KS_EMU_SPLIT_61 with 61xx alone, the data
 * waiting for GET RESPONSE. 6F00 when the answer does not fit rcap.
 */
static size_t answer(ks_ssc_emu_t *emu, const uint8_t *data, size_t len, uint8_t *rapdu,
                     size_t rcap)
{
    if ((emu->faults & KS_EMU_SPLIT_61) && len > 0 && len <= sizeof emu->pending) {
        memcpy(emu->pending, data, len);
        emu->pending_len = len;
        emu->pending_off = 0;
        return status(rapdu, more_data(emu));
    }
    if (len > rcap - 2)
        return status(rapdu, SW_NO_DIAGNOSIS);
    if (len > 0)
        memcpy(rapdu, data, len);
    return len + status(rapdu + len, SW_OK);
}

/* GET RESPONSE: the next piece of the pending answer (Le 0 means up to 256). */
static size_t get_response(ks_ssc_emu_t *emu, size_t le, uint8_t *rapdu, size_t rcap)
{
    if (emu->pending_len == 0)
        return status(rapdu, SW_NO_PENDING);
    size_t left = emu->pending_len - emu->pending_off;
    size_t n = left < SPLIT_CHUNK ? left : SPLIT_CHUNK;
    if (le != 0 && le < n)
        n = le;
    if (n > rcap - 2)
        return status(rapdu, SW_NO_DIAGNOSIS);
    memcpy(rapdu, emu->pending + emu->pending_off, n);
    emu->pending_off += n;
    if (emu->pending_off == emu->pending_len) {
        drop_pending(emu);
        return n + status(rapdu + n, SW_OK);
    }
    return n + status(rapdu + n, more_data(emu));
}

/* A short C-APDU taken apart (ISO 7816-3 cases 1-4). */
typedef struct {
    uint8_t cla, ins, p1, p2;
    const uint8_t *data;
    size_t lc;
    int has_le;
    size_t le; /* 1-256 when has_le */
} apdu_t;

static int parse_apdu(const uint8_t *c, size_t n, apdu_t *a)
{
    if (n < 4)
        return -1;
    *a = (apdu_t){c[0], c[1], c[2], c[3], NULL, 0, 0, 0};
    if (n == 4)
        return 0;
    if (n == 5) {
        a->has_le = 1;
        a->le = c[4] != 0 ? c[4] : 256;
        return 0;
    }
    a->lc = c[4];
    a->data = c + 5;
    if (a->lc == 0 || (n != 5 + a->lc && n != 6 + a->lc))
        return -1; /* extended length or an inconsistent Lc */
    if (n == 6 + a->lc) {
        a->has_le = 1;
        a->le = c[n - 1] != 0 ? c[n - 1] : 256;
    }
    return 0;
}

static size_t do_select(ks_ssc_emu_t *emu, const apdu_t *a, uint8_t *rapdu, size_t rcap)
{
    if (a->data == NULL)
        return status(rapdu, SW_WRONG_LENGTH);
    if (a->p1 == 0x04) {
        /* By DF name: only the SSSE application, and not on an "unknown" card. */
        if ((emu->faults & KS_EMU_UNKNOWN_CARD) || a->lc != sizeof ssse_name ||
            memcmp(a->data, ssse_name, sizeof ssse_name) != 0)
            return status(rapdu, SW_NOT_FOUND);
        emu->current = FILE_SSSE;
        return answer(emu, NULL, 0, rapdu, rcap);
    }
    if (a->p1 != 0x00 && a->p1 != 0x02)
        return status(rapdu, SW_BAD_P1P2);
    if (a->lc != 2)
        return status(rapdu, SW_WRONG_LENGTH);
    unsigned fid = (unsigned)a->data[0] << 8 | a->data[1];
    if (a->p1 == 0x00 && fid == 0x3F00) {
        emu->current = FILE_MF;
        return answer(emu, NULL, 0, rapdu, rcap);
    }
    /* EF05 and EF06 live in the SSSE application. */
    if (emu->current == FILE_MF || (fid != 0xEF05 && fid != 0xEF06))
        return status(rapdu, SW_NOT_FOUND);
    emu->current = fid == 0xEF05 ? FILE_EF05 : FILE_EF06;
    return answer(emu, NULL, 0, rapdu, rcap);
}

static size_t do_read_record(ks_ssc_emu_t *emu, const apdu_t *a, uint8_t *rapdu, size_t rcap)
{
    if (a->p2 != 0x00 && a->p2 != 0x04)
        return status(rapdu, SW_BAD_P1P2);
    if (a->data != NULL)
        return status(rapdu, SW_WRONG_LENGTH);
    if (emu->current != FILE_EF05 && emu->current != FILE_EF06)
        return status(rapdu, SW_NOT_ALLOWED);
    uint8_t rec[REC_MAX];
    size_t len = build_record(emu, a->p1, rec);
    if (len == 0)
        return status(rapdu, SW_NO_RECORD);
    /*
     * Le 00 (up to 256) or more than the record gets the record, unless the
     * card insists on the exact length; a shorter Le always gets 6Cxx.
     */
    int exact = a->has_le && a->le == len;
    int enough = a->has_le && a->le >= len;
    size_t n;
    if (!exact && ((emu->faults & KS_EMU_WRONG_LE) || !enough))
        n = status(rapdu, (uint16_t)(0x6C00 | len));
    else
        n = answer(emu, rec, len, rapdu, rcap);
    explicit_bzero(rec, sizeof rec);
    return n;
}

size_t ks_ssc_emu_apdu(ks_ssc_emu_t *emu, const uint8_t *capdu, size_t clen, uint8_t *rapdu,
                       size_t rcap)
{
    if (rapdu == NULL || rcap < 2)
        return 0;
    if (emu == NULL)
        return status(rapdu, SW_NO_DIAGNOSIS);
    apdu_t a;
    if (capdu == NULL || parse_apdu(capdu, clen, &a) != 0)
        return status(rapdu, SW_WRONG_LENGTH);
    if (a.cla != 0x00)
        return status(rapdu, SW_BAD_CLA);
    if (a.ins == 0xC0) {
        if (a.p1 != 0 || a.p2 != 0)
            return status(rapdu, SW_BAD_P1P2);
        if (a.data != NULL)
            return status(rapdu, SW_WRONG_LENGTH);
        return get_response(emu, a.has_le ? a.le : 0, rapdu, rcap);
    }
    /* Any other command abandons an answer not fetched. */
    drop_pending(emu);
    switch (a.ins) {
    case 0xA4:
        return do_select(emu, &a, rapdu, rcap);
    case 0xB2:
        return do_read_record(emu, &a, rapdu, rcap);
    default:
        return status(rapdu, SW_BAD_INS);
    }
}

/* ---- holder fixtures ---------------------------------------------------- */

enum { KEY_NAME, KEY_ID, KEY_CARD, KEY_SEX, KEY_NATION, KEY_BIRTH, KEY_PAD, KEY_COUNT };
static const char *const key_names[KEY_COUNT] = {"name",   "id",    "card", "sex",
                                                 "nation", "birth", "pad"};

typedef struct {
    ks_ssc_holder_t *h;
    int line[KEY_COUNT]; /* where each key was set, 0 if not yet */
} load_t;

static int all_digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return 1;
}

static int alnum_only(const char *s)
{
    for (; *s != '\0'; s++)
        if (!((*s >= '0' && *s <= '9') || (*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z')))
            return 0;
    return 1;
}

/* Checks and stores one value; the name and the ID number are never quoted back. */
static int set_key(ks_ssc_holder_t *h, ks_ini_t *ini, int key, const char *v)
{
    size_t len = strlen(v);
    switch (key) {
    case KEY_NAME: {
        if (len == 0 || len >= sizeof h->name) {
            ks_ini_fail(ini, "bad value for [holder] name (expected 1-%zu bytes of UTF-8)",
                        sizeof h->name - 1);
            return KS_E_PARSE;
        }
        uint8_t probe[NAME_FIELD_MAX];
        int rc = encode_name(v, probe, (size_t)h->name_field, 0);
        explicit_bzero(probe, sizeof probe);
        if (rc == KS_E_TOOBIG) {
            ks_ini_fail(ini, "bad value for [holder] name (longer than %d bytes in GB18030)",
                        h->name_field);
            return KS_E_PARSE;
        }
        if (rc != KS_OK) {
            ks_ini_fail(ini, "bad value for [holder] name (not UTF-8 text with a GB18030 form)");
            return KS_E_PARSE;
        }
        memcpy(h->name, v, len + 1);
        return KS_OK;
    }
    case KEY_ID:
        if (len != 18 || !all_digits(v, 17) ||
            !(all_digits(v + 17, 1) || v[17] == 'X' || v[17] == 'x')) {
            ks_ini_fail(ini, "bad value for [holder] id (expected 17 digits and a digit or X)");
            return KS_E_PARSE;
        }
        memcpy(h->idnum, v, len + 1);
        return KS_OK;
    case KEY_CARD:
        if (len == 0 || len >= sizeof h->card_number || !alnum_only(v))
            return ks_ini_fail_value(ini, "holder", "card", v, "1-15 letters and digits");
        memcpy(h->card_number, v, len + 1);
        return KS_OK;
    case KEY_SEX:
        if (strcmp(v, "M") != 0 && strcmp(v, "F") != 0)
            return ks_ini_fail_value(ini, "holder", "sex", v, "M or F");
        h->sex = v[0] == 'M' ? '1' : '2';
        return KS_OK;
    case KEY_NATION:
        if (len != 2 || !all_digits(v, 2))
            return ks_ini_fail_value(ini, "holder", "nation", v, "a 2-digit code such as 01");
        memcpy(h->nation, v, 3);
        return KS_OK;
    case KEY_BIRTH: {
        int month = len == 8 && all_digits(v, 8) ? (v[4] - '0') * 10 + (v[5] - '0') : 0;
        int day = month != 0 ? (v[6] - '0') * 10 + (v[7] - '0') : 0;
        if (month < 1 || month > 12 || day < 1 || day > 31 || v[0] < '1')
            return ks_ini_fail_value(ini, "holder", "birth", v, "a date YYYYMMDD");
        h->birth_yyyymmdd = atoi(v);
        return KS_OK;
    }
    case KEY_PAD:
        if (strcasecmp(v, "00") == 0)
            h->name_pad = 0x00;
        else if (strcasecmp(v, "20") == 0)
            h->name_pad = 0x20;
        else if (strcasecmp(v, "FF") == 0)
            h->name_pad = 0xFF;
        else
            return ks_ini_fail_value(ini, "holder", "pad", v, "00, 20 or FF");
        return KS_OK;
    default:
        return KS_E_PARSE;
    }
}

static int holder_section(void *user, ks_ini_t *ini, const char *section)
{
    (void)user;
    if (strcmp(section, "holder") != 0) {
        ks_ini_fail(ini, "unknown section [%s] (expected [holder])", section);
        return KS_E_PARSE;
    }
    return KS_OK;
}

static int holder_value(void *user, ks_ini_t *ini, const char *section, const char *name,
                        const char *value)
{
    load_t *ld = user;
    if (strcmp(section, "holder") != 0) {
        ks_ini_fail(ini, "key '%s' outside [holder]", name);
        return KS_E_PARSE;
    }
    int key = 0;
    while (key < KEY_COUNT && strcmp(name, key_names[key]) != 0)
        key++;
    if (key == KEY_COUNT) {
        ks_ini_fail(ini, "unknown key '%s' in [holder]", name);
        return KS_E_PARSE;
    }
    if (ld->line[key] != 0) {
        ks_ini_fail(ini, "duplicate key '%s' (first defined on line %d)", name, ld->line[key]);
        return KS_E_PARSE;
    }
    ld->line[key] = ks_ini_line(ini);
    return set_key(ld->h, ini, key, value);
}

static const ks_ini_spec_t holder_ini = {
    .on_value = holder_value,
    .on_section = holder_section,
    .syntax_error = "syntax error (expected [holder] or key = value)",
};

/* See ssc_emu.h. A missing key is reported as "path: missing key 'x' in [holder]". */
int ks_ssc_holder_load(const char *path, ks_ssc_holder_t *h, char *err, size_t errlen)
{
    if (err == NULL)
        errlen = 0;
    if (errlen > 0)
        err[0] = '\0';
    if (path == NULL || h == NULL)
        return -1;
    memset(h, 0, sizeof *h);
    h->name_field = NAME_FIELD_DEFAULT;
    load_t ld = {.h = h};
    if (ks_ini_parse(path, &holder_ini, &ld, err, errlen) != KS_OK) {
        explicit_bzero(h, sizeof *h);
        return -1;
    }
    for (int key = 0; key < KEY_COUNT; key++) {
        if (ld.line[key] == 0) {
            if (errlen > 0)
                snprintf(err, errlen, "%s: missing key '%s' in [holder]", path, key_names[key]);
            explicit_bzero(h, sizeof *h);
            return -1;
        }
    }
    return 0;
}
