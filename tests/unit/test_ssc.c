/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The social security card profile (ssc.h) and the APDU exchange (card.h),
 * read through the emulated card (ssc_emu.h) and through scripted cards that
 * misbehave in ways the emulator does not.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "card.h"
#include "error.h"
#include "ssc.h"
#include "ssc_emu.h"

/* ---- fixtures ------------------------------------------------------------ */

typedef struct {
    const char *file;
    const char *name; /* UTF-8 as the profile must return it */
    const char *idnum;
    const char *card;
    ks_sex_t sex;
    const char *nation;
    int birth;
    uint8_t pad;
} expected_t;

static const expected_t holders[] = {
    {"zhang.ini", "张伟", "110105198503151230", "A00000001", KS_SEX_MALE, "01", 19850315, 0x00},
    {"maimaiti.ini", "买买提·艾力", "650102197906070357", "B12345678", KS_SEX_MALE, "05", 19790607,
     0x20},
    {"rare.ini", "张䶮", "330106200002292489", "C98765432", KS_SEX_FEMALE, "01", 20000229, 0xFF},
};
#define N_HOLDERS (sizeof holders / sizeof holders[0])

static const uint8_t pads[] = {0x00, 0x20, 0xFF};

/* The source tree: KS_SOURCE_DIR under ctest, else worked out from this file's path. */
static void fixture_path(const char *file, char *out, size_t outlen)
{
    const char *src = getenv("KS_SOURCE_DIR");
    if (src != NULL && src[0] != '\0') {
        snprintf(out, outlen, "%s/tests/fixtures/holders/%s", src, file);
        return;
    }
    const char *me = __FILE__;
    const char *cut = strstr(me, "tests/unit/test_ssc.c");
    int dirlen = cut != NULL ? (int)(cut - me) : 0;
    snprintf(out, outlen, "%.*stests/fixtures/holders/%s", dirlen, me, file);
}

static ks_ssc_holder_t load_holder(const expected_t *e)
{
    char path[1024], err[512];
    ks_ssc_holder_t h;
    fixture_path(e->file, path, sizeof path);
    int rc = ks_ssc_holder_load(path, &h, err, sizeof err);
    if (rc != 0)
        fail_msg("%s", err);
    return h;
}

/* ---- the emulated card as a transport ------------------------------------ */

typedef struct {
    ks_ssc_emu_t *emu;
    int sent;
    int fail_after;  /* >= 0: APDU number fail_after + 1 on fails with fail_code */
    int fail_code;   /* KS_E_IO unless set */
    int empty_after; /* >= 0: APDU number empty_after + 1 on gets a 0-byte reply */
} link_t;

static int emu_transmit(void *ctx, const uint8_t *capdu, size_t clen, uint8_t *rapdu, size_t *rlen)
{
    link_t *l = ctx;
    assert_true(*rlen >= KS_RAPDU_MAX); /* the caller offers a full-size buffer */
    if (l->fail_after >= 0 && l->sent >= l->fail_after) {
        l->sent++;
        return l->fail_code != 0 ? l->fail_code : KS_E_IO;
    }
    if (l->empty_after >= 0 && l->sent >= l->empty_after) {
        l->sent++;
        *rlen = 0;
        return KS_OK;
    }
    l->sent++;
    *rlen = ks_ssc_emu_apdu(l->emu, capdu, clen, rapdu, KS_RAPDU_MAX);
    return KS_OK;
}

static link_t make_link(ks_ssc_emu_t *emu)
{
    link_t l = {emu, 0, -1, 0, -1};
    return l;
}

static int all_zero(const void *p, size_t n)
{
    const uint8_t *b = p;
    for (size_t i = 0; i < n; i++)
        if (b[i] != 0)
            return 0;
    return 1;
}

/* The reason never holds the number (whole or in parts), the card number or the name. */
static void assert_no_personal(const char *why, const expected_t *e)
{
    char part[20];
    assert_null(strstr(why, e->idnum));
    memcpy(part, e->idnum, 6); /* region */
    part[6] = '\0';
    assert_null(strstr(why, part));
    memcpy(part, e->idnum + 6, 8); /* birth date */
    part[8] = '\0';
    assert_null(strstr(why, part));
    assert_null(strstr(why, e->idnum + 14)); /* sequence + check */
    assert_null(strstr(why, e->card));
    assert_null(strstr(why, e->name));
    /* Nor any single character of the name, nor any byte that is not ASCII. */
    for (const char *c = why; *c != '\0'; c++)
        assert_true((unsigned char)*c < 0x80);
}

/*
 * Reads the card with `faults` through a link; `fill` pre-fills the identity
 * so that a wipe shows. Returns the result; `why` and `apdus` as the profile
 * left them.
 */
static ks_card_result_t read_card(const ks_ssc_holder_t *h, unsigned faults, link_t *tmpl,
                                  ks_identity_t *id, char *why, size_t whylen, int *apdus)
{
    ks_ssc_emu_t *emu = ks_ssc_emu_new(h, faults);
    assert_non_null(emu);
    link_t l = tmpl != NULL ? *tmpl : make_link(emu);
    l.emu = emu;
    l.sent = 0;
    ks_card_io_t io = {emu_transmit, &l};
    memset(id, 0x5A, sizeof *id);
    ks_card_result_t r = ks_ssc_profile.read_identity(&io, id, why, whylen, apdus);
    if (apdus != NULL)
        assert_int_equal(*apdus, l.sent);
    ks_ssc_emu_free(emu);
    return r;
}

static void assert_identity(const ks_identity_t *id, const expected_t *e)
{
    assert_string_equal(id->name, e->name);
    assert_string_equal(id->idnum, e->idnum);
    assert_string_equal(id->card_number, e->card);
    assert_string_equal(id->nation, e->nation);
    assert_int_equal(id->sex, e->sex);
    assert_int_equal(id->birth_yyyymmdd, e->birth);
}

/* ---- reading through the emulator ---------------------------------------- */

