/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * mc_map: interned byte-string keys numbered in order of first sight.
 *
 * For grouping rows (mcstat --by, --merge): each distinct key gets the
 * next index, so groups come out in the order they first appeared, which
 * is the same for one process and for shards concatenated in order.
 */
#ifndef MC_MAP_H
#define MC_MAP_H

#include <stddef.h>

typedef struct mc_map mc_map;

/* Returns an empty map, or NULL when out of memory. */
mc_map *mc_map_alloc(void);

/* Frees m; NULL is fine. */
void mc_map_free(mc_map *m);

/*
 * Returns the index of key (len bytes, any bytes), adding it with index
 * mc_map_count() if it is new, or -1 when out of memory.
 */
long mc_map_intern(mc_map *m, const char *key, size_t len);

/* Returns the index of key (len bytes), or -1 if it is not in m. */
long mc_map_find(const mc_map *m, const char *key, size_t len);

/* The number of keys, and key i with its length. */
size_t mc_map_count(const mc_map *m);
const char *mc_map_key(const mc_map *m, size_t i, size_t *len);

#endif
