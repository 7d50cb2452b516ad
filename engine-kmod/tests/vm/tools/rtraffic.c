// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * rtraffic: the VM tests' traffic, static so it runs in the initramfs.
 *
 *   rtraffic serve PORT...            UDP echo and TCP echo on every PORT, IPv4 and IPv6; forever
 *   rtraffic udp ADDR PORT [MS]       one datagram, wait for the echo
 *   rtraffic tcp ADDR PORT [MS]       connect, send a line, wait for the echo
 *   rtraffic udp6opt ADDR PORT [MS]   udp, with an IPv6 destination-options header
 *   rtraffic udpbig ADDR PORT SIZE    udp with a datagram of SIZE bytes (fragmented on the way)
 *   rtraffic truncated ADDR           a TCP packet whose header is cut to 4 bytes (raw socket)
 *   rtraffic blast ADDR PORT SECONDS  64-byte UDP datagrams as fast as possible; prints "sent N"
 *   rtraffic sink PORT SECONDS        counts datagrams until SECONDS pass with none arriving after
 *                                     the first; prints "received N"
 *   rtraffic burst ADDR PORT COUNT SIZE
 *                                     COUNT datagrams of SIZE bytes from one socket (one flow),
 *                                     not waiting for answers; prints "sent N"
 *   rtraffic tcpraw ADDR SPORT DPORT FLAGS...
 *                                     one bare 20-byte TCP header per FLAGS (hex, e.g. 02 for
 *                                     SYN) from a raw socket: TCP segments of exactly known
 *                                     number, size and flags; prints "sent N"
 *   rtraffic stream ADDR PORT COUNT [STOPFILE]
 *                                     COUNT request/answer datagrams, one at a time; with COUNT 0
 *                                     until STOPFILE exists (or SIGTERM)
 *
 * One-shot modes print one word: ok, refused (TCP reset or ICMP port unreachable), unreach
 * (other ICMP unreachable), eperm (dropped on output by the local firewall), timeout, or the
 * errno's name. stream prints "sent N received M".
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int resolve(const char *host, int port, struct sockaddr_storage *ss, socklen_t *len)
{
	struct sockaddr_in *a4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, host, &a4->sin_addr) == 1) {
		a4->sin_family = AF_INET;
		a4->sin_port = htons(port);
		*len = sizeof(*a4);
		return AF_INET;
	}
	if (inet_pton(AF_INET6, host, &a6->sin6_addr) == 1) {
		a6->sin6_family = AF_INET6;
		a6->sin6_port = htons(port);
		*len = sizeof(*a6);
		return AF_INET6;
	}
	fprintf(stderr, "rtraffic: bad address %s\n", host);
	exit(2);
}

static const char *word(int err)
{
	switch (err) {
	case 0:
		return "ok";
	case ECONNREFUSED:
	case ECONNRESET:
		return "refused";
	case EHOSTUNREACH:
	case ENETUNREACH:
	case EACCES:
		return "unreach";
	case EPERM:
		return "eperm";
	case ETIMEDOUT:
	case EAGAIN:
		return "timeout";
	default:
		return strerrorname_np(err) ? strerrorname_np(err) : "error";
	}
}

/* Waits for fd to become readable; the socket's pending error when there is one. */
static int wait_reply(int fd, int ms, void *buf, size_t len)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	int r = poll(&p, 1, ms);
	ssize_t n;

	if (r == 0)
		return ETIMEDOUT;
	if (r < 0)
		return errno;
	n = recv(fd, buf, len, 0);
	if (n < 0)
		return errno;
	return n == 0 ? ECONNRESET : 0;
}

static int udp_once(const char *host, int port, int ms, size_t size, int dstopts)
{
	struct sockaddr_storage ss;
	socklen_t sl;
	int fam = resolve(host, port, &ss, &sl);
	int fd = socket(fam, SOCK_DGRAM, 0), err;
	char *buf = calloc(1, size + 1), *rx = calloc(1, size + 1);

	if (dstopts) {
		/* Next header, length 0 (8 bytes), then a PadN option filling the rest. */
		static const unsigned char opt[8] = { 0, 0, 1, 4, 0, 0, 0, 0 };

		if (setsockopt(fd, IPPROTO_IPV6, IPV6_DSTOPTS, opt, sizeof(opt)) < 0) {
			perror("IPV6_DSTOPTS");
			return 2;
		}
	}
	memset(buf, 'x', size);
	if (connect(fd, (struct sockaddr *)&ss, sl) < 0 || send(fd, buf, size, 0) < 0)
		err = errno;
	else
		err = wait_reply(fd, ms, rx, size + 1);
	printf("%s\n", word(err));
	return 0;
}

