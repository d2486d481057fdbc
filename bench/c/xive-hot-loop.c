/*
 * The XIVE hot path of bench/xive-routing.bench.ts written in plain C, as the
 * yardstick the TypeScript model is measured against (issue: "within 2x of
 * what the same loop costs in C"). Same data layout as the model: sources in
 * blocks of 1024 with PQ / flags / priority / server / EISN arrays, event
 * queues in 64 KiB guest pages, one OS ring per VP. Same operations per event:
 * ESB trigger store, route to the queue, notify the VP, TIMA ACK, CPPR store,
 * ESB EOI load. Prints events per second (median of 5 runs).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define SOURCES 1000000
#define VCPUS 64
#define PRIOS 7
#define EVENTS 200000
#define BLOCK 1024
#define QUEUE_ENTRIES 16384
#define NSR_EO 0x80

enum { PQ_RESET = 0, PQ_PENDING = 2, PQ_QUEUED = 3 };

struct block { uint8_t pq[BLOCK], flags[BLOCK], prio[BLOCK]; uint32_t server[BLOCK], eisn[BLOCK]; };
struct queue { uint32_t *page; uint32_t index, toggle; };
struct vp { struct queue q[8]; uint8_t nsr, cppr, ipb, pipr; };

static struct block *blocks[SOURCES / BLOCK + 1];
static struct vp vps[VCPUS];
static uint64_t routed;

static uint8_t ipb_to_pipr(uint8_t ipb) { return ipb ? (uint8_t)(__builtin_clz(ipb) - 24) : 0xff; }
static void signal_vp(struct vp *v) { v->pipr = ipb_to_pipr(v->ipb); if (v->pipr < v->cppr) v->nsr |= NSR_EO; }

static void route(struct block *b, int i) {
  struct vp *v = &vps[b->server[i]];
  struct queue *q = &v->q[b->prio[i]];
  q->page[q->index] = (q->toggle << 31) | (b->eisn[i] & 0x7fffffff);
  if (++q->index == QUEUE_ENTRIES) { q->index = 0; q->toggle ^= 1; }
  v->ipb |= 0x80 >> b->prio[i];
  signal_vp(v);
  routed++;
}

static void esb_trigger(uint32_t irq) {
  struct block *b = blocks[irq / BLOCK]; int i = irq % BLOCK;
  if (b->pq[i] == PQ_RESET) { b->pq[i] = PQ_PENDING; route(b, i); }
  else if (b->pq[i] == PQ_PENDING || b->pq[i] == PQ_QUEUED) b->pq[i] = PQ_QUEUED;
}

static int esb_eoi(uint32_t irq) {
  struct block *b = blocks[irq / BLOCK]; int i = irq % BLOCK;
  if (b->pq[i] == PQ_QUEUED) { b->pq[i] = PQ_PENDING; route(b, i); return 1; }
  if (b->pq[i] != 1) b->pq[i] = PQ_RESET;
  return 0;
}

static uint16_t tima_ack(struct vp *v) {
  uint8_t nsr = v->nsr;
  if (nsr & NSR_EO) {
    v->cppr = v->pipr;
    v->ipb &= ~(0x80 >> v->cppr);
    v->pipr = ipb_to_pipr(v->ipb);
    v->nsr &= ~NSR_EO;
  }
  return (uint16_t)(nsr << 8 | v->cppr);
}

static void tima_cppr(struct vp *v, uint8_t value) { v->cppr = value > 7 ? 0xff : value; signal_vp(v); }

static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec / 1e9; }
static int cmp(const void *a, const void *b) { double x = *(const double *)a, y = *(const double *)b; return (x > y) - (x < y); }

int main(void) {
  for (int v = 0; v < VCPUS; v++) {
    for (int p = 0; p < PRIOS; p++) vps[v].q[p].page = calloc(QUEUE_ENTRIES, 4), vps[v].q[p].toggle = 1;
    vps[v].cppr = 0xff;
  }
  for (uint32_t irq = 0; irq < SOURCES; irq++) {
    if (!blocks[irq / BLOCK]) blocks[irq / BLOCK] = calloc(1, sizeof(struct block));
    struct block *b = blocks[irq / BLOCK]; int i = irq % BLOCK;
    b->server[i] = irq % VCPUS; b->prio[i] = (irq / VCPUS) % PRIOS; b->eisn[i] = irq; b->pq[i] = PQ_RESET;
  }
  double rates[5]; uint32_t cursor = 0; uint64_t sink = 0;
  for (int run = 0; run < 5; run++) {
    double t0 = now();
    for (int n = 0; n < EVENTS; n++) {
      cursor = (cursor + 7919) % SOURCES;
      struct vp *v = &vps[cursor % VCPUS];
      esb_trigger(cursor);
      sink += tima_ack(v);
      tima_cppr(v, 0xff);
      sink += esb_eoi(cursor);
    }
    rates[run] = EVENTS / (now() - t0);
  }
  qsort(rates, 5, sizeof rates[0], cmp);
  if (routed != 5ull * EVENTS) { fprintf(stderr, "not every trigger was routed (%llu)\n", (unsigned long long)routed); return 1; }
  printf("%.0f %llu\n", rates[2], (unsigned long long)(sink & 1));
  return 0;
}
