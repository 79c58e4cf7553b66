/*
 * contract_memory.c - the store contract suite on "memory:".
 */
#include <stddef.h>

#include "contract.h"

int main(void)
{
    return sm_contract_run("memory:", NULL) ? 1 : 0;
}
