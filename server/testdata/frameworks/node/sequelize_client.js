// The Sequelize program of the framework test (server/frameworks_test.go):
// sync of models with associations, JSONB, UUID, DECIMAL, timestamps and
// an ENUM, then CRUD, eager loading, a managed transaction, findOrCreate,
// aggregates and the query interface's table description. Sequelize runs
// with its default options: every connection it opens first sets the
// session time zone to '+00:00'.
'use strict';

const { Sequelize, DataTypes, Op } = require('sequelize');
const { server, recreateDatabase, dropDatabase, step, watchdog } = require('./common');

const DB = 'fw_sequelize';

async function main() {
  watchdog(120000);
  console.log(`sequelize ${require('sequelize/package.json').version} pg ${require('pg/package.json').version}`);
  await recreateDatabase(DB);
  const sequelize = new Sequelize(DB, server.user, null, {
    host: server.host, port: server.port, dialect: 'postgres', logging: false,
  });

  const User = sequelize.define('User', {
    name: { type: DataTypes.STRING(50), allowNull: false, unique: true },
    email: { type: DataTypes.STRING, validate: { isEmail: true } },
    karma: { type: DataTypes.INTEGER, defaultValue: 0 },
  }, { indexes: [{ fields: ['email'] }] });
  const Post = sequelize.define('Post', {
    id: { type: DataTypes.UUID, defaultValue: DataTypes.UUIDV4, primaryKey: true },
    title: { type: DataTypes.STRING(100), allowNull: false },
    price: { type: DataTypes.DECIMAL(10, 2), defaultValue: 0 },
    status: { type: DataTypes.ENUM('draft', 'published'), defaultValue: 'draft' },
    meta: { type: DataTypes.JSONB, defaultValue: {} },
    publishedAt: DataTypes.DATE,
  });
  const Tag = sequelize.define('Tag', { name: { type: DataTypes.STRING(30), unique: true } }, { timestamps: false });
  User.hasMany(Post, { onDelete: 'CASCADE' });
  Post.belongsTo(User);
  Post.belongsToMany(Tag, { through: 'PostTags' });
  Tag.belongsToMany(Post, { through: 'PostTags' });

  await step('session time zone', async () => (await sequelize.query('SHOW TIME ZONE', { plain: true })).TimeZone);
  await step('sync force', async () => { await sequelize.sync({ force: true }); return 'ok'; });
  await step('tables', async () => (await sequelize.getQueryInterface().showAllTables()).sort());
  await step('describe Posts', async () => {
    const d = await sequelize.getQueryInterface().describeTable('Posts');
    return Object.keys(d).sort().map((k) => [k, d[k].type, d[k].allowNull, d[k].defaultValue, d[k].primaryKey, d[k].special]);
  });
  await step('indexes Users', async () => (await sequelize.getQueryInterface().showIndex('Users'))
    .map((i) => [i.name, i.unique, i.primary, i.fields.map((f) => f.attribute)]).sort());
  await step('foreign keys Posts', async () => (await sequelize.getQueryInterface().getForeignKeyReferencesForTable('Posts'))
    .map((f) => [f.columnName, f.referencedTableName, f.referencedColumnName]));

  await step('create', async () => {
    const ann = await User.create({ name: 'ann', email: 'ann@example.com' });
    const bob = await User.create({ name: 'bob', karma: 3 });
    const [fiction, news] = await Tag.bulkCreate([{ name: 'fiction' }, { name: 'news' }], { returning: true });
    const p1 = await Post.create({ title: 'Hello', price: '9.99', status: 'published', UserId: ann.id, meta: { lang: 'en', n: [1, 2] },
      publishedAt: new Date(Date.UTC(2024, 4, 1, 12, 30)) });
    const p2 = await Post.create({ title: 'Second', UserId: ann.id, meta: { lang: 'fr' } });
    await Post.create({ title: 'Bob', UserId: bob.id });
    await p1.addTags([fiction, news]);
    await p2.addTag(news);
    return [ann.id, bob.id, typeof p1.id, p1.id.length];
  });
  await step('timestamps', async () => {
    const u = await User.findOne({ where: { name: 'ann' } });
    return [u.createdAt instanceof Date, u.createdAt.getTime() === u.updatedAt.getTime()];
  });
  await step('timestamptz round trip', async () => (await Post.findOne({ where: { title: 'Hello' } })).publishedAt.toISOString());
  await step('include', async () => (await User.findAll({ include: [{ model: Post, include: [Tag] }], order: [['name', 'ASC'], [Post, 'title', 'ASC'], [Post, Tag, 'name', 'ASC']] }))
    .map((u) => [u.name, u.Posts.map((p) => [p.title, p.status, p.price, p.Tags.map((t) => t.name)])]));
  await step('jsonb where', async () => (await Post.findAll({ where: { meta: { lang: 'en' } } })).map((p) => p.title));
  await step('jsonb contains', async () => (await Post.findAll({ where: { meta: { [Op.contains]: { n: [2] } } } })).map((p) => p.title));
  await step('enum where', async () => (await Post.findAll({ where: { status: 'draft' }, order: [['title', 'ASC']] })).map((p) => p.title));
  await step('count group', async () => (await Post.count({ group: ['UserId'] })).sort((a, b) => a.UserId - b.UserId));
  await step('aggregate include', async () => (await User.findAll({
    attributes: ['name', [sequelize.fn('COUNT', sequelize.col('Posts.id')), 'posts']],
    include: [{ model: Post, attributes: [] }], group: ['User.id'], order: [['name', 'ASC']], raw: true,
  })));
  await step('update', async () => (await Post.update({ status: 'published' }, { where: { title: 'Second' } })));
  await step('increment', async () => {
    const u = await User.findOne({ where: { name: 'bob' } });
    await u.increment('karma', { by: 2 });
    await u.reload();
    return u.karma;
  });
  await step('findOrCreate existing', async () => {
    const [u, created] = await User.findOrCreate({ where: { name: 'ann' } });
    return [u.name, created];
  });
  await step('findOrCreate new', async () => {
    const [u, created] = await User.findOrCreate({ where: { name: 'cy' }, defaults: { karma: 7 } });
    return [u.name, u.karma, created];
  });
  await step('unique violation', async () => User.create({ name: 'ann' }));
  await step('managed transaction', async () => sequelize.transaction(async (t) => {
    const u = await User.create({ name: 'dee' }, { transaction: t });
    await Post.create({ title: 'In tx', UserId: u.id }, { transaction: t });
    return Post.count({ transaction: t });
  }));
  await step('rolled back transaction', async () => {
    try {
      await sequelize.transaction(async (t) => {
        await User.create({ name: 'eve' }, { transaction: t });
        throw new Error('undo');
      });
    } catch (e) { /* expected */ }
    return User.count({ where: { name: 'eve' } });
  });
  await step('upsert', async () => {
    await User.upsert({ name: 'ann', email: 'ann@new.example', karma: 10 }, { conflictFields: ['name'] });
    const u = await User.findOne({ where: { name: 'ann' } });
    return [u.email, u.karma];
  });
  await step('destroy cascade', async () => {
    await User.destroy({ where: { name: 'ann' } });
    return [await Post.count(), await sequelize.query('SELECT count(*)::int AS n FROM "PostTags"', { plain: true })];
  });
  await step('sync alter', async () => {
    Post.rawAttributes.summary = { type: DataTypes.TEXT };
    Post.refreshAttributes();
    await Post.sync({ alter: true });
    const d = await sequelize.getQueryInterface().describeTable('Posts');
    return Object.keys(d).sort();
  });
  await step('drop all', async () => {
    await sequelize.drop({});
    return (await sequelize.getQueryInterface().showAllTables()).sort();
  });
  await sequelize.close();
  await dropDatabase(DB);
}

// Exit when main is done: a connection the client failed to set up and
// never closed would keep the process alive.
main().then(() => { console.log('done'); process.exit(0); },
  (e) => { console.log(`fatal: ${e.stack}`); process.exit(1); });
