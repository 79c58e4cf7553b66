/*
 * victim.h - a real InnoDB deadlock with a store as its victim, for
 * test_deadlock (one server) and the Galera tests (on a cluster node,
 * where it must still be SM_E_DEADLOCK, not a cluster conflict).
 */
#ifndef SM_VICTIM_H
#define SM_VICTIM_H

#include <stddef.h>

#include "mtest.h"

/*
 * A raw connection to url locks parent 7's last row and writes more
 * than the store; the store (on url) then transitions parent 7 and waits
 * for that row; the raw connection then inserts the store's new sort key
 * and so closes the cycle. Returns the store's status, its message in
 * msg.
 */
sm_status victim_run(const char *url, char *msg, size_t cap);

#endif