static void test_fixtures_load(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_HOLDERS; i++) {
        ks_ssc_holder_t h = load_holder(&holders[i]);
        assert_string_equal(h.name, holders[i].name);
        assert_string_equal(h.idnum, holders[i].idnum);
        assert_int_equal(h.name_pad, holders[i].pad);
        assert_int_equal(h.birth_yyyymmdd, holders[i].birth);
        assert_int_equal(h.sex, holders[i].sex == KS_SEX_MALE ? '1' : '2');
        /* The fixtures are valid GB 11643 numbers that agree with birth and sex. */
        ks_idnum_info_t info;
        assert_int_equal(ks_idnum_validate(h.idnum, 0, &info), KS_IDNUM_OK);
        assert_int_equal(info.year * 10000 + info.month * 100 + info.day, h.birth_yyyymmdd);
        assert_int_equal(info.sex, holders[i].sex);
    }
}

static void test_read_every_holder_and_padding(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_HOLDERS; i++) {
        for (size_t p = 0; p < sizeof pads; p++) {
            ks_ssc_holder_t h = load_holder(&holders[i]);
            h.name_pad = pads[p];
            ks_identity_t id;
            char why[128];
            int apdus = -1;
            ks_card_result_t r = read_card(&h, 0, NULL, &id, why, sizeof why, &apdus);
            assert_int_equal(r, KS_CARD_OK);
            assert_identity(&id, &holders[i]);
            /* SELECT SSSE, EF05, READ 07, SELECT EF06, READ 08 09 0A 0B 0D. */
            assert_int_equal(apdus, 9);
            assert_no_personal(why, &holders[i]);
        }
    }
}

static void test_name_field_widths(void **state)
{
    (void)state;
    static const int widths[] = {4, 5, 30, 64, 200};
    for (size_t w = 0; w < sizeof widths / sizeof widths[0]; w++) {
        ks_ssc_holder_t h = load_holder(&holders[0]); /* 张伟: 4 bytes of GB18030 */
        h.name_field = widths[w];
        ks_identity_t id;
        char why[128];
        assert_int_equal(read_card(&h, 0, NULL, &id, why, sizeof why, NULL), KS_CARD_OK);
        assert_identity(&id, &holders[0]);
    }
    /* Too narrow for the name, or wider than a record can hold: no card. */
    ks_ssc_holder_t h = load_holder(&holders[0]);
    h.name_field = 3;
    assert_null(ks_ssc_emu_new(&h, 0));
    h.name_field = 201;
    assert_null(ks_ssc_emu_new(&h, 0));
}

static void test_split_61_and_wrong_le(void **state)
{
    (void)state;
    static const unsigned modes[] = {KS_EMU_SPLIT_61, KS_EMU_WRONG_LE,
                                     KS_EMU_SPLIT_61 | KS_EMU_WRONG_LE};
    for (size_t i = 0; i < N_HOLDERS; i++) {
        for (size_t m = 0; m < sizeof modes / sizeof modes[0]; m++) {
            ks_ssc_holder_t h = load_holder(&holders[i]);
            ks_identity_t id;
            char why[128];
            int apdus = 0;
            ks_card_result_t r = read_card(&h, modes[m], NULL, &id, why, sizeof why, &apdus);
            assert_int_equal(r, KS_CARD_OK);
            assert_identity(&id, &holders[i]);
            if (modes[m] == KS_EMU_WRONG_LE)
                assert_int_equal(apdus, 9 + 6); /* each of the 6 reads resent once */
            else
                assert_true(apdus > 9 + 6); /* GET RESPONSE in 16-byte pieces */
        }
    }
}

static void test_faults(void **state)
{
    (void)state;
    static const struct {
        unsigned faults;
        ks_card_result_t want;
        const char *why_has;
    } cases[] = {
        {KS_EMU_UNKNOWN_CARD, KS_CARD_NOT_RECOGNISED, "6A82"},
        {KS_EMU_CORRUPT_NAME, KS_CARD_BAD_DATA, "READ RECORD 09"},
        {KS_EMU_BAD_CHECKSUM, KS_CARD_BAD_DATA, "check character"},
        {KS_EMU_BIRTH_MISMATCH, KS_CARD_BAD_DATA, "birth date"},
        {KS_EMU_CORRUPT_NAME | KS_EMU_SPLIT_61, KS_CARD_BAD_DATA, "READ RECORD 09"},
        {KS_EMU_BAD_CHECKSUM | KS_EMU_WRONG_LE, KS_CARD_BAD_DATA, "check character"},
        {KS_EMU_UNKNOWN_CARD | KS_EMU_SPLIT_61, KS_CARD_NOT_RECOGNISED, "6A82"},
    };
    for (size_t i = 0; i < N_HOLDERS; i++) {
        for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
            ks_ssc_holder_t h = load_holder(&holders[i]);
            ks_identity_t id;
            char why[128];
            ks_card_result_t r = read_card(&h, cases[c].faults, NULL, &id, why, sizeof why, NULL);
            assert_int_equal(r, cases[c].want);
            assert_true(all_zero(&id, sizeof id));
            assert_non_null(strstr(why, cases[c].why_has));
            assert_no_personal(why, &holders[i]);
        }
    }
}

