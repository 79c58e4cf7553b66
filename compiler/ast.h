/*
 * ast.h - the raw syntax tree the parser builds, before any checking.
 * Lists are singly linked in source order; everything is arena-owned.
 * Constructors return NULL only when the arena is out of memory.
 */
#ifndef SMC_AST_H
#define SMC_AST_H

#include <setjmp.h>

#include "arena.h"
#include "diag.h"
#include "model.h"

typedef struct ast_name {
    const char *s;
    smc_loc loc;
    struct ast_name *value; /* storage: the string and its span */
    struct ast_name *next;
    struct ast_name *tail; /* valid in the list head only */
} ast_name;

typedef enum ast_kind {
    AST_STATE,
    AST_TRANS,
    AST_EVENT,
    AST_HOOK,
    AST_STORAGE
} ast_kind;

typedef struct ast_item {
    ast_kind kind;
    smc_loc loc;
    int flags;               /* AST_STATE: SM_STATE_INITIAL|FINAL|RETIRED */
    sm_hook_kind hook;       /* AST_HOOK */
    ast_name *name;          /* AST_EVENT: the event name */
    ast_name *from;          /* NULL in a hook: '*' */
    ast_name *to;            /* AST_STATE: the names; hook: NULL is '*' */
    ast_name *names;         /* hook names; storage key/values; `was` */
    struct ast_item *arrows; /* AST_EVENT: AST_TRANS items */
    struct ast_item *next;
    struct ast_item *tail;
} ast_item;

typedef struct ast_machine {
    ast_name *name;
    smc_loc open; /* the `machine` keyword */
    ast_item *items;
    ast_name *lost; /* names in items lost to syntax errors */
    int dropped;    /* items lost to syntax errors */
    struct ast_machine *next;
    struct ast_machine *tail;
} ast_machine;

/* What the scanner and parser share: the arena, the sink, the result. */
typedef struct smc_pctx {
    smc_arena *a;
    smc_diag *d;
    struct ast_machine *file;
    struct ast_machine *cur; /* the machine being parsed */
    int line, col;           /* scanner position of the next byte */
    size_t off;
    bool cr;          /* the last byte scanned was a '\r' */
    smc_loc comment;  /* start of the open block comment */
    size_t stray_end; /* 1 + where the last run of stray bytes ended */
    /* What the parser's token filter tracks (grammar/sm.y). */
    int ntok;        /* tokens read */
    int lex_err_tok; /* the last token a lexical error came with */
    int depth;       /* '{' nesting */
    int last_depth;  /* the nesting before the lookahead */
    int item_kw;     /* the keyword that began the current item */
    smc_loc item_loc;
    int block_kw; /* the keyword whose '{' is open at depth 2 */
    smc_loc block_loc;
    const char *block_name; /* the event's name */
    int pending_tok;        /* a keyword to return after a supplied '}' */
    smc_loc pending_loc;
    int last_tok;   /* the lookahead: kind, span, identifier text */
    int prev_tok;   /* the token before it */
    smc_loc closed; /* the '}' that last closed a machine */
    smc_loc last, prev;
    const char *last_text;
    jmp_buf *fatal;        /* where the scanner's fatal path returns */
    const char *fatal_msg; /* flex's message when it took that path */
} smc_pctx;

/* A one-element name list. */
ast_name *ast_name_new(smc_arena *a, const char *s, smc_loc loc);
/* A storage `key = "value"` entry. */
ast_name *ast_kv_new(smc_arena *a, ast_name *key, const char *v, smc_loc l);
/* Append list b to list a; either may be NULL. */
ast_name *ast_names_cat(ast_name *a, ast_name *b);
/* The number of names in list x (0 for NULL). */
size_t ast_names_len(const ast_name *x);
/* One item of each kind. */
ast_item *ast_state_new(smc_arena *a, int flags, ast_name *names, ast_name *was,
                        smc_loc loc);
ast_item *ast_trans_new(smc_arena *a, ast_name *from, ast_name *to,
                        smc_loc loc);
ast_item *ast_event_new(smc_arena *a, ast_name *name, ast_item *arrows);
ast_item *ast_hook_new(smc_arena *a, sm_hook_kind k, ast_name *from,
                       ast_name *to, ast_name *names, smc_loc loc);
ast_item *ast_storage_new(smc_arena *a, ast_name *kvs, smc_loc loc);
/* Append item list b to a; either may be NULL. */
ast_item *ast_items_cat(ast_item *a, ast_item *b);
/* A machine, and appending machines to a file's list. */
ast_machine *ast_machine_new(smc_arena *a, ast_name *name, smc_loc open);
/* Append items to m's item list; m may be NULL (out of memory). */
void ast_machine_add(ast_machine *m, ast_item *items);
/* Remember names that were in a lost item of m (m or names may be NULL). */
void ast_machine_lose(ast_machine *m, ast_name *names);
/* Count an item of m lost to a syntax error; returns NULL (no item). */
ast_item *ast_machine_drop(ast_machine *m);
ast_machine *ast_machines_cat(ast_machine *a, ast_machine *b);

#endif
