// alloc_counter.h: test support that counts heap allocations made by registered threads (malloc interposer).
#ifndef TRUNKBOX_ALLOC_COUNTER_H
#define TRUNKBOX_ALLOC_COUNTER_H

#include <stdint.h>

// Marks the calling thread as counted: its malloc, calloc, realloc, posix_memalign, aligned_alloc,
// memalign, valloc and pvalloc calls add to the counter from now on. Usable as a thread-start hook.
void tb_alloc_counter_register_thread(void);
// Stops counting the calling thread.
void tb_alloc_counter_unregister_thread(void);
// Allocations by counted threads since the last reset.
uint64_t tb_alloc_counter_allocations(void);
// free() calls by counted threads since the last reset.
uint64_t tb_alloc_counter_frees(void);
// Sets both counts to zero.
void tb_alloc_counter_reset(void);
// 1 when this binary's malloc is the interposer (so counts are real), else 0.
int tb_alloc_counter_is_interposing(void);

#endif
