/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The party checks (ks_marriage_party_check, ks_marriage_parties_check): a
 * valid ID number (GB 11643 through ks_idnum_validate: length, characters,
 * date, check character, birth not after the date); the card's sex and
 * birth date equal to the ID number's; two different people (x and X alike);
 * both of legal age for a marriage only; REISSUE with one party; the order
 * of the reasons; no rule on the parties' sexes; the catalogue keys.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "marriage_fixture.h"

#define APPT 20260310

static void test_bad_id_numbers(void **state)
{
    (void)state;
    ks_party_t good = fx_party(19900501, KS_SEX_MALE, 1, "");
    char bad[12][20] = {"",
                        "50038119900501001",
                        "50038119900501001A",
                        "5003811990O501001X",
                        "500381199002300011",
                        "500381189912310011",
                        "x",
                        "50038119900501001\n"};
    int n = 8;
    /* A wrong check character. */
    memcpy(bad[n], good.idnum, 20);
    bad[n][17] = bad[n][17] == '0' ? '1' : '0';
    n++;
    /* Well-formed, but born after the appointment (and on 30 February). */
    fx_idnum(bad[n++], 20260311, KS_SEX_MALE, 1);
    fx_idnum(bad[n++], 19900230, KS_SEX_MALE, 1);
    /* 19 characters: the first 18 are valid. */
    memcpy(bad[n], good.idnum, 18);
    bad[n][18] = '1';
    bad[n][19] = '\0';
    n++;
    for (int i = 0; i < n; i++) {
        ks_party_t p = good;
        memcpy(p.idnum, bad[i], sizeof p.idnum);
        p.birth_yyyymmdd = 0;
        p.sex = KS_SEX_UNKNOWN;
        if (ks_marriage_party_check(&p, APPT, NULL) != KS_MARRIAGE_WHY_BAD_ID)
            fail_msg("case %d \"%s\" accepted", i, p.idnum);
        ks_marriage_why_t why;
        assert_int_equal(ks_marriage_parties_check(&p, &good, KS_MARRIAGE, APPT, &why), KS_E_RANGE);
        assert_int_equal(why, KS_MARRIAGE_WHY_BAD_ID);
        assert_int_equal(ks_marriage_parties_check(&good, &p, KS_DIVORCE, APPT, &why), KS_E_RANGE);
        assert_int_equal(why, KS_MARRIAGE_WHY_BAD_ID);
    }
    /* No NUL in the field at all. */
    ks_party_t p = good;
    memset(p.idnum, '1', sizeof p.idnum);
    assert_int_equal(ks_marriage_party_check(&p, APPT, NULL), KS_MARRIAGE_WHY_BAD_ID);
    assert_int_equal(ks_marriage_party_check(NULL, APPT, NULL), KS_MARRIAGE_WHY_BAD_ID);
}

static void test_card_mismatch(void **state)
{
    (void)state;
    ks_party_t p = fx_party(19920715, KS_SEX_FEMALE, 2, "");
    ks_idnum_info_t in;
    assert_int_equal(ks_marriage_party_check(&p, APPT, &in), KS_MARRIAGE_WHY_OK);
    assert_int_equal(in.sex, KS_SEX_FEMALE);
    assert_int_equal(in.year * 10000 + in.month * 100 + in.day, 19920715);
    /* The card states nothing: the ID number's facts are used. */
    p.sex = KS_SEX_UNKNOWN;
    p.birth_yyyymmdd = 0;
    assert_int_equal(ks_marriage_party_check(&p, APPT, NULL), KS_MARRIAGE_WHY_OK);
    /* The card says male, the ID number female. */
    p.sex = KS_SEX_MALE;
    assert_int_equal(ks_marriage_party_check(&p, APPT, NULL), KS_MARRIAGE_WHY_CARD_MISMATCH);
    /* A birth date a day off. */
    p.sex = KS_SEX_FEMALE;
    p.birth_yyyymmdd = 19920716;
    assert_int_equal(ks_marriage_party_check(&p, APPT, NULL), KS_MARRIAGE_WHY_CARD_MISMATCH);
    ks_party_t b = fx_party(19900501, KS_SEX_MALE, 1, "");
    ks_marriage_why_t why;
    assert_int_equal(ks_marriage_parties_check(&b, &p, KS_MARRIAGE, APPT, &why), KS_E_RANGE);
    assert_int_equal(why, KS_MARRIAGE_WHY_CARD_MISMATCH);
}

static void test_same_person(void **state)
{
    (void)state;
    ks_marriage_why_t why;
    ks_party_t a = fx_party(19900501, KS_SEX_MALE, 1, "张三");
    ks_party_t b = a;
    assert_int_equal(ks_marriage_parties_check(&a, &b, KS_MARRIAGE, APPT, &why), KS_E_RANGE);
    assert_int_equal(why, KS_MARRIAGE_WHY_SAME_PERSON);
    assert_int_equal(ks_marriage_parties_check(&a, &b, KS_REISSUE, APPT, &why), KS_E_RANGE);
    assert_int_equal(why, KS_MARRIAGE_WHY_SAME_PERSON);
    /* Find a number ending in X: lower-case x on one card is the same person. */
    for (int serial = 0; serial < 500; serial++) {
        ks_party_t x = fx_party(19850101 + serial % 28, KS_SEX_MALE, serial, "");
        if (x.idnum[17] != 'X')
            continue;
        ks_party_t lower = x;
        lower.idnum[17] = 'x';
        assert_int_equal(ks_marriage_parties_check(&x, &lower, KS_DIVORCE, APPT, &why), KS_E_RANGE);
        assert_int_equal(why, KS_MARRIAGE_WHY_SAME_PERSON);
        return;
    }
    fail_msg("no ID number ending in X generated");
}

