/*
 * test_def_build.c - smc_def_build against the model and libsm: for
 * every machine of every .sm named on the command line, the def libsm
 * gets answers every question as the checked model does (names both
 * ways, old names, every pair of states, every event's arrows, flags,
 * storage), carries no hooks, and runs on the memory store: each event
 * fired from each of its sources writes the arrow's row.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <sm/sm.h>

#include "def_build.h"
#include "smcc.h"

/* The model has from -> to. */
static bool model_allows(const smc_machine *m, int from, int to)
{
    for (size_t i = 0; i < m->ntrans; i++)
        if (m->trans[i].from == from && m->trans[i].to == to)
            return true;
    return false;
}

/* Names, flags, old names and storage, as the model has them. */
static void check_tables(const smc_machine *m, const sm_def *d)
{
    assert_int_equal(d->version, SM_DEF_VERSION);
    assert_string_equal(d->name, m->name);
    assert_int_equal(d->nstates, m->nstates);
    assert_int_equal(d->initial, m->initial);
    assert_int_equal(d->nhooks, 0);
    for (size_t s = 0; s < m->nstates; s++) {
        const smc_state *st = &m->states[s];
        assert_string_equal(sm_def_state_name(d, (int)s), st->name);
        assert_int_equal(sm_def_state_index(d, st->name), (int)s);
        assert_int_equal(d->state_flags[s],
                         (st->initial ? SM_STATE_INITIAL : 0) |
                             (st->final ? SM_STATE_FINAL : 0) |
                             (st->retired ? SM_STATE_RETIRED : 0));
        for (size_t w = 0; w < st->nwas; w++) {
            const char *old = NULL;
            assert_int_equal(sm_def_state_lookup(d, st->was[w], &old), (int)s);
            assert_string_equal(old, st->was[w]);
        }
        for (size_t t = 0; t < m->nstates; t++)
            assert_int_equal(sm_def_allows(d, (int)s, (int)t),
                             model_allows(m, (int)s, (int)t));
    }
    for (size_t e = 0; e < m->nevents; e++)
        assert_int_equal(sm_def_event_index(d, m->events[e].name), (int)e);
    assert_string_equal(d->table, m->table);
    assert_string_equal(d->parent_table, m->parent_table);
    assert_string_equal(d->parent_key, m->parent_key);
    assert_int_equal(d->schema, m->schema);
}

/* Fire every arrow of every event on the memory store: from a parent
 * walked into the arrow's source, the event writes source -> target. */
static void check_events(const smc_machine *m, const sm_def *d, sm_store *s)
{
    static int64_t parent;
    for (size_t e = 0; e < m->nevents; e++)
        for (size_t k = 0; k < m->events[e].narrows; k++) {
            smc_trans a = m->events[e].arrows[k];
            sm_machine *mm = NULL;
            assert_int_equal(sm_machine_open(&mm, d, s, ++parent, NULL), SM_OK);
            if (a.from != m->initial && model_allows(m, m->initial, a.from))
                assert_int_equal(sm_transition_to(mm, a.from, NULL), SM_OK);
            if (sm_current_state(mm) == a.from) {
                assert_int_equal(sm_fire(mm, (int)e, NULL), SM_OK);
                assert_int_equal(sm_last_transition(mm)->from_state, a.from);
                assert_int_equal(sm_last_transition(mm)->to_state, a.to);
            }
            sm_machine_close(mm);
        }
}

static void test_file(void **state)
{
    const char *path = *state;
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    static char src[1 << 20];
    size_t len = fread(src, 1, sizeof src, f);
    fclose(f);
    smc_arena *a = smc_arena_new();
    smc_buf diag;
    smc_buf_init(&diag);
    smc_unit *u = NULL;
    assert_int_equal(smc_compile(a, path, src, len, NULL, &diag, &u), 0);
    sm_store *s = NULL;
    assert_int_equal(sm_store_open(&s, "memory:"), SM_OK);
    for (size_t i = 0; i < u->nmachines; i++) {
        sm_def d;
        assert_int_equal(smc_def_build(a, &u->machines[i], &d), 0);
        check_tables(&u->machines[i], &d);
        check_events(&u->machines[i], &d, s);
    }
    sm_store_close(s);
    smc_buf_free(&diag);
    smc_arena_free(a);
}

int main(int argc, char **argv)
{
    struct CMUnitTest *tests = calloc((size_t)argc, sizeof *tests);
    if (!tests || argc < 2)
        return 2;
    for (int i = 1; i < argc; i++)
        tests[i - 1] =
            (struct CMUnitTest){argv[i], test_file, NULL, NULL, argv[i]};
    int rc = _cmocka_run_group_tests("def_build", tests, (size_t)argc - 1, NULL,
                                     NULL);
    free(tests);
    return rc;
}
