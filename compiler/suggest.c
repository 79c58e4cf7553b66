/*
 * suggest.c - the optimal-string-alignment distance (insertions,
 * deletions, substitutions and swaps of neighbours) between a word and
 * each candidate, bounded: words over 64 bytes get no suggestion, and a
 * candidate whose length alone rules it out costs nothing.
 */
#include "suggest.h"

#include <ctype.h>
#include <string.h>

enum { MAX_WORD = 64 };

void smc_suggest_init(smc_suggest *s, const char *word)
{
    s->word = word;
    s->len = strlen(word);
    s->limit = s->len < 3 ? 0 : s->len / 3;
    s->best = NULL;
    s->dist = 0;
}

static size_t min3(size_t a, size_t b, size_t c)
{
    size_t m = a < b ? a : b;
    return m < c ? m : c;
}

/* The distance from a (n bytes) to b (m bytes), ignoring case. */
static size_t distance(const char *a, size_t n, const char *b, size_t m)
{
    size_t rows[3][MAX_WORD + 1];
    size_t *pp = rows[0], *p = rows[1], *c = rows[2];
    for (size_t j = 0; j <= m; j++)
        p[j] = j;
    for (size_t i = 1; i <= n; i++) {
        c[0] = i;
        for (size_t j = 1; j <= m; j++) {
            int x = tolower((unsigned char)a[i - 1]);
            int y = tolower((unsigned char)b[j - 1]);
            c[j] = min3(p[j] + 1, c[j - 1] + 1, p[j - 1] + (x != y));
            if (i > 1 && j > 1 && x == tolower((unsigned char)b[j - 2]) &&
                y == tolower((unsigned char)a[i - 2]) && pp[j - 2] + 1 < c[j])
                c[j] = pp[j - 2] + 1;
        }
        size_t *t = pp;
        pp = p;
        p = c;
        c = t;
    }
    return p[m];
}

/*
 * A candidate equal but for case is the closest there is (distance 0);
 * the word itself is no suggestion.
 */
void smc_suggest_add(smc_suggest *s, const char *cand)
{
    size_t m = strlen(cand);
    size_t gap = m > s->len ? m - s->len : s->len - m;
    if (s->len > MAX_WORD || m > MAX_WORD || gap > s->limit ||
        !strcmp(s->word, cand))
        return;
    size_t d = distance(s->word, s->len, cand, m);
    if (d > s->limit)
        return;
    if (!s->best || d < s->dist) {
        s->best = cand;
        s->dist = d;
    }
}
