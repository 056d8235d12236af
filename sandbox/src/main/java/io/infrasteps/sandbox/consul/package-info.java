/**
 * An in-process Consul agent ({@link io.infrasteps.sandbox.consul.SandboxConsul}) that exists to
 * test the project's real Consul client against Consul's documented HTTP semantics, failure modes
 * included. It is not a Consul: no raft, no gossip, no agent endpoints, no persistence.
 *
 * <h2>Implemented</h2>
 * <ul>
 *   <li><b>Index.</b> One raft-like index bumped by every applied write in any datacenter (also
 *   by a CAS or an acquire that answers {@code false}, as Consul's raft log is). Each datacenter
 *   keeps its own KV store, tombstones, catalog and sessions. {@code X-Consul-Index} is never 0.
 *   KV key: the entry's {@code ModifyIndex}; missing key: the datacenter's KV table index (last
 *   change to any key or tombstone, as Consul's {@code kvsMaxIndex}); {@code ?recurse}/{@code
 *   ?keys}: the highest {@code ModifyIndex} under the prefix or the last delete of a key under it
 *   (tombstones), else the table index. Catalog and health: the last change to the service's
 *   instances or their checks (node checks included); a service without instances answers the
 *   index at which the last service lost its last instance (Consul's
 *   {@code service_last_extinction}), or the catalog table index. Sessions: the session table
 *   index. A write that changes nothing (same value, same check status) leaves the entry's
 *   indexes alone.</li>
 *   <li><b>Blocking queries</b> on every GET that Consul blocks on ({@code /v1/kv},
 *   {@code /v1/catalog/service}, {@code /v1/catalog/services}, {@code /v1/health/service},
 *   {@code /v1/session/info}, {@code /v1/session/list}): {@code ?index=N&wait=} with Go durations
 *   ({@code 10s}, {@code 500ms}, {@code 5m}); wait defaults to 5m, is capped at 10m, plus a
 *   random jitter up to wait/16. The answer is immediate when the index is already above N;
 *   otherwise the request waits on a condition that every write signals (no polling), re-runs the
 *   query and answers as soon as its index passes N, or with the current data when the wait ends.
 *   Bad {@code wait}/{@code index}: 400 {@code Invalid wait time} / {@code Invalid index}.
 *   {@link io.infrasteps.sandbox.consul.SandboxConsul#resetIndex()} simulates a snapshot restore:
 *   every stored index becomes 1 and blocked queries return at once (Consul's abandoned state
 *   store), so clients must reset their index to 0 when it goes backwards.</li>
 *   <li><b>KV</b> {@code /v1/kv/<key>}: GET (404 with the index header when absent; {@code ?raw};
 *   {@code ?recurse} sorted by key, 404 when empty; {@code ?keys} with {@code ?separator=}); PUT
 *   with {@code ?flags}, {@code ?cas=} (0 = create only), {@code ?acquire=}, {@code ?release=},
 *   answering {@code true}/{@code false} exactly where Consul's state store does; DELETE with
 *   {@code ?cas=} (a missing key answers {@code true}, as Consul) and {@code ?recurse}.
 *   Conflicting flags: 400 {@code Conflicting flags: ...}; values over 512 KiB: 413; path
 *   traversal in the key: 400 (Consul 1.21.6+). Values are base64 or {@code null} when empty.
 *   Locks follow {@code kvsLockTxn}/{@code kvsUnlockTxn}: acquire fails ({@code false}) while
 *   another session holds the key or during the key's lock-delay; acquire by the holder updates
 *   the value; a first acquire bumps {@code LockIndex}; release works only for the holder and,
 *   <em>as in Consul, stores the request body as the new value</em> (an empty release clears the
 *   value); a plain PUT keeps the holder but resets {@code LockIndex} to 0. Acquire with an
 *   unknown session: 500 {@code invalid session "<id>"}.</li>
 *   <li><b>Catalog and health</b>: {@code GET /v1/catalog/datacenters} (the agent's first, no
 *   index, no ACL), {@code /v1/catalog/services}, {@code /v1/catalog/service/<svc>} and
 *   {@code /v1/health/service/<svc>} with {@code ?dc}, {@code ?tag}, {@code ?passing} (every
 *   check, node checks included, passing) and {@code ?filter=}. Filters are a subset of go-bexpr:
 *   {@code and}/{@code or}/{@code not}/parentheses, {@code ==}, {@code !=}, {@code is [not]
 *   empty}, {@code [not] in}, {@code [not] contains}, {@code [not] matches}; selectors are
 *   checked against the endpoint's fields (catalog: {@code ServiceMeta.<k>}, {@code ServiceName},
 *   {@code ServiceID}, {@code Node}, {@code Address}, {@code ServiceTags}, {@code ServicePort}, ...;
 *   health: {@code Service.Meta.<k>}, {@code Service.Service}, {@code Service.ID},
 *   {@code Node.Node}, {@code Checks.Status} (one value per check, for {@code in}), ...). An
 *   unknown selector or bad syntax answers {@code Failed to create boolean expression evaluator:
 *   ...} with HTTP <b>500</b>, as a real Consul does (the error comes back through the RPC layer;
 *   hashicorp/consul#7338), unless
 *   {@link io.infrasteps.sandbox.consul.SandboxConsul#badFilterStatus(int)} asks for 400.
 *   Unknown {@code ?dc=}: 500 {@code No path to datacenter}. Errors from a datacenter other
 *   than the agent's carry Consul's {@code rpc error making call: } prefix. The catalog is
 *   populated through the Java API ({@code registerService}, {@code setCheck},
 *   {@code setNodeCheck}, {@code registerNode}, {@code deregister}), each bumping the index and
 *   waking blocking queries.</li>
 *   <li><b>Sessions</b>: {@code PUT /v1/session/create} (JSON {@code Name}, {@code Node},
 *   {@code TTL}, {@code Behavior} release|delete, {@code LockDelay} as a duration string or
 *   nanoseconds, values under 1000 meaning seconds, default 15s; {@code Checks}/{@code NodeChecks},
 *   default {@code serfHealth}) answers {@code {"ID":...}}; TTL outside
 *   [{@code session_ttl_min}, 24h] (min 10s by default, see
 *   {@link io.infrasteps.sandbox.consul.SandboxConsul#sessionTtlMin}) is a 500 with Consul's
 *   message. A session needs its node registered in the session's datacenter: the agent's node
 *   (with a passing {@code serfHealth}) exists only in the agent's datacenter, so
 *   {@code ?dc=<other>} fails with {@code Missing node registration}, as in Consul
 *   (hashicorp/consul#6828) until a test registers that node there.
 *   {@code PUT /v1/session/renew/<id>} answers the session in a JSON array, or 404
 *   {@code Session id '<id>' not found}; {@code PUT /v1/session/destroy/<id>} answers
 *   {@code true} (also for an unknown id); {@code GET /v1/session/info/<id>} ({@code []} when
 *   unknown) and {@code /v1/session/list}. Invalidation (destroy, TTL expiry, a critical node
 *   check) releases or deletes the session's keys per {@code Behavior}, starts their lock-delay,
 *   bumps the index and wakes blocking queries.</li>
 *   <li><b>ACL</b>: {@link io.infrasteps.sandbox.consul.SandboxConsul#requireToken} demands
 *   {@code X-Consul-Token} (or {@code Authorization: Bearer}); a wrong token gets 403
 *   {@code ACL not found}, none gets 403 {@code Permission denied}.</li>
 *   <li><b>Recording and faults</b>: request lines without header values (a {@code token}
 *   parameter's value hidden), counters per path prefix, and
 *   {@link io.infrasteps.sandbox.consul.ConsulFaults}: fail the next N, fail at a rate (429 with
 *   {@code Retry-After: 0}), latency, dropped connections, lost leader, and
 *   apply-then-drop for uncertain writes. Faulted requests are never applied.</li>
 * </ul>
 *
 * <h2>Deviations from a real Consul</h2>
 * <ul>
 *   <li>Session TTL expiry happens exactly {@code TTL} after creation or the last renewal; a
 *   real Consul waits up to 2 x TTL (and longer after a leader election). Clients must renew
 *   well within TTL and must not rely on prompt expiry.</li>
 *   <li>{@code ?token=} is never accepted (Consul accepts it): the project sends tokens only as
 *   a header, and {@link io.infrasteps.sandbox.consul.SandboxConsul#tokenSeenInUrl()} flags any
 *   request that carried one. ACLs are one token with full rights: no policies, and list
 *   endpoints answer 403 instead of Consul's ACL-filtered lists
 *   ({@code X-Consul-Results-Filtered-By-ACLs}). {@code /v1/catalog/datacenters} and
 *   {@code /v1/status/*} need no token.</li>
 *   <li>A blocking query re-runs on every write and answers when its own index passes N; a
 *   missing single key therefore wakes on any KV write in its datacenter (its index is the table
 *   index). Consul's memdb watches are also coarse, and its documentation says a returning
 *   blocking query is no guarantee of a change, so clients must compare data, not assume it.</li>
 *   <li>The 429 injected by {@code failRate}/{@code failNext} carries {@code Retry-After: 0} so
 *   tests run fast; injected 5xx bodies are {@code sandbox: injected HTTP <status>}.</li>
 *   <li>Filters: a missing map key (e.g. {@code ServiceMeta.absent}) never equals a value and
 *   always differs from one; only quoted strings and numbers may stand left of {@code in}; no
 *   {@code ?near}, {@code ?node-meta}, {@code ?cached}, consistency modes or hash-based blocking.</li>
 *   <li>Catalog: nodes are registered through the Java API only (no
 *   {@code /v1/catalog/register}, no {@code /v1/agent/*}); service ids are unique per datacenter
 *   (Consul: per node); {@code TaggedAddresses} is null, {@code NodeMeta} empty; registered nodes
 *   have no {@code serfHealth} unless a test adds it with {@code setNodeCheck}.</li>
 *   <li>Not implemented: {@code /v1/txn}, namespaces/partitions, prepared queries, events,
 *   Connect, snapshots (beyond {@code resetIndex}), tombstone reaping.</li>
 *   <li>Error texts follow Consul's sources (hashicorp/consul {@code agent/http.go},
 *   {@code kvs_endpoint.go}, {@code session_endpoint.go}, {@code state/kvs.go}); newer Consul
 *   versions may wrap some of them (e.g. {@code apply failed: }).</li>
 *   <li>The JDK HTTP server needs TCP_NODELAY to answer in well under a millisecond; the class
 *   sets {@code sun.net.httpserver.nodelay=true} when unset, which the JDK only honours if no
 *   {@code HttpServer} was started earlier in the JVM (otherwise each answer may take ~40 ms;
 *   pass {@code -Dsun.net.httpserver.nodelay=true} to the test JVM to be sure).</li>
 *   <li>Injected failures happen before routing, so they also hit {@code /v1/catalog/datacenters};
 *   a dropped connection may be retried once by clients that retry idempotent requests
 *   (java.net.http does so for a GET on a reused connection).</li>
 * </ul>
 */
package io.infrasteps.sandbox.consul;
