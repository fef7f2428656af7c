/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The emulated social security card (ssc_emu.h): its APDU answers byte by
 * byte, and the holder fixture reader with its "path:line: message" errors.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "card.h"
#include "ssc_emu.h"

static ks_ssc_holder_t zhang(void)
{
    ks_ssc_holder_t h;
    memset(&h, 0, sizeof h);
    strcpy(h.name, "张伟");
    strcpy(h.idnum, "110105198503151230");
    strcpy(h.card_number, "A00000001");
    h.sex = '1';
    strcpy(h.nation, "01");
    h.birth_yyyymmdd = 19850315;
    h.name_pad = 0x00;
    h.name_field = 30;
    return h;
}

/* Sends an APDU given as bytes; returns the reply length, the reply in r. */
static size_t send(ks_ssc_emu_t *emu, const uint8_t *c, size_t clen, uint8_t *r)
{
    return ks_ssc_emu_apdu(emu, c, clen, r, KS_RAPDU_MAX);
}

static uint16_t sw_of(const uint8_t *r, size_t n)
{
    assert_true(n >= 2);
    return (uint16_t)(r[n - 2] << 8 | r[n - 1]);
}

static const uint8_t select_ssse[] = {0x00, 0xA4, 0x04, 0x00, 0x0F, 0x73, 0x78, 0x31, 0x2E, 0x73,
                                      0x68, 0x2E, 0xC9, 0xE7, 0xBB, 0xE1, 0xB1, 0xA3, 0xD5, 0xCF};
static const uint8_t select_ef05[] = {0x00, 0xA4, 0x02, 0x00, 0x02, 0xEF, 0x05};
static const uint8_t select_ef06[] = {0x00, 0xA4, 0x02, 0x00, 0x02, 0xEF, 0x06};

static void select_path(ks_ssc_emu_t *emu, const uint8_t *ef, size_t eflen)
{
    uint8_t r[KS_RAPDU_MAX];
    size_t n = send(emu, select_ssse, sizeof select_ssse, r);
    assert_int_equal(sw_of(r, n), 0x9000);
    n = send(emu, ef, eflen, r);
    assert_int_equal(n, 2);
    assert_int_equal(sw_of(r, n), 0x9000);
}

static void test_atr(void **state)
{
    (void)state;
    ks_ssc_holder_t h = zhang();
    ks_ssc_emu_t *emu = ks_ssc_emu_new(&h, 0);
    assert_non_null(emu);
    uint8_t atr[33];
    size_t n = ks_ssc_emu_atr(emu, atr, sizeof atr);
    assert_true(n >= 2 && n <= 33);
    assert_int_equal(atr[0], 0x3B);
    /* T0: the low nibble counts the historical bytes after TB1 and TC1 (T0 = 6C). */
    assert_int_equal(n, 2 + 2 + (atr[1] & 0x0F));
    assert_int_equal(ks_ssc_emu_atr(emu, atr, 2), 0);
    ks_ssc_emu_free(emu);
    ks_ssc_emu_free(NULL);
}

