/*
 * contract.h - the store contract suite, run against any store.
 *
 * Every store (memory, MySQL, yours) must pass it unchanged; it drives
 * the store through the engine with the hand-written order machine.
 */
#ifndef SM_CONTRACT_H
#define SM_CONTRACT_H

#include <stdint.h>

#include <sm/sm.h>

typedef struct sm_contract_hooks {
    /* Before the suite (e.g. reset tables); 0 = ok. May be NULL. */
    int (*setup)(void *ctx);
    /* A parent id with no history yet. May be NULL (a counter is used). */
    int64_t (*fresh_parent)(void *ctx);
    /* Open a store to test. May be NULL: sm_store_open(url). */
    sm_status (*open)(sm_store **out, void *ctx);
    void *ctx;
} sm_contract_hooks;

/* Run the suite against url (also its name); returns the failed count. */
int sm_contract_run(const char *url, const sm_contract_hooks *h);

#endif
