/*
 * scan.h - reading a whole transitions table as it is stored, for smcc
 * audit: libsm-internal, not exported (smcc links libsm statically).
 *
 * Rows come in (parent, sort_key, id) order with their state names as
 * stored, one at a time from one query, so memory stays flat however
 * large the table.
 */
#ifndef SM_SCAN_H
#define SM_SCAN_H

#include "sm/sm.h"

/* One stored row, as the table holds it. */
typedef struct sm_scan_row {
    int64_t id;
    int64_t parent_id;
    const char *from; /* from_state, NULL for SQL NULL */
    const char *to;   /* to_state, "" for SQL NULL */
    int32_t sort_key;
    bool most_recent; /* most_recent = 1 (NULL and 0 are not) */
} sm_scan_row;

/* Called with each row (its strings valid during the call only); a
 * status other than SM_OK stops the scan, which returns it. */
typedef sm_status (*sm_scan_fn)(void *ctx, const sm_scan_row *row);

/*
 * Read every row of def->table through fn, in (parent, sort_key, id)
 * order, one query whose rows are fetched as the server sends them.
 * Only a MySQL store can: another is SM_E_ARG, as is a build without
 * MySQL. Failures leave their message in sm_store_errmsg(s).
 */
sm_status sm_store_scan(sm_store *s, const sm_def *def, sm_scan_fn fn,
                        void *ctx);

#endif
