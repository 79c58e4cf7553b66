/*
 * suggest.h - "did you mean": the candidate closest to a misspelled
 * word, if one is within a small edit distance: a third of the word's
 * length (none for words under three letters, where one edit makes any
 * word of another); a difference only in case counts as closest.
 */
#ifndef SMC_SUGGEST_H
#define SMC_SUGGEST_H

#include <stddef.h>

typedef struct smc_suggest {
    const char *word;
    size_t len;
    size_t limit;     /* edits allowed */
    const char *best; /* NULL: nothing close enough yet */
    size_t dist;
} smc_suggest;

/* Start looking for what `word` meant. */
void smc_suggest_init(smc_suggest *s, const char *word);
/* Consider cand; the first of equally close candidates wins. */
void smc_suggest_add(smc_suggest *s, const char *cand);

#endif
