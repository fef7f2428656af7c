/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Bounded LRU map (see lru.h): a chained hash table for O(1) lookup plus a
 * doubly linked recency list (head = most recent, tail = next to evict).
 * Each node carries a copy of its key, so callers may pass temporary keys.
 */
#include "lru.h"

#include "error.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct lru_node {
    struct lru_node *prev, *next; /* recency list */
    struct lru_node *chain;       /* next node in the same bucket */
    uint64_t hash;
    void *value;
    size_t cost;
    size_t keylen;
    unsigned char key[];
} lru_node_t;

struct ks_lru {
    lru_node_t **buckets;
    size_t nbuckets; /* power of two */
    lru_node_t *head, *tail;
    size_t count, cost;
    size_t max_entries, max_cost;
    ks_lru_free_fn free_fn;
    void *ud;
};

#define LRU_MIN_BUCKETS 16

/* FNV-1a with a final avalanche, so the low bits used as bucket index are well mixed. */
static uint64_t hash_bytes(const void *key, size_t len)
{
    const unsigned char *p = key;
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < len; i++) {
        h ^= p[i];
        h *= 1099511628211ULL;
    }
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    return h;
}

static size_t bucket_of(const ks_lru_t *lru, uint64_t hash)
{
    return (size_t)hash & (lru->nbuckets - 1);
}

static lru_node_t *find(const ks_lru_t *lru, uint64_t hash, const void *key, size_t keylen)
{
    for (lru_node_t *n = lru->buckets[bucket_of(lru, hash)]; n != NULL; n = n->chain) {
        if (n->hash == hash && n->keylen == keylen &&
            (keylen == 0 || memcmp(n->key, key, keylen) == 0))
            return n;
    }
    return NULL;
}

static void list_unlink(ks_lru_t *lru, lru_node_t *n)
{
    if (n->prev != NULL)
        n->prev->next = n->next;
    else
        lru->head = n->next;
    if (n->next != NULL)
        n->next->prev = n->prev;
    else
        lru->tail = n->prev;
    n->prev = n->next = NULL;
}

static void list_push_front(ks_lru_t *lru, lru_node_t *n)
{
    n->prev = NULL;
    n->next = lru->head;
    if (lru->head != NULL)
        lru->head->prev = n;
    lru->head = n;
    if (lru->tail == NULL)
        lru->tail = n;
}

static void bucket_remove(ks_lru_t *lru, lru_node_t *n)
{
    lru_node_t **link = &lru->buckets[bucket_of(lru, n->hash)];
    while (*link != n)
        link = &(*link)->chain;
    *link = n->chain;
}

/* Doubles the table when it is fuller than one node per bucket; failure only costs speed. */
static void maybe_grow(ks_lru_t *lru)
{
    if (lru->count <= lru->nbuckets || lru->nbuckets > SIZE_MAX / 2 / sizeof(lru_node_t *))
        return;
    size_t n = lru->nbuckets * 2;
    lru_node_t **b = calloc(n, sizeof *b);
    if (b == NULL)
        return;
    for (size_t i = 0; i < lru->nbuckets; i++) {
        lru_node_t *node = lru->buckets[i];
        while (node != NULL) {
            lru_node_t *next = node->chain;
            size_t j = (size_t)node->hash & (n - 1);
            node->chain = b[j];
            b[j] = node;
            node = next;
        }
    }
    free(lru->buckets);
    lru->buckets = b;
    lru->nbuckets = n;
}

ks_lru_t *ks_lru_new(size_t max_entries, size_t max_cost, ks_lru_free_fn free_fn, void *ud)
{
    if (max_entries == 0)
        return NULL;
    ks_lru_t *lru = calloc(1, sizeof *lru);
    if (lru == NULL)
        return NULL;
    lru->buckets = calloc(LRU_MIN_BUCKETS, sizeof *lru->buckets);
    if (lru->buckets == NULL) {
        free(lru);
        return NULL;
    }
    lru->nbuckets = LRU_MIN_BUCKETS;
    lru->max_entries = max_entries;
    lru->max_cost = max_cost;
    lru->free_fn = free_fn;
    lru->ud = ud;
    return lru;
}

