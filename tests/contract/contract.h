/*
 * contract.h - the store contract suite, run against any store URL.
 *
 * Every store (memory, MySQL, yours) must pass it unchanged; it drives
 * the store through the engine with the hand-written order machine.
 */
#ifndef SM_CONTRACT_H
#define SM_CONTRACT_H

#include <stdint.h>

typedef struct sm_contract_hooks {
    /* Before the suite (e.g. reset tables); 0 = ok. May be NULL. */
    int (*setup)(void *ctx);
    /* A parent id with no history yet. May be NULL (a counter is used). */
    int64_t (*fresh_parent)(void *ctx);
    void *ctx;
} sm_contract_hooks;

/* Run the suite against url; returns the number of failed tests. */
int sm_contract_run(const char *url, const sm_contract_hooks *h);

#endif
