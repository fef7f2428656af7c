/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * virtual-card: a social security card in a virtual reader. A vpcd client
 * (vsmartcard's pcsc-lite driver): the card is a TCP client of the reader's
 * port, connect = inserted, close = removed. Messages both ways are a 2-byte
 * big-endian length and a payload; a 1-byte payload from the reader is a
 * control (0 power off, 1 power on, 2 reset, 4 get ATR), a longer one is a
 * C-APDU answered with the R-APDU. The card itself is ssc_emu (holder data
 * from a fixture, faults on demand). See ../../../shared/design/cards.md.
 *
 * stdout carries one line per event, flushed, for tests to synchronise on:
 *   inserted | removed | reader-closed | apdu N
 */
#include <errno.h>
#include <getopt.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "ssc_emu.h"

#define PROG          "virtual-card"
#define MSG_MAX       0xFFFF /* a vpcd message payload is at most 65535 bytes */
#define RETRY_STEP_MS 100

static const char USAGE[] =
    "usage: " PROG " --port N --holder FIXTURE.ini [options]\n"
    "\n"
    "A social security card for vpcd (the virtual reader driver of pcsc-lite):\n"
    "connecting to the reader's port inserts the card, closing it removes it.\n"
    "\n"
    "  --port N             the vpcd port of the reader (reader.conf DEVICENAME /dev/null:N)\n"
    "  --host ADDR          where pcscd runs (default 127.0.0.1)\n"
    "  --holder FILE        the holder fixture ([holder] name, id, card, sex, nation, birth, pad)\n"
    "\n"
    "Faults (combinable):\n"
    "  --unknown            not a social security card: SELECT SSSE -> 6A82\n"
    "  --corrupt-name       the name record's TLV length runs past its data\n"
    "  --bad-checksum       the ID number's check character is wrong\n"
    "  --split-61           every reply comes as 61xx + GET RESPONSE in pieces\n"
    "  --wrong-le           READ RECORD with the wrong Le -> 6Cxx first\n"
    "  --birth-mismatch     the birth record disagrees with the ID number\n"
    "  --slow MS            delay every R-APDU by MS milliseconds (ATR answers, which\n"
    "                       vpcd also uses to poll for presence, are not delayed)\n"
    "  --yank-after N       close the connection instead of answering the N-th APDU of\n"
    "                       an insertion (pulled out mid-read)\n"
    "\n"
    "Insertion (default: inserted at start, until stdin closes or `quit`):\n"
    "  --hold SECONDS       stay inserted this long (fractions allowed), then remove and exit\n"
    "  --cycles N           insert and remove N times, then exit; each insertion lasts\n"
    "  --interval MS        MS milliseconds (or --hold), with MS between (default 1000)\n"
    "  --start-removed      (stdin mode) start out of the reader, wait for `insert`\n"
    "  --retry-connect SECONDS  keep retrying a refused connect this long, and reconnect\n"
    "                       when the reader drops the connection (pcscd restarting)\n"
    "  -v, --verbose        log every message to stderr\n"
    "  -h, --help           this text\n"
    "\n"
    "stdin lines: insert, remove, quit (EOF = quit in the default mode).\n"
    "stdout lines, flushed: inserted, removed, reader-closed (pcscd dropped the\n"
    "connection), apdu N (the N-th C-APDU of this insertion arrived).\n"
    "Exit status: 0 normally, 1 connection failure (after retries), 2 bad arguments.\n";

typedef struct {
    const char *host;
    const char *port;
    const char *holder;
    unsigned faults;
    long slow_ms;
    long yank_after;
    long hold_ms; /* -1: not given */
    long cycles;  /* 0: not given */
    long interval_ms;
    bool interval_given;
    long retry_ms;
    bool start_removed;
    bool verbose;
} opts_t;

/* Why an insertion ended. */
typedef enum {
    END_DEADLINE,      /* --hold / cycle time is up */
    END_REMOVE,        /* `remove` on stdin */
    END_QUIT,          /* `quit`, EOF in stdin mode, SIGTERM/SIGINT */
    END_YANK,          /* --yank-after reached */
    END_READER_CLOSED, /* pcscd closed the connection */
    END_INSERT,        /* (while removed) `insert` on stdin */
} end_t;

typedef struct {
    opts_t o;
    ks_ssc_emu_t *emu;
    struct addrinfo *addr;
    int sock;
    bool stdin_open;
    char line[256];
    size_t line_len;
    long apdus; /* C-APDUs received in this insertion */
    uint8_t rx[2 + MSG_MAX];
    size_t rx_len;
    uint8_t reply[2 + MSG_MAX]; /* a delayed (--slow) reply, framed */
    size_t reply_len;
    int64_t reply_at;
} card_t;

static volatile sig_atomic_t g_stop;

static void on_signal(int sig)
{
    (void)sig;
    g_stop = 1;
}

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void event(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void event(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    putchar('\n');
    fflush(stdout);
}

static void hexlog(const card_t *c, const char *what, const uint8_t *p, size_t n)
{
    if (!c->o.verbose) {
        return;
    }
    fprintf(stderr, PROG ": %s", what);
    for (size_t i = 0; i < n; i++) {
        fprintf(stderr, " %02X", p[i]);
    }
    fputc('\n', stderr);
}

/* ---- arguments ---------------------------------------------------------- */

static int bad_arg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int bad_arg(const char *fmt, ...)
{
    va_list ap;
    fputs(PROG ": ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputs(" (see --help)\n", stderr);
    return 2;
}

/* A whole decimal integer in [min, max]. */
static bool parse_long(const char *s, long min, long max, long *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno != 0 || end == s || *end != '\0' || v < min || v > max) {
        return false;
    }
    *out = v;
    return true;
}

/* Seconds (fractions allowed) in [0, 86400] as milliseconds. */
static bool parse_seconds(const char *s, long *ms)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno != 0 || end == s || *end != '\0' || !(v >= 0.0 && v <= 86400.0)) {
        return false;
    }
    *ms = (long)(v * 1000.0 + 0.5);
    return true;
}

