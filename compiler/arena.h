/*
 * arena.h - one arena per compilation, freed once.
 *
 * Every AST node, model array and string of a compilation comes from
 * here. An allocation failure is reported by returning NULL, or, while
 * smc_arena_on_oom has set a jump target, by a longjmp there.
 */
#ifndef SMC_ARENA_H
#define SMC_ARENA_H

#include <setjmp.h>
#include <stddef.h>

typedef struct smc_arena smc_arena;

smc_arena *smc_arena_new(void);
void smc_arena_free(smc_arena *a);
/* Free everything allocated in a, keeping one chunk for what comes next. */
void smc_arena_reset(smc_arena *a);
void *smc_alloc(smc_arena *a, size_t n); /* zeroed, max-aligned */
char *smc_strndup(smc_arena *a, const char *s, size_t n);
char *smc_strdup(smc_arena *a, const char *s);

/*
 * While jb is set, a failed allocation does longjmp(*jb, SMC_ARENA_OOM)
 * instead of returning NULL: smc_compile unwinds the whole front end
 * from any depth, as Lua does on a memory error, and since everything
 * the front end holds is in the arena nothing leaks. NULL unsets it.
 */
enum { SMC_ARENA_OOM = 1 };
void smc_arena_on_oom(smc_arena *a, jmp_buf *jb);

#endif
