// The knex program of the framework test (server/frameworks_test.go):
// migrations up (with knex's migration lock table), the schema as
// information_schema and pg_catalog show it, query-builder queries, a
// transaction, an upsert, then the migrations rolled back.
'use strict';

const path = require('path');
const { server, recreateDatabase, dropDatabase, step, watchdog } = require('./common');

const DB = 'fw_knex';

async function main() {
  watchdog(120000);
  console.log(`knex ${require('knex/package.json').version} pg ${require('pg/package.json').version}`);
  await recreateDatabase(DB);
  const knex = require('knex')({
    client: 'pg',
    connection: { ...server, database: DB },
    pool: { min: 0, max: 2 },
    acquireConnectionTimeout: 20000,
    migrations: { directory: path.join(__dirname, 'knex_migrations') },
  });

  await step('migrate latest', async () => knex.migrate.latest());
  await step('migrate status', async () => knex.migrate.status());
  await step('migrations', async () => (await knex('knex_migrations').orderBy('id').select('name', 'batch')));
  await step('columns', async () => knex('information_schema.columns')
    .where({ table_schema: 'public' }).whereIn('table_name', ['accounts', 'entries'])
    .orderBy(['table_name', 'ordinal_position'])
    .select('table_name', 'column_name', 'data_type', 'is_nullable', 'column_default', 'character_maximum_length', 'numeric_precision', 'numeric_scale'));
  await step('constraints', async () => (await knex.raw(`
    SELECT conrelid::regclass::text AS tbl, conname, contype, pg_get_constraintdef(oid) AS def
    FROM pg_constraint WHERE conrelid IN ('accounts'::regclass, 'entries'::regclass)
    ORDER BY 1, 2`)).rows);
  await step('indexes', async () => (await knex.raw(`
    SELECT tablename, indexname, indexdef FROM pg_indexes
    WHERE tablename IN ('accounts', 'entries') ORDER BY 1, 2`)).rows);
  await step('columnInfo', async () => knex('accounts').columnInfo());
  await step('hasColumn', async () => [await knex.schema.hasColumn('accounts', 'cached_balance'), await knex.schema.hasTable('nosuch')]);

  await step('insert returning', async () => knex('accounts').insert([
    { email: 'ann@example.com', token: '11111111-2222-3333-4444-555555555555', settings: { theme: 'dark' }, nickname: 'ann' },
    { email: 'bob@example.com', token: '66666666-7777-8888-9999-000000000000', cached_balance: '5.50' },
  ]).returning(['id', 'email', 'cached_balance', 'settings']));
  await step('timestamps default', async () => (await knex('accounts').select('createdAt', 'updatedAt'))
    .map((r) => [r.createdAt instanceof Date, r.createdAt.getTime() === r.updatedAt.getTime()]));
  await step('insert entries', async () => (await knex('entries').insert([
    { account_id: 1, kind: 'credit', amount: '10.00', ref: 'a', at: new Date(Date.UTC(2024, 0, 2, 3, 4, 5)) },
    { account_id: 1, kind: 'debit', amount: '2.25', ref: 'b', at: new Date(Date.UTC(2024, 0, 3)) },
    { account_id: 2, kind: 'credit', amount: '1.00', ref: 'a', at: new Date(Date.UTC(2024, 0, 4)) },
  ]).returning('id')).map((r) => r.id));
  await step('enum check', async () => knex('entries').insert({ account_id: 1, kind: 'refund', amount: 1 }));
  await step('unique violation', async () => knex('entries').insert({ account_id: 1, kind: 'credit', amount: 1, ref: 'a' }));
  await step('foreign key violation', async () => knex('entries').insert({ account_id: 99, kind: 'credit', amount: 1 }));
  await step('join group', async () => knex('accounts as a').join('entries as e', 'e.account_id', 'a.id')
    .groupBy('a.email').orderBy('a.email')
    .select('a.email').sum({ total: knex.raw("CASE WHEN e.kind = 'credit' THEN e.amount ELSE -e.amount END") }).count({ n: '*' }));
  await step('where jsonb', async () => knex('accounts').whereRaw("settings->>'theme' = ?", ['dark']).pluck('email'));
  await step('whereIn first', async () => knex('accounts').whereIn('id', [1, 2]).orderBy('id', 'desc').first('email'));
  await step('timestamptz', async () => (await knex('entries').orderBy('id').pluck('at')).map((d) => d.toISOString()));
  await step('transaction', async () => knex.transaction(async (trx) => {
    await trx('accounts').where({ id: 1 }).increment('cached_balance', 7.75);
    await trx('entries').insert({ account_id: 1, kind: 'credit', amount: '7.75', ref: 'c' });
    return trx('accounts').where({ id: 1 }).first('cached_balance');
  }));
  await step('rolled back transaction', async () => {
    try {
      await knex.transaction(async (trx) => {
        await trx('accounts').where({ id: 2 }).update({ cached_balance: 0 });
        throw new Error('undo');
      });
    } catch (e) { /* expected */ }
    return knex('accounts').where({ id: 2 }).first('cached_balance');
  });
  await step('upsert', async () => knex('accounts')
    .insert({ email: 'bob@example.com', token: '66666666-7777-8888-9999-000000000000', nickname: 'bobby' })
    .onConflict('email').merge(['nickname']).returning(['id', 'nickname']));
  await step('delete cascade', async () => [await knex('accounts').where({ id: 1 }).del(), (await knex('entries').count({ n: '*' }))[0].n]);
  await step('migrate rollback', async () => knex.migrate.rollback(undefined, true));
  await step('tables left', async () => (await knex.raw("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")).rows.map((r) => r.tablename));
  await knex.destroy();
  await dropDatabase(DB);
}

// Exit when main is done: a connection the client failed to set up and
// never closed would keep the process alive.
main().then(() => { console.log('done'); process.exit(0); },
  (e) => { console.log(`fatal: ${e.stack}`); process.exit(1); });
