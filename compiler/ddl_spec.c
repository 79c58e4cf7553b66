/*
 * ddl_spec.c - sm_ddl from the checked model, and the formatters' text
 * into smc_buf (see ddl_spec.h): one statement, or a machine's tables.
 */
#include "ddl_spec.h"

#include "alloc.h"
#include "sm/def.h"

bool smc_ddl_spec(sm_ddl *d, const smc_machine *m)
{
    const char **states = smc_malloc((m->nstates + 1) * sizeof *states);
    if (!states)
        return false;
    for (size_t i = 0; i < m->nstates; i++)
        states[i] = m->states[i].name;
    *d = (sm_ddl){m->table, m->parent_table, m->parent_key,  m->schema,
                  states,   m->nstates,      m->alias_names, m->naliases};
    return true;
}

void smc_ddl_spec_free(sm_ddl *d)
{
    smc_free((void *)d->states);
    d->states = NULL;
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

void smc_ddl_put_machine(smc_buf *out, const smc_machine *m)
{
    sm_ddl d;

    if (!smc_ddl_spec(&d, m)) {
        out->failed = true;
        return;
    }
    if (m->schema & SM_SCHEMA_PARENT) {
        smc_ddl_put(out, &d, sm_ddl_parent);
        smc_buf_puts(out, ";\n\n");
    }
    smc_ddl_put(out, &d, sm_ddl_table);
    smc_buf_puts(out, ";\n");
    smc_ddl_spec_free(&d);
}
