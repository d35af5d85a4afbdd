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
	uint32_t init_seq;	/* add delta from this seq */
	int32_t delta;		/* delta in sequence numbers */
	int32_t previous_delta;	/* delta in sequence numbers before the last resized packet */
};

/**
 * struct ip_vs_conn - one tracked connection
 * @c_list: linkage in the connection hash table
 * @in_pkts: packets seen inbound
 */
struct ip_vs_conn {
	struct list_link c_list;	/* hashed list heads */

	/* Protocol, addresses and port numbers */
	be16 cport;
	be16 dport;
	be16 vport;
	uint16_t af;		/* address family */
	union inet_addr caddr;	/* client address */
	union inet_addr vaddr;	/* virtual address */
	union inet_addr daddr;	/* destination address */
	volatile uint32_t flags;	/* status flags */
	uint16_t protocol;	/* which protocol (TCP/UDP) */
	uint16_t daf;		/* address family of the destination */
	void *ipvs;

	/* counter and timer */
	counter32_t refcnt;	/* reference count */
	struct soft_timer timer;	/* expiration timer */
	volatile unsigned long timeout;	/* timeout */

	/* Flags and state transition */
	lock_t lock;		/* lock for state transition */
	volatile uint16_t state;	/* state info */
	volatile uint16_t old_state;	/* old state, to be used for state transition triggered synchronization */
	uint32_t fwmark;	/* firewall mark from skb */

	/* Control members */
	struct ip_vs_conn *control;	/* master control connection */
	counter32_t n_control;	/* number of controlled ones */
	void *dest;		/* real server */
	counter32_t in_pkts;

	/* Packet transmitter for different forwarding methods. */
	int (*packet_xmit)(void *skb, struct ip_vs_conn *cp, void *pp, void *iph);

	/* Note: we can group the following members into a structure, in order to save more space,
	 * and the following members are only used in VS/NAT anyway */
	void *app;		/* bound application helper */
	void *app_data;		/* application private data */
	struct seq_adjust in_seq;	/* incoming seq. struct */
	struct seq_adjust out_seq;	/* outgoing seq. struct */

	const void *pe;
	char *pe_data;
	uint8_t pe_data_len;

	struct deferred_call rcu_head;
};
