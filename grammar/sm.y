/*
 * sm.y - the grammar of .sm files (README: "The .sm language"). Pure
 * parser; each action is one AST constructor call. Syntax errors recover
 * at the next ';' or '}' so every error in a file is reported; an item
 * that lacks only its ';' is kept.
 */
%define api.pure full
%define parse.error detailed
%locations
%expect 0
%param {void *scanner}
%parse-param {smc_pctx *ctx}

%code requires {
#include "ast.h"
}

%code {
#include <string.h>

int yylex(YYSTYPE *lval, YYLTYPE *lloc, void *scanner);
static void yyerror(YYLTYPE *l, void *scanner, smc_pctx *ctx,
                    const char *msg);
static void unclosed(smc_pctx *ctx, const ast_machine *m, smc_loc at);
#define A ctx->a
/* The parser's stack and messages live in the arena too: a longjmp from
 * the scanner (see sm.l) then leaks nothing. */
#define YYMALLOC(n) smc_alloc(ctx->a, n)
#define YYFREE(p) ((void)(p))
#define L(x) ((smc_loc){(x).first_line, (x).first_column})
}

%union {
    const char *str;
    ast_name *name;
    ast_item *item;
    ast_machine *mach;
    int num;
}

%token MACHINE "machine" KW_INITIAL "initial" FINAL "final" STATE "state"
%token TRANSITION "transition" EVENT "event" STORAGE "storage"
%token GUARD "guard" BEFORE "before" AFTER "after"
%token AFTER_COMMIT "after_commit" AFTER_GUARD_FAILURE "after_guard_failure"
%token AFTER_TRANSITION_FAILURE "after_transition_failure"
%token ARROW "->"
%token <str> IDENT "identifier" STRING "string"
%token <str> WAS "was" RETIRED "retired"

%type <name> ident states was sel_states hook_names kvs kv
%type <item> item arrows arrow
%type <mach> head
%type <num> flags hook

%%
file: machines ;

machines: machine
        | machines machine
        ;

machine: head items '}'
       | head items YYEOF       { unclosed(ctx, $1, L(@3)); }
       | error '}'
       ;

head: "machine" ident '{'
            { $$ = ctx->cur = ast_machine_new(A, $2, L(@1));
              ctx->file = ast_machines_cat(ctx->file, $$); }
    ;

items: %empty
     | items item  { ast_machine_add(ctx->cur, $2); }
     ;

item: flags "state" states was end
                                { $$ = ast_state_new(A, $1, $3, $4, L(@2)); }
    | "transition" states "->" states end
                                { $$ = ast_trans_new(A, $2, $4, L(@1)); }
    | "event" ident '{' arrows '}' { $$ = ast_event_new(A, $2, $4); }
    | hook sel_states "->" sel_states ':' hook_names end
                        { $$ = ast_hook_new(A, $1, $2, $4, $6, L(@1)); }
    | "storage" '{' kvs '}'     { $$ = ast_storage_new(A, $3, L(@1)); }
    | error ';'                 { $$ = NULL; }
    | { $<mach>$ = ctx->cur; } head
                                { unclosed(ctx, $<mach>1, L(@2));
                                  $$ = NULL; }
    ;

/*
 * The ';' ending a complete item. When it is missing (the next token is
 * '}' or the next item) the error is reported and the item still kept,
 * so its states and transitions raise no follow-on diagnostics.
 */
end: ';'
   | error
   ;

flags: %empty                   { $$ = 0; }
     | "initial"                { $$ = SM_STATE_INITIAL; }
     | "final"                  { $$ = SM_STATE_FINAL; }
     | "initial" "final"        { $$ = SM_STATE_INITIAL | SM_STATE_FINAL; }
     | "retired"                { $$ = SM_STATE_RETIRED; }
     ;

/* The old names of a renamed state (the checker wants one state). */
was: %empty                     { $$ = NULL; }
   | "was" states               { $$ = $2; }
   ;

arrows: arrow                   { $$ = $1; }
      | arrows arrow            { $$ = ast_items_cat($1, $2); }
      ;

arrow: states "->" ident end    { $$ = ast_trans_new(A, $1, $3, L(@2)); }
     | error ';'                { $$ = NULL; }
     ;

hook: "guard"                   { $$ = SM_HOOK_GUARD; }
    | "before"                  { $$ = SM_HOOK_BEFORE; }
    | "after"                   { $$ = SM_HOOK_AFTER; }
    | "after_commit"            { $$ = SM_HOOK_AFTER_COMMIT; }
    | "after_guard_failure"     { $$ = SM_HOOK_AFTER_GUARD_FAILURE; }
    | "after_transition_failure" { $$ = SM_HOOK_AFTER_TRANSITION_FAILURE; }
    ;

sel_states: '*'                 { $$ = NULL; }
          | states              { $$ = $1; }
          ;

hook_names: states              { $$ = $1; } ;

states: ident                   { $$ = $1; }
      | states ',' ident        { $$ = ast_names_cat($1, $3); }
      ;

kvs: %empty                     { $$ = NULL; }
   | kvs kv                     { $$ = ast_names_cat($1, $2); }
   ;

kv: ident '=' STRING end        { $$ = ast_kv_new(A, $1, $3, L(@3)); }
  | error ';'                   { $$ = NULL; }
  ;

/* `was` and `retired` are keywords only where a `state` item has them:
 * anywhere else they are names, so no older file loses a state. */
ident: IDENT                    { $$ = ast_name_new(A, $1, L(@1)); }
     | "was"                    { $$ = ast_name_new(A, $1, L(@1)); }
     | "retired"                { $$ = ast_name_new(A, $1, L(@1)); }
     ;
%%

/*
 * `was` and `retired` are names too (see ident), so bison lists them
 * wherever an identifier may go: the message says "identifier" alone.
 */
static void yyerror(YYLTYPE *l, void *scanner, smc_pctx *ctx,
                    const char *msg)
{
    static const char both[] = "identifier or was or retired";
    const char *cut = strstr(msg, both);
    (void)scanner;
    if (cut)
        smc_diag_error(ctx->d, L(*l), "%.*sidentifier%s", (int)(cut - msg),
                       msg, cut + sizeof both - 1);
    else
        smc_diag_error(ctx->d, L(*l), "%s", msg);
}

/*
 * Machine m is still open at `at`: the end of the file, or the next
 * `machine`, which then starts a machine of its own.
 */
static void unclosed(smc_pctx *ctx, const ast_machine *m, smc_loc at)
{
    smc_diag_error(ctx->d, at, "expected '}' to close 'machine %s' opened "
                   "at %d:%d", m && m->name ? m->name->s : "?",
                   m ? m->open.line : 0, m ? m->open.col : 0);
}