static void test_records(void **state)
{
    (void)state;
    ks_ssc_holder_t h = zhang();
    ks_ssc_emu_t *emu = ks_ssc_emu_new(&h, 0);
    uint8_t r[KS_RAPDU_MAX];

    select_path(emu, select_ef06, sizeof select_ef06);
    /* The name: tag, length 30, GBK 张伟, then 0x00 padding; P2 00 and 04 alike. */
    for (uint8_t p2 = 0; p2 <= 4; p2 = (uint8_t)(p2 + 4)) {
        const uint8_t read_name[] = {0x00, 0xB2, 0x09, p2, 0x00};
        size_t n = send(emu, read_name, sizeof read_name, r);
        assert_int_equal(n, 2 + 30 + 2);
        const uint8_t head[] = {0x09, 0x1E, 0xD5, 0xC5, 0xCE, 0xB0, 0x00, 0x00};
        assert_memory_equal(r, head, sizeof head);
        assert_int_equal(sw_of(r, n), 0x9000);
    }
    const uint8_t read_birth[] = {0x00, 0xB2, 0x0D, 0x00, 0x06};
    size_t n = send(emu, read_birth, sizeof read_birth, r);
    const uint8_t birth[] = {0x0D, 0x04, 0x19, 0x85, 0x03, 0x15, 0x90, 0x00};
    assert_int_equal(n, sizeof birth);
    assert_memory_equal(r, birth, sizeof birth);
    const uint8_t read_sex[] = {0x00, 0xB2, 0x0A, 0x04, 0x00};
    n = send(emu, read_sex, sizeof read_sex, r);
    const uint8_t sex[] = {0x0A, 0x01, '1', 0x90, 0x00};
    assert_int_equal(n, sizeof sex);
    assert_memory_equal(r, sex, sizeof sex);
    const uint8_t read_id[] = {0x00, 0xB2, 0x08, 0x00, 0x00};
    n = send(emu, read_id, sizeof read_id, r);
    assert_int_equal(n, 2 + 18 + 2);
    assert_memory_equal(r + 2, "110105198503151230", 18);
    const uint8_t read_place[] = {0x00, 0xB2, 0x0C, 0x00, 0x00};
    n = send(emu, read_place, sizeof read_place, r);
    assert_int_equal(sw_of(r, n), 0x9000);

    /* Wrong P2, an absent record, a short Le (6Cxx even without the fault). */
    const uint8_t bad_p2[] = {0x00, 0xB2, 0x09, 0x05, 0x00};
    n = send(emu, bad_p2, sizeof bad_p2, r);
    assert_int_equal(sw_of(r, n), 0x6A86);
    const uint8_t no_rec[] = {0x00, 0xB2, 0x07, 0x00, 0x00}; /* 07 lives in EF05 */
    n = send(emu, no_rec, sizeof no_rec, r);
    assert_int_equal(sw_of(r, n), 0x6A83);
    const uint8_t short_le[] = {0x00, 0xB2, 0x09, 0x00, 0x05};
    n = send(emu, short_le, sizeof short_le, r);
    assert_int_equal(n, 2);
    assert_int_equal(sw_of(r, n), 0x6C20);

    /* EF05: card number, identifier, dates. */
    n = send(emu, select_ef05, sizeof select_ef05, r);
    assert_int_equal(sw_of(r, n), 0x9000);
    n = send(emu, no_rec, sizeof no_rec, r);
    assert_int_equal(n, 2 + 9 + 2);
    assert_memory_equal(r,
                        "\x07\x09"
                        "A00000001\x90\x00",
                        n);
    for (uint8_t tag = 1; tag <= 6; tag++) {
        const uint8_t rd[] = {0x00, 0xB2, tag, 0x00, 0x00};
        n = send(emu, rd, sizeof rd, r);
        int present = tag == 1 || tag == 5 || tag == 6;
        assert_int_equal(sw_of(r, n), present ? 0x9000 : 0x6A83);
    }
    ks_ssc_emu_free(emu);
}

static void test_padding_and_rare_names(void **state)
{
    (void)state;
    static const struct {
        const char *name;
        uint8_t pad;
        const uint8_t *gb;
        size_t gblen;
    } cases[] = {
        {"买买提·艾力", 0x20, (const uint8_t *)"\xC2\xF2\xC2\xF2\xCC\xE1\xA1\xA4\xB0\xAC\xC1\xA6",
         12},
        {"张䶮", 0xFF, (const uint8_t *)"\xD5\xC5\xFE\x9F", 4},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ks_ssc_holder_t h = zhang();
        strcpy(h.name, cases[i].name);
        h.name_pad = cases[i].pad;
        ks_ssc_emu_t *emu = ks_ssc_emu_new(&h, 0);
        assert_non_null(emu);
        select_path(emu, select_ef06, sizeof select_ef06);
        uint8_t r[KS_RAPDU_MAX];
        const uint8_t rd[] = {0x00, 0xB2, 0x09, 0x00, 0x00};
        size_t n = send(emu, rd, sizeof rd, r);
        assert_int_equal(n, 2 + 30 + 2);
        assert_memory_equal(r + 2, cases[i].gb, cases[i].gblen);
        for (size_t j = 2 + cases[i].gblen; j < 2 + 30; j++)
            assert_int_equal(r[j], cases[i].pad);
        ks_ssc_emu_free(emu);
    }
    /* Not UTF-8, or too long for the field: no card. */
    ks_ssc_holder_t h = zhang();
    strcpy(h.name, "\xE5\xBC");
    assert_null(ks_ssc_emu_new(&h, 0));
    h = zhang();
    strcpy(h.name, "张伟张伟张伟张伟张伟张伟张伟张伟"); /* 32 bytes of GBK */
    assert_null(ks_ssc_emu_new(&h, 0));
    h.name_field = 32;
    ks_ssc_emu_t *emu = ks_ssc_emu_new(&h, 0);
    assert_non_null(emu);
    ks_ssc_emu_free(emu);
    assert_null(ks_ssc_emu_new(NULL, 0));
}

