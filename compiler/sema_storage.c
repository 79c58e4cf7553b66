/*
 * sema_storage.c - the storage block: known keys, each set once; names
 * that are MySQL identifiers and keep the emitted DDL valid (the parent
 * key is not one of the table's own columns, the table is not the parent
 * table, no default name is over 64 characters); schema options that are
 * "yes" or "no", and a CHECK the server accepts.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "sema_int.h"
#include "suggest.h"

/* The storage keys: three names, then three yes/no schema options. */
enum { TABLE, PARENT_TABLE, PARENT_KEY, NAME_KEYS, NKEYS = 6 };
enum { MAX_IDENT = 64 };

static const char *const keys[NKEYS] = {"table",       "parent_table",
                                        "parent_key",  "create_parent",
                                        "foreign_key", "state_check"};
static const unsigned schema_bits[NKEYS - NAME_KEYS] = {
    SM_SCHEMA_PARENT, SM_SCHEMA_FOREIGN_KEY, SM_SCHEMA_STATE_CHECK};

/* The transitions table's own columns (runtime/src/ddl.c). */
static const char *const columns[] = {"id",         "from_state", "to_state",
                                      "metadata",   "sort_key",   "most_recent",
                                      "created_at", "updated_at", NULL};

/* What the storage items set, key by key. */
typedef struct storage {
    const char *val[NKEYS]; /* names; NULL: unset, or set to something bad */
    bool set[NKEYS];
    smc_loc key[NKEYS], vloc[NKEYS];
    const ast_name *check_yes; /* state_check = "yes", said explicitly */
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
                       "parent_table, parent_key, create_parent, "
                       "foreign_key or state_check)",
                       kv->s);
        return;
    }
    smc_diag_error(s->d, kv->loc,
                   "unknown storage key '%s'; did you mean '%s'?", kv->s,
                   sg.best);
    smc_diag_fixit(s->d, kv->loc, sg.best);
}

/* Apply schema option k ("yes" or "no") to the machine. */
static void storage_option(sema *s, int k, const ast_name *kv, storage *st)
{
    unsigned bit = schema_bits[k - NAME_KEYS];
    bool yes = !strcmp(kv->value->s, "yes");
    if (!yes && strcmp(kv->value->s, "no")) {
        smc_diag_error(s->d, kv->value->loc,
                       "storage %s \"%.40s\" is neither \"yes\" nor \"no\"",
                       kv->s, kv->value->s);
        return;
    }
    s->m->schema = yes ? s->m->schema | bit : s->m->schema & ~bit;
    if (yes && bit == SM_SCHEMA_STATE_CHECK)
        st->check_yes = kv;
}

/* Apply one storage key = value, checking key and value. */
static void storage_kv(sema *s, const ast_name *kv, storage *st)
{
    int k = 0;
    while (k < NKEYS && strcmp(keys[k], kv->s))
        k++;
    if (k == NKEYS) {
        unknown_key(s, kv);
        return;
    }
    if (st->set[k]) {
        smc_diag_error(s->d, kv->loc, "storage key '%s' set twice", kv->s);
        smc_diag_note(s->d, st->key[k], "previously set here");
        return;
    }
    st->set[k] = true;
    st->key[k] = kv->loc;
    st->vloc[k] = kv->value->loc;
    size_t n = strlen(kv->value->s);
    if (k >= NAME_KEYS)
        storage_option(s, k, kv, st);
    else if (mysql_ident(kv->value->s))
        st->val[k] = kv->value->s;
    else
        smc_diag_error(s->d, kv->value->loc,
                       "storage %s \"%.40s%s\" is not a valid MySQL "
                       "identifier ([A-Za-z0-9_], 1 to 64 characters, "
                       "not all digits)",
                       kv->s, kv->value->s, n > 40 ? "..." : "");
}

/* The defaults NAME_transitions, NAMEs, NAME_id for what is unset. */
static void defaults(sema *s, storage *st, const char *dflt[NAME_KEYS])
{
    static const char *const fmt[] = {"%s_transitions", "%ss", "%s_id"};
    size_t len = strlen(s->m->name), n = len + 16;
    char *v = smc_alloc(s->a, NAME_KEYS * n);
    if (!v) {
        s->oom = true;
        return;
    }
    for (int k = 0; k < NAME_KEYS; k++, v += n) {
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

/*
 * The CHECK lists every name the history may hold; MariaDB refuses a
 * CHECK whose text passes 64 KB ("Expression in the CHECK clause is too
 * big"). Past CHECK_MAX bytes (a margin under that, counting each name
 * as the server stores it, 'name',), an explicit state_check = "yes" is
 * an error and the default becomes "no", with a warning.
 */
enum { CHECK_MAX = 60000 };
static void check_size(sema *s, const ast_name *explicit_yes)
{
    smc_machine *m = s->m;
    size_t n = 32;
    for (size_t i = 0; i < m->nstates; i++)
        n += strlen(m->states[i].name) + 3;
    for (size_t i = 0; i < m->naliases; i++)
        n += strlen(m->alias_names[i]) + 3;
    if (n <= CHECK_MAX || !(m->schema & SM_SCHEMA_STATE_CHECK))
        return;
    if (explicit_yes)
        smc_diag_error(s->d, explicit_yes->value->loc,
                       "storage state_check \"yes\": the CHECK would "
                       "take %zu bytes, more than MariaDB accepts (64 KB)",
                       n);
    else
        smc_diag_warning(s->d, m->loc,
                         "the CHECK on to_state would take %zu bytes, more "
                         "than MariaDB accepts (64 KB): it is left out "
                         "(say state_check = \"no\")",
                         n);
    m->schema &= ~(unsigned)SM_SCHEMA_STATE_CHECK;
}

/* Storage settings, then the defaults for what is unset: every schema
 * option is on unless the file says "no" (or the CHECK cannot be). */
void sema_storage(sema *s, ast_item *items)
{
    storage st;
    const char *dflt[NAME_KEYS];
    memset(&st, 0, sizeof st);
    s->m->schema =
        SM_SCHEMA_PARENT | SM_SCHEMA_FOREIGN_KEY | SM_SCHEMA_STATE_CHECK;
    for (ast_item *it = items; it; it = it->next)
        for (ast_name *kv = it->kind == AST_STORAGE ? it->names : NULL; kv;
             kv = kv->next)
            storage_kv(s, kv, &st);
    check_size(s, st.check_yes);
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
