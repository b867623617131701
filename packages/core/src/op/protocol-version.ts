/**
 * The version of the sync protocol between a qc client and the qc Convex
 * functions (/convex): the functions' arguments, answers and refusal codes,
 * not the op format (that is an op's `v`). A client sends the version it
 * speaks as `protocol` on every call; a deployment serves a range of
 * versions and refuses the others with `protocol-unsupported`, a message
 * saying which side to update (docs/spec/sync-protocol.md, "Protocol
 * versions").
 *
 * Version history:
 * - version 1 sends no `protocol` argument (clients before version 2).
 * - version 2 adds the `protocol` argument on every function and the
 *   `protocol-unsupported` refusal; the `replica-claimed` push refusal (a
 *   replica id belongs to the first member who pushed with it); `key` on
 *   `projects:create` and the `creation-key-refused` refusal.
 */

/** The sync protocol version this build of qc speaks. */
export const PROTOCOL_VERSION = 2;