static void test_faults_on_the_wire(void **state)
{
    (void)state;
    ks_ssc_holder_t h = zhang();
    uint8_t r[KS_RAPDU_MAX];
    size_t n;

    ks_ssc_emu_t *emu = ks_ssc_emu_new(&h, KS_EMU_UNKNOWN_CARD);
    n = send(emu, select_ssse, sizeof select_ssse, r);
    assert_int_equal(sw_of(r, n), 0x6A82);
    ks_ssc_emu_free(emu);

    emu = ks_ssc_emu_new(&h, KS_EMU_CORRUPT_NAME);
    select_path(emu, select_ef06, sizeof select_ef06);
    const uint8_t rd_name[] = {0x00, 0xB2, 0x09, 0x00, 0x00};
    n = send(emu, rd_name, sizeof rd_name, r);
    assert_int_equal(n, 2 + 30 + 2);
    assert_true(r[1] > 30); /* the length runs past the data */
    ks_ssc_emu_free(emu);

    emu = ks_ssc_emu_new(&h, KS_EMU_BAD_CHECKSUM);
    select_path(emu, select_ef06, sizeof select_ef06);
    const uint8_t rd_id[] = {0x00, 0xB2, 0x08, 0x00, 0x00};
    n = send(emu, rd_id, sizeof rd_id, r);
    assert_memory_equal(r + 2, "11010519850315123", 17);
    assert_int_not_equal(r[2 + 17], '0');
    ks_ssc_emu_free(emu);

    emu = ks_ssc_emu_new(&h, KS_EMU_BIRTH_MISMATCH);
    select_path(emu, select_ef06, sizeof select_ef06);
    const uint8_t rd_birth[] = {0x00, 0xB2, 0x0D, 0x00, 0x00};
    n = send(emu, rd_birth, sizeof rd_birth, r);
    assert_int_equal(n, 8);
    assert_false(r[2] == 0x19 && r[3] == 0x85 && r[4] == 0x03 && r[5] == 0x15);
    ks_ssc_emu_free(emu);

    /* WRONG_LE: Le 00 or a wrong Le gets 6Cxx, the exact Le the record. */
    emu = ks_ssc_emu_new(&h, KS_EMU_WRONG_LE);
    select_path(emu, select_ef06, sizeof select_ef06);
    n = send(emu, rd_birth, sizeof rd_birth, r);
    assert_int_equal(n, 2);
    assert_int_equal(sw_of(r, n), 0x6C06);
    const uint8_t rd_birth_big[] = {0x00, 0xB2, 0x0D, 0x00, 0x20};
    n = send(emu, rd_birth_big, sizeof rd_birth_big, r);
    assert_int_equal(sw_of(r, n), 0x6C06);
    const uint8_t rd_birth_6[] = {0x00, 0xB2, 0x0D, 0x00, 0x06};
    n = send(emu, rd_birth_6, sizeof rd_birth_6, r);
    assert_int_equal(n, 8);
    assert_int_equal(sw_of(r, n), 0x9000);
    const uint8_t rd_birth_case1[] = {0x00, 0xB2, 0x0D, 0x04};
    n = send(emu, rd_birth_case1, sizeof rd_birth_case1, r);
    assert_int_equal(sw_of(r, n), 0x6C06);
    ks_ssc_emu_free(emu);
}

