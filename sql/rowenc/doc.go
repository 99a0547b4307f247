// Package rowenc turns SQL values into the bytes kv stores, and back.
//
// Two encodings live here, for two different jobs:
//
//   - Keys (key.go, key_decimal.go, key_jsonb.go): EncodeKey appends one
//     column value to an index key so that bytes.Compare of two keys orders them as
//     types.Compare orders the values, column after column. Every value
//     starts with a marker byte (value or NULL, NULL after values, as
//     PostgreSQL's default NULLS LAST) and is self-delimiting, so keys
//     of several columns concatenate. A descending column is the
//     ascending encoding with every byte complemented. Values that
//     compare equal encode equal (int4 1 and int8 1, numeric 1.0 and
//     1.00, float -0 and 0, char(n) with or without trailing spaces),
//     which is what unique indexes and hashing need; so decoding a key
//     returns the value in its canonical form (numeric without its
//     display scale, interval as days and microseconds), and the row
//     value is where the exact value is read from.
//
//   - Row values (row.go): EncodeRow stores the non-NULL columns of a row
//     as (column-id delta, wire kind) headers followed by compact values,
//     in column-id order. The wire kind tells how long a value is, so
//     DecodeRow skips columns the caller no longer knows (dropped ones)
//     without their type; columns absent from the bytes were NULL, or were
//     added after the row was written, and are left for the caller to
//     fill.
//
// Malformed bytes are reported as ErrCorrupt wrapped in a pgerror with
// SQLSTATE XX001 (data corrupted); decoders never panic on any input
// (see the fuzz targets and their corpus under testdata/fuzz); errors.go
// holds ErrCorrupt and that wrapping.
package rowenc
