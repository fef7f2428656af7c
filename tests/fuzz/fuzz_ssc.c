/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * libFuzzer target: the social security card profile (ssc.h) against a card
 * that says anything, plus its parsers called directly and the emulated card
 * (ssc_emu.h) fed arbitrary C-APDUs, as pcscd may send them to the virtual
 * card.
 *
 * Input: one flags byte, then chunks of [length byte][length bytes]. The
 * chunks are the card's replies, one per APDU, in order; when they run out the
 * transport fails (flags bit 0 clear) or returns a 0-byte reply (bit 0 set),
 * as pcsc-lite does when a card is pulled. Flags bits 1-6 are the emulator's
 * faults. A recorded exchange with the emulated card is a valid input.
 */
#include "card.h"
#include "error.h"
#include "fuzz_common.h"
#include "ssc.h"
#include "ssc_emu.h"

#include <string.h>

/* The most APDUs a read may take: 9 commands, each resent once and followed by GET RESPONSEs. */
#define MAX_APDUS  (9 * 40)
#define MAX_CHUNKS 64

typedef struct {
    const uint8_t *p[MAX_CHUNKS];
    size_t len[MAX_CHUNKS];
    size_t n;
} chunks_t;

typedef struct {
    const chunks_t *c;
    size_t next;
    int empty_at_end;
} card_t;

/* Splits data into length-prefixed chunks; a last chunk cut short keeps what is there. */
static void split(const uint8_t *data, size_t size, chunks_t *c)
{
    c->n = 0;
    size_t off = 0;
    while (off < size && c->n < MAX_CHUNKS) {
        size_t len = data[off++];
        if (len > size - off)
            len = size - off;
        c->p[c->n] = data + off;
        c->len[c->n] = len;
        c->n++;
        off += len;
    }
}

static int fake_transmit(void *ctx, const uint8_t *capdu, size_t clen, uint8_t *rapdu, size_t *rlen)
{
    card_t *card = ctx;
    if (capdu == NULL || clen < 4 || clen > KS_APDU_MAX || *rlen < KS_RAPDU_MAX)
        __builtin_trap(); /* the exchange sends well-formed APDUs into a full buffer */
    if (card->next >= card->c->n) {
        if (!card->empty_at_end)
            return KS_E_IO;
        *rlen = 0;
        return KS_OK;
    }
    size_t i = card->next++;
    memcpy(rapdu, card->c->p[i], card->c->len[i]);
    *rlen = card->c->len[i];
    return KS_OK;
}

static int all_zero(const void *p, size_t n)
{
    const uint8_t *b = p;
    for (size_t i = 0; i < n; i++)
        if (b[i] != 0)
            return 0;
    return 1;
}

/*
 * A reason for the log: terminated, plain ASCII, no run of 6 digits (no ID
 * number, region code or date; "GB18030" has 5).
 */
static void check_why(const char *why, size_t cap)
{
    size_t len = strnlen(why, cap);
    if (len == cap)
        __builtin_trap();
    int run = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)why[i];
        if (c >= 0x80 || c < 0x20)
            __builtin_trap();
        run = c >= '0' && c <= '9' ? run + 1 : 0;
        if (run >= 6)
            __builtin_trap();
    }
}

static void check_identity(ks_card_result_t r, const ks_identity_t *id)
{
    if (r != KS_CARD_OK) {
        if (!all_zero(id, sizeof *id))
            __builtin_trap(); /* every failure wipes the identity */
        return;
    }
    if (strnlen(id->name, sizeof id->name) == sizeof id->name || id->name[0] == '\0' ||
        ks_idnum_validate(id->idnum, 0, NULL) != KS_IDNUM_OK ||
        strnlen(id->nation, sizeof id->nation) == sizeof id->nation ||
        strnlen(id->card_number, sizeof id->card_number) == sizeof id->card_number)
        __builtin_trap();
}

