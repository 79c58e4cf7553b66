/*
 * invariants.h - what must hold in a transitions table after concurrent
 * writers (test_stress, test_batch_stress), checked with plain SQL, and
 * the stores of their forked workers.
 */
#ifndef SM_INVARIANTS_H
#define SM_INVARIANTS_H

#include "mtest.h"

/* Per parent, sort keys run 10, 20, ... and each row's from_state is
 * its predecessor's to_state (the initial state first), by d's table. */
void inv_check_chain(MYSQL *c, const sm_def *d, const char *table);

/* One most_recent per parent, on its highest sort_key. */
void inv_check_most_recent(MYSQL *c, const char *table);

/* Worker w's store on url; odd workers run wrapped (opts) on their own
 * raw connection *raw (else NULL), so inv_close_raw can check it. Exits
 * 2 when the store cannot open. */
sm_store *inv_worker_store(const char *url, const char *opts, int w,
                           MYSQL **raw);

/* Close raw (NULL does nothing); exit 6 first if it has a transaction
 * open (the client's flag or the server's @@in_transaction). */
void inv_close_raw(MYSQL *raw);

#endif
