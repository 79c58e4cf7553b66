/*
 * diff_report.c - the report of `smcc diff`: per machine one line per
 * change (a tag, then what changed and what it means for the history),
 * then a verdict; or the same as one JSON object for scripts.
 */
#include "diff.h"

#include "emit_util.h"

static const struct {
    const char *tag;  /* the text report's first column */
    const char *name; /* the JSON "kind" */
} kinds[SMC_CHANGE__COUNT] = {
    {"breaking", "machine_removed"},
    {"breaking", "table_changed"},
    {"breaking", "parent_table_changed"},
    {"breaking", "parent_key_changed"},
    {"breaking", "initial_changed"},
    {"breaking", "state_removed"},
    {"breaking", "old_name_dropped"},
    {"breaking", "transition_removed"},
    {"added", "machine_added"},
    {"renamed", "state_renamed"},
    {"retired", "state_retired"},
    {"unretired", "state_unretired"},
    {"added", "state_added"},
    {"added", "transition_added"},
    {"schema", "parent_created"},
    {"schema", "foreign_key_added"},
    {"schema", "foreign_key_dropped"},
    {"schema", "check_changed"},
    {"schema", "check_dropped"},
};

/* What change x of machine md means, in words. */
static void put_message(smc_buf *out, const smc_machine_diff *md,
                        const smc_change *x)
{
    const char *o = x->old, *n = x->new;
    switch (x->kind) {
    case SMC_MACHINE_REMOVED:
        smc_buf_printf(out,
                       "machine removed: table '%s' keeps its history, "
                       "which nothing reads now",
                       md->old->table);
        break;
    case SMC_TABLE_CHANGED:
        smc_buf_printf(out,
                       "table '%s' is now '%s': the history in '%s' is "
                       "no longer read",
                       o, n, o);
        break;
    case SMC_PARENT_TABLE_CHANGED:
        smc_buf_printf(out,
                       "parent table '%s' is now '%s': the history's "
                       "parent ids are ids of '%s'",
                       o, n, o);
        break;
    case SMC_PARENT_KEY_CHANGED:
        smc_buf_printf(out,
                       "parent key '%s' is now '%s': the table has no "
                       "column '%s' until you rename '%s'",
                       o, n, n, o);
        break;
    case SMC_INITIAL_CHANGED:
        smc_buf_printf(out,
                       "initial state '%s' is now '%s': parents without "
                       "history move from one to the other",
                       o, n);
        break;
    case SMC_STATE_REMOVED:
        smc_buf_printf(out,
                       "state '%s' removed without 'was' or 'retired': "
                       "rows in it no longer load",
                       o);
        break;
    case SMC_OLD_NAME_DROPPED:
        smc_buf_printf(out,
                       "old name '%s' of '%s' dropped: rows still holding "
                       "'%s' no longer load (migrate them first)",
                       o, n, o);
        break;
    case SMC_TRANSITION_REMOVED:
        smc_buf_printf(out, "transition '%s' removed: the history may hold it",
                       o);
        break;
    case SMC_MACHINE_ADDED:
        smc_buf_puts(out, "machine: the migration creates its tables");
        break;
    case SMC_STATE_RENAMED:
        smc_buf_printf(out,
                       "'%s' -> '%s': loads map it; the migration "
                       "rewrites the rows",
                       o, n);
        break;
    case SMC_STATE_RETIRED:
        smc_buf_printf(out,
                       "'%s': it loads, but is never entered or left "
                       "again",
                       n);
        break;
    case SMC_STATE_UNRETIRED:
        smc_buf_printf(out, "'%s': it may be entered and left again", n);
        break;
    case SMC_STATE_ADDED:
        smc_buf_printf(out, "state '%s'", n);
        break;
    case SMC_TRANSITION_ADDED:
        smc_buf_printf(out, "transition '%s'", n);
        break;
    case SMC_PARENT_CREATED:
        smc_buf_printf(out, "parent table '%s' created when missing", n);
        break;
    case SMC_FOREIGN_KEY_ADDED:
        smc_buf_printf(out,
                       "foreign key to '%s' added (refused while a row "
                       "names a missing parent)",
                       n);
        break;
    case SMC_FOREIGN_KEY_DROPPED:
        smc_buf_printf(out, "foreign key to '%s' dropped", o);
        break;
    case SMC_CHECK_CHANGED:
        smc_buf_puts(out, "the CHECK on to_state lists the new names");
        break;
    default:
        smc_buf_puts(out, "the CHECK on to_state dropped");
    }
}