static void test_split_61(void **state)
{
    (void)state;
    ks_ssc_holder_t h = zhang();
    ks_ssc_emu_t *emu = ks_ssc_emu_new(&h, KS_EMU_SPLIT_61);
    uint8_t r[KS_RAPDU_MAX];
    select_path(emu, select_ef06, sizeof select_ef06); /* SELECT has no data: plain 9000 */
    const uint8_t rd_name[] = {0x00, 0xB2, 0x09, 0x00, 0x00};
    size_t n = send(emu, rd_name, sizeof rd_name, r);
    assert_int_equal(n, 2);
    assert_int_equal(sw_of(r, n), 0x6110);
    /* 32 bytes: 16 + 16, then 9000. */
    uint8_t got[64];
    size_t total = 0;
    uint16_t sw = 0x6110;
    int rounds = 0;
    while ((sw >> 8) == 0x61) {
        const uint8_t get[] = {0x00, 0xC0, 0x00, 0x00, (uint8_t)sw};
        n = send(emu, get, sizeof get, r);
        sw = sw_of(r, n);
        memcpy(got + total, r, n - 2);
        total += n - 2;
        rounds++;
    }
    assert_int_equal(sw, 0x9000);
    assert_int_equal(rounds, 2);
    assert_int_equal(total, 32);
    assert_int_equal(got[0], 0x09);
    assert_int_equal(got[1], 30);
    /* Nothing pending any more, and another command drops a pending answer. */
    const uint8_t get[] = {0x00, 0xC0, 0x00, 0x00, 0x10};
    n = send(emu, get, sizeof get, r);
    assert_int_equal(sw_of(r, n), 0x6985);
    n = send(emu, rd_name, sizeof rd_name, r);
    assert_int_equal(sw_of(r, n), 0x6110);
    n = send(emu, select_ef06, sizeof select_ef06, r);
    assert_int_equal(sw_of(r, n), 0x9000);
    n = send(emu, get, sizeof get, r);
    assert_int_equal(sw_of(r, n), 0x6985);
    /* A smaller Le than announced gets that much. */
    n = send(emu, rd_name, sizeof rd_name, r);
    const uint8_t get4[] = {0x00, 0xC0, 0x00, 0x00, 0x04};
    n = send(emu, get4, sizeof get4, r);
    assert_int_equal(n, 6);
    assert_int_equal(sw_of(r, n), 0x6110);
    ks_ssc_emu_free(emu);
}

