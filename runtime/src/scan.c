/*
 * scan.c - sm_store_scan (scan.h): the MySQL store reads the table
 * (mysql/scan.c); no other store keeps one to read.
 */
#include "scan.h"

#include "store_priv.h"
#ifdef SM_HAVE_MYSQL
#include "mysql/priv.h"
#endif

sm_status sm_store_scan(sm_store *s, const sm_def *def, sm_scan_fn fn,
                        void *ctx)
{
    if (!s)
        return SM_E_ARG;
    if (!def || !fn)
        return sm_store_seterr(s, SM_E_ARG, "scan: def or fn is NULL");
#ifdef SM_HAVE_MYSQL
    my_store *m = sm_store_impl(s, &sm_mysql_ops);
    if (m) {
        sm_status st = my_scan(m, def, fn, ctx);
        return st == SM_OK ? st : sm_store_copyerr(s, st);
    }
#endif
    (void)ctx;
    if (s->failed)
        return s->failed; /* its message says why it did not open */
    return sm_store_seterr(s, SM_E_ARG,
                           "scan: store '%s' keeps no table to read (a "
                           "MySQL store does)",
                           s->ops->scheme ? s->ops->scheme : "?");
}
