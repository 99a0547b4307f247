// Second migration: add a column with an index, rename a column, add a
// composite unique constraint; down undoes each.
exports.up = async (knex) => {
  await knex.schema.alterTable('accounts', (t) => {
    t.string('nickname', 40).nullable().index('accounts_nickname');
    t.renameColumn('balance', 'cached_balance');
  });
  await knex.schema.alterTable('entries', (t) => {
    t.string('ref', 20);
    t.unique(['account_id', 'ref'], { indexName: 'entries_account_ref' });
  });
};

exports.down = async (knex) => {
  await knex.schema.alterTable('entries', (t) => {
    t.dropUnique(['account_id', 'ref'], 'entries_account_ref');
    t.dropColumn('ref');
  });
  await knex.schema.alterTable('accounts', (t) => {
    t.renameColumn('cached_balance', 'balance');
    t.dropIndex(['nickname'], 'accounts_nickname');
    t.dropColumn('nickname');
  });
};
