// cshim.c: wrappers for C macros of OpenSSL's libcrypto, libsrtp2, ALSA, libgpiod and SQLite, and the Linux calls of the media engine (see cshim.h).
// recvmmsg/sendmmsg and struct mmsghdr need the GNU feature set; it adds names and changes no existing call.
#define _GNU_SOURCE
#include "cshim.h"
#include <openssl/crypto.h>
#include <srtp2/srtp.h>
#include <alsa/asoundlib.h>
#include <gpiod.h>
#include <sqlite3.h>

const char *tb_openssl_version(void) { return OpenSSL_version(OPENSSL_VERSION); }
const char *tb_srtp_version(void) { return srtp_get_version_string(); }
const char *tb_alsa_version(void) { return snd_asoundlib_version(); }
const char *tb_gpiod_version(void) { return gpiod_version_string(); }
const char *tb_sqlite_version(void) { return sqlite3_libversion(); }

void tb_srtp_policy_aes_cm_128_hmac_sha1_80(void *policy) {
    srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80((srtp_crypto_policy_t *)policy);
}
void tb_srtp_policy_aes_cm_128_hmac_sha1_32(void *policy) {
    srtp_crypto_policy_set_aes_cm_128_hmac_sha1_32((srtp_crypto_policy_t *)policy);
}

tb_sqlite_destructor tb_sqlite_transient(void) { return SQLITE_TRANSIENT; }

// ---- Media engine ----
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <pthread.h>
#include <sched.h>
#include <time.h>
#include <sys/mman.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/timerfd.h>
#include <sys/socket.h>
#include <netinet/in.h>

void tb_srtp_policy_aead_aes_128_gcm(void *policy) {
    srtp_crypto_policy_set_aes_gcm_128_16_auth((srtp_crypto_policy_t *)policy);
}
void tb_srtp_policy_aead_aes_256_gcm(void *policy) {
    srtp_crypto_policy_set_aes_gcm_256_16_auth((srtp_crypto_policy_t *)policy);
}

int tb_epoll_create(void) { return epoll_create1(EPOLL_CLOEXEC); }

int tb_epoll_add(int epfd, int fd, uint64_t data) {
    struct epoll_event ev;
    memset(&ev, 0, sizeof ev);
    ev.events = EPOLLIN;
    ev.data.u64 = data;
    return epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev);
}

int tb_epoll_del(int epfd, int fd) { return epoll_ctl(epfd, EPOLL_CTL_DEL, fd, NULL); }

int tb_epoll_wait(int epfd, uint64_t *data, uint32_t *events, int max, int timeout_ms) {
    struct epoll_event evs[256];
    if (max > 256) max = 256;
    int n = epoll_wait(epfd, evs, max, timeout_ms);
    for (int i = 0; i < n; i++) {
        data[i] = evs[i].data.u64;
        events[i] = evs[i].events;
    }
    return n;
}

int tb_eventfd_create(void) { return eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC); }

int tb_eventfd_signal(int fd) {
    uint64_t one = 1;
    return write(fd, &one, sizeof one) == (ssize_t)sizeof one ? 0 : -1;
}

uint64_t tb_eventfd_drain(int fd) {
    uint64_t v = 0;
    if (read(fd, &v, sizeof v) != (ssize_t)sizeof v) return 0;
    return v;
}

int tb_timerfd_create(uint64_t interval_ns) {
    int fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
    if (fd < 0) return fd;
    struct itimerspec its;
    its.it_interval.tv_sec = (time_t)(interval_ns / 1000000000ull);
    its.it_interval.tv_nsec = (long)(interval_ns % 1000000000ull);
    its.it_value = its.it_interval;
    if (timerfd_settime(fd, 0, &its, NULL) != 0) {
        int e = errno;
        close(fd);
        errno = e;
        return -1;
    }
    return fd;
}

uint64_t tb_timerfd_drain(int fd) { return tb_eventfd_drain(fd); }