/* The card gives sex or nation values the profile must refuse. */
static void test_bad_holder_values(void **state)
{
    (void)state;
    ks_ssc_holder_t h = load_holder(&holders[0]);
    ks_identity_t id;
    char why[128];
    h.sex = '2'; /* the number says male */
    assert_int_equal(read_card(&h, 0, NULL, &id, why, sizeof why, NULL), KS_CARD_BAD_DATA);
    assert_non_null(strstr(why, "sex"));
    assert_true(all_zero(&id, sizeof id));
    assert_no_personal(why, &holders[0]);

    h = load_holder(&holders[0]);
    h.name_pad = 0x09; /* not a padding byte: a control character in the name */
    assert_int_equal(read_card(&h, 0, NULL, &id, why, sizeof why, NULL), KS_CARD_BAD_DATA);
    assert_non_null(strstr(why, "name"));

    h = load_holder(&holders[0]);
    memcpy(h.nation, "0A", 3);
    assert_int_equal(read_card(&h, 0, NULL, &id, why, sizeof why, NULL), KS_CARD_BAD_DATA);
    assert_non_null(strstr(why, "nation"));

    h = load_holder(&holders[0]);
    h.card_number[0] = '\0'; /* an empty record */
    assert_int_equal(read_card(&h, 0, NULL, &id, why, sizeof why, NULL), KS_CARD_BAD_DATA);
    assert_non_null(strstr(why, "card number"));
}

/* Number of APDUs a clean read takes in a mode. */
static int apdus_for(const ks_ssc_holder_t *h, unsigned faults)
{
    ks_identity_t id;
    char why[128];
    int apdus = 0;
    assert_int_equal(read_card(h, faults, NULL, &id, why, sizeof why, &apdus), KS_CARD_OK);
    return apdus;
}

static void test_transport_fails_mid_read(void **state)
{
    (void)state;
    static const unsigned modes[] = {0, KS_EMU_SPLIT_61, KS_EMU_WRONG_LE};
    for (size_t i = 0; i < N_HOLDERS; i++) {
        ks_ssc_holder_t h = load_holder(&holders[i]);
        for (size_t m = 0; m < sizeof modes / sizeof modes[0]; m++) {
            int total = apdus_for(&h, modes[m]);
            for (int n = 0; n < total; n++) {
                link_t l = make_link(NULL);
                l.fail_after = n;
                ks_identity_t id;
                char why[128];
                int apdus = 0;
                ks_card_result_t r = read_card(&h, modes[m], &l, &id, why, sizeof why, &apdus);
                assert_int_equal(r, KS_CARD_REMOVED);
                assert_int_equal(apdus, n + 1); /* stops at the first failure */
                assert_true(all_zero(&id, sizeof id));
                assert_no_personal(why, &holders[i]);
            }
        }
    }
}

static void test_empty_reply_mid_read(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_HOLDERS; i++) {
        ks_ssc_holder_t h = load_holder(&holders[i]);
        int total = apdus_for(&h, KS_EMU_SPLIT_61);
        for (int n = 0; n < total; n++) {
            link_t l = make_link(NULL);
            l.empty_after = n;
            ks_identity_t id;
            char why[128];
            ks_card_result_t r = read_card(&h, KS_EMU_SPLIT_61, &l, &id, why, sizeof why, NULL);
            assert_int_equal(r, KS_CARD_REMOVED);
            assert_true(all_zero(&id, sizeof id));
            assert_non_null(strstr(why, "shorter than 2 bytes"));
        }
    }
}

static void test_other_transport_error(void **state)
{
    (void)state;
    ks_ssc_holder_t h = load_holder(&holders[0]);
    for (int n = 0; n < 9; n++) {
        link_t l = make_link(NULL);
        l.fail_after = n;
        l.fail_code = KS_E_STATE;
        ks_identity_t id;
        char why[128];
        assert_int_equal(read_card(&h, 0, &l, &id, why, sizeof why, NULL), KS_CARD_IO_ERROR);
        assert_true(all_zero(&id, sizeof id));
    }
}

static void test_profile_arguments(void **state)
{
    (void)state;
    char why[64];
    ks_identity_t id;
    memset(&id, 0x5A, sizeof id);
    assert_int_equal(ks_ssc_profile.read_identity(NULL, &id, why, sizeof why, NULL),
                     KS_CARD_IO_ERROR);
    assert_true(all_zero(&id, sizeof id));
    ks_card_io_t io = {NULL, NULL};
    assert_int_equal(ks_ssc_profile.read_identity(&io, &id, NULL, 0, NULL), KS_CARD_IO_ERROR);
    assert_int_equal(ks_ssc_profile.read_identity(&io, NULL, why, sizeof why, NULL),
                     KS_CARD_IO_ERROR);
    assert_string_equal(ks_ssc_profile.name, "social security card");
}

/*
 * recognise (diagnostics): one SELECT of the application and nothing read;
 * an unknown card is not recognised, a card that goes away is said so. The
 * profile is in the list the monitor and diagnostics use.
 */
static void test_recognise(void **state)
{
    (void)state;
    char why[96];
    for (size_t i = 0; i < N_HOLDERS; i++) {
        ks_ssc_holder_t h = load_holder(&holders[i]);
        ks_ssc_emu_t *emu = ks_ssc_emu_new(&h, 0);
        assert_non_null(emu);
        link_t l = make_link(emu);
        ks_card_io_t io = {emu_transmit, &l};
        assert_int_equal(ks_ssc_profile.recognise(&io, why, sizeof why), KS_CARD_OK);
        assert_int_equal(l.sent, 1);
        assert_no_personal(why, &holders[i]);
        ks_ssc_emu_free(emu);

        emu = ks_ssc_emu_new(&h, KS_EMU_UNKNOWN_CARD);
        assert_non_null(emu);
        l = make_link(emu);
        assert_int_equal(ks_ssc_profile.recognise(&io, why, sizeof why), KS_CARD_NOT_RECOGNISED);
        assert_non_null(strstr(why, "6A82"));
        ks_ssc_emu_free(emu);

        emu = ks_ssc_emu_new(&h, 0);
        assert_non_null(emu);
        l = make_link(emu);
        l.fail_after = 0;
        assert_int_equal(ks_ssc_profile.recognise(&io, why, sizeof why), KS_CARD_REMOVED);
        ks_ssc_emu_free(emu);
    }
    ks_card_io_t none = {NULL, NULL};
    assert_int_equal(ks_ssc_profile.recognise(&none, why, sizeof why), KS_CARD_IO_ERROR);
    assert_int_equal(ks_ssc_profile.recognise(NULL, NULL, 0), KS_CARD_IO_ERROR);
    int listed = 0;
    for (size_t i = 0; i < ks_card_profile_count; i++)
        listed += ks_card_profiles[i] == &ks_ssc_profile;
    assert_int_equal(listed, 1);
}