enum {
    OPT_PORT = 256,
    OPT_HOST,
    OPT_HOLDER,
    OPT_UNKNOWN,
    OPT_CORRUPT_NAME,
    OPT_BAD_CHECKSUM,
    OPT_SPLIT_61,
    OPT_WRONG_LE,
    OPT_BIRTH_MISMATCH,
    OPT_SLOW,
    OPT_YANK_AFTER,
    OPT_HOLD,
    OPT_CYCLES,
    OPT_INTERVAL,
    OPT_RETRY_CONNECT,
    OPT_START_REMOVED,
};

/* Returns -1 to go on, or an exit status (0 after --help, 2 on errors). */
static int parse_args(int argc, char **argv, opts_t *o)
{
    static const struct option longopts[] = {
        {"port", required_argument, NULL, OPT_PORT},
        {"host", required_argument, NULL, OPT_HOST},
        {"holder", required_argument, NULL, OPT_HOLDER},
        {"unknown", no_argument, NULL, OPT_UNKNOWN},
        {"corrupt-name", no_argument, NULL, OPT_CORRUPT_NAME},
        {"bad-checksum", no_argument, NULL, OPT_BAD_CHECKSUM},
        {"split-61", no_argument, NULL, OPT_SPLIT_61},
        {"wrong-le", no_argument, NULL, OPT_WRONG_LE},
        {"birth-mismatch", no_argument, NULL, OPT_BIRTH_MISMATCH},
        {"slow", required_argument, NULL, OPT_SLOW},
        {"yank-after", required_argument, NULL, OPT_YANK_AFTER},
        {"hold", required_argument, NULL, OPT_HOLD},
        {"cycles", required_argument, NULL, OPT_CYCLES},
        {"interval", required_argument, NULL, OPT_INTERVAL},
        {"retry-connect", required_argument, NULL, OPT_RETRY_CONNECT},
        {"start-removed", no_argument, NULL, OPT_START_REMOVED},
        {"verbose", no_argument, NULL, 'v'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    long port = 0;

    memset(o, 0, sizeof *o);
    o->host = "127.0.0.1";
    o->hold_ms = -1;
    o->interval_ms = 1000;
    opterr = 0;
    for (;;) {
        int prev = optind;
        int ch = getopt_long(argc, argv, ":hv", longopts, NULL);
        if (ch == -1) {
            break;
        }
        switch (ch) {
        case 'h':
            fputs(USAGE, stdout);
            return 0;
        case 'v':
            o->verbose = true;
            break;
        case OPT_PORT:
            if (!parse_long(optarg, 1, 65535, &port)) {
                return bad_arg("--port: '%s' is not a port number (1-65535)", optarg);
            }
            o->port = optarg;
            break;
        case OPT_HOST:
            if (optarg[0] == '\0') {
                return bad_arg("--host: empty address");
            }
            o->host = optarg;
            break;
        case OPT_HOLDER:
            o->holder = optarg;
            break;
        case OPT_UNKNOWN:
            o->faults |= KS_EMU_UNKNOWN_CARD;
            break;
        case OPT_CORRUPT_NAME:
            o->faults |= KS_EMU_CORRUPT_NAME;
            break;
        case OPT_BAD_CHECKSUM:
            o->faults |= KS_EMU_BAD_CHECKSUM;
            break;
        case OPT_SPLIT_61:
            o->faults |= KS_EMU_SPLIT_61;
            break;
        case OPT_WRONG_LE:
            o->faults |= KS_EMU_WRONG_LE;
            break;
        case OPT_BIRTH_MISMATCH:
            o->faults |= KS_EMU_BIRTH_MISMATCH;
            break;
        case OPT_SLOW:
            if (!parse_long(optarg, 0, 600000, &o->slow_ms)) {
                return bad_arg("--slow: '%s' is not a delay in milliseconds (0-600000)", optarg);
            }
            break;
        case OPT_YANK_AFTER:
            if (!parse_long(optarg, 1, 1000000, &o->yank_after)) {
                return bad_arg("--yank-after: '%s' is not an APDU count (1-1000000)", optarg);
            }
            break;
        case OPT_HOLD:
            if (!parse_seconds(optarg, &o->hold_ms)) {
                return bad_arg("--hold: '%s' is not a number of seconds (0-86400)", optarg);
            }
            break;
        case OPT_CYCLES:
            if (!parse_long(optarg, 1, 1000000, &o->cycles)) {
                return bad_arg("--cycles: '%s' is not a count (1-1000000)", optarg);
            }
            break;
        case OPT_INTERVAL:
            if (!parse_long(optarg, 0, 3600000, &o->interval_ms)) {
                return bad_arg("--interval: '%s' is not a time in milliseconds (0-3600000)",
                               optarg);
            }
            o->interval_given = true;
            break;
        case OPT_RETRY_CONNECT:
            if (!parse_seconds(optarg, &o->retry_ms)) {
                return bad_arg("--retry-connect: '%s' is not a number of seconds (0-86400)",
                               optarg);
            }
            break;
        case OPT_START_REMOVED:
            o->start_removed = true;
            break;
        case ':':
            return bad_arg("%s needs a value", argv[optind - 1]);
        default:
            if (optopt != 0 && optopt < 256) {
                return bad_arg("unknown option '-%c'", optopt);
            }
            /* getopt_long leaves the offending word just before optind. */
            return bad_arg("unknown option '%s'", argv[optind > prev ? optind - 1 : prev]);
        }
    }
    if (optind < argc) {
        return bad_arg("unexpected argument '%s'", argv[optind]);
    }
    if (o->port == NULL) {
        return bad_arg("--port is required (the vpcd port of the reader)");
    }
    if (o->holder == NULL) {
        return bad_arg("--holder is required (a holder fixture .ini)");
    }
    if (o->interval_given && o->cycles == 0) {
        return bad_arg("--interval only makes sense with --cycles");
    }
    if (o->start_removed && (o->cycles > 0 || o->hold_ms >= 0)) {
        return bad_arg("--start-removed only makes sense in the stdin mode (no --hold/--cycles)");
    }
    return -1;
}

/* ---- the connection ----------------------------------------------------- */

static void sleep_ms(long ms)
{
    struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR && !g_stop) {
    }
}

static int try_connect(const card_t *c, int *err)
{
    *err = 0;
    for (const struct addrinfo *a = c->addr; a != NULL; a = a->ai_next) {
        int s = socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
        if (s < 0) {
            *err = errno;
            continue;
        }
        int r;
        do {
            r = connect(s, a->ai_addr, a->ai_addrlen);
        } while (r != 0 && errno == EINTR && !g_stop);
        if (r == 0) {
            int one = 1;
            (void)setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
            (void)setsockopt(s, IPPROTO_TCP, TCP_QUICKACK, &one, sizeof one);
            return s;
        }
        *err = errno;
        close(s);
    }
    return -1;
}

/* Inserts the card: connects, retrying for --retry-connect. 0 or -1. */
static int insert(card_t *c)
{
    int64_t give_up = now_ms() + c->o.retry_ms;
    int err = 0;
    for (;;) {
        c->sock = try_connect(c, &err);
        if (c->sock >= 0) {
            break;
        }
        if (g_stop) {
            return -1; /* asked to quit: main_loop exits 0 */
        }
        if (now_ms() >= give_up) {
            if (c->o.retry_ms > 0) {
                fprintf(stderr, PROG ": cannot connect to %s:%s: %s (retried for %.1f s)\n",
                        c->o.host, c->o.port, strerror(err), (double)c->o.retry_ms / 1000.0);
            } else {
                fprintf(stderr, PROG ": cannot connect to %s:%s: %s (is pcscd with vpcd there?)\n",
                        c->o.host, c->o.port, strerror(err));
            }
            return -1;
        }
        sleep_ms(RETRY_STEP_MS);
    }
    c->apdus = 0;
    c->rx_len = 0;
    c->reply_len = 0;
    ks_ssc_emu_reset(c->emu);
    event("inserted");
    return 0;
}

static void drop(card_t *c)
{
    if (c->sock >= 0) {
        close(c->sock);
        c->sock = -1;
    }
    c->rx_len = 0;
    c->reply_len = 0;
}

static bool send_all(int sock, const uint8_t *p, size_t n)
{
    while (n > 0) {
        ssize_t w = send(sock, p, n, MSG_NOSIGNAL);
        if (w < 0) {
            if (errno == EINTR) {
                continue;
            }
            return false;
        }
        p += w;
        n -= (size_t)w;
    }
    return true;
}

/* Frames payload (already at buf + 2) with its length. */
static size_t frame(uint8_t *buf, size_t payload_len)
{
    buf[0] = (uint8_t)(payload_len >> 8);
    buf[1] = (uint8_t)(payload_len & 0xFF);
    return payload_len + 2;
}

/*
 * Handles one message from the reader. Returns -1 to go on, or why the
 * insertion ends.
 */
static int handle_message(card_t *c, const uint8_t *msg, size_t len)
{
    if (len == 1) {
        switch (msg[0]) {
        case 0: /* power off */
        case 1: /* power on */
        case 2: /* reset */
            hexlog(c, msg[0] == 0 ? "power off" : msg[0] == 1 ? "power on" : "reset", NULL, 0);
            ks_ssc_emu_reset(c->emu);
            return -1;
        case 4: { /* get ATR; vpcd also polls for presence with it */
            size_t n = ks_ssc_emu_atr(c->emu, c->reply + 2, MSG_MAX);
            if (!send_all(c->sock, c->reply, frame(c->reply, n))) {
                return END_READER_CLOSED;
            }
            return -1;
        }
        default:
            fprintf(stderr, PROG ": unknown control byte %02X from the reader, ignored\n", msg[0]);
            return -1;
        }
    }
    if (len == 0) {
        fprintf(stderr, PROG ": empty message from the reader, ignored\n");
        return -1;
    }
    c->apdus++;
    event("apdu %ld", c->apdus);
    hexlog(c, "C-APDU", msg, len);
    if (c->o.yank_after > 0 && c->apdus == c->o.yank_after) {
        drop(c);
        event("removed");
        return END_YANK;
    }
    size_t n = ks_ssc_emu_apdu(c->emu, msg, len, c->reply + 2, MSG_MAX);
    if (n < 2) {
        /* Cannot happen with rcap >= 2; answer "no precise diagnosis" anyway. */
        c->reply[2] = 0x6F;
        c->reply[3] = 0x00;
        n = 2;
    }
    hexlog(c, "R-APDU", c->reply + 2, n);
    c->reply_len = frame(c->reply, n);
    if (c->o.slow_ms > 0) {
        c->reply_at = now_ms() + c->o.slow_ms;
        return -1;
    }
    c->reply_len = 0;
    if (!send_all(c->sock, c->reply, n + 2)) {
        return END_READER_CLOSED;
    }
    return -1;
}

/* Reads what the reader sent and answers complete messages. */
static int service_socket(card_t *c)
{
    ssize_t r = recv(c->sock, c->rx + c->rx_len, sizeof c->rx - c->rx_len, 0);
    if (r < 0 && (errno == EINTR || errno == EAGAIN)) {
        return -1;
    }
    if (r <= 0) {
        return END_READER_CLOSED;
    }
    c->rx_len += (size_t)r;
    /*
     * vpcd writes the 2-byte length and the payload in two send()s, so Nagle
     * holds the payload until our ACK, which Linux delays by ~40 ms. Quick
     * ACKs (re-armed after every read) take that off every message.
     */
    int one = 1;
    (void)setsockopt(c->sock, IPPROTO_TCP, TCP_QUICKACK, &one, sizeof one);
    size_t off = 0;
    int end = -1;
    while (end < 0 && c->reply_len == 0 && c->rx_len - off >= 2) {
        size_t len = ((size_t)c->rx[off] << 8) | c->rx[off + 1];
        if (c->rx_len - off < 2 + len) {
            break;
        }
        end = handle_message(c, c->rx + off + 2, len);
        off += 2 + len;
    }
    if (c->sock >= 0 && off > 0) {
        memmove(c->rx, c->rx + off, c->rx_len - off);
        c->rx_len -= off;
    }
    return end;
}

/* ---- stdin commands ----------------------------------------------------- */

/* Reads stdin; returns -1, or END_REMOVE / END_QUIT / END_INSERT. */
static int service_stdin(card_t *c, bool eof_quits)
{
    char buf[256];
    ssize_t r = read(STDIN_FILENO, buf, sizeof buf);
    if (r < 0 && (errno == EINTR || errno == EAGAIN)) {
        return -1;
    }
    if (r <= 0) {
        c->stdin_open = false;
        return eof_quits ? END_QUIT : -1;
    }
    int result = -1;
    for (ssize_t i = 0; i < r; i++) {
        char ch = buf[i];
        if (ch != '\n') {
            if (c->line_len < sizeof c->line - 1) {
                c->line[c->line_len++] = ch;
            }
            continue;
        }
        c->line[c->line_len] = '\0';
        c->line_len = 0;
        char *w = c->line;
        while (*w == ' ' || *w == '\t') {
            w++;
        }
        size_t n = strlen(w);
        while (n > 0 && (w[n - 1] == ' ' || w[n - 1] == '\t' || w[n - 1] == '\r')) {
            w[--n] = '\0';
        }
        int cmd = -1;
        if (n == 0) {
            continue;
        } else if (strcmp(w, "insert") == 0) {
            cmd = END_INSERT;
        } else if (strcmp(w, "remove") == 0) {
            cmd = END_REMOVE;
        } else if (strcmp(w, "quit") == 0) {
            cmd = END_QUIT;
        } else {
            fprintf(stderr, PROG ": unknown command '%s' (insert, remove, quit)\n", w);
            continue;
        }
        /* quit wins over anything else in the same read */
        if (result != END_QUIT) {
            result = cmd;
        }
    }
    return result;
}

/*
 * Waits for events until `deadline` (or forever when < 0). With the card in,
 * services the reader; always services stdin. Returns why it stopped.
 */
static int run(card_t *c, int64_t deadline, bool eof_quits)
{
    for (;;) {
        if (g_stop) {
            return END_QUIT;
        }
        int64_t now = now_ms();
        if (c->sock >= 0 && c->reply_len > 0 && now >= c->reply_at) {
            bool ok = send_all(c->sock, c->reply, c->reply_len);
            c->reply_len = 0;
            if (!ok) {
                return END_READER_CLOSED;
            }
            continue;
        }
        if (deadline >= 0 && now >= deadline) {
            return END_DEADLINE;
        }
        int64_t wait = deadline >= 0 ? deadline - now : -1;
        if (c->sock >= 0 && c->reply_len > 0 && (wait < 0 || c->reply_at - now < wait)) {
            wait = c->reply_at - now;
        }
        struct pollfd p[2];
        nfds_t n = 0;
        int isock = -1, iin = -1;
        if (c->sock >= 0) {
            p[n] = (struct pollfd){.fd = c->sock, .events = POLLIN};
            isock = (int)n++;
        }
        if (c->stdin_open) {
            p[n] = (struct pollfd){.fd = STDIN_FILENO, .events = POLLIN};
            iin = (int)n++;
        }
        int pr = poll(p, n, wait > INT32_MAX ? INT32_MAX : (int)wait);
        if (pr < 0) {
            if (errno == EINTR) {
                continue;
            }
            fprintf(stderr, PROG ": poll: %s\n", strerror(errno));
            return END_QUIT;
        }
        if (iin >= 0 && p[iin].revents != 0) {
            int r = service_stdin(c, eof_quits);
            if (r == END_QUIT || (r == END_REMOVE && c->sock >= 0) ||
                (r == END_INSERT && c->sock < 0)) {
                return r;
            }
        }
        /* A pending slow reply: the reader waits for it, so do not read on. */
        if (isock >= 0 && p[isock].revents != 0 && c->reply_len == 0) {
            int r = service_socket(c);
            if (r >= 0) {
                return r;
            }
        }
    }
}

/* The card is in (or was yanked); keeps it there until something ends it. */
static int stay_inserted(card_t *c, int64_t deadline, bool eof_quits)
{
    for (;;) {
        int why = run(c, deadline, eof_quits);
        if (why != END_READER_CLOSED) {
            if (c->sock >= 0) {
                drop(c);
                event("removed");
            }
            return why;
        }
        drop(c);
        event("reader-closed");
        if (c->o.retry_ms <= 0) {
            return why;
        }
        if (insert(c) != 0) {
            return -1;
        }
    }
}

static int main_loop(card_t *c)
{
    const opts_t *o = &c->o;
    if (o->cycles > 0) {
        long in_ms = o->hold_ms >= 0 ? o->hold_ms : o->interval_ms;
        for (long i = 0; i < o->cycles; i++) {
            if (insert(c) != 0) {
                return 1;
            }
            int why = stay_inserted(c, now_ms() + in_ms, false);
            if (why < 0 || why == END_READER_CLOSED) {
                return 1;
            }
            if (why == END_QUIT) {
                return 0;
            }
            if (i + 1 < o->cycles) {
                int64_t gap_end = now_ms() + o->interval_ms;
                do {
                    why = run(c, gap_end, false);
                } while (why == END_INSERT || why == END_REMOVE);
                if (why == END_QUIT) {
                    return 0;
                }
            }
        }
        return 0;
    }
    if (o->hold_ms >= 0) {
        if (insert(c) != 0) {
            return 1;
        }
        int why = stay_inserted(c, now_ms() + o->hold_ms, false);
        if (why < 0) {
            return 1;
        }
        if (why == END_READER_CLOSED) {
            fprintf(stderr, PROG ": the reader closed the connection (pcscd stopped?); "
                                 "--retry-connect waits for it to come back\n");
            return 1;
        }
        return 0;
    }
    /* stdin mode */
    bool in = !o->start_removed;
    for (;;) {
        if (in) {
            if (insert(c) != 0) {
                return 1;
            }
            int why = stay_inserted(c, -1, true);
            if (why < 0) {
                return 1;
            }
            if (why == END_QUIT) {
                return 0;
            }
            in = false;
        } else {
            int why = run(c, -1, true);
            if (why == END_QUIT) {
                return 0;
            }
            in = why == END_INSERT;
        }
    }
}

int main(int argc, char **argv)
{
    card_t *c = calloc(1, sizeof *c);
    if (c == NULL) {
        fprintf(stderr, PROG ": out of memory\n");
        return 1;
    }
    int rc = parse_args(argc, argv, &c->o);
    if (rc >= 0) {
        free(c);
        return rc;
    }

    ks_ssc_holder_t holder;
    char err[256] = "";
    if (ks_ssc_holder_load(c->o.holder, &holder, err, sizeof err) != 0) {
        rc = bad_arg("--holder: %s", err[0] ? err : c->o.holder);
        free(c);
        return rc;
    }
    c->emu = ks_ssc_emu_new(&holder, c->o.faults);
    explicit_bzero(&holder, sizeof holder);
    if (c->emu == NULL) {
        rc = bad_arg("--holder %s: the card cannot carry this holder (name not encodable "
                     "to GBK?)",
                     c->o.holder);
        free(c);
        return rc;
    }
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM};
    hints.ai_flags = AI_NUMERICSERV;
    int gai = getaddrinfo(c->o.host, c->o.port, &hints, &c->addr);
    if (gai != 0) {
        rc = bad_arg("--host: cannot resolve '%s': %s", c->o.host, gai_strerror(gai));
        ks_ssc_emu_free(c->emu);
        free(c);
        return rc;
    }

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);

    c->sock = -1;
    c->stdin_open = true;
    rc = main_loop(c);
    if (g_stop) {
        rc = 0; /* SIGTERM/SIGINT: a normal way to end, also while retrying */
    }

    drop(c);
    freeaddrinfo(c->addr);
    ks_ssc_emu_free(c->emu);
    free(c);
    return rc;
}
