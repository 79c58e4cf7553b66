/*
 * sema_int.h - what the checker's files share: the context of the
 * machine being checked, the name tables, and how a state name resolves.
 * An erroneous item credits what it names (an undeclared target is still
 * an exit), so later checks do not report the same mistake again.
 */
#ifndef SMC_SEMA_INT_H
#define SMC_SEMA_INT_H

#include "sema.h"

/*
 * A name -> index table (open addressing), sized once. It stores only
 * indexes: the name of index i is the `const char *` at base + i * stride
 * (the name field of the i-th state, event, hook, ...), which the caller
 * sets before the next lookup. Four bytes a slot: a file of 500,000
 * state names must fit in memory comfortably.
 */
typedef struct ntab {
    int *slots;       /* 1 + index; 0: empty */
    const char *base; /* the name of index 0 */
    size_t stride;
    size_t mask;
    bool nocase; /* names equal but for ASCII case are one */
} ntab;

typedef struct sema {
    smc_arena *a;   /* the model's */
    smc_arena *tmp; /* what dies with the machine checked (its tables) */
    smc_diag *d;
    smc_machine *m;
    const ast_machine *am;
    ntab states;           /* state name -> index */
    ntab folded;           /* state name, any case -> first such index */
    ntab lost;             /* names in items lost to syntax errors */
    const ast_item **decl; /* per state: the item declaring it */
    bool *reached;         /* per state: entered by an erroneous item */
    bool *exits;           /* per state: left by an erroneous item */
    bool partial; /* transitions may be missing: skip what needs them all */
    bool unknown_target; /* a transition enters a state not known */
    size_t *first;       /* per state: its transitions in m->trans */
    int *indeg;          /* per state: transitions into it */
    bool oom;
} sema;

/*
 * Size t for n names whose index i is named by the string pointer at
 * (char *)first + i * stride; false (and s->oom) when out of memory.
 */
bool sema_ntab_init(sema *s, ntab *t, size_t n, const char *const *first,
                    size_t stride, bool nocase);
/* The index stored for name, or -1 after storing v (named name) for it. */
int sema_ntab_put(ntab *t, const char *name, int v);
/* The index stored for name, or -1. */
int sema_ntab_get(const ntab *t, const char *name);

/*
 * The index of the state n names, or -1 after reporting it undeclared
 * (with a did-you-mean) unless a lost item may have declared it. *guess
 * is the state it most likely meant, or -1.
 */
int sema_state(sema *s, const ast_name *n, int *guess);
/*
 * State i (named by n) where states move, or -1 after reporting it when
 * it is retired (never entered or left); *guess is then i, which still
 * stands for itself in the checks that follow. where: "a transition",
 * "event 'e'", "a hook selector".
 */
int sema_movable(sema *s, const ast_name *n, int i, int *guess,
                 const char *where);
/* Whether name appeared in an item lost to a syntax error. */
bool sema_lost(const sema *s, const char *name);

/* The upper-case form of name, from s->tmp (NULL: out of memory). */
const char *sema_upper(sema *s, const char *name);
/*
 * Check the C constant of a new state or event x (index v): reports it
 * when it is the enum's __COUNT; returns the index of an earlier name
 * with the same constant, or -1. t (nocase) holds the names so far.
 */
int sema_constant_clash(sema *s, ntab *t, const char *kind, const ast_name *x,
                        int v);
/* Report x, whose C constant an earlier name (other, at loc) has. */
void sema_case_clash(sema *s, const char *kind, const ast_name *x,
                     const char *other, smc_loc loc);

/* Whether from -> to is a declared transition (after sema_transitions). */
bool sema_declared(const sema *s, int from, int to);
/* Whether hook name n is one the generated code uses itself. */
bool sema_reserved_hook(const char *n);

/* The phases of one machine, in order (sema_renames.c, sema_trans.c,
 * sema_hooks.c, ...). */
void sema_renames(sema *s, ast_item *items);
void sema_transitions(sema *s, ast_item *items);
void sema_events(sema *s, ast_item *items);
void sema_hooks(sema *s, ast_item *items);
void sema_storage(sema *s, ast_item *items);
/* Across machines: no two generate the same C name. */
void sema_generated(sema *s, const smc_unit *u);

#endif