/* ---- TLV and text --------------------------------------------------------- */

static void test_tlv(void **state)
{
    (void)state;
    const uint8_t *v = NULL;
    size_t vlen = 99;
    const uint8_t ok[] = {0x0A, 0x01, '1'};
    assert_int_equal(ks_ssc_parse_tlv(0x0A, ok, sizeof ok, &v, &vlen), KS_OK);
    assert_ptr_equal(v, ok + 2);
    assert_int_equal(vlen, 1);

    /* Wrong tag. */
    assert_int_equal(ks_ssc_parse_tlv(0x09, ok, sizeof ok, &v, &vlen), KS_E_PARSE);
    /* Length past the end, by one and by a lot. */
    const uint8_t past[] = {0x09, 0x04, 'a', 'b', 'c'};
    assert_int_equal(ks_ssc_parse_tlv(0x09, past, sizeof past, &v, &vlen), KS_E_PARSE);
    const uint8_t far[] = {0x09, 0xFF, 'a'};
    assert_int_equal(ks_ssc_parse_tlv(0x09, far, sizeof far, &v, &vlen), KS_E_PARSE);
    /* Zero length: a well-formed empty value (the field checks reject it later). */
    const uint8_t zero[] = {0x0B, 0x00};
    assert_int_equal(ks_ssc_parse_tlv(0x0B, zero, sizeof zero, &v, &vlen), KS_OK);
    assert_int_equal(vlen, 0);
    /* Trailing padding is fine; anything else after the value is not. */
    const uint8_t padded[] = {0x0A, 0x01, '2', 0x00, 0xFF, 0x20};
    assert_int_equal(ks_ssc_parse_tlv(0x0A, padded, sizeof padded, &v, &vlen), KS_OK);
    assert_int_equal(vlen, 1);
    assert_int_equal(v[0], '2');
    const uint8_t trailing[] = {0x0A, 0x01, '2', 0x00, 0x0A};
    assert_int_equal(ks_ssc_parse_tlv(0x0A, trailing, sizeof trailing, &v, &vlen), KS_E_PARSE);
    /* Too short to hold a tag and a length. */
    assert_int_equal(ks_ssc_parse_tlv(0x0A, ok, 1, &v, &vlen), KS_E_PARSE);
    assert_int_equal(ks_ssc_parse_tlv(0x0A, ok, 0, &v, &vlen), KS_E_PARSE);
    assert_int_equal(ks_ssc_parse_tlv(0x0A, NULL, 3, &v, &vlen), KS_E_PARSE);
    /* The full 255-byte length. */
    uint8_t big[257];
    memset(big, 'x', sizeof big);
    big[0] = 0x09;
    big[1] = 0xFF;
    assert_int_equal(ks_ssc_parse_tlv(0x09, big, sizeof big, &v, &vlen), KS_OK);
    assert_int_equal(vlen, 255);
    assert_int_equal(ks_ssc_parse_tlv(0x09, big, sizeof big - 1, &v, &vlen), KS_E_PARSE);
}

static void test_decode_text(void **state)
{
    (void)state;
    char out[96];
    /* 张伟 in GBK with each padding, on either end. */
    const uint8_t zhang[] = {0x20, 0x00, 0xD5, 0xC5, 0xCE, 0xB0, 0xFF, 0xFF, 0x00, 0x20};
    assert_int_equal(ks_ssc_decode_text(zhang, sizeof zhang, out, sizeof out), KS_OK);
    assert_string_equal(out, "张伟");
    /* The middle dot, and 䶮 (GB18030 only), and a four-byte GB18030 sequence. */
    const uint8_t dot[] = {0xC2, 0xF2, 0xA1, 0xA4, 0xB0, 0xAC};
    assert_int_equal(ks_ssc_decode_text(dot, sizeof dot, out, sizeof out), KS_OK);
    assert_string_equal(out, "买·艾");
    const uint8_t yan[] = {0xD5, 0xC5, 0xFE, 0x9F};
    assert_int_equal(ks_ssc_decode_text(yan, sizeof yan, out, sizeof out), KS_OK);
    assert_string_equal(out, "张䶮");
    const uint8_t four[] = {0x94, 0x39, 0xFC, 0x36};
    assert_int_equal(ks_ssc_decode_text(four, sizeof four, out, sizeof out), KS_OK);
    assert_string_equal(out, "\xF0\x9F\x98\x80");

    /* Not text: a cut sequence, an invalid byte, controls (C0, NUL, C1). */
    const uint8_t cut[] = {0xD5, 0xC5, 0xCE};
    assert_int_equal(ks_ssc_decode_text(cut, sizeof cut, out, sizeof out), KS_E_PARSE);
    assert_true(all_zero(out, sizeof out));
    const uint8_t bad[] = {0xD5, 0xC5, 0x80};
    assert_int_equal(ks_ssc_decode_text(bad, sizeof bad, out, sizeof out), KS_E_PARSE);
    const uint8_t tab[] = {0xD5, 0xC5, 0x09, 0xCE, 0xB0};
    assert_int_equal(ks_ssc_decode_text(tab, sizeof tab, out, sizeof out), KS_E_PARSE);
    const uint8_t nul[] = {0xD5, 0xC5, 0x00, 0xCE, 0xB0};
    assert_int_equal(ks_ssc_decode_text(nul, sizeof nul, out, sizeof out), KS_E_PARSE);
    const uint8_t c1[] = {0x81, 0x30, 0x81, 0x30}; /* U+0080 */
    assert_int_equal(ks_ssc_decode_text(c1, sizeof c1, out, sizeof out), KS_E_PARSE);

    /* Nothing but padding, or nothing at all. */
    const uint8_t blank[] = {0x00, 0x20, 0xFF};
    assert_int_equal(ks_ssc_decode_text(blank, sizeof blank, out, sizeof out), KS_E_PARSE);
    assert_int_equal(ks_ssc_decode_text(blank, 0, out, sizeof out), KS_E_PARSE);
    assert_int_equal(ks_ssc_decode_text(NULL, 3, out, sizeof out), KS_E_PARSE);

    /* Output too small: 张伟 is 6 bytes of UTF-8 plus the NUL. */
    assert_int_equal(ks_ssc_decode_text(zhang, sizeof zhang, out, 6), KS_E_TOOBIG);
    assert_int_equal(ks_ssc_decode_text(zhang, sizeof zhang, out, 7), KS_OK);
    assert_int_equal(ks_ssc_decode_text(zhang, sizeof zhang, NULL, 0), KS_E_TOOBIG);
}

