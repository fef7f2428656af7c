/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests for app/core/lru.c: lookups, recency, cost bounds and the free callback. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "lru.h"

#define MAX_VALUES 20000

/*
 * Values are addresses of slots in `slot`, so the free callback can count how
 * often each one was handed back.
 */
typedef struct {
    char slot[MAX_VALUES];
    int freed[MAX_VALUES];
    int total_freed;
} tracker_t;

static void count_free(void *value, void *ud)
{
    tracker_t *t = ud;
    ptrdiff_t i = (char *)value - t->slot;
    assert_true(i >= 0 && i < MAX_VALUES);
    t->freed[i]++;
    t->total_freed++;
}

static int setup(void **state)
{
    tracker_t *t = calloc(1, sizeof *t);
    if (t == NULL)
        return -1;
    *state = t;
    return 0;
}

static int teardown(void **state)
{
    free(*state);
    return 0;
}

static void *val(tracker_t *t, int i)
{
    return &t->slot[i];
}

static int put_str(ks_lru_t *lru, const char *key, void *value, size_t cost)
{
    return ks_lru_put(lru, key, strlen(key), value, cost);
}

static void *get_str(ks_lru_t *lru, const char *key)
{
    return ks_lru_get(lru, key, strlen(key));
}

static void test_get_put(void **state)
{
    tracker_t *t = *state;
    ks_lru_t *lru = ks_lru_new(8, 0, count_free, t);
    assert_non_null(lru);
    assert_int_equal(ks_lru_count(lru), 0);
    assert_null(get_str(lru, "a"));

    assert_int_equal(put_str(lru, "a", val(t, 1), 10), KS_OK);
    assert_int_equal(put_str(lru, "ab", val(t, 2), 20), KS_OK);
    assert_ptr_equal(get_str(lru, "a"), val(t, 1));
    assert_ptr_equal(get_str(lru, "ab"), val(t, 2));
    assert_null(get_str(lru, "b"));
    assert_null(get_str(lru, "abc"));
    assert_int_equal(ks_lru_count(lru), 2);
    assert_int_equal(ks_lru_cost(lru), 30);

    /* Keys are bytes: an embedded NUL matters, and the empty key is a key. */
    assert_int_equal(ks_lru_put(lru, "x\0y", 3, val(t, 3), 0), KS_OK);
    assert_int_equal(ks_lru_put(lru, "x\0z", 3, val(t, 4), 0), KS_OK);
    assert_int_equal(ks_lru_put(lru, "", 0, val(t, 5), 0), KS_OK);
    assert_ptr_equal(ks_lru_get(lru, "x\0y", 3), val(t, 3));
    assert_ptr_equal(ks_lru_get(lru, "x\0z", 3), val(t, 4));
    assert_null(ks_lru_get(lru, "x", 1));
    assert_ptr_equal(ks_lru_get(lru, "", 0), val(t, 5));
    assert_ptr_equal(ks_lru_get(lru, NULL, 0), val(t, 5));
    assert_int_equal(ks_lru_count(lru), 5);

    ks_lru_free(lru);
    assert_int_equal(t->total_freed, 5);
}

/* The map owns a copy of the key, not the caller's buffer. */
static void test_key_is_copied(void **state)
{
    tracker_t *t = *state;
    ks_lru_t *lru = ks_lru_new(4, 0, count_free, t);
    assert_non_null(lru);
    char key[16];
    snprintf(key, sizeof key, "glyph-%d", 42);
    assert_int_equal(put_str(lru, key, val(t, 1), 1), KS_OK);
    memset(key, 'x', sizeof key - 1);
    assert_ptr_equal(get_str(lru, "glyph-42"), val(t, 1));
    ks_lru_free(lru);
}

