/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * A bounded least-recently-used map from byte-string keys to opaque values,
 * with a cost per entry (e.g. texture bytes). When the entry count or the
 * total cost exceeds its bound, the least recently used entries are evicted
 * and handed to the free callback. Not thread-safe.
 */
#ifndef KS_LRU_H
#define KS_LRU_H

#include <stddef.h>

typedef struct ks_lru ks_lru_t;
typedef void (*ks_lru_free_fn)(void *value, void *ud);

/* max_entries >= 1; max_cost 0 = unbounded cost. Returns NULL on allocation failure. */
ks_lru_t *ks_lru_new(size_t max_entries, size_t max_cost, ks_lru_free_fn free_fn, void *ud);
void ks_lru_free(ks_lru_t *lru);

/* Value for key (and marks it most recently used), or NULL. */
void *ks_lru_get(ks_lru_t *lru, const void *key, size_t keylen);

/*
 * Inserts (or replaces) key -> value with the given cost, then evicts as needed
 * (never the entry just inserted). Returns KS_OK or KS_E_NOMEM (value not taken).
 */
int ks_lru_put(ks_lru_t *lru, const void *key, size_t keylen, void *value, size_t cost);

/* Drops every entry (calls free for each). */
void ks_lru_clear(ks_lru_t *lru);

size_t ks_lru_count(const ks_lru_t *lru);
size_t ks_lru_cost(const ks_lru_t *lru);

#endif
