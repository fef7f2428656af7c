/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * district-sim: the reference district backend for the kiosk's tests and
 * development (docs/backend-api.md). Runs until SIGINT or SIGTERM, then
 * stops both daemons, closes the database and exits 0.
 */
#include "sim.h"

#include "log.h"

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void usage(FILE *f)
{
    fputs("usage: district-sim --cert PEM --key PEM --ca PEM --secrets-dir DIR --db PATH\n"
          "                    [--demo-data] [--bind ADDR] [--port N] [--admin-port N]\n"
          "                    [--port-file PATH] [--holidays FILE] [--verbose] [--help]\n"
          "  --cert, --key      server certificate and private key (PEM)\n"
          "  --ca               CA bundle that issues kiosk client certificates (PEM)\n"
          "  --secrets-dir DIR  device secrets, DIR/<KIOSK_ID>.secret (64 hex chars, mode 0600)\n"
          "  --db PATH          SQLite database, created with the schema when missing\n"
          "  --demo-data        load the demo data set into an empty database\n"
          "  --bind ADDR        address of the contract's TLS port (default 127.0.0.1)\n"
          "  --port N           TLS port (default 8443; 0 = any free port)\n"
          "  --admin-port N     plain-HTTP admin port on 127.0.0.1 (default 8444; 0 = any)\n"
          "  --port-file PATH   write \"PORT ADMIN_PORT\\n\" there once both listen\n"
          "  --verbose          log every request (never personal data)\n"
          "  --holidays FILE    working days from the kiosk's holiday list (config/holidays.txt,\n"
          "                     with make-up working days) instead of the database's table\n",
          f);
}

/* Reads a whole (small) file as a NUL-terminated string; NULL on failure. */
static char *read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "district-sim: %s: %s\n", path, strerror(errno));
        return NULL;
    }
    char *buf = NULL;
    size_t len = 0, cap = 0;
    for (;;) {
        if (len + 4096 + 1 > cap) {
            cap = cap ? cap * 2 : 8192;
            char *p = cap > (1u << 20) ? NULL : realloc(buf, cap);
            if (!p) {
                fprintf(stderr, "district-sim: %s: too large\n", path);
                free(buf);
                fclose(f);
                return NULL;
            }
            buf = p;
        }
        size_t n = fread(buf + len, 1, 4096, f);
        len += n;
        if (n < 4096)
            break;
    }
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        fprintf(stderr, "district-sim: %s: read error\n", path);
        free(buf);
        return NULL;
    }
    buf[len] = '\0';
    return buf;
}

static int parse_port(const char *arg, unsigned *out)
{
    char *end = NULL;
    errno = 0;
    long v = strtol(arg, &end, 10);
    if (errno || !end || *end || v < 0 || v > 65535)
        return -1;
    *out = (unsigned)v;
    return 0;
}

