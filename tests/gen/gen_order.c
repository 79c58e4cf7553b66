/*
 * gen_order.c - builds the README's order machine (plus an empty second
 * machine) as a checked model by hand and runs every emitter into a
 * directory, so the back ends are tested without the front end.
 */
#include <stdio.h>
#include <string.h>

#include "emit.h"

#define STATE(n, i, f)                                                         \
    {                                                                          \
        .name = n, .loc = {1, 1, 0, 0}, .initial = i, .final = f               \
    }
static smc_state st[] = {
    STATE("pending", true, false),    STATE("checking_out", false, false),
    STATE("purchased", false, false), STATE("shipped", false, false),
    STATE("cancelled", false, true),  STATE("failed", false, true)};
static smc_trans tr[] = {{0, 1}, {0, 4}, {1, 2}, {1, 4},
                         {2, 3}, {2, 5}, {3, 4}};
static smc_trans ev_checkout[] = {{0, 1}};
static smc_trans ev_cancel[] = {{0, 4}, {1, 4}, {3, 4}};
static smc_event ev[] = {{"checkout", {1, 1, 0, 0}, ev_checkout, 1},
                         {"cancel", {1, 1, 0, 0}, ev_cancel, 3}};
static int h_from[] = {1};
static int h_to[] = {2};
static int h_to2[] = {4};
static smc_hook hk[] = {
    {SM_HOOK_GUARD, h_from, 1, h_to, 1, "paid", {1, 1, 0, 0}, false},
    {SM_HOOK_BEFORE, NULL, 0, h_to, 1, "charge", {1, 1, 0, 0}, false},
    {SM_HOOK_AFTER, NULL, 0, NULL, 0, "log", {1, 1, 0, 0}, false},
    {SM_HOOK_AFTER_COMMIT, NULL, 0, h_to2, 1, "refund", {1, 1, 0, 0}, false},
    {SM_HOOK_AFTER_COMMIT, NULL, 0, h_to2, 1, "audit", {1, 1, 0, 0}, false},
    {SM_HOOK_AFTER_GUARD_FAILURE,
     NULL,
     0,
     NULL,
     0,
     "audit",
     {1, 1, 0, 0},
     true},
    {SM_HOOK_AFTER_TRANSITION_FAILURE,
     NULL,
     0,
     NULL,
     0,
     "alarm",
     {1, 1, 0, 0},
     false}};
static smc_state st2[] = {STATE("only", true, true)};
static smc_machine ms[] = {
    {"order",
     {1, 1, 0, 0},
     st,
     6,
     0,
     tr,
     7,
     ev,
     2,
     hk,
     7,
     "order_transitions",
     "orders",
     "order_id",
     SM_SCHEMA_PARENT | SM_SCHEMA_FOREIGN_KEY | SM_SCHEMA_STATE_CHECK,
     NULL,
     NULL,
     0,
     NULL},
    {"lamp",
     {1, 1, 0, 0},
     st2,
     1,
     0,
     NULL,
     0,
     NULL,
     0,
     NULL,
     0,
     "lamp_transitions",
     "lamps",
     "lamp_id",
     0,
     NULL,
     NULL,
     0,
     NULL}};

/* Emit kind into its file under dir (named by smc_emit_path, as smcc
 * names it); 0 on success. */
static int save(const char *dir, const smc_unit *u, smc_emit_kind kind)
{
    smc_buf b, path;
    FILE *f = NULL;
    int rc = 1;

    smc_buf_init(&b);
    smc_buf_init(&path);
    smc_emit_path(&path, dir, u->path, kind);
    if (smc_emit(&b, u, kind) == 0 && smc_buf_ok(&path) &&
        (f = fopen(path.data, "wb")) != NULL)
        rc = fwrite(b.data, 1, b.len, f) != b.len;
    if (f && fclose(f) != 0)
        rc = 1;
    smc_buf_free(&b);
    smc_buf_free(&path);
    return rc;
}

int main(int argc, char **argv)
{
    smc_unit u = {"tests/order.sm", ms, 2};
    int k, rc = 0;

    if (argc != 2)
        return 2;
    for (k = 0; k < SMC_EMIT__COUNT; k++)
        rc |= save(argv[1], &u, (smc_emit_kind)k);
    return rc;
}