void ks_lru_free(ks_lru_t *lru)
{
    if (lru == NULL)
        return;
    ks_lru_clear(lru);
    free(lru->buckets);
    free(lru);
}

void *ks_lru_get(ks_lru_t *lru, const void *key, size_t keylen)
{
    if (lru == NULL || (key == NULL && keylen > 0))
        return NULL;
    lru_node_t *n = find(lru, hash_bytes(key, keylen), key, keylen);
    if (n == NULL)
        return NULL;
    if (n != lru->head) {
        list_unlink(lru, n);
        list_push_front(lru, n);
    }
    return n->value;
}

/* Keys may be text shown on screen: overwrite them before the memory goes back. */
static void node_free(lru_node_t *n)
{
    explicit_bzero(n->key, n->keylen);
    free(n);
}

/* Drops least recently used entries until both bounds hold, sparing `keep`. */
static void evict(ks_lru_t *lru, const lru_node_t *keep)
{
    while (lru->count > lru->max_entries || (lru->max_cost != 0 && lru->cost > lru->max_cost)) {
        lru_node_t *n = lru->tail;
        if (n == NULL || n == keep)
            break;
        list_unlink(lru, n);
        bucket_remove(lru, n);
        lru->count--;
        lru->cost -= n->cost;
        void *value = n->value;
        node_free(n);
        if (lru->free_fn != NULL)
            lru->free_fn(value, lru->ud);
    }
}

int ks_lru_put(ks_lru_t *lru, const void *key, size_t keylen, void *value, size_t cost)
{
    if (lru == NULL || (key == NULL && keylen > 0))
        return KS_E_INVAL;
    uint64_t hash = hash_bytes(key, keylen);
    lru_node_t *n = find(lru, hash, key, keylen);

    if (n != NULL) {
        void *old = n->value;
        n->value = value;
        lru->cost = lru->cost - n->cost + cost;
        n->cost = cost;
        if (n != lru->head) {
            list_unlink(lru, n);
            list_push_front(lru, n);
        }
        /* Re-putting the same pointer must not free what the caller still uses. */
        if (old != value && lru->free_fn != NULL)
            lru->free_fn(old, lru->ud);
    } else {
        if (keylen > SIZE_MAX - sizeof *n)
            return KS_E_NOMEM;
        n = malloc(sizeof *n + keylen);
        if (n == NULL)
            return KS_E_NOMEM;
        n->hash = hash;
        n->value = value;
        n->cost = cost;
        n->keylen = keylen;
        if (keylen > 0)
            memcpy(n->key, key, keylen);
        size_t b = bucket_of(lru, hash);
        n->chain = lru->buckets[b];
        lru->buckets[b] = n;
        list_push_front(lru, n);
        lru->count++;
        lru->cost += cost;
        maybe_grow(lru);
    }
    evict(lru, n);
    return KS_OK;
}

void ks_lru_clear(ks_lru_t *lru)
{
    if (lru == NULL)
        return;
    /* Empty the map before the callbacks run, so a callback sees a consistent (empty) map. */
    lru_node_t *n = lru->head;
    memset(lru->buckets, 0, lru->nbuckets * sizeof *lru->buckets);
    lru->head = lru->tail = NULL;
    lru->count = 0;
    lru->cost = 0;
    while (n != NULL) {
        lru_node_t *next = n->next;
        void *value = n->value;
        node_free(n);
        if (lru->free_fn != NULL)
            lru->free_fn(value, lru->ud);
        n = next;
    }
}

size_t ks_lru_count(const ks_lru_t *lru)
{
    return lru != NULL ? lru->count : 0;
}

size_t ks_lru_cost(const ks_lru_t *lru)
{
    return lru != NULL ? lru->cost : 0;
}