static void fuzz_profile(const chunks_t *c, int empty_at_end)
{
    card_t card = {c, 0, empty_at_end};
    ks_card_io_t io = {fake_transmit, &card};
    ks_identity_t id;
    char why[128];
    int apdus = -1;
    memset(&id, 0x5A, sizeof id);
    ks_card_result_t r = ks_ssc_profile.read_identity(&io, &id, why, sizeof why, &apdus);
    if (r < KS_CARD_OK || r > KS_CARD_IO_ERROR || apdus < 1 || apdus > MAX_APDUS)
        __builtin_trap();
    check_why(why, sizeof why);
    if (why[0] == '\0')
        __builtin_trap(); /* always a reason, "ok" included */
    check_identity(r, &id);
    if (r == KS_CARD_OK && (strstr(why, id.idnum) != NULL || strstr(why, id.name) != NULL))
        __builtin_trap();
    ks_identity_wipe(&id);
}

static void fuzz_parsers(const uint8_t *data, size_t size, const chunks_t *c)
{
    /* TLV: any tag, any record. */
    const uint8_t *v = NULL;
    size_t vlen = 0;
    uint8_t tag = size > 0 ? data[0] : 0;
    if (ks_ssc_parse_tlv(tag, data, size, &v, &vlen) == KS_OK &&
        (v != data + 2 || vlen > size - 2 || data[1] != vlen))
        __builtin_trap();

    /* Text: whatever comes back is terminated and free of control characters. */
    char text[96];
    if (ks_ssc_decode_text(data, size, text, sizeof text) == KS_OK) {
        size_t len = strnlen(text, sizeof text);
        if (len == 0 || len == sizeof text)
            __builtin_trap();
        for (size_t i = 0; i < len; i++)
            if ((unsigned char)text[i] < 0x20 || text[i] == 0x7F)
                __builtin_trap();
    }

    /* Identity from the first six chunks as ID number, name, sex, birth, nation, card number. */
    const uint8_t *f[6] = {NULL, NULL, NULL, NULL, NULL, NULL};
    size_t fl[6] = {0, 0, 0, 0, 0, 0};
    for (size_t i = 0; i < 6 && i < c->n; i++) {
        f[i] = c->p[i];
        fl[i] = c->len[i];
    }
    ks_identity_t id;
    char why[96];
    memset(&id, 0x5A, sizeof id);
    ks_card_result_t r = ks_ssc_make_identity(f[0], fl[0], f[1], fl[1], f[2], fl[2], f[3], fl[3],
                                              f[4], fl[4], f[5], fl[5], &id, why, sizeof why);
    check_why(why, sizeof why);
    check_identity(r, &id);
    ks_identity_wipe(&id);
}

/* The emulated card, asked the chunks as C-APDUs: it always answers with a status word. */
static void fuzz_emulator(const chunks_t *c, unsigned faults)
{
    static const ks_ssc_holder_t holder = {
        .name = "买买提·艾力",
        .idnum = "650102197906070357",
        .card_number = "B12345678",
        .sex = '1',
        .nation = "05",
        .birth_yyyymmdd = 19790607,
        .name_pad = 0x20,
        .name_field = 30,
    };
    ks_ssc_emu_t *emu = ks_ssc_emu_new(&holder, faults);
    if (emu == NULL)
        __builtin_trap();
    uint8_t r[KS_RAPDU_MAX];
    for (size_t i = 0; i < c->n; i++) {
        size_t cap = i % 7 == 6 ? 2 + i % 40 : sizeof r; /* sometimes a small buffer */
        size_t n = ks_ssc_emu_apdu(emu, c->p[i], c->len[i], r, cap);
        if (n < 2 || n > cap)
            __builtin_trap();
        if (i % 11 == 10)
            ks_ssc_emu_reset(emu);
    }
    ks_ssc_emu_free(emu);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    uint8_t flags = data[0];
    chunks_t c;
    split(data + 1, size - 1, &c);
    fuzz_profile(&c, flags & 1);
    fuzz_parsers(data + 1, size - 1, &c);
    fuzz_emulator(&c, (unsigned)(flags >> 1) & 0x3F);
    return 0;
}