/* ---- ks_ssc_make_identity directly --------------------------------------- */

#define S(lit) (const uint8_t *)(lit), (sizeof(lit) - 1)

static void test_make_identity(void **state)
{
    (void)state;
    const uint8_t name[] = {0xD5, 0xC5, 0xCE, 0xB0, 0x00, 0x00};
    const uint8_t birth[] = {0x19, 0x85, 0x03, 0x15};
    ks_identity_t id;
    char why[128];

    assert_int_equal(ks_ssc_make_identity(S("110105198503151230"), name, sizeof name, S("1"), birth,
                                          sizeof birth, S("01"), S("A00000001"), &id, why,
                                          sizeof why),
                     KS_CARD_OK);
    assert_string_equal(id.name, "张伟");
    assert_int_equal(id.birth_yyyymmdd, 19850315);
    assert_int_equal(id.sex, KS_SEX_MALE);

    /* Optional records absent: sex and birth date come from the number. */
    assert_int_equal(ks_ssc_make_identity(S("110105198503151230"), name, sizeof name, NULL, 0, NULL,
                                          0, NULL, 0, NULL, 0, &id, why, sizeof why),
                     KS_CARD_OK);
    assert_int_equal(id.sex, KS_SEX_MALE);
    assert_string_equal(id.nation, "");
    assert_string_equal(id.card_number, "");

    /* A lower-case x and padding around the number are accepted; X is stored. */
    const uint8_t lower_x[] = {'1', '1', '0', '1', '0', '5', '1', '9', '4',  '9',
                               '1', '2', '3', '1', '0', '0', '2', 'x', 0x00, 0x00};
    assert_int_equal(ks_ssc_make_identity(lower_x, sizeof lower_x, name, sizeof name, S("2"), NULL,
                                          0, NULL, 0, NULL, 0, &id, why, sizeof why),
                     KS_CARD_OK);
    assert_string_equal(id.idnum, "11010519491231002X");
    assert_int_equal(id.sex, KS_SEX_FEMALE);

    static const struct {
        const char *idnum, *sex, *nation, *card;
        uint8_t birth[4];
        size_t birthlen;
        const char *why_has;
    } bad[] = {
        {"110105198503151231", "1", "01", "A1", {0x19, 0x85, 0x03, 0x15}, 4, "check character"},
        {"11010519850315123", "1", "01", "A1", {0x19, 0x85, 0x03, 0x15}, 4, "18 characters"},
        {"1101051985031512300", "1", "01", "A1", {0x19, 0x85, 0x03, 0x15}, 4, "18 characters"},
        {"11010519850315A230", "1", "01", "A1", {0x19, 0x85, 0x03, 0x15}, 4, "invalid char"},
        {"110105198502301234", "1", "01", "A1", {0x19, 0x85, 0x02, 0x30}, 4, "birth date"},
        {"110105298503151237", "1", "01", "A1", {0x29, 0x85, 0x03, 0x15}, 4, "birth date"},
        {"110105198503151230", "2", "01", "A1", {0x19, 0x85, 0x03, 0x15}, 4, "sex"},
        {"110105198503151230", "M", "01", "A1", {0x19, 0x85, 0x03, 0x15}, 4, "sex"},
        {"110105198503151230", "", "01", "A1", {0x19, 0x85, 0x03, 0x15}, 4, "sex"},
        {"110105198503151230", "1", "01", "A1", {0x19, 0x85, 0x03, 0x16}, 4, "disagrees"},
        {"110105198503151230", "1", "01", "A1", {0x19, 0x85, 0x03, 0x1F}, 4, "BCD"},
        {"110105198503151230", "1", "01", "A1", {0x19, 0x85, 0x03, 0x15}, 3, "BCD"},
        {"110105198503151230", "1", "1", "A1", {0x19, 0x85, 0x03, 0x15}, 4, "nation"},
        {"110105198503151230", "1", "x1", "A1", {0x19, 0x85, 0x03, 0x15}, 4, "nation"},
        {"110105198503151230", "1", "01", "", {0x19, 0x85, 0x03, 0x15}, 4, "card number"},
        {"110105198503151230", "1", "01", "A-1", {0x19, 0x85, 0x03, 0x15}, 4, "card number"},
    };
    const expected_t who = {"",       "张伟", "110105198503151230", "A00000001", KS_SEX_MALE, "01",
                            19850315, 0};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        memset(&id, 0x5A, sizeof id);
        ks_card_result_t r = ks_ssc_make_identity(
            (const uint8_t *)bad[i].idnum, strlen(bad[i].idnum), name, sizeof name,
            (const uint8_t *)bad[i].sex, strlen(bad[i].sex), bad[i].birth, bad[i].birthlen,
            (const uint8_t *)bad[i].nation, strlen(bad[i].nation), (const uint8_t *)bad[i].card,
            strlen(bad[i].card), &id, why, sizeof why);
        assert_int_equal(r, KS_CARD_BAD_DATA);
        assert_true(all_zero(&id, sizeof id));
        if (strstr(why, bad[i].why_has) == NULL)
            fail_msg("case %zu: '%s' lacks '%s'", i, why, bad[i].why_has);
        assert_no_personal(why, &who);
        assert_null(strstr(why, bad[i].idnum));
    }

    /* Required records missing or unreadable. */
    assert_int_equal(ks_ssc_make_identity(NULL, 0, name, sizeof name, NULL, 0, NULL, 0, NULL, 0,
                                          NULL, 0, &id, why, sizeof why),
                     KS_CARD_BAD_DATA);
    assert_int_equal(ks_ssc_make_identity(S("110105198503151230"), NULL, 0, NULL, 0, NULL, 0, NULL,
                                          0, NULL, 0, &id, why, sizeof why),
                     KS_CARD_BAD_DATA);
    assert_true(all_zero(&id, sizeof id));
    const uint8_t blank[] = {0x20, 0x20};
    assert_int_equal(ks_ssc_make_identity(S("110105198503151230"), blank, sizeof blank, NULL, 0,
                                          NULL, 0, NULL, 0, NULL, 0, &id, why, sizeof why),
                     KS_CARD_BAD_DATA);
    assert_non_null(strstr(why, "name"));
    assert_int_equal(ks_ssc_make_identity(S("110105198503151230"), name, sizeof name, NULL, 0, NULL,
                                          0, NULL, 0, NULL, 0, NULL, why, sizeof why),
                     KS_CARD_BAD_DATA);
    /* A tiny or absent reason buffer is fine. */
    assert_int_equal(ks_ssc_make_identity(NULL, 0, name, sizeof name, NULL, 0, NULL, 0, NULL, 0,
                                          NULL, 0, &id, why, 1),
                     KS_CARD_BAD_DATA);
    assert_string_equal(why, "");
    assert_int_equal(ks_ssc_make_identity(S("110105198503151230"), name, sizeof name, NULL, 0, NULL,
                                          0, NULL, 0, NULL, 0, &id, NULL, 0),
                     KS_CARD_OK);
}

