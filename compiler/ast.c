/*
 * ast.c - constructors of the raw syntax tree; one per grammar action.
 * Lists keep a tail pointer in their head so appends are O(1).
 */
#include "ast.h"

ast_name *ast_name_new(smc_arena *a, const char *s, smc_loc loc)
{
    ast_name *n = smc_alloc(a, sizeof *n);
    if (!n)
        return NULL;
    n->s = s;
    n->loc = loc;
    n->tail = n;
    return n;
}

ast_name *ast_kv_new(smc_arena *a, ast_name *key, const char *v, smc_loc l)
{
    if (!key)
        return NULL;
    key->value = ast_name_new(a, v, l);
    return key->value ? key : NULL;
}

ast_name *ast_names_cat(ast_name *a, ast_name *b)
{
    if (!a)
        return b;
    if (!b)
        return a;
    a->tail->next = b;
    a->tail = b->tail;
    return a;
}

size_t ast_names_len(const ast_name *x)
{
    size_t n = 0;
    for (; x; x = x->next)
        n++;
    return n;
}

/* A zeroed item of kind k at loc. */
static ast_item *item_new(smc_arena *a, ast_kind k, smc_loc loc)
{
    ast_item *it = smc_alloc(a, sizeof *it);
    if (!it)
        return NULL;
    it->kind = k;
    it->loc = loc;
    it->tail = it;
    return it;
}

ast_item *ast_state_new(smc_arena *a, int flags, ast_name *names, ast_name *was,
                        smc_loc loc)
{
    ast_item *it = item_new(a, AST_STATE, loc);
    if (it) {
        it->flags = flags;
        it->to = names;
        it->names = was;
    }
    return it;
}

ast_item *ast_trans_new(smc_arena *a, ast_name *from, ast_name *to, smc_loc loc)
{
    ast_item *it = item_new(a, AST_TRANS, loc);
    if (it) {
        it->from = from;
        it->to = to;
    }
    return it;
}

ast_item *ast_event_new(smc_arena *a, ast_name *name, ast_item *arrows)
{
    smc_loc loc = name ? name->loc : (smc_loc){1, 1, 0, 0};
    ast_item *it = item_new(a, AST_EVENT, loc);
    if (it) {
        it->name = name;
        it->arrows = arrows;
    }
    return it;
}

ast_item *ast_hook_new(smc_arena *a, sm_hook_kind k, ast_name *from,
                       ast_name *to, ast_name *names, smc_loc loc)
{
    ast_item *it = item_new(a, AST_HOOK, loc);
    if (it) {
        it->hook = k;
        it->from = from;
        it->to = to;
        it->names = names;
    }
    return it;
}

ast_item *ast_storage_new(smc_arena *a, ast_name *kvs, smc_loc loc)
{
    ast_item *it = item_new(a, AST_STORAGE, loc);
    if (it)
        it->names = kvs;
    return it;
}

ast_item *ast_items_cat(ast_item *a, ast_item *b)
{
    if (!a)
        return b;
    if (!b)
        return a;
    a->tail->next = b;
    a->tail = b->tail;
    return a;
}

ast_machine *ast_machine_new(smc_arena *a, ast_name *name, smc_loc open)
{
    ast_machine *m = smc_alloc(a, sizeof *m);
    if (!m)
        return NULL;
    m->name = name;
    m->open = open;
    m->tail = m;
    return m;
}

ast_machine *ast_machines_cat(ast_machine *a, ast_machine *b)
{
    if (!a)
        return b;
    if (!b)
        return a;
    a->tail->next = b;
    a->tail = b->tail;
    return a;
}

void ast_machine_add(ast_machine *m, ast_item *items)
{
    if (m)
        m->items = ast_items_cat(m->items, items);
}

void ast_machine_lose(ast_machine *m, ast_name *names)
{
    if (m)
        m->lost = ast_names_cat(m->lost, names);
}

ast_item *ast_machine_drop(ast_machine *m)
{
    if (m)
        m->dropped++;
    return NULL;
}