/* Written to a temporary name and renamed, so a reader never sees half of it. */
static int write_port_file(const char *path, unsigned port, unsigned admin)
{
    char tmp[4096];
    if (snprintf(tmp, sizeof tmp, "%s.tmp.%ld", path, (long)getpid()) >= (int)sizeof tmp)
        return -1;
    FILE *f = fopen(tmp, "w");
    if (!f)
        return -1;
    int ok = fprintf(f, "%u %u\n", port, admin) > 0;
    ok &= fflush(f) == 0 && fsync(fileno(f)) == 0;
    ok &= fclose(f) == 0;
    if (!ok || rename(tmp, path) != 0) {
        unlink(tmp);
        return -1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    static const struct option opts[] = {{"cert", required_argument, NULL, 'c'},
                                         {"key", required_argument, NULL, 'k'},
                                         {"ca", required_argument, NULL, 'a'},
                                         {"secrets-dir", required_argument, NULL, 's'},
                                         {"db", required_argument, NULL, 'd'},
                                         {"demo-data", no_argument, NULL, 'D'},
                                         {"bind", required_argument, NULL, 'b'},
                                         {"port", required_argument, NULL, 'p'},
                                         {"admin-port", required_argument, NULL, 'P'},
                                         {"port-file", required_argument, NULL, 'f'},
                                         {"verbose", no_argument, NULL, 'v'},
                                         {"holidays", required_argument, NULL, 'H'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    const char *cert = NULL, *key = NULL, *ca = NULL, *secrets = NULL, *db = NULL;
    const char *port_file = NULL, *holidays = NULL;
    int demo = 0, verbose = 0, opt;
    sim_http_conf_t conf = {.bind = "127.0.0.1", .port = 8443, .admin_port = 8444};

    while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (opt) {
        case 'c':
            cert = optarg;
            break;
        case 'k':
            key = optarg;
            break;
        case 'a':
            ca = optarg;
            break;
        case 's':
            secrets = optarg;
            break;
        case 'd':
            db = optarg;
            break;
        case 'D':
            demo = 1;
            break;
        case 'b':
            conf.bind = optarg;
            break;
        case 'f':
            port_file = optarg;
            break;
        case 'v':
            verbose = 1;
            break;
        case 'H':
            holidays = optarg;
            break;
        case 'p':
        case 'P':
            if (parse_port(optarg, opt == 'p' ? &conf.port : &conf.admin_port) < 0) {
                fprintf(stderr, "district-sim: bad port '%s'\n", optarg);
                return 2;
            }
            break;
        case 'h':
            usage(stdout);
            return 0;
        default:
            usage(stderr);
            return 2;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "district-sim: unexpected argument '%s'\n", argv[optind]);
        return 2;
    }
    if (!cert || !key || !ca || !secrets || !db) {
        fprintf(stderr, "district-sim: --cert, --key, --ca, --secrets-dir and --db are needed\n");
        usage(stderr);
        return 2;
    }
    ks_log_init(0, verbose ? KS_LOG_INFO : KS_LOG_WARN);

    static sim_t sim;
    sim.verbose = verbose;
    if (pthread_mutex_init(&sim.db_lock, NULL) != 0 ||
        pthread_mutex_init(&sim.state_lock, NULL) != 0)
        return 1;
    int rc = 1;
    sim_http_t *http = NULL;
    char *cert_pem = read_file(cert), *key_pem = read_file(key), *ca_pem = read_file(ca);
    sim.secrets_dir = strdup(secrets);
    if (!cert_pem || !key_pem || !ca_pem || !sim.secrets_dir)
        goto out;
    if (sim_db_open(&sim, db) < 0)
        goto out;
    if (holidays) {
        char err[512];
        sim.holidays = calloc(1, sizeof *sim.holidays);
        if (!sim.holidays || ks_holidays_load_file(holidays, sim.holidays, err, sizeof err) < 0) {
            fprintf(stderr, "district-sim: %s\n", sim.holidays ? err : "out of memory");
            goto out;
        }
    }
    if (demo && sim_db_load_demo(&sim) < 0) {
        fprintf(stderr, "district-sim: cannot load the demo data\n");
        goto out;
    }

    /* Every thread inherits the block; the main thread takes the signals. */
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);

    conf.cert_pem = cert_pem;
    conf.key_pem = key_pem;
    conf.ca_pem = ca_pem;
    http = sim_http_start(&sim, &conf);
    if (!http)
        goto out;
    unsigned port, admin;
    sim_http_ports(http, &port, &admin);
    if (port_file && write_port_file(port_file, port, admin) < 0) {
        fprintf(stderr, "district-sim: %s: cannot write the port file\n", port_file);
        goto out;
    }
    ks_log(KS_LOG_INFO, "sim", "listening on https://%s:%u/kiosk/v1, admin http://127.0.0.1:%u",
           conf.bind, port, admin);
    int sig = 0;
    while (sigwait(&set, &sig) != 0)
        ;
    ks_log(KS_LOG_INFO, "sim", "signal %d: stopping", sig);
    rc = 0;
out:
    atomic_store(&sim.stopping, 1);
    sim_http_stop(http);
    sim_db_close(&sim);
    if (key_pem)
        explicit_bzero(key_pem, strlen(key_pem));
    free(cert_pem);
    free(key_pem);
    free(ca_pem);
    free(sim.secrets_dir);
    free(sim.holidays);
    pthread_mutex_destroy(&sim.db_lock);
    pthread_mutex_destroy(&sim.state_lock);
    return rc;
}