static void test_protocol_errors(void **state)
{
    (void)state;
    ks_ssc_holder_t h = zhang();
    ks_ssc_emu_t *emu = ks_ssc_emu_new(&h, 0);
    uint8_t r[KS_RAPDU_MAX];
    size_t n;

    /* EF05 cannot be selected before the application, nor read before a SELECT. */
    n = send(emu, select_ef05, sizeof select_ef05, r);
    assert_int_equal(sw_of(r, n), 0x6A82);
    const uint8_t rd[] = {0x00, 0xB2, 0x07, 0x00, 0x00};
    n = send(emu, rd, sizeof rd, r);
    assert_int_equal(sw_of(r, n), 0x6986);
    /* Another application name, a file that is not there, a bad P1. */
    uint8_t other[sizeof select_ssse];
    memcpy(other, select_ssse, sizeof other);
    other[sizeof other - 1] ^= 1;
    n = send(emu, other, sizeof other, r);
    assert_int_equal(sw_of(r, n), 0x6A82);
    select_path(emu, select_ef05, sizeof select_ef05);
    const uint8_t ef07[] = {0x00, 0xA4, 0x02, 0x00, 0x02, 0xEF, 0x07};
    n = send(emu, ef07, sizeof ef07, r);
    assert_int_equal(sw_of(r, n), 0x6A82);
    const uint8_t bad_p1[] = {0x00, 0xA4, 0x08, 0x00, 0x02, 0xEF, 0x05};
    n = send(emu, bad_p1, sizeof bad_p1, r);
    assert_int_equal(sw_of(r, n), 0x6A86);
    const uint8_t no_data[] = {0x00, 0xA4, 0x02, 0x00};
    n = send(emu, no_data, sizeof no_data, r);
    assert_int_equal(sw_of(r, n), 0x6700);
    /* Back to the MF by 3F00: EF05 is out of reach again. */
    const uint8_t mf[] = {0x00, 0xA4, 0x00, 0x00, 0x02, 0x3F, 0x00};
    n = send(emu, mf, sizeof mf, r);
    assert_int_equal(sw_of(r, n), 0x9000);
    n = send(emu, select_ef05, sizeof select_ef05, r);
    assert_int_equal(sw_of(r, n), 0x6A82);

    /* Unknown instruction and class, malformed lengths, no room for a reply. */
    const uint8_t ins[] = {0x00, 0xCA, 0x00, 0x00, 0x00};
    n = send(emu, ins, sizeof ins, r);
    assert_int_equal(sw_of(r, n), 0x6D00);
    const uint8_t cla[] = {0x80, 0xB2, 0x07, 0x00, 0x00};
    n = send(emu, cla, sizeof cla, r);
    assert_int_equal(sw_of(r, n), 0x6E00);
    n = send(emu, rd, 3, r);
    assert_int_equal(sw_of(r, n), 0x6700);
    const uint8_t bad_lc[] = {0x00, 0xA4, 0x02, 0x00, 0x05, 0xEF, 0x05};
    n = send(emu, bad_lc, sizeof bad_lc, r);
    assert_int_equal(sw_of(r, n), 0x6700);
    const uint8_t ext[] = {0x00, 0xA4, 0x02, 0x00, 0x00, 0x00, 0x02, 0xEF, 0x05};
    n = send(emu, ext, sizeof ext, r);
    assert_int_equal(sw_of(r, n), 0x6700);
    assert_int_equal(ks_ssc_emu_apdu(emu, rd, sizeof rd, r, 1), 0);
    n = ks_ssc_emu_apdu(emu, NULL, 0, r, sizeof r);
    assert_int_equal(sw_of(r, n), 0x6700);

    /* A reply that does not fit the caller's buffer. */
    select_path(emu, select_ef06, sizeof select_ef06);
    const uint8_t rd_name[] = {0x00, 0xB2, 0x09, 0x00, 0x00};
    n = ks_ssc_emu_apdu(emu, rd_name, sizeof rd_name, r, 10);
    assert_int_equal(n, 2);
    assert_int_equal(sw_of(r, n), 0x6F00);

    /* Reset: back to the MF. */
    ks_ssc_emu_reset(emu);
    n = send(emu, rd_name, sizeof rd_name, r);
    assert_int_equal(sw_of(r, n), 0x6986);
    ks_ssc_emu_reset(NULL);
    ks_ssc_emu_free(emu);
}

/* ---- holder fixtures ------------------------------------------------------ */

static char tmp_path[256];

static const char *write_tmp(const char *text)
{
    const char *dir = getenv("TMPDIR");
    snprintf(tmp_path, sizeof tmp_path, "%s/test_ssc_emu_XXXXXX", dir != NULL ? dir : "/tmp");
    int fd = mkstemp(tmp_path);
    assert_true(fd >= 0);
    size_t len = strlen(text);
    assert_int_equal(write(fd, text, len), (ssize_t)len);
    close(fd);
    return tmp_path;
}

#define GOOD_BODY                                                                                  \
    "name = 张伟\n"                                                                              \
    "id = 110105198503151230\n"                                                                    \
    "card = A00000001\n"                                                                           \
    "sex = M\n"                                                                                    \
    "nation = 01\n"                                                                                \
    "birth = 19850315\n"

static void test_load_good(void **state)
{
    (void)state;
    const char *path = write_tmp("; a comment\n\n[holder]\n" GOOD_BODY "pad = ff\n");
    ks_ssc_holder_t h;
    char err[256];
    assert_int_equal(ks_ssc_holder_load(path, &h, err, sizeof err), 0);
    assert_string_equal(h.name, "张伟");
    assert_string_equal(h.idnum, "110105198503151230");
    assert_string_equal(h.card_number, "A00000001");
    assert_int_equal(h.sex, '1');
    assert_string_equal(h.nation, "01");
    assert_int_equal(h.birth_yyyymmdd, 19850315);
    assert_int_equal(h.name_pad, 0xFF);
    assert_int_equal(h.name_field, 30);
    unlink(path);
}

