/*
 * gtest.h - the Galera tests' cluster, as scripts/galera prints it: node
 * URLs (a test without them FAILS), causal raw connections, URLs that
 * list every node from a given one, and the script's kill and rejoin.
 */
#ifndef SM_GTEST_H
#define SM_GTEST_H

#include "mtest.h"

enum { GT_NODES = 3 };

/* SM_TEST_GALERA_URL<n>, n = 1..3; exits 1 with a message when unset. */
const char *gt_url(int n);
/* url with "?opts" or "&opts" appended, into buf. */
const char *gt_with(char *buf, size_t cap, const char *url, const char *opts);
/* A URL for `user` listing every node, node n first, then the others. */
const char *gt_failover_url(char *buf, size_t cap, const char *user, int n);
/* A raw autocommit connection to node n whose reads wait for everything
 * the cluster committed before them (wsrep_sync_wait = 1). */
MYSQL *gt_connect(int n);
/* Run `scripts/galera VERB $SM_GALERA_DIR N`; asserts it succeeded. */
void gt_script(const char *verb, int n);
/* The ids of the connections of `user` to node n (through c). */
size_t gt_clients(MYSQL *c, const char *user, int64_t *ids, size_t cap);
/* Through `other` (a node-2 connection), parent's first transition,
 * pending -> checking_out, into table; returns once node 1 has applied
 * it (a causal read there), so it overtakes node 1's open write. */
void gt_overtake(MYSQL *other, const char *table, int64_t parent);

#endif