static int tcp_once(const char *host, int port, int ms)
{
	struct sockaddr_storage ss;
	socklen_t sl;
	int fam = resolve(host, port, &ss, &sl);
	int fd = socket(fam, SOCK_STREAM | SOCK_NONBLOCK, 0), err = 0;
	struct pollfd p = { .fd = fd, .events = POLLOUT };
	socklen_t el = sizeof(err);
	char rx[16];

	if (connect(fd, (struct sockaddr *)&ss, sl) < 0 && errno != EINPROGRESS) {
		err = errno;
	} else {
		int r = poll(&p, 1, ms);

		if (r == 0)
			err = ETIMEDOUT;
		else
			getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &el);
		if (!err && send(fd, "hello\n", 6, MSG_NOSIGNAL) < 0)
			err = errno;
		if (!err)
			err = wait_reply(fd, ms, rx, sizeof(rx));
	}
	printf("%s\n", word(err));
	return 0;
}

static volatile sig_atomic_t stop;

static void on_stop(int sig)
{
	stop = 1;
}

static int stream(const char *host, int port, long count, const char *stopfile)
{
	struct sockaddr_storage ss;
	socklen_t sl;
	int fam = resolve(host, port, &ss, &sl);
	int fd = socket(fam, SOCK_DGRAM, 0);
	long i, got = 0;

	if (connect(fd, (struct sockaddr *)&ss, sl) < 0) {
		perror("connect");
		return 2;
	}
	signal(SIGTERM, on_stop);
	signal(SIGINT, on_stop);
	for (i = 0; (count == 0 || i < count) && !stop; i++) {
		if (stopfile && access(stopfile, F_OK) == 0)
			break;
		long seq = i, echo = -1;
		int tries;

		/* A refused send (a pending ICMP error, a local drop) is retried after a pause, so a
		 * stream that cannot send never spins the CPU the kernel under test needs. */
		if (send(fd, &seq, sizeof(seq), 0) < 0) {
			poll(NULL, 0, 10);
			continue;
		}
		/* Drain stale answers (a late echo of an earlier sequence) until ours arrives. */
		for (tries = 0; tries < 4 && echo != seq; tries++)
			if (wait_reply(fd, 1000, &echo, sizeof(echo)))
				break;
		if (echo == seq)
			got++;
		else if (stop)
			break;  /* interrupted while waiting: not a loss */
	}
	printf("sent %ld received %ld\n", i, got);
	return 0;
}

static void serve_udp(int port)
{
	struct sockaddr_in6 a = { .sin6_family = AF_INET6, .sin6_port = htons(port) };
	int fd = socket(AF_INET6, SOCK_DGRAM, 0), zero = 0;
	static char buf[65536];

	setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof(zero));
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0) {
		perror("bind udp");
		exit(2);
	}
	for (;;) {
		struct sockaddr_storage from;
		socklen_t fl = sizeof(from);
		ssize_t n = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&from, &fl);

		if (n >= 0)
			sendto(fd, buf, n, 0, (struct sockaddr *)&from, fl);
	}
}

static void serve_tcp(int port)
{
	struct sockaddr_in6 a = { .sin6_family = AF_INET6, .sin6_port = htons(port) };
	int fd = socket(AF_INET6, SOCK_STREAM, 0), zero = 0, one = 1;

	setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof(zero));
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0 || listen(fd, 64) < 0) {
		perror("bind tcp");
		exit(2);
	}
	for (;;) {
		int c = accept(fd, NULL, NULL);
		char buf[256];
		ssize_t n;

		if (c < 0) {
			poll(NULL, 0, 10);
			continue;
		}
		n = recv(c, buf, sizeof(buf), 0);
		if (n > 0)
			send(c, buf, n, MSG_NOSIGNAL);
		close(c);
	}
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int blast(const char *host, int port, double secs)
{
	struct sockaddr_storage ss;
	socklen_t sl;
	int fam = resolve(host, port, &ss, &sl);
	int fd = socket(fam, SOCK_DGRAM, 0);
	char buf[64 - 28] = { 0 };
	double end = now_s() + secs;
	long sent = 0, i;

	if (connect(fd, (struct sockaddr *)&ss, sl) < 0) {
		perror("connect");
		return 2;
	}
	while (now_s() < end)
		for (i = 0; i < 64; i++)
			if (send(fd, buf, sizeof(buf), MSG_DONTWAIT) > 0)
				sent++;
	printf("sent %ld\n", sent);
	return 0;
}

static int sink(int port, int idle_s)
{
	struct sockaddr_in6 a = { .sin6_family = AF_INET6, .sin6_port = htons(port) };
	int fd = socket(AF_INET6, SOCK_DGRAM, 0), zero = 0, size = 8 << 20;
	struct mmsghdr msgs[64];
	struct iovec iov[64];
	static char bufs[64][128];
	long got = 0;
	int i, n;

	setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof(zero));
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0) {
		perror("bind");
		return 2;
	}
	for (i = 0; i < 64; i++) {
		iov[i].iov_base = bufs[i];
		iov[i].iov_len = sizeof(bufs[i]);
		memset(&msgs[i], 0, sizeof(msgs[i]));
		msgs[i].msg_hdr.msg_iov = &iov[i];
		msgs[i].msg_hdr.msg_iovlen = 1;
	}
	printf("ready\n");
	for (;;) {
		struct pollfd p = { .fd = fd, .events = POLLIN };

		if (poll(&p, 1, got ? idle_s * 1000 : 60000) <= 0)
			break;
		n = recvmmsg(fd, msgs, 64, MSG_DONTWAIT, NULL);
		if (n > 0)
			got += n;
	}
	printf("received %ld\n", got);
	return 0;
}

