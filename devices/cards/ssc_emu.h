/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * An emulated social security card: answers APDUs the way the profile in
 * ssc.h expects a real card to, from holder data, with faults on demand.
 * Used by the unit tests (as a transport) and by tools/virtual-card (over
 * vpcd, through a real pcscd). Plain C, no PC/SC.
 */
#ifndef KS_SSC_EMU_H
#define KS_SSC_EMU_H

#include <stddef.h>
#include <stdint.h>

/* The holder data a card carries (UTF-8 in, encoded to GBK by the emulator). */
typedef struct {
    char name[96];
    char idnum[20];
    char card_number[16];
    char sex;       /* '1' male, '2' female */
    char nation[3]; /* e.g. "01" */
    int birth_yyyymmdd;
    uint8_t name_pad; /* padding byte after the name: 0x00, 0x20 or 0xFF */
    int name_field;   /* fixed width of the name field in bytes (default 30) */
} ks_ssc_holder_t;

/* Faults, combinable as flags. */
enum {
    KS_EMU_UNKNOWN_CARD = 1 << 0,   /* SELECT SSSE -> 6A82: not a social security card */
    KS_EMU_CORRUPT_NAME = 1 << 1,   /* the name record's TLV length runs past its data */
    KS_EMU_BAD_CHECKSUM = 1 << 2,   /* the ID number's check character is wrong */
    KS_EMU_SPLIT_61 = 1 << 3,       /* every reply comes as 61xx + GET RESPONSE in pieces */
    KS_EMU_WRONG_LE = 1 << 4,       /* READ RECORD with the wrong Le -> 6Cxx first */
    KS_EMU_BIRTH_MISMATCH = 1 << 5, /* the birth record disagrees with the ID number */
};

typedef struct ks_ssc_emu ks_ssc_emu_t;

/* NULL on allocation failure or when the name cannot be encoded to GBK. */
ks_ssc_emu_t *ks_ssc_emu_new(const ks_ssc_holder_t *holder, unsigned faults);
void ks_ssc_emu_free(ks_ssc_emu_t *emu);

/* The card's ATR (answer to reset). Returns its length. */
size_t ks_ssc_emu_atr(const ks_ssc_emu_t *emu, uint8_t *atr, size_t cap);

/* Power-on / reset: back to the master file, no pending GET RESPONSE. */
void ks_ssc_emu_reset(ks_ssc_emu_t *emu);

/*
 * Answers one C-APDU. Writes the R-APDU (data + SW1 SW2) and returns its
 * length (>= 2), or 0 when rcap < 2.
 */
size_t ks_ssc_emu_apdu(ks_ssc_emu_t *emu, const uint8_t *capdu, size_t clen, uint8_t *rapdu,
                       size_t rcap);

/*
 * Reads a holder fixture (INI: [holder] name, id, card, sex M|F, nation,
 * birth YYYYMMDD, pad 00|20|FF). Returns 0, or -1 with a file:line message.
 */
int ks_ssc_holder_load(const char *path, ks_ssc_holder_t *h, char *err, size_t errlen);

#endif
