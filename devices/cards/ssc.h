/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The social security card (社会保障卡) profile, per ../shared/design/cards.md:
 * SELECT the SSSE application by name, SELECT EF05 (issuer data) and EF06
 * (holder data), READ RECORD by tag. Records are TLV followed by SW1 SW2.
 * Text is GBK/GB18030 (converted to UTF-8 with iconv), padded with 0x00, 0x20
 * or 0xFF. The ID number is validated (GB 11643) and cross-checked with the
 * birth date and sex records.
 */
#ifndef KS_SSC_H
#define KS_SSC_H

#include "card.h"

extern const ks_card_profile_t ks_ssc_profile;

/* Tags of the records the profile reads. */
enum {
    KS_SSC_TAG_CARD_ID = 0x01,     /* EF05: card identifier */
    KS_SSC_TAG_ISSUED = 0x05,      /* EF05: issue date, BCD YYYYMMDD */
    KS_SSC_TAG_EXPIRES = 0x06,     /* EF05: expiry date, BCD YYYYMMDD */
    KS_SSC_TAG_CARD_NUMBER = 0x07, /* EF05: card number, ASCII */
    KS_SSC_TAG_IDNUM = 0x08,       /* EF06: social security number = resident ID, 18 ASCII */
    KS_SSC_TAG_NAME = 0x09,        /* EF06: name, GBK, padded */
    KS_SSC_TAG_SEX = 0x0A,         /* EF06: sex, ASCII '1' male, '2' female */
    KS_SSC_TAG_NATION = 0x0B,      /* EF06: nation code, 2 ASCII digits */
    KS_SSC_TAG_BIRTHPLACE = 0x0C,  /* EF06: birthplace */
    KS_SSC_TAG_BIRTH = 0x0D,       /* EF06: birth date, BCD YYYYMMDD (4 bytes) */
};

/*
 * Parses one READ RECORD reply body (without SW1 SW2): a TLV whose tag must
 * be `tag`. On success stores the value's position in *value / *vlen (inside
 * `rec`). Returns KS_OK or KS_E_PARSE (wrong tag, length beyond the data,
 * trailing bytes other than padding).
 */
int ks_ssc_parse_tlv(uint8_t tag, const uint8_t *rec, size_t len, const uint8_t **value,
                     size_t *vlen);

/*
 * Decodes a padded GBK/GB18030 text field to UTF-8 (trimmed of 0x00, 0x20 and
 * 0xFF padding on both ends). Returns KS_OK, KS_E_PARSE for bytes that are not
 * valid text or an empty result, KS_E_TOOBIG when out is too small.
 */
int ks_ssc_decode_text(const uint8_t *v, size_t vlen, char *out, size_t outlen);

/*
 * Builds and checks an identity from the raw record values (each may be NULL
 * when absent). Used by the profile and directly by the fuzz target.
 */
ks_card_result_t ks_ssc_make_identity(const uint8_t *idnum, size_t idlen, const uint8_t *name,
                                      size_t namelen, const uint8_t *sex, size_t sexlen,
                                      const uint8_t *birth, size_t birthlen, const uint8_t *nation,
                                      size_t nationlen, const uint8_t *cardno, size_t cardlen,
                                      ks_identity_t *id, char *why, size_t whylen);

#endif