static void test_ages_and_order(void **state)
{
    (void)state;
    ks_marriage_why_t why;
    ks_party_t man = fx_party(20040310, KS_SEX_MALE, 1, "");     /* 22 on 2026-03-10 */
    ks_party_t woman = fx_party(20060311, KS_SEX_FEMALE, 2, ""); /* 20 on 2026-03-11 */
    assert_int_equal(ks_marriage_parties_check(&man, &woman, KS_MARRIAGE, 20260310, &why),
                     KS_E_RANGE);
    assert_int_equal(why, KS_MARRIAGE_WHY_UNDER_AGE_WOMAN);
    assert_int_equal(ks_marriage_parties_check(&woman, &man, KS_MARRIAGE, 20260311, &why), KS_OK);
    assert_int_equal(why, KS_MARRIAGE_WHY_OK);
    assert_int_equal(ks_marriage_parties_check(&man, &woman, KS_MARRIAGE, 20260309, &why),
                     KS_E_RANGE);
    assert_int_equal(why, KS_MARRIAGE_WHY_UNDER_AGE_MAN); /* the first party first */
    /* No age rule for a divorce or a reissue. */
    assert_int_equal(ks_marriage_parties_check(&man, &woman, KS_DIVORCE, 20260309, &why), KS_OK);
    assert_int_equal(ks_marriage_parties_check(&man, &woman, KS_REISSUE, 20260309, &why), KS_OK);
    /* A card problem comes before the age. */
    ks_party_t lying = woman;
    lying.birth_yyyymmdd = 19900101;
    assert_int_equal(ks_marriage_parties_check(&man, &lying, KS_MARRIAGE, 20260309, &why),
                     KS_E_RANGE);
    assert_int_equal(why, KS_MARRIAGE_WHY_CARD_MISMATCH);
}

static void test_missing_party_and_sexes(void **state)
{
    (void)state;
    ks_marriage_why_t why;
    ks_party_t a = fx_party(19900501, KS_SEX_MALE, 1, "");
    ks_party_t b = fx_party(19910602, KS_SEX_MALE, 2, "");
    assert_int_equal(ks_marriage_parties_check(&a, NULL, KS_REISSUE, APPT, &why), KS_OK);
    assert_int_equal(ks_marriage_parties_check(&a, NULL, KS_MARRIAGE, APPT, &why), KS_E_RANGE);
    assert_int_equal(why, KS_MARRIAGE_WHY_PARTY_MISSING);
    /* The code sets no rule on the sexes (domain.md has none): each has their own age. */
    assert_int_equal(ks_marriage_parties_check(&a, &b, KS_MARRIAGE, APPT, &why), KS_OK);
    /* Invalid calls. */
    assert_int_equal(ks_marriage_parties_check(NULL, &b, KS_MARRIAGE, APPT, &why), KS_E_INVAL);
    assert_int_equal(ks_marriage_parties_check(&a, &b, KS_MARRIAGE, APPT, NULL), KS_E_INVAL);
    assert_int_equal(ks_marriage_parties_check(&a, &b, (ks_booking_type_t)3, APPT, &why),
                     KS_E_INVAL);
    assert_int_equal(ks_marriage_parties_check(&a, &b, KS_MARRIAGE, 20260230, &why), KS_E_INVAL);
}

static void test_why_keys(void **state)
{
    (void)state;
    for (int i = 0; i < KS_MARRIAGE_WHY_COUNT; i++) {
        const char *k = ks_marriage_why_key((ks_marriage_why_t)i);
        assert_non_null(k);
        assert_int_equal(strncmp(k, "marriage.why_", 13), 0);
        for (int j = 0; j < i; j++)
            assert_string_not_equal(k, ks_marriage_why_key((ks_marriage_why_t)j));
    }
    assert_string_equal(ks_marriage_why_key(KS_MARRIAGE_WHY_SAME_PERSON),
                        "marriage.why_same_person");
    assert_string_equal(ks_marriage_why_key(KS_MARRIAGE_WHY_COUNT), "marriage.why_unknown");
}

static void test_party_from_identity(void **state)
{
    (void)state;
    ks_identity_t id;
    memset(&id, 0, sizeof id);
    fx_idnum(id.idnum, 19920715, KS_SEX_FEMALE, 3);
    snprintf(id.name, sizeof id.name, "%s", "李四");
    snprintf(id.card_number, sizeof id.card_number, "%s", "A12345678");
    id.sex = KS_SEX_FEMALE;
    id.birth_yyyymmdd = 19920715;
    ks_party_t p;
    memset(&p, 0x5a, sizeof p);
    ks_party_from_identity(&p, &id);
    assert_string_equal(p.idnum, id.idnum);
    assert_string_equal(p.name, "李四");
    assert_int_equal(p.sex, KS_SEX_FEMALE);
    assert_int_equal(p.birth_yyyymmdd, 19920715);
    assert_string_equal(p.citizen, "");
    assert_string_equal(p.phone, "");
    assert_int_equal(ks_marriage_party_check(&p, APPT, NULL), KS_MARRIAGE_WHY_OK);
    ks_identity_wipe(&id);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bad_id_numbers),
        cmocka_unit_test(test_card_mismatch),
        cmocka_unit_test(test_same_person),
        cmocka_unit_test(test_ages_and_order),
        cmocka_unit_test(test_missing_party_and_sexes),
        cmocka_unit_test(test_why_keys),
        cmocka_unit_test(test_party_from_identity),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