/* ---- ks_apdu_exchange with scripted cards -------------------------------- */

typedef struct {
    const uint8_t *const *replies; /* each: length byte, then the reply */
    size_t n;
    size_t next;
    int repeat_last; /* answer the last reply forever */
    int sent;
    uint8_t cmd[8][KS_APDU_MAX + 1];
    size_t cmdlen[8];
} script_t;

static int script_transmit(void *ctx, const uint8_t *capdu, size_t clen, uint8_t *rapdu,
                           size_t *rlen)
{
    script_t *s = ctx;
    if (s->sent < 8) {
        memcpy(s->cmd[s->sent], capdu, clen);
        s->cmdlen[s->sent] = clen;
    }
    s->sent++;
    if (s->next >= s->n) {
        if (!s->repeat_last || s->n == 0)
            return KS_E_IO;
        s->next = s->n - 1;
    }
    const uint8_t *r = s->replies[s->next++];
    *rlen = r[0];
    memcpy(rapdu, r + 1, r[0]);
    return KS_OK;
}

static int run_script(script_t *s, const uint8_t *cmd, size_t clen, uint8_t *data, size_t dcap,
                      size_t *dlen, uint16_t *sw)
{
    ks_card_io_t io = {script_transmit, s};
    int apdus = 0;
    int rc = ks_apdu_exchange(&io, cmd, clen, data, dcap, dlen, sw, &apdus);
    assert_int_equal(apdus, s->sent);
    return rc;
}

static void test_exchange_plain(void **state)
{
    (void)state;
    static const uint8_t r1[] = {4, 0xAA, 0xBB, 0x90, 0x00};
    static const uint8_t *const replies[] = {r1};
    script_t s = {replies, 1, 0, 0, 0, {{0}}, {0}};
    const uint8_t cmd[] = {0x00, 0xB2, 0x07, 0x00, 0x00};
    uint8_t data[16];
    size_t dlen;
    uint16_t sw;
    assert_int_equal(run_script(&s, cmd, sizeof cmd, data, sizeof data, &dlen, &sw), KS_OK);
    assert_int_equal(s.sent, 1);
    assert_int_equal(sw, 0x9000);
    assert_int_equal(dlen, 2);
    assert_int_equal(data[1], 0xBB);

    /* An error status word comes back as it is, with KS_OK. */
    static const uint8_t r2[] = {2, 0x6A, 0x82};
    static const uint8_t *const replies2[] = {r2};
    script_t s2 = {replies2, 1, 0, 0, 0, {{0}}, {0}};
    assert_int_equal(run_script(&s2, cmd, sizeof cmd, data, sizeof data, &dlen, &sw), KS_OK);
    assert_int_equal(sw, 0x6A82);
    assert_int_equal(dlen, 0);

    /* Data larger than the caller's buffer. */
    script_t s3 = {replies, 1, 0, 0, 0, {{0}}, {0}};
    assert_int_equal(run_script(&s3, cmd, sizeof cmd, data, 1, &dlen, &sw), KS_E_TOOBIG);
    /* apdus may be NULL. */
    script_t s4 = {replies, 1, 0, 0, 0, {{0}}, {0}};
    ks_card_io_t io = {script_transmit, &s4};
    assert_int_equal(ks_apdu_exchange(&io, cmd, sizeof cmd, data, sizeof data, &dlen, &sw, NULL),
                     KS_OK);
}

