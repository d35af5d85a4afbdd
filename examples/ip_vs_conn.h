/*
 * A self-contained example for layoutof: a connection-tracking entry shaped like the one a
 * layer-4 load balancer keeps per connection (list linkage, addresses, ports, timers, counters,
 * locks, pointers back to the service). Written for this project; build nothing from it.
 */
#include <stdint.h>

typedef uint16_t be16;
typedef uint32_t be32;

struct list_link {
	struct list_link *next, **pprev;
};

union inet_addr {
	be32 ip;
	be32 ip6[4];
};

typedef struct { int counter; } counter32_t;
typedef struct { long counter; } counter64_t;
typedef struct { unsigned int slock; } lock_t;

struct deferred_call {
	struct deferred_call *next;
	void (*func)(struct deferred_call *head);
};

/* A one-shot timer, as a kernel would keep it. */
struct soft_timer {
	struct list_link entry;
	unsigned long expires;
	void (*function)(struct soft_timer *);
	uint32_t flags;
};

struct seq_adjust {
	uint32_t init_seq;	/* sequence number the adjustment applies from */
	int32_t delta;		/* bytes the helper has added (or removed) so far */
	int32_t previous_delta;	/* the adjustment before the most recent resize */
};

/**
 * struct ip_vs_conn - one tracked connection
 * @c_list: linkage in the connection hash table
 * @in_pkts: packets seen from the client, for the sync threshold
 */
struct ip_vs_conn {
	struct list_link c_list;	/* chains the entry into its hash bucket */

	/* Who talks to whom: ports, families, addresses */
	union {				/* the four ports/family fields, also as one block */
		struct {
			be16 cport;	/* the client's port */
			be16 dport;	/* the real server's port */
			be16 vport;	/* the port the service listens on */
			uint16_t af;	/* AF_INET or AF_INET6 */
		};
		struct {
			be16 cport;
			be16 dport;
			be16 vport;
			uint16_t af;
		} tuple;		/* hashed and copied as a unit */
	};
	union inet_addr caddr;	/* client */
	union inet_addr vaddr;	/* service (virtual) address */
	union inet_addr daddr;	/* real server */
	volatile uint32_t flags;	/* connection flag bits */
	uint16_t protocol;	/* TCP, UDP, SCTP, ... */
	uint16_t daf;		/* the real server's family; may differ from af */
	void *ipvs;		/* per-namespace state that owns the entry */

	/* Lifetime */
	counter32_t refcnt;	/* holders of the entry */
	struct soft_timer timer;	/* fires when the entry has been idle too long */
	volatile unsigned long timeout;	/* idle time allowed, in ticks */

	/* State machine */
	lock_t lock;		/* serialises state changes */
	volatile uint16_t state;	/* current protocol state */
	volatile uint16_t old_state;	/* state before the last change, for the sync daemon */
	uint32_t fwmark;	/* packet mark that selected the service */
	unsigned int in_hash:1;	/* linked into the table */
	unsigned int one_packet:1;	/* drop the entry after the first packet */
	unsigned int sync_state:2;	/* where the backup copy stands */

	/* Parent entry, for data channels opened by a control channel (FTP and the like) */
	struct ip_vs_conn *control;	/* the controlling entry, if any */
	counter32_t n_control;	/* entries this one controls */
	void *dest;		/* the chosen real server */
	counter32_t in_pkts;

	/* How packets leave: one function per forwarding method */
	int (*packet_xmit)(void *skb, struct ip_vs_conn *cp, void *pp, void *iph);

	/* Application helper state (only NAT forwarding uses it) */
	void *app;		/* helper bound to this entry */
	void *app_data;		/* the helper's private state */
	struct seq_adjust in_seq;	/* sequence rewriting, client to server */
	struct seq_adjust out_seq;	/* sequence rewriting, server to client */

	/* Persistence engine */
	const void *pe;		/* engine that matched the packet */
	char *pe_data;		/* its key for this entry */
	uint8_t pe_data_len;	/* key length in bytes */

	struct deferred_call rcu_head;	/* frees the entry once readers are done */
};
