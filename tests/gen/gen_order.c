/*
 * gen_order.c - builds the README's order machine (plus an empty second
 * machine) as a checked model by hand and runs all four emitters into
 * a directory, so the back ends are tested without the front end.
 */
#include <stdio.h>
#include <string.h>

#include "emit.h"

static smc_state st[] = {{"pending", {1, 1, 0, 0}, true, false},
                         {"checking_out", {1, 1, 0, 0}, false, false},
                         {"purchased", {1, 1, 0, 0}, false, false},
                         {"shipped", {1, 1, 0, 0}, false, false},
                         {"cancelled", {1, 1, 0, 0}, false, true},
                         {"failed", {1, 1, 0, 0}, false, true}};
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
    {SM_HOOK_GUARD, h_from, 1, h_to, 1, "paid", {1, 1, 0, 0}},
    {SM_HOOK_BEFORE, NULL, 0, h_to, 1, "charge", {1, 1, 0, 0}},
    {SM_HOOK_AFTER, NULL, 0, NULL, 0, "log", {1, 1, 0, 0}},
    {SM_HOOK_AFTER_COMMIT, NULL, 0, h_to2, 1, "refund", {1, 1, 0, 0}},
    {SM_HOOK_AFTER_COMMIT, NULL, 0, h_to2, 1, "audit", {1, 1, 0, 0}},
    {SM_HOOK_AFTER_GUARD_FAILURE, NULL, 0, NULL, 0, "audit", {1, 1, 0, 0}},
    {SM_HOOK_AFTER_TRANSITION_FAILURE,
     NULL,
     0,
     NULL,
     0,
     "alarm",
     {1, 1, 0, 0}}};
static smc_state st2[] = {{"only", {1, 1, 0, 0}, true, true}};
static smc_machine ms[] = {{"order",
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
                            "order_id"},
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
                            "lamp_id"}};

/* Write one buffer to dir/name; 0 on success. */
static int save(const char *dir, const char *name, smc_buf *b)
{
    char path[4096];
    FILE *f;

    snprintf(path, sizeof path, "%s/%s", dir, name);
    f = fopen(path, "wb");
    if (!f || !smc_buf_ok(b) || fwrite(b->data, 1, b->len, f) != b->len) {
        if (f)
            fclose(f);
        return 1;
    }
    smc_buf_free(b);
    return fclose(f) != 0;
}

int main(int argc, char **argv)
{
    smc_unit u = {"tests/order.sm", ms, 2};
    smc_buf b[5];
    int i, rc = 0;

    if (argc != 2)
        return 2;
    for (i = 0; i < 5; i++)
        smc_buf_init(&b[i]);
    smc_emit_c_header(&b[0], &u, u.path, "order");
    smc_emit_c_source(&b[1], &u, u.path, "order");
    smc_emit_dot(&b[2], &u, u.path);
    smc_emit_sql(&b[3], &u, u.path);
    smc_emit_json(&b[4], &u, u.path);
    rc |= save(argv[1], "order_sm.h", &b[0]);
    rc |= save(argv[1], "order_sm.c", &b[1]);
    rc |= save(argv[1], "order.dot", &b[2]);
    rc |= save(argv[1], "order.sql", &b[3]);
    rc |= save(argv[1], "order.json", &b[4]);
    return rc;
}
