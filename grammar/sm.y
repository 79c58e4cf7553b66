/*
 * sm.y - the grammar of .sm files (README: "The .sm language"). Pure
 * parser; each action is one AST constructor call. Error recovery is
 * built for one diagnostic per mistake: a syntax error recovers at the
 * next ';' or '}', an item lacking only its ';' is kept, a keyword typo
 * is read as the keyword, and the names of a dropped item are kept so
 * the checker does not report them again.
 */
%define api.pure full
%define parse.error custom
%define api.location.type {smc_loc}
%locations
%expect 0
%param {void *scanner}
%parse-param {smc_pctx *ctx}

%code requires {
#include "ast.h"
}

%code {
#include <stdio.h>
#include <string.h>

#include "suggest.h"

int yylex(YYSTYPE *lval, YYLTYPE *lloc, void *scanner);
static int next_token(YYSTYPE *lval, YYLTYPE *lloc, void *scanner,
                      smc_pctx *ctx);
#define yylex(lval, lloc, scanner) next_token(lval, lloc, scanner, ctx)
static void yyerror(YYLTYPE *l, void *scanner, smc_pctx *ctx,
                    const char *msg);
static void unclosed(smc_pctx *ctx, ast_machine *m, smc_loc at);
#define A ctx->a
/* A rule's span: its first symbol's start to its last symbol's end. */
#define YYLLOC_DEFAULT(cur, rhs, n)                                        \
    do {                                                                   \
        (cur) = YYRHSLOC(rhs, (n) ? 1 : 0);                                \
        if (n)                                                             \
            (cur).end = YYRHSLOC(rhs, n).end;                              \
    } while (0)
/* The parser's stack and messages live in the arena too: a longjmp from
 * the scanner (see sm.l) then leaks nothing. */
#define YYMALLOC(n) smc_alloc(ctx->a, n)
#define YYFREE(p) ((void)(p))
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

%type <name> ident states sel_states hook_names kvs kv
%type <item> item arrows arrow
%type <mach> head
%type <num> flags hook

/* Names thrown away by error recovery may have been declarations. */
%destructor { ast_machine_lose(ctx->cur, $$); } ident states sel_states
%destructor { ast_machine_lose(ctx->cur, ast_name_new(A, $$, @$)); } IDENT
%destructor { ast_machine_lose(ctx->cur, ast_name_new(A, $$, @$)); } WAS RETIRED

%%
file: machines ;

machines: machine
        | machines machine
        ;

machine: head items '}'
       | head items YYEOF       { unclosed(ctx, $1, @3); }
       | error '}'
       ;

head: "machine" ident '{'
            { $$ = ctx->cur = ast_machine_new(A, $2, @1);
              ctx->file = ast_machines_cat(ctx->file, $$); }
    ;

items: %empty
     | items item  { ast_machine_add(ctx->cur, $2); }
     ;

item: flags "state" states end  { $$ = ast_state_new(A, $1, $3, NULL, @2); }
    | flags "state" states "was" states end
                                { (void)$4;
                                  $$ = ast_state_new(A, $1, $3, $5, @2); }
    | "transition" states "->" states end
                                { $$ = ast_trans_new(A, $2, $4, @1); }
    | "event" ident '{' arrows '}' { $$ = ast_event_new(A, $2, $4); }
    | hook sel_states "->" sel_states ':' hook_names end
                        { $$ = ast_hook_new(A, $1, $2, $4, $6, @1); }
    | "storage" '{' kvs '}'     { $$ = ast_storage_new(A, $3, @1); }
    | error ';'                 { $$ = ast_machine_drop(ctx->cur); }
    | { $<mach>$ = ctx->cur; } head
                                { unclosed(ctx, $<mach>1, @2);
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
     | "retired"                { (void)$1; $$ = SM_STATE_RETIRED; }
     ;

arrows: arrow                   { $$ = $1; }
      | arrows arrow            { $$ = ast_items_cat($1, $2); }
      ;

arrow: states "->" ident end    { $$ = ast_trans_new(A, $1, $3, @2); }
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

kv: ident '=' STRING end        { $$ = ast_kv_new(A, $1, $3, @3); }
  | error ';'                   { $$ = NULL; }
  ;

/* `was` and `retired` are keywords only where a `state` item has them:
 * anywhere else they are names, so no older file loses a state. */
ident: IDENT                    { $$ = ast_name_new(A, $1, @1); }
     | "was"                    { $$ = ast_name_new(A, $1, @1); }
     | "retired"                { $$ = ast_name_new(A, $1, @1); }
     ;
%%
#undef yylex

/*
 * The keywords, for typo suggestions and for naming what was expected,
 * in ranges keyword_range hands out: 'machine'; the item keywords (the
 * flags and 'state' first); 'was', which only follows a state's names.
 */
static const struct keyword {
    const char *word;
    int tok;
} keywords[] = {
    {"machine", MACHINE},
    {"initial", KW_INITIAL},
    {"final", FINAL},
    {"state", STATE},
    {"retired", RETIRED},
    {"transition", TRANSITION},
    {"event", EVENT},
    {"storage", STORAGE},
    {"guard", GUARD},
    {"before", BEFORE},
    {"after", AFTER},
    {"after_commit", AFTER_COMMIT},
    {"after_guard_failure", AFTER_GUARD_FAILURE},
    {"after_transition_failure", AFTER_TRANSITION_FAILURE},
    {"was", WAS},
};
enum { NKEYWORDS = sizeof keywords / sizeof keywords[0], ITEM_END = 14 };

/*
 * Which keywords may come next, as a range of keywords[]: at the top
 * level 'machine'; at the start of an item any item keyword; after
 * 'initial' 'final' or 'state'; after 'final' or 'retired' 'state'.
 * Else none.
 */
static void keyword_range(const smc_pctx *ctx, int *first, int *last)
{
    bool item_start = ctx->last_tok == '{' || ctx->last_tok == ';' ||
                      ctx->last_tok == '}';
    *first = *last = 0;
    if (ctx->depth == 0 && (ctx->last_tok == 0 || ctx->last_tok == '}'))
        *last = 1;
    else if (ctx->depth == 1 && item_start)
        *first = 1, *last = ITEM_END;
    else if (ctx->last_tok == KW_INITIAL)
        *first = 2, *last = 4;
    else if (ctx->last_tok == FINAL || ctx->last_tok == RETIRED)
        *first = 3, *last = 4;
}

/*
 * An identifier where only a keyword can stand, within a typo of one:
 * report it once, with the keyword as its fix-it, and read it as the
 * keyword so the item parses as meant. Returns the token to use.
 */
static int keyword_typo(smc_pctx *ctx, const char *word, smc_loc at)
{
    int first, last;
    keyword_range(ctx, &first, &last);
    if (first == last)
        return IDENT; /* a name is what belongs here */
    smc_suggest s;
    smc_suggest_init(&s, word);
    for (int i = first; i < last; i++)
        smc_suggest_add(&s, keywords[i].word);
    if (!s.best)
        return IDENT;
    smc_diag_error(ctx->d, at, "unknown keyword '%s'; did you mean '%s'?",
                   word, s.best);
    smc_diag_fixit(ctx->d, at, s.best);
    for (int i = first; i < last; i++)
        if (keywords[i].word == s.best)
            return keywords[i].tok;
    return IDENT;
}

/*
 * Track where the parser is: brace depth (and the depth before the
 * lookahead, which is where a missing ';' belongs), the keyword and
 * place of the item, and the event or storage block open at depth 2.
 */
static void track(smc_pctx *ctx, int tok, smc_loc at)
{
    int first, last;
    keyword_range(ctx, &first, &last);
    ctx->last_depth = ctx->depth;
    if (first == 1 && tok != '}') {
        ctx->item_kw = tok;
        ctx->item_loc = at;
    }
    if (tok == '{' && ctx->depth++ == 1) {
        ctx->block_kw = ctx->item_kw;
        ctx->block_loc = ctx->item_loc;
        ctx->block_name = ctx->item_kw == EVENT ? ctx->last_text : NULL;
    }
    if (tok == '}' && ctx->depth > 0 && !--ctx->depth)
        ctx->closed = at;
    if (tok == MACHINE)
        ctx->depth = 0; /* a machine starts afresh, even in an open one */
}

/*
 * Whether tok is a keyword that begins an item: not 'machine', nor
 * 'retired', which is also a name (an arrow may start with it).
 */
static bool item_keyword(int tok)
{
    for (int i = 1; i < ITEM_END; i++)
        if (tok == keywords[i].tok && tok != RETIRED)
            return true;
    return false;
}

/*
 * An item keyword after an event arrow or storage setting: the block's
 * '}' is missing. Report it at the end of the ';' and give the parser a
 * '}' there (then the keyword), so the event and the item both parse.
 */
static bool block_unclosed(smc_pctx *ctx, int tok, smc_loc at)
{
    if (ctx->depth != 2 || ctx->last_tok != ';' || !item_keyword(tok))
        return false;
    smc_loc end = smc_loc_after(ctx->last);
    smc_diag_error(ctx->d, end,
                   "expected '}' to close '%s%s%s' opened at %d:%d",
                   ctx->block_kw == EVENT ? "event" : "storage",
                   ctx->block_name ? " " : "",
                   ctx->block_name ? ctx->block_name : "", ctx->block_loc.line,
                   ctx->block_loc.col);
    smc_diag_fixit(ctx->d, end, "}");
    ctx->pending_tok = tok;
    ctx->pending_loc = at;
    return true;
}

/*
 * `machine NAME` not followed by '{': report it at the end of the name
 * and give the parser a '{' there (then tok), so the body parses.
 */
static bool brace_missing(smc_pctx *ctx, int tok, smc_loc at)
{
    if (ctx->prev_tok != MACHINE || !ctx->last_text || tok == '{')
        return false;
    smc_loc end = smc_loc_after(ctx->last);
    smc_diag_error(ctx->d, end, "expected '{' after 'machine %s'",
                   ctx->last_text);
    smc_diag_fixit(ctx->d, end, " {");
    ctx->pending_tok = tok;
    ctx->pending_loc = at;
    return true;
}

/*
 * The parser's yylex: the scanner's next token, with keyword typos
 * replaced and a missing '}' of a block supplied, and what a syntax
 * error report needs recorded (the token before, whether a lexical
 * error came with this one).
 */
static int next_token(YYSTYPE *lval, YYLTYPE *lloc, void *scanner,
                      smc_pctx *ctx)
{
    int tok = ctx->pending_tok;
    if (tok) {
        *lloc = ctx->pending_loc;
        ctx->pending_tok = 0;
    } else {
        int errors = ctx->d->errors;
        tok = yylex(lval, lloc, scanner);
        ctx->ntok++;
        if (ctx->d->errors != errors)
            ctx->lex_err_tok = ctx->ntok;
        if (tok == IDENT)
            tok = keyword_typo(ctx, lval->str, *lloc);
        if (block_unclosed(ctx, tok, *lloc)) {
            tok = '}';
            *lloc = smc_loc_after(ctx->last);
        } else if (brace_missing(ctx, tok, *lloc)) {
            tok = '{';
            *lloc = smc_loc_after(ctx->last);
        }
    }
    track(ctx, tok, *lloc);
    /* the text of a name: an identifier, or 'was'/'retired' as one */
    ctx->last_text = tok == IDENT || tok == WAS || tok == RETIRED ? lval->str
                                                                  : NULL;
    ctx->prev = ctx->last;
    ctx->prev_tok = ctx->last_tok;
    ctx->last = *lloc;
    ctx->last_tok = tok;
    return tok;
}

/* Whether a lexical error came with the lookahead or the token before. */
static bool after_lexical_error(const smc_pctx *ctx)
{
    return ctx->lex_err_tok && ctx->lex_err_tok >= ctx->ntok - 1;
}

static void yyerror(YYLTYPE *l, void *scanner, smc_pctx *ctx,
                    const char *msg)
{
    (void)scanner;
    smc_diag_error(ctx->d, *l, "%s", msg);
}

/* The name of symbol k for a message: 'x' for keywords and "->". */
static void symbol_text(char *buf, size_t n, yysymbol_kind_t k)
{
    const char *s = yysymbol_name(k);
    bool quote = !strcmp(s, "->");
    for (int i = 0; i < NKEYWORDS; i++)
        quote = quote || !strcmp(s, keywords[i].word);
    snprintf(buf, n, quote ? "'%s'" : "%s", s);
}

/* The lookahead for a message: identifier 'x', keyword 'state', ';'. */
static void found_text(char *buf, size_t n, const smc_pctx *ctx,
                       yysymbol_kind_t la)
{
    if (la == YYSYMBOL_IDENT && ctx->last_text) {
        snprintf(buf, n, "identifier '%.64s'", ctx->last_text);
        return;
    }
    for (int i = 0; i < NKEYWORDS; i++)
        if (ctx->last_tok == keywords[i].tok) {
            snprintf(buf, n, "keyword '%s'", keywords[i].word);
            return;
        }
    symbol_text(buf, n, la);
}

/* What the item being parsed is called, for "expected ';' after ...". */
static const char *item_name(const smc_pctx *ctx)
{
    if (ctx->last_depth >= 2)
        return ctx->block_kw == EVENT ? "event arrow" : "storage setting";
    switch (ctx->item_kw) {
    case KW_INITIAL:
    case FINAL:
    case RETIRED:
    case STATE:
        return "state declaration";
    case TRANSITION:
        return "transition declaration";
    default:
        return "hook declaration";
    }
}

/*
 * A missing ';' shows at the end of the token before: the lookahead is
 * on a later line, or ends the block, or begins the next item.
 */
static bool semicolon_missing(const smc_pctx *ctx, yysymbol_kind_t la)
{
    if (la == YYSYMBOL_YYEOF || ctx->last.line > ctx->prev.line)
        return true;
    for (int i = 0; i < NKEYWORDS; i++)
        if (ctx->last_tok == keywords[i].tok)
            return true;
    return ctx->last_tok == '}';
}

/*
 * "expected A, B or C": the expected tokens, or a summary of many.
 * 'was' and 'retired' are names too, so where an identifier may go they
 * are not listed beside it; nor is the optional 'was' after a state's
 * names, where a ',' or ';' is what is missing.
 */
static void expected_text(char *buf, size_t n, const yysymbol_kind_t *exp,
                          int nexp)
{
    yysymbol_kind_t v[YYNTOKENS];
    bool ident = false;
    int k = 0;
    char sym[64];
    size_t o = 0;
    for (int i = 0; i < nexp; i++)
        ident = ident || exp[i] == YYSYMBOL_IDENT;
    for (int i = 0; i < nexp; i++)
        if (!(exp[i] == YYSYMBOL_WAS && nexp > 1) &&
            !(ident && exp[i] == YYSYMBOL_RETIRED))
            v[k++] = exp[i];
    for (int i = 0; i < k && o < n; i++) {
        if (v[i] == YYSYMBOL_STATE && k > 4) {
            snprintf(buf, n, "a state, transition, event, hook or storage "
                             "declaration");
            return;
        }
        symbol_text(sym, sizeof sym, v[i]);
        o += (size_t)snprintf(buf + o, n - o, "%s%s",
                              !i ? "" : i + 1 < k ? ", " : " or ", sym);
    }
}

/*
 * A syntax error, as one diagnostic: "expected ';' after ..." at the end
 * of the previous token when a ';' is missing, else "expected X, found
 * Y" at the lookahead. Nothing after a lexical error, which explains it.
 */
static int yyreport_syntax_error(const yypcontext_t *pc, void *scanner,
                                 smc_pctx *ctx)
{
    (void)scanner;
    if (after_lexical_error(ctx))
        return 0;
    yysymbol_kind_t exp[YYNTOKENS], la = yypcontext_token(pc);
    int n = yypcontext_expected_tokens(pc, exp, YYNTOKENS);
    for (int i = 0; i < n; i++)
        if (!strcmp(yysymbol_name(exp[i]), "';'") &&
            semicolon_missing(ctx, la)) {
            smc_loc at = smc_loc_after(ctx->prev);
            smc_diag_error(ctx->d, at, "expected ';' after %s",
                           item_name(ctx));
            smc_diag_fixit(ctx->d, at, ";");
            return 0;
        }
    char want[256] = "", found[96];
    expected_text(want, sizeof want, exp, n);
    found_text(found, sizeof found, ctx, la);
    smc_diag_error(ctx->d, *yypcontext_location(pc), "expected %s, found %s",
                   want, found);
    if (ctx->depth == 0 && item_keyword(ctx->last_tok) && ctx->cur)
        smc_diag_note(ctx->d, ctx->closed, "this '}' closed 'machine %s'",
                      ctx->cur->name ? ctx->cur->name->s : "?");
    return 0;
}

/*
 * Machine m is still open at `at`: the end of the file, or the next
 * `machine`, which then starts a machine of its own. Not reported when
 * a lexical error (an unterminated comment) ran into the end. What m
 * holds is cut short, so it counts as having lost an item.
 */
static void unclosed(smc_pctx *ctx, ast_machine *m, smc_loc at)
{
    ast_machine_drop(m);
    if (at.off == ctx->d->len && after_lexical_error(ctx))
        return;
    at.end = at.off;
    smc_diag_error(ctx->d, at,
                   "expected '}' to close 'machine %s' opened at %d:%d",
                   m && m->name ? m->name->s : "?", m ? m->open.line : 0,
                   m ? m->open.col : 0);
}
