// Helpers shared by the Sequelize and knex programs: the server comes
// from PGHOST, PGPORT and PGUSER; each program works in a database of
// its own, created afresh.
'use strict';

const { Client } = require('pg');

const server = {
  host: process.env.PGHOST || '127.0.0.1',
  port: Number(process.env.PGPORT || 5432),
  user: process.env.PGUSER || 'postgres',
};

// recreateDatabase drops and creates db through the postgres database.
async function recreateDatabase(db) {
  const c = new Client({ ...server, database: 'postgres' });
  await c.connect();
  await c.query(`DROP DATABASE IF EXISTS ${db}`);
  await c.query(`CREATE DATABASE ${db}`);
  await c.end();
}

async function dropDatabase(db) {
  const c = new Client({ ...server, database: 'postgres' });
  await c.connect();
  await c.query(`DROP DATABASE IF EXISTS ${db}`);
  await c.end();
}

// describe turns an error into one line: class, SQLSTATE, message.
function describe(e) {
  const pg = e.parent || e.original || e;
  return `${e.name} ${pg.code || ''} ${String(pg.message || e.message).split('\n')[0]}`;
}

// step prints what fn resolves to, or the error it throws.
async function step(name, fn) {
  try {
    const v = await fn();
    console.log(`${name}: ${JSON.stringify(v)}`);
  } catch (e) {
    console.log(`${name}: ${describe(e)}`);
  }
}

// watchdog ends the program if it has not finished within ms: a client
// waiting forever on a connection would otherwise hold the test.
function watchdog(ms) {
  setTimeout(() => {
    console.log(`fatal: still running after ${ms / 1000} s`);
    process.exit(1);
  }, ms).unref();
}

module.exports = { watchdog, server, recreateDatabase, dropDatabase, describe, step };
