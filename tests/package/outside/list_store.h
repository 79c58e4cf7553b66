/*
 * list_store.h - a store written outside libsm, as a user would write
 * one: a linked list of rows behind the vtable of <sm/sys/store.h>,
 * built against the installed headers only.
 */
#ifndef LIST_STORE_H
#define LIST_STORE_H

#include <sm/sys/store.h>

/* Open an empty list store into *out (sm_store_open_ops's rules). */
sm_status list_store_open(sm_store **out);

#endif