int tb_recv_batch(int fd, unsigned count, uint8_t *bufs, size_t stride, size_t capacity,
                  uint8_t *addrs, uint32_t *addrlens, uint32_t *lens) {
    struct mmsghdr msgs[64];
    struct iovec iov[64];
    if (count > 64) count = 64;
    memset(msgs, 0, sizeof(struct mmsghdr) * count);
    for (unsigned i = 0; i < count; i++) {
        iov[i].iov_base = bufs + i * stride;
        iov[i].iov_len = capacity;
        msgs[i].msg_hdr.msg_iov = &iov[i];
        msgs[i].msg_hdr.msg_iovlen = 1;
        msgs[i].msg_hdr.msg_name = addrs + i * TB_ADDR_SLOT;
        msgs[i].msg_hdr.msg_namelen = TB_ADDR_SLOT;
    }
    int n = recvmmsg(fd, msgs, count, MSG_DONTWAIT, NULL);
    for (int i = 0; i < n; i++) {
        lens[i] = msgs[i].msg_len;
        addrlens[i] = msgs[i].msg_hdr.msg_namelen;
        // A datagram longer than `capacity` is reported as capacity + 1 so the caller drops it.
        if (msgs[i].msg_hdr.msg_flags & MSG_TRUNC) lens[i] = (uint32_t)capacity + 1;
    }
    return n;
}

int tb_send_batch(int fd, unsigned count, const uint8_t *bufs, const uint32_t *offsets,
                  const uint32_t *lens, const uint8_t *addrs, const uint32_t *addrlens) {
    struct mmsghdr msgs[64];
    struct iovec iov[64];
    if (count > 64) count = 64;
    memset(msgs, 0, sizeof(struct mmsghdr) * count);
    for (unsigned i = 0; i < count; i++) {
        iov[i].iov_base = (void *)(bufs + offsets[i]);
        iov[i].iov_len = lens[i];
        msgs[i].msg_hdr.msg_iov = &iov[i];
        msgs[i].msg_hdr.msg_iovlen = 1;
        msgs[i].msg_hdr.msg_name = (void *)(addrs + i * TB_ADDR_SLOT);
        msgs[i].msg_hdr.msg_namelen = addrlens[i];
    }
    return sendmmsg(fd, msgs, count, MSG_DONTWAIT);
}

int tb_set_fifo_priority(int priority) {
    struct sched_param sp;
    memset(&sp, 0, sizeof sp);
    sp.sched_priority = priority;
    return pthread_setschedparam(pthread_self(), SCHED_FIFO, &sp);
}

int tb_lock_memory(void) { return mlockall(MCL_CURRENT | MCL_FUTURE) == 0 ? 0 : errno; }

uint64_t tb_monotonic_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

int tb_epoll_add_events(int epfd, int fd, uint64_t data, uint32_t events) {
    struct epoll_event ev;
    memset(&ev, 0, sizeof ev);
    ev.events = events;
    ev.data.u64 = data;
    return epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev);
}

int tb_epoll_arm_oneshot(int epfd, int fd, uint64_t data, uint32_t events) {
    struct epoll_event ev;
    memset(&ev, 0, sizeof ev);
    ev.events = events | EPOLLONESHOT;
    ev.data.u64 = data;
    return epoll_ctl(epfd, EPOLL_CTL_MOD, fd, &ev);
}

int tb_timerfd_set(int fd, uint64_t interval_ns) {
    struct itimerspec its;
    its.it_interval.tv_sec = (time_t)(interval_ns / 1000000000ull);
    its.it_interval.tv_nsec = (long)(interval_ns % 1000000000ull);
    its.it_value = its.it_interval;
    return timerfd_settime(fd, 0, &its, NULL);
}

static void tb_alsa_quiet(const char *file, int line, const char *function, int err, const char *fmt, ...) {
    (void)file; (void)line; (void)function; (void)err; (void)fmt;
}

void tb_alsa_silence_errors(void) { snd_lib_error_set_handler(tb_alsa_quiet); }

// ---- Heap ----
#include <malloc.h>

void tb_heap_usage(uint64_t *in_use, uint64_t *free_in_heap, uint64_t *mapped) {
    struct mallinfo2 m = mallinfo2();
    *in_use = (uint64_t)m.uordblks + (uint64_t)m.hblkhd;
    *free_in_heap = (uint64_t)m.fordblks;
    *mapped = (uint64_t)m.hblkhd;
}

int64_t tb_sqlite_memory_used(void) { return sqlite3_memory_used(); }
