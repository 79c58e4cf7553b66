/*
 * cpriv.h - helpers the contract suite's files share (not for stores).
 *
 * Opening the store under test, fresh parents, machines and row counts,
 * all failing the current cmocka test on error.
 */
#ifndef SM_CPRIV_H
#define SM_CPRIV_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "contract.h"
#include "tdef.h"

/* A new handle on the store under test. */
sm_store *c_open_store(void);
/* A parent with no history. */
int64_t c_fresh(void);
/* parent's machine of def on s, asserting SM_OK. */
sm_machine *c_open_m(const sm_def *def, sm_store *s, int64_t parent,
                     void *user);
/* in_state (in) or not_in_state of def's parents in states[0..ns),
 * after after, a page of limit, into *ids, *n. */
sm_status c_list(sm_store *s, const sm_def *def, bool in, const int *states,
                 size_t ns, int64_t after, size_t limit, int64_t **ids,
                 size_t *n);
/* The number of rows of parent as s has them now. */
size_t c_stored_rows(sm_store *s, int64_t parent);
/* The order machine with one hook *h of kind k on "* -> checking_out",
 * named name: guard when k is SM_HOOK_GUARD, else call. */
sm_def c_def_with_hook(sm_hook_kind k, sm_hook *h, sm_guard_fn guard,
                       sm_hook_fn call, const char *name);

/* The re-entrancy and nesting tests (contract_nest.c). */
extern const struct CMUnitTest sm_contract_nest_tests[];
extern const size_t sm_contract_nest_count;
/* The batch tests (contract_batch.c). */
extern const struct CMUnitTest sm_contract_batch_tests[];
extern const size_t sm_contract_batch_count;
/* sm_batch_commit_retry (contract_batch_retry.c). */
extern const struct CMUnitTest sm_contract_batch_retry_tests[];
extern const size_t sm_contract_batch_retry_count;
/* States in the history the machine does not know (contract_unknown.c). */
extern const struct CMUnitTest sm_contract_unknown_tests[];
extern const size_t sm_contract_unknown_count;

/* Reads: latest row, history pages, listing by state (contract_reads.c). */
extern const struct CMUnitTest sm_contract_reads_tests[];
extern const size_t sm_contract_reads_count;

#endif