static void test_exchange_61(void **state)
{
    (void)state;
    /* Data with the 61xx, then more after GET RESPONSE, then the rest. */
    static const uint8_t r1[] = {4, 0x11, 0x22, 0x61, 0x03};
    static const uint8_t r2[] = {5, 0x33, 0x44, 0x55, 0x61, 0x00};
    static const uint8_t r3[] = {3, 0x66, 0x90, 0x00};
    static const uint8_t *const replies[] = {r1, r2, r3};
    script_t s = {replies, 3, 0, 0, 0, {{0}}, {0}};
    const uint8_t cmd[] = {0x00, 0xA4, 0x02, 0x00, 0x02, 0xEF, 0x05};
    uint8_t data[16];
    size_t dlen;
    uint16_t sw;
    assert_int_equal(run_script(&s, cmd, sizeof cmd, data, sizeof data, &dlen, &sw), KS_OK);
    assert_int_equal(s.sent, 3);
    assert_int_equal(sw, 0x9000);
    const uint8_t want[] = {0x11, 0x22, 0x33, 0x44, 0x55, 0x66};
    assert_int_equal(dlen, sizeof want);
    assert_memory_equal(data, want, sizeof want);
    const uint8_t get1[] = {0x00, 0xC0, 0x00, 0x00, 0x03};
    const uint8_t get2[] = {0x00, 0xC0, 0x00, 0x00, 0x00};
    assert_int_equal(s.cmdlen[1], 5);
    assert_memory_equal(s.cmd[1], get1, 5);
    assert_memory_equal(s.cmd[2], get2, 5);
}

static void test_exchange_61_forever(void **state)
{
    (void)state;
    const uint8_t cmd[] = {0x00, 0xB2, 0x09, 0x00, 0x00};
    uint8_t data[256];
    size_t dlen;
    uint16_t sw;
    /* Bare 61xx forever: cut off after a bounded number of rounds. */
    static const uint8_t bare[] = {2, 0x61, 0x10};
    static const uint8_t *const r1[] = {bare};
    script_t s = {r1, 1, 0, 1, 0, {{0}}, {0}};
    assert_int_equal(run_script(&s, cmd, sizeof cmd, data, sizeof data, &dlen, &sw), KS_OK);
    assert_int_equal(sw, 0x6110);
    assert_true(s.sent > 2 && s.sent <= 64);

    /* 61xx with data forever: the buffer fills first. */
    static uint8_t chunk[1 + 34];
    chunk[0] = 34;
    memset(chunk + 1, 0xEE, 32);
    chunk[33] = 0x61;
    chunk[34] = 0x20;
    static const uint8_t *const r2[] = {chunk};
    script_t s2 = {r2, 1, 0, 1, 0, {{0}}, {0}};
    assert_int_equal(run_script(&s2, cmd, sizeof cmd, data, sizeof data, &dlen, &sw), KS_E_TOOBIG);
    assert_true(s2.sent <= 10);

    /* Through the profile: a card that answers 61xx to everything is refused, not looped on. */
    script_t s3 = {r1, 1, 0, 1, 0, {{0}}, {0}};
    ks_card_io_t io = {script_transmit, &s3};
    ks_identity_t id;
    char why[128];
    int apdus = 0;
    assert_int_equal(ks_ssc_profile.read_identity(&io, &id, why, sizeof why, &apdus),
                     KS_CARD_NOT_RECOGNISED);
    assert_int_equal(apdus, s3.sent);
    assert_true(apdus <= 64);
}

static void test_exchange_6c(void **state)
{
    (void)state;
    static const uint8_t wrong[] = {2, 0x6C, 0x0B};
    static const uint8_t right[] = {5, 0x07, 0x01, 0x41, 0x90, 0x00};
    static const uint8_t *const replies[] = {wrong, right};
    uint8_t data[16];
    size_t dlen;
    uint16_t sw;

    /* Case 2: Le replaced. */
    const uint8_t case2[] = {0x00, 0xB2, 0x07, 0x00, 0x00};
    script_t s = {replies, 2, 0, 0, 0, {{0}}, {0}};
    assert_int_equal(run_script(&s, case2, sizeof case2, data, sizeof data, &dlen, &sw), KS_OK);
    assert_int_equal(s.sent, 2);
    assert_int_equal(sw, 0x9000);
    assert_int_equal(dlen, 3);
    const uint8_t resent2[] = {0x00, 0xB2, 0x07, 0x00, 0x0B};
    assert_int_equal(s.cmdlen[1], 5);
    assert_memory_equal(s.cmd[1], resent2, 5);

    /* Case 1: Le appended. */
    const uint8_t case1[] = {0x00, 0xB2, 0x07, 0x04};
    script_t s1 = {replies, 2, 0, 0, 0, {{0}}, {0}};
    assert_int_equal(run_script(&s1, case1, sizeof case1, data, sizeof data, &dlen, &sw), KS_OK);
    assert_int_equal(s1.cmdlen[1], 5);
    assert_int_equal(s1.cmd[1][4], 0x0B);

    /* Case 3: Le appended after the data; case 4: the last byte replaced. */
    const uint8_t case3[] = {0x00, 0xA4, 0x02, 0x00, 0x02, 0xEF, 0x05};
    script_t s3 = {replies, 2, 0, 0, 0, {{0}}, {0}};
    assert_int_equal(run_script(&s3, case3, sizeof case3, data, sizeof data, &dlen, &sw), KS_OK);
    assert_int_equal(s3.cmdlen[1], 8);
    assert_int_equal(s3.cmd[1][7], 0x0B);
    const uint8_t case4[] = {0x00, 0xA4, 0x02, 0x00, 0x02, 0xEF, 0x05, 0x00};
    script_t s4 = {replies, 2, 0, 0, 0, {{0}}, {0}};
    assert_int_equal(run_script(&s4, case4, sizeof case4, data, sizeof data, &dlen, &sw), KS_OK);
    assert_int_equal(s4.cmdlen[1], 8);
    assert_int_equal(s4.cmd[1][7], 0x0B);

    /* 6Cxx forever: resent once, then the status word is the answer. */
    static const uint8_t *const stubborn[] = {wrong};
    script_t s5 = {stubborn, 1, 0, 1, 0, {{0}}, {0}};
    assert_int_equal(run_script(&s5, case2, sizeof case2, data, sizeof data, &dlen, &sw), KS_OK);
    assert_int_equal(s5.sent, 2);
    assert_int_equal(sw, 0x6C0B);

    /* 6Cxx then 61xx: both handled. */
    static const uint8_t more[] = {2, 0x61, 0x02};
    static const uint8_t rest[] = {4, 0xAB, 0xCD, 0x90, 0x00};
    static const uint8_t *const mixed[] = {wrong, more, rest};
    script_t s6 = {mixed, 3, 0, 0, 0, {{0}}, {0}};
    assert_int_equal(run_script(&s6, case2, sizeof case2, data, sizeof data, &dlen, &sw), KS_OK);
    assert_int_equal(s6.sent, 3);
    assert_int_equal(dlen, 2);
    assert_int_equal(sw, 0x9000);
}