/* The stack never sends a cut TCP header itself; a raw socket lets the router see one. */
static int truncated(const char *host)
{
	struct sockaddr_storage ss;
	socklen_t sl;
	int fam = resolve(host, 0, &ss, &sl);
	int fd = socket(fam, SOCK_RAW, IPPROTO_TCP);

	if (fd < 0 || sendto(fd, "\x04\xd2\x17\x71", 4, 0, (struct sockaddr *)&ss, sl) != 4) {
		printf("%s\n", word(errno));
		return 1;
	}
	printf("sent\n");
	return 0;
}

static int burst(const char *host, int port, long count, size_t size)
{
	struct sockaddr_storage ss;
	socklen_t sl;
	int fam = resolve(host, port, &ss, &sl);
	int fd = socket(fam, SOCK_DGRAM, 0);
	char *buf = calloc(1, size + 1);
	long i, sent = 0;

	if (connect(fd, (struct sockaddr *)&ss, sl) < 0) {
		perror("connect");
		return 2;
	}
	for (i = 0; i < count; i++) {
		/* Blocking send: a full socket buffer waits rather than loses a datagram. */
		if (send(fd, buf, size, 0) == (ssize_t)size)
			sent++;
		else
			perror("send");
	}
	printf("sent %ld\n", sent);
	return sent == count ? 0 : 1;
}

static int tcpraw(const char *host, int sport, int dport, int nflags, char **flags)
{
	struct sockaddr_storage ss;
	socklen_t sl;
	int fam = resolve(host, 0, &ss, &sl);
	int fd = socket(fam, SOCK_RAW, IPPROTO_TCP), off = 16, i, sent = 0;
	unsigned char h[20];

	if (fd < 0) {
		perror("raw socket");
		return 2;
	}
	/* IPv6 raw sockets do not checksum by themselves; IPv4 ones leave it 0 (the router does
	 * not look at it). */
	if (fam == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_CHECKSUM, &off, sizeof(off));
	for (i = 0; i < nflags; i++) {
		memset(h, 0, sizeof(h));
		h[0] = sport >> 8;
		h[1] = sport;
		h[2] = dport >> 8;
		h[3] = dport;
		h[7] = i + 1;               /* sequence number */
		h[12] = 5 << 4;             /* data offset: 20 bytes */
		h[13] = strtoul(flags[i], NULL, 16);
		h[14] = 0x72;               /* window */
		if (sendto(fd, h, sizeof(h), 0, (struct sockaddr *)&ss, sl) == sizeof(h))
			sent++;
		else
			perror("sendto");
	}
	printf("sent %d\n", sent);
	return sent == nflags ? 0 : 1;
}

int main(int argc, char **argv)
{
	int ms = argc > 4 ? atoi(argv[4]) : 1500;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc >= 3 && !strcmp(argv[1], "serve")) {
		int i;

		for (i = 2; i < argc; i++) {
			if (fork() == 0)
				serve_udp(atoi(argv[i]));
			if (fork() == 0)
				serve_tcp(atoi(argv[i]));
		}
		while (wait(NULL) > 0)
			;
		return 0;
	}
	if (argc == 3 && !strcmp(argv[1], "truncated"))
		return truncated(argv[2]);
	if (argc < 4) {
		fprintf(stderr, "usage: see the comment at the top of rtraffic.c\n");
		return 2;
	}
	if (!strcmp(argv[1], "udp"))
		return udp_once(argv[2], atoi(argv[3]), ms, 32, 0);
	if (!strcmp(argv[1], "udp6opt"))
		return udp_once(argv[2], atoi(argv[3]), ms, 32, 1);
	if (!strcmp(argv[1], "udpbig") && argc == 5)
		return udp_once(argv[2], atoi(argv[3]), 3000, atoi(argv[4]), 0);
	if (!strcmp(argv[1], "tcp"))
		return tcp_once(argv[2], atoi(argv[3]), ms);
	if (argc == 4 && !strcmp(argv[1], "sink"))
		return sink(atoi(argv[2]), atoi(argv[3]));
	if (argc == 5 && !strcmp(argv[1], "blast"))
		return blast(argv[2], atoi(argv[3]), atof(argv[4]));
	if (!strcmp(argv[1], "burst") && argc == 6)
		return burst(argv[2], atoi(argv[3]), atol(argv[4]), atoi(argv[5]));
	if (!strcmp(argv[1], "tcpraw") && argc >= 6)
		return tcpraw(argv[2], atoi(argv[3]), atoi(argv[4]), argc - 5, argv + 5);
	if (!strcmp(argv[1], "stream") && argc >= 5)
		return stream(argv[2], atoi(argv[3]), atol(argv[4]), argc > 5 ? argv[5] : NULL);
	fprintf(stderr, "rtraffic: unknown mode %s\n", argv[1]);
	return 2;
}
