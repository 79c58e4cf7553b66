/*
 * ddl_machine.c - sm_ddl from the checked model, and the formatters' text
 * into smc_buf (see ddl_machine.h): one statement, or a machine's tables.
 */
#include "ddl_machine.h"

#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "sm/def.h"

static int name_cmp(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

bool smc_ddl_init(sm_ddl *d, const smc_machine *m)
{
    size_t n = m->nstates + m->naliases;
    const char **names = smc_malloc((n + 1) * sizeof *names);
    if (!names)
        return false;
    for (size_t i = 0; i < m->nstates; i++)
        names[i] = m->states[i].name;
    for (size_t i = 0; i < m->naliases; i++)
        names[m->nstates + i] = m->alias_names[i];
    qsort(names, n, sizeof *names, name_cmp);
    *d = (sm_ddl){m->table,        m->parent_table,
                  m->parent_key,   m->schema,
                  names,           n,
                  m->state_column, m->states[m->initial].name};
    return true;
}

void smc_ddl_free(sm_ddl *d)
{
    smc_free((void *)d->names);
    d->names = NULL;
}

void smc_ddl_put(smc_buf *out, const sm_ddl *d, smc_ddl_fn f)
{
    size_t n = f(NULL, 0, d);
    char *text = smc_malloc(n + 1);
    if (!text) {
        out->failed = true;
        return;
    }
    f(text, n + 1, d);
    smc_buf_putn(out, text, n);
    smc_free(text);
}

void smc_ddl_put_comment(smc_buf *out, const smc_buf *text)
{
    const char *p = text->data ? text->data : "";
    while (*p) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        smc_buf_puts(out, "-- ");
        smc_buf_putn(out, p, n);
        smc_buf_puts(out, "\n");
        p += n + (nl != NULL);
    }
    out->failed = out->failed || !smc_buf_ok(text);
}

void smc_ddl_put_machine(smc_buf *out, const smc_machine *m)
{
    sm_ddl d;

    if (!smc_ddl_init(&d, m)) {
        out->failed = true;
        return;
    }
    if (m->schema & SM_SCHEMA_PARENT) {
        smc_ddl_put(out, &d, sm_ddl_parent);
        smc_buf_puts(out, ";\n\n");
    }
    smc_ddl_put(out, &d, sm_ddl_table);
    smc_buf_puts(out, ";\n");
    if (m->state_column) {
        smc_buf_puts(out, "\n");
        smc_ddl_put(out, &d, sm_ddl_state_column);
        smc_buf_puts(out, ";\n");
    }
    smc_ddl_free(&d);
}