static void test_exchange_errors(void **state)
{
    (void)state;
    const uint8_t cmd[] = {0x00, 0xB2, 0x07, 0x00, 0x00};
    uint8_t data[16];
    size_t dlen;
    uint16_t sw;

    /* Replies of 0 and 1 byte, at once or after a 61xx. */
    static const uint8_t empty[] = {0};
    static const uint8_t one[] = {1, 0x90};
    static const uint8_t more[] = {2, 0x61, 0x04};
    static const uint8_t *const r0[] = {empty};
    static const uint8_t *const r1[] = {one};
    static const uint8_t *const r2[] = {more, empty};
    script_t s0 = {r0, 1, 0, 0, 0, {{0}}, {0}};
    assert_int_equal(run_script(&s0, cmd, sizeof cmd, data, sizeof data, &dlen, &sw), KS_E_PARSE);
    script_t s1 = {r1, 1, 0, 0, 0, {{0}}, {0}};
    assert_int_equal(run_script(&s1, cmd, sizeof cmd, data, sizeof data, &dlen, &sw), KS_E_PARSE);
    script_t s2 = {r2, 2, 0, 0, 0, {{0}}, {0}};
    assert_int_equal(run_script(&s2, cmd, sizeof cmd, data, sizeof data, &dlen, &sw), KS_E_PARSE);

    /* Transport errors pass through, at once or during GET RESPONSE. */
    script_t s3 = {NULL, 0, 0, 0, 0, {{0}}, {0}};
    assert_int_equal(run_script(&s3, cmd, sizeof cmd, data, sizeof data, &dlen, &sw), KS_E_IO);
    static const uint8_t *const r4[] = {more};
    script_t s4 = {r4, 1, 0, 0, 0, {{0}}, {0}};
    assert_int_equal(run_script(&s4, cmd, sizeof cmd, data, sizeof data, &dlen, &sw), KS_E_IO);
    assert_int_equal(s4.sent, 2);

    /* Malformed calls. */
    ks_card_io_t io = {script_transmit, &s3};
    assert_int_equal(ks_apdu_exchange(&io, cmd, 3, data, sizeof data, &dlen, &sw, NULL),
                     KS_E_INVAL);
    assert_int_equal(
        ks_apdu_exchange(&io, cmd, KS_APDU_MAX + 1, data, sizeof data, &dlen, &sw, NULL),
        KS_E_INVAL);
    assert_int_equal(ks_apdu_exchange(NULL, cmd, sizeof cmd, data, sizeof data, &dlen, &sw, NULL),
                     KS_E_INVAL);
    assert_int_equal(ks_apdu_exchange(&io, NULL, sizeof cmd, data, sizeof data, &dlen, &sw, NULL),
                     KS_E_INVAL);
}

static int oversize_transmit(void *ctx, const uint8_t *capdu, size_t clen, uint8_t *rapdu,
                             size_t *rlen)
{
    (void)ctx;
    (void)capdu;
    (void)clen;
    rapdu[0] = 0x90;
    rapdu[1] = 0x00;
    *rlen = KS_RAPDU_MAX + 1; /* a transport breaking its contract */
    return KS_OK;
}

static void test_exchange_oversize_reply(void **state)
{
    (void)state;
    ks_card_io_t io = {oversize_transmit, NULL};
    const uint8_t cmd[] = {0x00, 0xB2, 0x07, 0x00, 0x00};
    uint8_t data[16];
    size_t dlen;
    uint16_t sw;
    assert_int_equal(ks_apdu_exchange(&io, cmd, sizeof cmd, data, sizeof data, &dlen, &sw, NULL),
                     KS_E_PARSE);
}

static void test_result_names(void **state)
{
    (void)state;
    const ks_card_result_t all[] = {KS_CARD_OK, KS_CARD_NOT_RECOGNISED, KS_CARD_BAD_DATA,
                                    KS_CARD_REMOVED, KS_CARD_IO_ERROR};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
        assert_non_null(ks_card_result_str(all[i]));
        for (size_t j = 0; j < i; j++)
            assert_string_not_equal(ks_card_result_str(all[i]), ks_card_result_str(all[j]));
    }
    assert_string_equal(ks_card_result_str(KS_CARD_REMOVED), "card removed");
    assert_string_equal(ks_card_result_str((ks_card_result_t)42), "unknown result");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fixtures_load),
        cmocka_unit_test(test_read_every_holder_and_padding),
        cmocka_unit_test(test_name_field_widths),
        cmocka_unit_test(test_split_61_and_wrong_le),
        cmocka_unit_test(test_faults),
        cmocka_unit_test(test_bad_holder_values),
        cmocka_unit_test(test_transport_fails_mid_read),
        cmocka_unit_test(test_empty_reply_mid_read),
        cmocka_unit_test(test_other_transport_error),
        cmocka_unit_test(test_profile_arguments),
        cmocka_unit_test(test_tlv),
        cmocka_unit_test(test_decode_text),
        cmocka_unit_test(test_make_identity),
        cmocka_unit_test(test_exchange_plain),
        cmocka_unit_test(test_exchange_61),
        cmocka_unit_test(test_exchange_61_forever),
        cmocka_unit_test(test_exchange_6c),
        cmocka_unit_test(test_exchange_errors),
        cmocka_unit_test(test_exchange_oversize_reply),
        cmocka_unit_test(test_result_names),
        cmocka_unit_test(test_recognise),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