static void test_load_errors(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        int line; /* 0: no line number */
        const char *msg;
    } cases[] = {
        {"[holder]\n" GOOD_BODY "pad = 10\n", 8, "bad value for [holder] pad: '10'"},
        {"[holder]\n" GOOD_BODY "pad = 00\nsex = F\n", 9,
         "duplicate key 'sex' (first defined on line 5)"},
        {"[holder]\n" GOOD_BODY "pad = 00\ncolour = red\n", 9, "unknown key 'colour' in [holder]"},
        {"name = x\n[holder]\n", 1, "key 'name' outside [holder]"},
        {"[holder]\n" GOOD_BODY "pad = 00\n[card]\n", 9, "unknown section [card]"},
        {"[holder]\n" GOOD_BODY, 0, "missing key 'pad' in [holder]"},
        {"[holder]\nname = 张伟\nsex = X\n", 3,
         "bad value for [holder] sex: 'X' (expected M or F)"},
        {"[holder]\nnation = 1\n", 2, "bad value for [holder] nation"},
        {"[holder]\nbirth = 19851315\n", 2, "bad value for [holder] birth"},
        {"[holder]\nbirth = 1985031\n", 2, "bad value for [holder] birth"},
        {"[holder]\ncard = A-1\n", 2, "bad value for [holder] card"},
        {"[holder]\ncard = 1234567890123456\n", 2, "bad value for [holder] card"},
        {"[holder]\n\n\nid = 11010519850315123\n", 4, "bad value for [holder] id (expected"},
        {"[holder]\nid = 11010519850315123Y\n", 2, "bad value for [holder] id (expected"},
        {"[holder]\nname = \xE5\xBC\n", 2, "bad value for [holder] name (not UTF-8"},
        {"[holder]\nname = 张伟张伟张伟张伟张伟张伟张伟张伟\n", 2,
         "bad value for [holder] name (longer than 30 bytes in GB18030)"},
        {"[holder]\nname =\n", 2, "bad value for [holder] name"},
        {"[holder]\nno equals sign\n", 2, "syntax error"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *path = write_tmp(cases[i].text);
        ks_ssc_holder_t h;
        char err[512], want[512];
        memset(&h, 0x5A, sizeof h);
        assert_int_equal(ks_ssc_holder_load(path, &h, err, sizeof err), -1);
        if (cases[i].line > 0)
            snprintf(want, sizeof want, "%s:%d: %s", path, cases[i].line, cases[i].msg);
        else
            snprintf(want, sizeof want, "%s: %s", path, cases[i].msg);
        if (strncmp(err, want, strlen(want)) != 0)
            fail_msg("case %zu: got '%s', want '%s...'", i, err, want);
        /* The name and the number are never quoted back. */
        assert_null(strstr(err, "张伟"));
        assert_null(strstr(err, "1101051985031512"));
        /* Nothing half-loaded is left behind. */
        for (size_t b = 0; b < sizeof h; b++)
            assert_int_equal(((const uint8_t *)&h)[b], 0);
        unlink(path);
    }
    ks_ssc_holder_t h;
    char err[256];
    assert_int_equal(ks_ssc_holder_load("/nonexistent/holder.ini", &h, err, sizeof err), -1);
    assert_non_null(strstr(err, "/nonexistent/holder.ini: cannot open"));
    assert_int_equal(ks_ssc_holder_load(NULL, &h, err, sizeof err), -1);
    assert_int_equal(ks_ssc_holder_load("/nonexistent/holder.ini", &h, NULL, 0), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_atr),
        cmocka_unit_test(test_records),
        cmocka_unit_test(test_padding_and_rare_names),
        cmocka_unit_test(test_faults_on_the_wire),
        cmocka_unit_test(test_split_61),
        cmocka_unit_test(test_protocol_errors),
        cmocka_unit_test(test_load_good),
        cmocka_unit_test(test_load_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