static void test_replace(void **state)
{
    tracker_t *t = *state;
    ks_lru_t *lru = ks_lru_new(4, 0, count_free, t);
    assert_non_null(lru);
    assert_int_equal(put_str(lru, "k", val(t, 1), 100), KS_OK);
    assert_int_equal(put_str(lru, "other", val(t, 2), 1), KS_OK);
    assert_int_equal(put_str(lru, "k", val(t, 3), 40), KS_OK);

    /* The old value is handed back once; count stays, cost follows the new entry. */
    assert_int_equal(t->freed[1], 1);
    assert_int_equal(t->total_freed, 1);
    assert_ptr_equal(get_str(lru, "k"), val(t, 3));
    assert_int_equal(ks_lru_count(lru), 2);
    assert_int_equal(ks_lru_cost(lru), 41);

    /* Putting the same value again must not free it under the caller. */
    assert_int_equal(put_str(lru, "k", val(t, 3), 7), KS_OK);
    assert_int_equal(t->freed[3], 0);
    assert_int_equal(ks_lru_cost(lru), 8);

    ks_lru_free(lru);
    assert_int_equal(t->freed[3], 1);
    assert_int_equal(t->freed[2], 1);
    assert_int_equal(t->total_freed, 3);
}

static void test_eviction_by_recency(void **state)
{
    tracker_t *t = *state;
    ks_lru_t *lru = ks_lru_new(3, 0, count_free, t);
    assert_non_null(lru);
    put_str(lru, "a", val(t, 1), 0);
    put_str(lru, "b", val(t, 2), 0);
    put_str(lru, "c", val(t, 3), 0);
    /* A get makes "a" the most recent, so "b" is now the oldest. */
    assert_ptr_equal(get_str(lru, "a"), val(t, 1));
    put_str(lru, "d", val(t, 4), 0);
    assert_int_equal(ks_lru_count(lru), 3);
    assert_null(get_str(lru, "b"));
    assert_int_equal(t->freed[2], 1);
    assert_int_equal(t->total_freed, 1);

    /* Replacing also counts as use: "c" is refreshed, "a" goes next. */
    put_str(lru, "c", val(t, 3), 0);
    put_str(lru, "e", val(t, 5), 0);
    assert_null(get_str(lru, "a"));
    assert_int_equal(t->freed[1], 1);
    assert_ptr_equal(get_str(lru, "c"), val(t, 3));
    assert_ptr_equal(get_str(lru, "d"), val(t, 4));
    assert_ptr_equal(get_str(lru, "e"), val(t, 5));

    /* A miss changes nothing. */
    assert_null(get_str(lru, "zz"));
    put_str(lru, "f", val(t, 6), 0);
    assert_null(get_str(lru, "c"));
    assert_int_equal(t->total_freed, 3);
    ks_lru_free(lru);
    assert_int_equal(t->total_freed, 6);
}

static void test_eviction_by_cost(void **state)
{
    tracker_t *t = *state;
    ks_lru_t *lru = ks_lru_new(100, 10, count_free, t);
    assert_non_null(lru);
    put_str(lru, "a", val(t, 1), 4);
    put_str(lru, "b", val(t, 2), 4);
    assert_int_equal(ks_lru_cost(lru), 8);
    put_str(lru, "c", val(t, 3), 4);
    assert_null(get_str(lru, "a"));
    assert_int_equal(ks_lru_count(lru), 2);
    assert_int_equal(ks_lru_cost(lru), 8);

    get_str(lru, "b");
    put_str(lru, "d", val(t, 4), 5);
    assert_null(get_str(lru, "c"));
    assert_ptr_equal(get_str(lru, "b"), val(t, 2));
    assert_ptr_equal(get_str(lru, "d"), val(t, 4));
    assert_int_equal(ks_lru_cost(lru), 9);

    /* Exactly at the bound is within it. */
    put_str(lru, "e", val(t, 5), 1);
    assert_int_equal(ks_lru_count(lru), 3);
    assert_int_equal(ks_lru_cost(lru), 10);

    /* Growing an entry's cost by replacement evicts others, oldest first, until it fits. */
    get_str(lru, "d");
    put_str(lru, "e", val(t, 6), 6); /* 6 + 5 + 4: "b" goes; 11 is still too much: "d" goes */
    assert_null(get_str(lru, "b"));
    assert_null(get_str(lru, "d"));
    assert_ptr_equal(get_str(lru, "e"), val(t, 6));
    assert_int_equal(ks_lru_count(lru), 1);
    assert_int_equal(ks_lru_cost(lru), 6);

    for (int i = 1; i <= 5; i++)
        assert_int_equal(t->freed[i], 1);
    assert_int_equal(t->freed[6], 0);
    ks_lru_free(lru);
    assert_int_equal(t->total_freed, 6);
}

