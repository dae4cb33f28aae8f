// alloc_counter.c: a malloc interposer for tests that counts allocations of registered threads.
//
// Linked into a test executable, these definitions of malloc & co. take precedence over glibc's for
// the whole process (the executable comes first in symbol lookup), and forward to glibc's internal
// entry points (__libc_malloc & co.), so no dlsym bootstrap is needed. Only threads that called
// tb_alloc_counter_register_thread() are counted; the flag is an initial-exec thread-local, whose
// access never allocates.
#include "alloc_counter.h"
#include <stdatomic.h>
#include <stddef.h>
#include <errno.h>

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void __libc_free(void *);
extern void *__libc_memalign(size_t, size_t);
extern void *__libc_valloc(size_t);
extern void *__libc_pvalloc(size_t);

static __thread int counted __attribute__((tls_model("initial-exec")));
static _Atomic uint64_t allocations;
static _Atomic uint64_t frees;
static _Atomic int interposing;

static inline void note_allocation(void) {
    atomic_store_explicit(&interposing, 1, memory_order_relaxed);
    if (counted) atomic_fetch_add_explicit(&allocations, 1, memory_order_relaxed);
}

void tb_alloc_counter_register_thread(void) { counted = 1; }
void tb_alloc_counter_unregister_thread(void) { counted = 0; }
uint64_t tb_alloc_counter_allocations(void) { return atomic_load(&allocations); }
uint64_t tb_alloc_counter_frees(void) { return atomic_load(&frees); }
void tb_alloc_counter_reset(void) {
    atomic_store(&allocations, 0);
    atomic_store(&frees, 0);
}
int tb_alloc_counter_is_interposing(void) { return atomic_load(&interposing); }

void *malloc(size_t n) {
    note_allocation();
    return __libc_malloc(n);
}

void *calloc(size_t n, size_t size) {
    note_allocation();
    return __libc_calloc(n, size);
}

void *realloc(void *p, size_t n) {
    note_allocation();
    return __libc_realloc(p, n);
}

void free(void *p) {
    if (p && counted) atomic_fetch_add_explicit(&frees, 1, memory_order_relaxed);
    __libc_free(p);
}

void *memalign(size_t alignment, size_t n) {
    note_allocation();
    return __libc_memalign(alignment, n);
}

void *aligned_alloc(size_t alignment, size_t n) {
    note_allocation();
    return __libc_memalign(alignment, n);
}

int posix_memalign(void **out, size_t alignment, size_t n) {
    if (alignment < sizeof(void *) || (alignment & (alignment - 1)) != 0) return EINVAL;
    note_allocation();
    void *p = __libc_memalign(alignment, n);
    if (!p) return ENOMEM;
    *out = p;
    return 0;
}

void *valloc(size_t n) {
    note_allocation();
    return __libc_valloc(n);
}

void *pvalloc(size_t n) {
    note_allocation();
    return __libc_pvalloc(n);
}
