// cshim.h: C wrappers for what Swift cannot import from the box's C libraries (macros, inline functions).
#ifndef TRUNKBOX_CSHIM_H
#define TRUNKBOX_CSHIM_H

#include <stddef.h>
#include <stdint.h>

// Version strings of the linked C libraries, as the libraries report them at run time.
const char *tb_openssl_version(void);
const char *tb_srtp_version(void);
const char *tb_alsa_version(void);
const char *tb_gpiod_version(void);
const char *tb_sqlite_version(void);

// libsrtp2 policy helpers that are macros in <srtp2/srtp.h>.
struct srtp_crypto_policy_t;
void tb_srtp_policy_aes_cm_128_hmac_sha1_80(void *policy);
void tb_srtp_policy_aes_cm_128_hmac_sha1_32(void *policy);

// A CA and a server certificate for test and demo TLS (test_pki.c): writes DIR/ca.pem, DIR/server.pem and
// DIR/server.key (0600). `server_san` is an X.509v3 subjectAltName value ("DNS:localhost,IP:127.0.0.1").
// Returns 0, or -1 when OpenSSL or the file system failed.
int tb_make_test_pki(const char *dir, const char *ca_name, const char *server_san, int days);

// SQLITE_TRANSIENT is a cast of -1 to a function pointer.
typedef void (*tb_sqlite_destructor)(void *);
tb_sqlite_destructor tb_sqlite_transient(void);

// ---- Media engine (Sources/Media): Linux calls Swift's Glibc module does not expose. ----
// libsrtp2 policies of the RFC 7714 GCM suites (16-byte tag), for SRTP and SRTCP alike.
void tb_srtp_policy_aead_aes_128_gcm(void *policy);
void tb_srtp_policy_aead_aes_256_gcm(void *policy);
// Replaces libsrtp2's SRTP_AES_ICM_128/256 and SRTP_AES_GCM_128/256 ciphers and SRTP_HMAC_SHA1
// (NSS-backed on Debian, which allocates per packet) with allocation-free ones (srtp_crypto.c). Call once after srtp_init, before
// any session is made. Returns 0, or the srtp_err_status_t of the failed registration or self-test.
int tb_srtp_install_allocation_free_crypto(void);

// epoll over file descriptors with a 64-bit user value (struct epoll_event is packed on x86_64).
int tb_epoll_create(void);
int tb_epoll_add(int epfd, int fd, uint64_t data);
int tb_epoll_del(int epfd, int fd);
// Waits for up to `max` (at most 256) events; fills data[i] with the user value and events[i] with the mask.
int tb_epoll_wait(int epfd, uint64_t *data, uint32_t *events, int max, int timeout_ms);

// eventfd (non-blocking, close-on-exec): signal adds 1; drain reads and resets the counter (0 if none).
int tb_eventfd_create(void);
int tb_eventfd_signal(int fd);
uint64_t tb_eventfd_drain(int fd);

// timerfd on CLOCK_MONOTONIC firing every `interval_ns` (non-blocking); drain returns expirations.
int tb_timerfd_create(uint64_t interval_ns);
uint64_t tb_timerfd_drain(int fd);

// Slot size for socket addresses in the batch calls: a struct sockaddr_in6 (28 bytes).
#define TB_ADDR_SLOT 28
// recvmmsg without blocking, up to `count` (at most 64) datagrams. Datagram i lands in
// bufs + i*stride (at most `capacity` bytes), its length in lens[i], its source address in
// addrs + i*TB_ADDR_SLOT and that address's length in addrlens[i]; a datagram longer than
// `capacity` has lens[i] = capacity + 1. Returns the count, or -1 (errno).
int tb_recv_batch(int fd, unsigned count, uint8_t *bufs, size_t stride, size_t capacity,
                  uint8_t *addrs, uint32_t *addrlens, uint32_t *lens);
// sendmmsg without blocking, up to 64 datagrams: datagram i is bufs + offsets[i], lens[i] bytes,
// to addrs + i*TB_ADDR_SLOT of addrlens[i] bytes. Returns how many were sent, or -1 (errno).
int tb_send_batch(int fd, unsigned count, const uint8_t *bufs, const uint32_t *offsets,
                  const uint32_t *lens, const uint8_t *addrs, const uint32_t *addrlens);

// epoll registration with an explicit event mask (EPOLLIN 0x1, EPOLLOUT 0x4; 0 registers it disarmed),
// and re-arming one descriptor for a single report (EPOLLONESHOT) of `events`.
int tb_epoll_add_events(int epfd, int fd, uint64_t data, uint32_t events);
int tb_epoll_arm_oneshot(int epfd, int fd, uint64_t data, uint32_t events);
// Re-arms a timerfd made by tb_timerfd_create to fire every `interval_ns` from now (0 disarms it).
int tb_timerfd_set(int fd, uint64_t interval_ns);
// alsa-lib prints its errors to stderr by default; the box reports them as events instead.
void tb_alsa_silence_errors(void);

// Realtime scheduling of the calling thread and memory locking; 0 or an errno value.
int tb_set_fifo_priority(int priority);
int tb_lock_memory(void);
// CLOCK_MONOTONIC in nanoseconds.
uint64_t tb_monotonic_ns(void);

// The C heap (glibc's mallinfo2, all arenas): bytes handed out and not freed, bytes free inside the
// heap's arenas (fragmentation the allocator keeps), and bytes in blocks mapped on their own.
void tb_heap_usage(uint64_t *in_use, uint64_t *free_in_heap, uint64_t *mapped);
// SQLite's own allocations in use (page caches, statements); part of the heap's in-use bytes.
int64_t tb_sqlite_memory_used(void);

#endif