/* The table of machine md, from whichever version has it. */
static const char *table_of(const smc_machine_diff *md)
{
    return md->new ? md->new->table : md->old->table;
}

/* The verdict: the last line of the text, and what the exit status
 * says (1 when anything is breaking). */
static void put_verdict(smc_buf *out, const smc_diff *d)
{
    if (d->nbreaking)
        smc_buf_printf(out, "not compatible: %zu breaking change%s\n",
                       d->nbreaking, d->nbreaking == 1 ? "" : "s");
    else if (d->nmigrated)
        smc_buf_printf(out,
                       "compatible; the migration (smcc diff --emit "
                       "migration) carries out %zu change%s\n",
                       d->nmigrated, d->nmigrated == 1 ? "" : "s");
    else
        smc_buf_puts(out, "compatible\n");
}

void smc_diff_text(smc_buf *out, const smc_diff *d)
{
    for (size_t i = 0; i < d->nmachines; i++) {
        const smc_machine_diff *md = &d->machines[i];
        smc_buf_printf(out, "machine %s (%s)%s\n", md->name, table_of(md),
                       md->nchanges ? ":" : ": no changes");
        for (size_t k = 0; k < md->nchanges; k++) {
            const smc_change *x = &md->changes[k];
            smc_buf_printf(out, "  %-9s ", kinds[x->kind].tag);
            put_message(out, md, x);
            smc_buf_puts(out, "\n");
        }
    }
    put_verdict(out, d);
}

/* One change as a JSON object, its message included. */
static void put_json_change(smc_buf *out, const smc_machine_diff *md,
                            const smc_change *x)
{
    smc_buf out_msg;
    smc_buf_init(&out_msg);
    put_message(&out_msg, md, x);
    smc_buf_printf(out, "{\"kind\": \"%s\", \"breaking\": %s, \"old\": ",
                   kinds[x->kind].name,
                   smc_change_breaking(x->kind) ? "true" : "false");
    smc_emit_json_str(out, x->old);
    smc_buf_puts(out, ", \"new\": ");
    smc_emit_json_str(out, x->new);
    smc_buf_puts(out, ", \"message\": ");
    smc_emit_json_str(out, smc_buf_ok(&out_msg) ? out_msg.data : "");
    out->failed = out->failed || !smc_buf_ok(&out_msg);
    smc_buf_puts(out, "}");
    smc_buf_free(&out_msg);
}

void smc_diff_json(smc_buf *out, const smc_diff *d)
{
    smc_buf_puts(out, "{\n  \"old\": ");
    smc_emit_json_str(out, d->old_path);
    smc_buf_puts(out, ",\n  \"new\": ");
    smc_emit_json_str(out, d->new_path);
    smc_buf_printf(out,
                   ",\n  \"compatible\": %s,\n  \"breaking\": %zu,\n"
                   "  \"migrated\": %zu,\n  \"machines\": [",
                   d->nbreaking ? "false" : "true", d->nbreaking, d->nmigrated);
    for (size_t i = 0; i < d->nmachines; i++) {
        const smc_machine_diff *md = &d->machines[i];
        smc_buf_puts(out, i ? ",\n    {\"name\": " : "\n    {\"name\": ");
        smc_emit_json_str(out, md->name);
        smc_buf_puts(out, ", \"table\": ");
        smc_emit_json_str(out, table_of(md));
        smc_buf_printf(out, ", \"breaking\": %zu, \"changes\": [",
                       md->nbreaking);
        for (size_t k = 0; k < md->nchanges; k++) {
            smc_buf_puts(out, k ? ",\n      " : "\n      ");
            put_json_change(out, md, &md->changes[k]);
        }
        smc_buf_puts(out, md->nchanges ? "\n    ]}" : "]}");
    }
    smc_buf_puts(out, d->nmachines ? "\n  ]\n}\n" : "]\n}\n");
}
