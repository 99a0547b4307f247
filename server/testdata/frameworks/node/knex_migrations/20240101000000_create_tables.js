// First migration: two tables with a foreign key, a unique constraint,
// an index, jsonb, uuid, decimal, timestamptz and knex's enum (a text
// column with a CHECK constraint).
exports.up = async (knex) => {
  await knex.schema.createTable('accounts', (t) => {
    t.increments('id');
    t.string('email', 120).notNullable().unique();
    t.uuid('token').notNullable();
    t.decimal('balance', 12, 2).notNullable().defaultTo(0);
    t.jsonb('settings').notNullable().defaultTo('{}');
    t.timestamps(true, true, true);
  });
  await knex.schema.createTable('entries', (t) => {
    t.bigIncrements('id');
    t.integer('account_id').unsigned().notNullable().references('id').inTable('accounts').onDelete('CASCADE');
    t.enu('kind', ['credit', 'debit']).notNullable();
    t.decimal('amount', 12, 2).notNullable();
    t.timestamp('at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['account_id', 'at'], 'entries_account_at');
  });
};

exports.down = async (knex) => {
  await knex.schema.dropTable('entries');
  await knex.schema.dropTable('accounts');
};
