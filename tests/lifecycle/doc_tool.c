/*
 * doc_tool.c - one version of the document machine (tests/lifecycle/vN/
 * doc.sm, picked at build time) on a MySQL store, driven by rename.py:
 *   doc_tool URL schema               sm_mysql_create_schema
 *   doc_tool URL write PARENT STATE.. one transition each, with status
 *   doc_tool URL show PARENT          the history, old names, current
 *   doc_tool URL in-state STATE       the parents in STATE
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sm/mysql.h>

#include "doc_sm.h"

/* A state's name, or "?" (a row a Rails app wrote has no from_state). */
static const char *name_of(int s)
{
    const char *n = sm_def_state_name(&doc_def, s);
    return n ? n : "?";
}

static int cmd_write(sm_store *s, int64_t parent, char **states, int n)
{
    sm_machine *m = NULL;
    if (sm_machine_open(&m, &doc_def, s, parent, NULL) != SM_OK) {
        printf("open: %s\n", sm_store_errmsg(s));
        return 1;
    }
    for (int i = 0; i < n; i++) {
        sm_status st = sm_transition_to(
            m, sm_def_state_lookup(&doc_def, states[i], NULL), NULL);
        printf("%s: %s%s%s\n", states[i], sm_status_name(st), st ? ": " : "",
               st ? sm_errmsg(m) : "");
    }
    sm_machine_close(m);
    return 0;
}

static int cmd_show(sm_store *s, int64_t parent)
{
    sm_machine *m = NULL;
    if (sm_machine_open(&m, &doc_def, s, parent, NULL) != SM_OK) {
        printf("open: %s\n", sm_store_errmsg(s));
        return 1;
    }
    const sm_transition *h;
    size_t n;
    sm_history(m, &h, &n);
    for (size_t i = 0; i < n; i++) {
        printf("%d %s -> %s", (int)h[i].sort_key, name_of(h[i].from_state),
               name_of(h[i].to_state));
        if (h[i].from_was)
            printf(" (from stored as %s)", h[i].from_was);
        if (h[i].to_was)
            printf(" (to stored as %s)", h[i].to_was);
        printf("\n");
    }
    printf("current %s\n", name_of(sm_current_state(m)));
    sm_machine_close(m);
    return 0;
}

static int cmd_in_state(sm_store *s, const char *state)
{
    int want = sm_def_state_lookup(&doc_def, state, NULL);
    int64_t *ids = NULL;
    size_t n = 0;
    if (sm_store_in_state(s, &doc_def, &want, 1, &ids, &n) != SM_OK) {
        printf("in_state: %s\n", sm_store_errmsg(s));
        return 1;
    }
    printf("in %s:", state);
    for (size_t i = 0; i < n; i++)
        printf(" %lld", (long long)ids[i]);
    printf("\n");
    sm_ids_free(ids);
    return 0;
}

int main(int argc, char **argv)
{
    sm_store *s = NULL;
    if (argc < 3 || sm_store_open(&s, argv[1]) != SM_OK) {
        fprintf(stderr, "usage: doc_tool URL CMD ARGS (%s)\n",
                sm_store_errmsg(s));
        sm_store_close(s);
        return 2;
    }
    int rc = 2;
    if (!strcmp(argv[2], "schema")) {
        sm_status st = sm_mysql_create_schema(s, &doc_def);
        printf("schema: %s%s%s\n", sm_status_name(st), st ? ": " : "",
               st ? sm_store_errmsg(s) : "");
        rc = st != SM_OK;
    } else if (!strcmp(argv[2], "write") && argc > 4) {
        rc = cmd_write(s, strtoll(argv[3], NULL, 10), argv + 4, argc - 4);
    } else if (!strcmp(argv[2], "show") && argc == 4) {
        rc = cmd_show(s, strtoll(argv[3], NULL, 10));
    } else if (!strcmp(argv[2], "in-state") && argc == 4) {
        rc = cmd_in_state(s, argv[3]);
    }
    sm_store_close(s);
    return rc;
}
