/*
 * main.c - the outside store through the store contract suite, the very
 * one memory and MySQL pass; first, a vtable of another version is
 * refused with a message naming both versions.
 */
#include <stdio.h>
#include <string.h>

#include "contract.h"
#include "list_store.h"

static sm_status open_list(sm_store **out, void *ctx)
{
    (void)ctx;
    return list_store_open(out);
}

/* A version-1 vtable: SM_E_ARG, the message naming 1 and 2. */
static int old_vtable_refused(void)
{
    static sm_store_ops old;
    old.version = 1;
    old.scheme = "list";
    sm_store *s = NULL;
    sm_status st = sm_store_open_ops(&s, &old, NULL);
    const char *msg = sm_store_errmsg(s);
    int ok = st == SM_E_ARG && strstr(msg, "vtable version 1") &&
             strstr(msg, "runs version 2");
    if (!ok)
        fprintf(stderr, "old vtable: %s: %s\n", sm_status_name(st), msg);
    sm_store_close(s);
    return ok;
}

int main(void)
{
    if (!old_vtable_refused())
        return 1;
    sm_contract_hooks h = {.open = open_list};
    return sm_contract_run("list:", &h) ? 1 : 0;
}
