// Drives node-postgres (pg) against a server: types through pg-types,
// result.fields, named prepared statements, transactions and errors. It
// prints one line per observation; server/drivers_test.go compares the
// output with pg_client.expected, which is what PostgreSQL 15 prints.
//
// Usage: NODE_PATH=/usr/share/nodejs node pg_client.js postgres://user@host:port/db
'use strict';

const { Client } = require('pg');

function out(key, value) {
  console.log(`${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`);
}

function show(v) {
  if (Buffer.isBuffer(v)) return `Buffer(${v.toString('hex')})`;
  if (v instanceof Date) return `Date(${v.toISOString()})`;
  return `${typeof v}(${JSON.stringify(v)})`;
}

async function main() {
  if (process.argv.length !== 3) throw new Error('usage: pg_client.js URL');
  const client = new Client({ connectionString: process.argv[2] });
  await client.connect();
  await client.query('DROP TABLE IF EXISTS js_items');
  await client.query(`CREATE TABLE js_items (id int PRIMARY KEY, big bigint, price numeric(10,2), name text NOT NULL,
    code varchar(8), ok boolean, made date, at timestamptz, tag uuid, doc jsonb, raw bytea)`);

  // A named statement is parsed once and reused for every row.
  const at = new Date(Date.UTC(2024, 4, 6, 7, 8, 9, 123));
  for (let i = 1; i <= 7; i++) {
    await client.query({
      name: 'insert-item',
      text: 'INSERT INTO js_items VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)',
      values: [i, 9000000000 + i, (12.5 + i).toFixed(2), `item ${i}`, `c${i}`, i % 2 === 0, `2024-05-0${i}`,
        new Date(at.getTime() + i * 86400000), 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', { k: i, s: 'é', l: [1, null] },
        Buffer.from([1, 2, 240 + i])],
    });
  }
  for (let i = 1; i <= 7; i++) {
    const r = await client.query({ name: 'select-item', text: 'SELECT * FROM js_items WHERE id = $1', values: [i] });
    const row = r.rows[0];
    if (row.id !== i || row.big !== String(9000000000 + i) || row.price !== (12.5 + i).toFixed(2) || row.ok !== (i % 2 === 0) ||
        row.at.getTime() !== at.getTime() + i * 86400000 || row.doc.k !== i || row.raw[2] !== 240 + i) {
      throw new Error(`row ${i} did not round-trip: ${JSON.stringify(row)}`);
    }
    if (i === 7) {
      out('row', Object.keys(row).map((k) => `${k}=${show(row[k])}`).join(' '));
      out('fields', r.fields.map((f) => `${f.name}:${f.dataTypeID}:${f.dataTypeSize}:${f.dataTypeModifier}:${f.format}`).join(' '));
      out('command', `${r.command} ${r.rowCount}`);
    }
  }
  out('round trip', '7 rows');
  // pg-types 4 leaves a date as its text (older versions made a local Date).
  out('date', show((await client.query('SELECT made FROM js_items WHERE id = 3')).rows[0].made));

  const p = await client.query('SELECT $1::int + 1 AS a, $2::numeric * 2 AS b, $3::text[] AS c, $4::jsonb AS d, $5::bool AS e, NULL::int AS f',
    [41, '1.25', ['x', 'y z'], JSON.stringify([1, { a: 'b' }]), false]);
  out('params', p.rows[0]);
  out('params fields', p.fields.map((f) => `${f.name}:${f.dataTypeID}`).join(' '));

  const upd = await client.query('UPDATE js_items SET ok = NOT ok WHERE id <= $1', [3]);
  out('update', `${upd.command} ${upd.rowCount}`);

  // Transactions.
  await client.query('BEGIN');
  await client.query("INSERT INTO js_items (id, name) VALUES (100, 'rolled back')");
  await client.query('ROLLBACK');
  await client.query('BEGIN');
  await client.query("INSERT INTO js_items (id, name) VALUES (101, 'kept')");
  await client.query('SAVEPOINT s');
  await client.query("INSERT INTO js_items (id, name) VALUES (102, 'undone')");
  await client.query('ROLLBACK TO SAVEPOINT s');
  await client.query('COMMIT');
  out('after transactions', (await client.query('SELECT array_agg(id ORDER BY id) AS ids FROM js_items WHERE id >= 100')).rows[0].ids);

  // Errors carry their SQLSTATE and the session goes on.
  try {
    await client.query("INSERT INTO js_items (id, name) VALUES (1, 'dup')");
    out('duplicate', 'no error');
  } catch (e) {
    out('duplicate', `${e.code} ${e.constraint} ${e.table}`);
  }
  await client.query('BEGIN');
  try {
    await client.query('SELECT 1/0');
  } catch (e) {
    out('division', `${e.code} ${e.message}`);
  }
  try {
    await client.query('SELECT 1');
    out('aborted', 'no error');
  } catch (e) {
    out('aborted', e.code);
  }
  await client.query('ROLLBACK');
  out('session continues', (await client.query('SELECT count(*)::int AS n FROM js_items')).rows[0].n);

  // Multiple statements in one simple query.
  const multi = await client.query('SELECT 1 AS one; SELECT 2 AS two');
  out('multi', multi.map((r) => JSON.stringify(r.rows)).join(' '));
  // rowMode array and a text result of every column.
  const arr = await client.query({ text: 'SELECT id, price, doc FROM js_items WHERE id = 2', rowMode: 'array' });
  out('array row', arr.rows[0]);
  await client.end();
}

main().catch((e) => {
  console.error(`pg_client failed: ${e.stack || e}`);
  process.exit(1);
});