static void test_inserted_entry_survives(void **state)
{
    tracker_t *t = *state;
    ks_lru_t *lru = ks_lru_new(10, 10, count_free, t);
    assert_non_null(lru);
    put_str(lru, "a", val(t, 1), 3);
    put_str(lru, "b", val(t, 2), 3);
    assert_int_equal(put_str(lru, "huge", val(t, 3), 50), KS_OK);
    /* Everything else went; the new entry stays even though it alone is over the bound. */
    assert_int_equal(ks_lru_count(lru), 1);
    assert_int_equal(ks_lru_cost(lru), 50);
    assert_ptr_equal(get_str(lru, "huge"), val(t, 3));
    assert_int_equal(t->freed[1], 1);
    assert_int_equal(t->freed[2], 1);
    assert_int_equal(t->freed[3], 0);

    /* The next insertion is the one that stays now. */
    put_str(lru, "small", val(t, 4), 1);
    assert_int_equal(ks_lru_count(lru), 1);
    assert_int_equal(ks_lru_cost(lru), 1);
    assert_int_equal(t->freed[3], 1);

    /* A replacement that is too big on its own also survives. */
    put_str(lru, "x", val(t, 5), 2);
    put_str(lru, "small", val(t, 6), 99);
    assert_int_equal(ks_lru_count(lru), 1);
    assert_ptr_equal(get_str(lru, "small"), val(t, 6));
    assert_int_equal(t->freed[4], 1);
    assert_int_equal(t->freed[5], 1);
    ks_lru_free(lru);

    /* With room for one entry, each put replaces the previous one. */
    lru = ks_lru_new(1, 0, count_free, t);
    assert_non_null(lru);
    put_str(lru, "p", val(t, 7), 0);
    put_str(lru, "q", val(t, 8), 0);
    assert_null(get_str(lru, "p"));
    assert_ptr_equal(get_str(lru, "q"), val(t, 8));
    ks_lru_free(lru);

    for (int i = 1; i <= 8; i++)
        assert_int_equal(t->freed[i], 1);
}

static void test_clear(void **state)
{
    tracker_t *t = *state;
    ks_lru_t *lru = ks_lru_new(50, 0, count_free, t);
    assert_non_null(lru);
    char key[32];
    for (int i = 0; i < 40; i++) {
        snprintf(key, sizeof key, "k%d", i);
        assert_int_equal(put_str(lru, key, val(t, i), (size_t)i), KS_OK);
    }
    ks_lru_clear(lru);
    assert_int_equal(ks_lru_count(lru), 0);
    assert_int_equal(ks_lru_cost(lru), 0);
    assert_null(get_str(lru, "k0"));
    for (int i = 0; i < 40; i++)
        assert_int_equal(t->freed[i], 1);

    /* Still usable after a clear; clearing twice frees nothing twice. */
    assert_int_equal(put_str(lru, "again", val(t, 100), 5), KS_OK);
    assert_ptr_equal(get_str(lru, "again"), val(t, 100));
    ks_lru_clear(lru);
    ks_lru_clear(lru);
    ks_lru_free(lru);
    assert_int_equal(t->freed[100], 1);
    assert_int_equal(t->total_freed, 41);
}

