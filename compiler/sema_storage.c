/*
 * sema_storage.c - the storage block: known keys, each set once, values
 * that are MySQL identifiers, and names that keep the emitted DDL valid:
 * the parent key is not one of the table's own columns, the table is not
 * the parent table, and no default name is over 64 characters.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "sema_int.h"
#include "suggest.h"

enum { TABLE, PARENT_TABLE, PARENT_KEY, NKEYS, MAX_IDENT = 64 };

static const char *const keys[NKEYS] = {"table", "parent_table", "parent_key"};

/* The transitions table's own columns (runtime/src/ddl.c). */
static const char *const columns[] = {"id",         "from_state", "to_state",
                                      "metadata",   "sort_key",   "most_recent",
                                      "created_at", "updated_at", NULL};

/* What the storage items set, key by key. */
typedef struct storage {
    const char *val[NKEYS]; /* NULL: unset, or set to something invalid */
    bool set[NKEYS];
    smc_loc key[NKEYS], vloc[NKEYS];
} storage;

/* Whether v is a valid MySQL identifier: [A-Za-z0-9_]{1,64}, not digits. */
static bool mysql_ident(const char *v)
{
    size_t n = strlen(v);
    bool digits = true;
    if (n < 1 || n > MAX_IDENT)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = v[i];
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                  (c >= '0' && c <= '9') || c == '_';
        if (!ok)
            return false;
        digits = digits && c >= '0' && c <= '9';
    }
    return !digits;
}

/* Report an unknown key, with the known key it most likely meant. */
static void unknown_key(sema *s, const ast_name *kv)
{
    smc_suggest sg;
    smc_suggest_init(&sg, kv->s);
    for (int k = 0; k < NKEYS; k++)
        smc_suggest_add(&sg, keys[k]);
    if (!sg.best) {
        smc_diag_error(s->d, kv->loc,
                       "unknown storage key '%s' (expected table, "
                       "parent_table or parent_key)",
                       kv->s);
        return;
    }
    smc_diag_error(s->d, kv->loc,
                   "unknown storage key '%s'; did you mean '%s'?", kv->s,
                   sg.best);
    smc_diag_fixit(s->d, kv->loc, sg.best);
}

/* Apply one storage key = value, checking key and value. */
static void storage_kv(sema *s, const ast_name *kv, storage *st)
{
    int k = 0;
    while (k < NKEYS && strcmp(keys[k], kv->s))
        k++;
    if (k == NKEYS) {
        unknown_key(s, kv);
    } else if (st->set[k]) {
        smc_diag_error(s->d, kv->loc, "storage key '%s' set twice", kv->s);
        smc_diag_note(s->d, st->key[k], "previously set here");
    } else {
        st->set[k] = true;
        st->key[k] = kv->loc;
        st->vloc[k] = kv->value->loc;
        size_t n = strlen(kv->value->s);
        if (mysql_ident(kv->value->s))
            st->val[k] = kv->value->s;
        else
            smc_diag_error(s->d, kv->value->loc,
                           "storage %s \"%.40s%s\" is not a valid MySQL "
                           "identifier ([A-Za-z0-9_], 1 to 64 characters, "
                           "not all digits)",
                           kv->s, kv->value->s, n > 40 ? "..." : "");
    }
}

/* The defaults NAME_transitions, NAMEs, NAME_id for what is unset. */
static void defaults(sema *s, storage *st, const char *dflt[NKEYS])
{
    static const char *const fmt[NKEYS] = {"%s_transitions", "%ss", "%s_id"};
    size_t len = strlen(s->m->name), n = len + 16;
    char *v = smc_alloc(s->a, NKEYS * n);
    if (!v) {
        s->oom = true;
        return;
    }
    for (int k = 0; k < NKEYS; k++, v += n) {
        snprintf(v, n, fmt[k], s->m->name);
        dflt[k] = v;
        if (st->set[k])
            continue;
        if (len <= MAX_IDENT && strlen(v) > MAX_IDENT)
            smc_diag_error(s->d, s->m->loc,
                           "the default storage %s '%s' is longer than 64 "
                           "characters; set %s in a storage block",
                           keys[k], v, keys[k]);
        else
            st->val[k] = v;
    }
}

/* The column of the transitions table named c (any case), or NULL. */
static const char *column(const char *c)
{
    for (int i = 0; columns[i]; i++)
        if (!strcasecmp(columns[i], c))
            return columns[i];
    return NULL;
}

/*
 * Names that are valid alone but break the DDL or the queries together:
 * CREATE TABLE would list a column twice, and the parent table would be
 * the transitions table itself. MySQL compares these without case.
 */
static void check_names(sema *s, const storage *st)
{
    const char *key = st->val[PARENT_KEY], *t = st->val[TABLE];
    const char *pt = st->val[PARENT_TABLE];
    if (key && column(key))
        smc_diag_error(s->d, st->vloc[PARENT_KEY],
                       "storage parent_key \"%s\" is the transitions "
                       "table's own column '%s'",
                       key, column(key));
    if (!t || !pt || strcasecmp(t, pt))
        return;
    int at = st->set[TABLE] ? TABLE : PARENT_TABLE;
    smc_diag_error(s->d, st->vloc[at],
                   "storage table and parent_table are both \"%s\"", t);
    if (st->set[TABLE] && st->set[PARENT_TABLE])
        smc_diag_note(s->d, st->vloc[PARENT_TABLE], "parent_table set here");
    else
        smc_diag_note(s->d, s->m->loc, "the default %s of machine '%s'",
                      at == TABLE ? "parent_table" : "table", s->m->name);
}

/* Storage settings, then the defaults for what is unset. */
void sema_storage(sema *s, ast_item *items)
{
    storage st;
    const char *dflt[NKEYS];
    memset(&st, 0, sizeof st);
    for (ast_item *it = items; it; it = it->next)
        for (ast_name *kv = it->kind == AST_STORAGE ? it->names : NULL; kv;
             kv = kv->next)
            storage_kv(s, kv, &st);
    defaults(s, &st, dflt);
    if (s->oom)
        return;
    check_names(s, &st);
    s->m->table = st.val[TABLE] ? st.val[TABLE] : dflt[TABLE];
    s->m->parent_table =
        st.val[PARENT_TABLE] ? st.val[PARENT_TABLE] : dflt[PARENT_TABLE];
    s->m->parent_key =
        st.val[PARENT_KEY] ? st.val[PARENT_KEY] : dflt[PARENT_KEY];
}
