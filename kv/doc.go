// Package kv owns the transactional, ordered key-value layer that the sql
// layer runs on: the DB/Txn interfaces, the order-preserving key encoding
// and the compact value (row) encoding, MVCC versions at hybrid-logical-
// clock commit timestamps, serializable validation of transactions, and
// the single-node store on badger/v4 in managed mode (LocalStore).
//
// Imports point down: kv knows nothing of SQL types; the sql layer maps its
// datums onto the primitive encodings here.
package kv