static void test_many_keys(void **state)
{
    tracker_t *t = *state;
    enum { N = 10000 };
    ks_lru_t *lru = ks_lru_new(N, 0, count_free, t);
    assert_non_null(lru);
    char key[32];
    for (int i = 0; i < N; i++) {
        snprintf(key, sizeof key, "font:%d:%d", i % 7, i);
        assert_int_equal(put_str(lru, key, val(t, i), 1), KS_OK);
    }
    assert_int_equal(ks_lru_count(lru), N);
    assert_int_equal(ks_lru_cost(lru), N);
    assert_int_equal(t->total_freed, 0);
    for (int i = 0; i < N; i++) {
        snprintf(key, sizeof key, "font:%d:%d", i % 7, i);
        assert_ptr_equal(get_str(lru, key), val(t, i));
    }

    /* Binary keys that differ in single bytes push out all the string keys. */
    for (int i = 0; i < N; i++) {
        uint32_t k = (uint32_t)i;
        assert_int_equal(ks_lru_put(lru, &k, sizeof k, val(t, N + i), 1), KS_OK);
    }
    assert_int_equal(ks_lru_count(lru), N);
    assert_int_equal(t->total_freed, N);
    for (int i = 0; i < N; i++) {
        assert_int_equal(t->freed[i], 1);
        uint32_t k = (uint32_t)i;
        assert_ptr_equal(ks_lru_get(lru, &k, sizeof k), val(t, N + i));
        snprintf(key, sizeof key, "font:%d:%d", i % 7, i);
        assert_null(get_str(lru, key));
    }
    ks_lru_free(lru);
    assert_int_equal(t->total_freed, 2 * N);
    for (int i = 0; i < 2 * N; i++)
        assert_int_equal(t->freed[i], 1);
}

/* More keys than room: the oldest are evicted, in insertion order. */
static void test_many_keys_bounded(void **state)
{
    tracker_t *t = *state;
    enum { N = 10000, CAP = 4096 };
    ks_lru_t *lru = ks_lru_new(CAP, 0, count_free, t);
    assert_non_null(lru);
    char key[32];
    for (int i = 0; i < N; i++) {
        snprintf(key, sizeof key, "%d", i);
        assert_int_equal(put_str(lru, key, val(t, i), 3), KS_OK);
    }
    assert_int_equal(ks_lru_count(lru), CAP);
    assert_int_equal(ks_lru_cost(lru), 3 * CAP);
    for (int i = 0; i < N; i++) {
        snprintf(key, sizeof key, "%d", i);
        if (i < N - CAP) {
            assert_int_equal(t->freed[i], 1);
            assert_null(get_str(lru, key));
        } else {
            assert_int_equal(t->freed[i], 0);
            assert_ptr_equal(get_str(lru, key), val(t, i));
        }
    }
    ks_lru_free(lru);
    assert_int_equal(t->total_freed, N);
}

static void test_edge_cases(void **state)
{
    (void)state;
    assert_null(ks_lru_new(0, 0, NULL, NULL));
    ks_lru_free(NULL);
    ks_lru_clear(NULL);
    assert_int_equal(ks_lru_count(NULL), 0);
    assert_int_equal(ks_lru_cost(NULL), 0);

    /* No free callback: the map just forgets values it drops. */
    int a = 1, b = 2;
    ks_lru_t *lru = ks_lru_new(1, 0, NULL, NULL);
    assert_non_null(lru);
    assert_int_equal(put_str(lru, "a", &a, 0), KS_OK);
    assert_int_equal(put_str(lru, "b", &b, 0), KS_OK);
    assert_ptr_equal(get_str(lru, "b"), &b);
    assert_int_equal(ks_lru_put(lru, NULL, 3, &a, 0), KS_E_INVAL);
    assert_null(ks_lru_get(lru, NULL, 3));
    ks_lru_free(lru);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_get_put, setup, teardown),
        cmocka_unit_test_setup_teardown(test_key_is_copied, setup, teardown),
        cmocka_unit_test_setup_teardown(test_replace, setup, teardown),
        cmocka_unit_test_setup_teardown(test_eviction_by_recency, setup, teardown),
        cmocka_unit_test_setup_teardown(test_eviction_by_cost, setup, teardown),
        cmocka_unit_test_setup_teardown(test_inserted_entry_survives, setup, teardown),
        cmocka_unit_test_setup_teardown(test_clear, setup, teardown),
        cmocka_unit_test_setup_teardown(test_many_keys, setup, teardown),
        cmocka_unit_test_setup_teardown(test_many_keys_bounded, setup, teardown),
        cmocka_unit_test_setup_teardown(test_edge_cases, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
