/*
 * emit_label.h - edge labels of the diagram emitters (dot, mermaid): the
 * events that take a transition, in event order, then "[guard]" for each
 * guard that selects it, as in "cancel, abort [paid]".
 */
#ifndef SMC_EMIT_LABEL_H
#define SMC_EMIT_LABEL_H

#include <stdbool.h>

#include "buf.h"
#include "model.h"

/*
 * The events taking each transition of one machine, as chains in event
 * order: first[t] is transition t's first arrow, next[a] the arrow after
 * a, ev[a] its event, -1 the end. Built by binary search, not
 * transitions x arrows.
 */
typedef struct smc_labels {
    const smc_machine *m;
    long *first, *next;
    size_t *ev;
} smc_labels;

/* Build the chains of m; false when memory ran out (then free them). */
bool smc_labels_build(smc_labels *l, const smc_machine *m);
void smc_labels_free(smc_labels *l);

/* Append the label of transition t (an index into m->trans), preceded
 * by `open`; nothing at all when it has no events and no guards.
 * Returns whether it wrote anything. */
bool smc_labels_put(smc_buf *out, const smc_labels *l, size_t t,
                    const char *open);

#endif
