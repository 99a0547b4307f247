-- SQL privileges (issue 12), run by TestPsqlPrivilegesMatchPostgres through
-- psql 15 against PostgreSQL 15 and against quorumdb: the two outputs must
-- agree line by line. \c switches the login role (trust authentication).
CREATE ROLE owner1 LOGIN;
CREATE ROLE intruder LOGIN;
CREATE ROLE reader LOGIN;
CREATE ROLE team NOLOGIN;
CREATE ROLE member1 LOGIN IN ROLE team;
GRANT CREATE ON SCHEMA public TO owner1;
\c - owner1
CREATE TABLE accounts (id int PRIMARY KEY, balance int);
INSERT INTO accounts VALUES (1, 100), (2, 50);
CREATE VIEW rich AS SELECT id FROM accounts WHERE balance > 60;
CREATE SEQUENCE ids;
GRANT SELECT ON accounts TO reader;
GRANT INSERT, UPDATE ON accounts TO team WITH GRANT OPTION;
GRANT USAGE ON SEQUENCE ids TO reader;
\dp accounts
\dp rich
\dp ids
SELECT relname, relacl FROM pg_class WHERE relname IN ('accounts', 'rich', 'ids') ORDER BY relname;
SELECT has_table_privilege('reader', 'accounts', 'SELECT') AS r_sel,
       has_table_privilege('reader', 'accounts', 'INSERT') AS r_ins,
       has_table_privilege('member1', 'accounts', 'INSERT') AS m_ins,
       has_table_privilege('member1', 'accounts', 'INSERT WITH GRANT OPTION') AS m_ins_go,
       has_table_privilege('intruder', 'accounts', 'SELECT') AS i_sel,
       has_sequence_privilege('reader', 'ids', 'USAGE') AS r_seq;
SELECT has_schema_privilege('intruder', 'public', 'USAGE') AS usage,
       has_schema_privilege('intruder', 'public', 'CREATE') AS create,
       has_database_privilege('intruder', current_database(), 'CONNECT') AS connect;

-- The attack list: a role without privileges.
\c - intruder
SELECT current_user, session_user;
SELECT * FROM accounts;
SELECT * FROM rich;
INSERT INTO accounts VALUES (3, 1);
UPDATE accounts SET balance = 0;
DELETE FROM accounts;
TRUNCATE accounts;
DROP TABLE accounts;
DROP VIEW rich;
ALTER TABLE accounts ADD COLUMN note text;
CREATE INDEX ON accounts (balance);
SELECT nextval('ids');
CREATE TABLE mine (a int);
CREATE DATABASE stolen;
ALTER ROLE reader PASSWORD 'stolen';
ALTER ROLE intruder SUPERUSER;
ALTER ROLE intruder CREATEDB;
CREATE ROLE accomplice;
DROP ROLE postgres;
GRANT SELECT ON accounts TO intruder;
SET ROLE postgres;
SET SESSION AUTHORIZATION postgres;
ALTER TABLE accounts OWNER TO intruder;
ALTER ROLE intruder PASSWORD 'mine';

-- A reader reads, and only reads.
\c - reader
SELECT * FROM accounts ORDER BY id;
UPDATE accounts SET balance = 0 WHERE id = 1;
SELECT * FROM rich;
SELECT nextval('ids');

-- Membership: member1 inherits team's privileges, SET ROLE team.
\c - member1
INSERT INTO accounts VALUES (3, 70);
SELECT * FROM accounts;
SELECT pg_has_role('member1', 'team', 'MEMBER') AS member, pg_has_role('member1', 'team', 'USAGE') AS usage;
SET ROLE team;
SELECT current_user, session_user;
UPDATE accounts SET balance = 80 WHERE id = 3;
GRANT INSERT ON accounts TO reader;
SET ROLE reader;
RESET ROLE;
SELECT current_user;
SELECT r.rolname, m.rolname AS member, a.admin_option
  FROM pg_auth_members a JOIN pg_roles r ON r.oid = a.roleid JOIN pg_roles m ON m.oid = a.member
 WHERE m.rolname IN ('member1', 'owner1', 'reader', 'intruder') ORDER BY 1, 2;
\dp accounts
\du
SELECT r.rolname, m.rolname AS member, a.admin_option, g.rolname AS grantor
  FROM pg_auth_members a JOIN pg_roles r ON r.oid = a.roleid JOIN pg_roles m ON m.oid = a.member
  JOIN pg_roles g ON g.oid = a.grantor ORDER BY 1, 2;
SELECT rolname, rolsuper, rolinherit, rolcreaterole, rolcreatedb, rolcanlogin FROM pg_roles ORDER BY 1;

-- REVOKE, and what is left.
\c - owner1
REVOKE INSERT ON accounts FROM team;
REVOKE GRANT OPTION FOR UPDATE ON accounts FROM team;
REVOKE INSERT ON accounts FROM team CASCADE;
REVOKE SELECT ON accounts FROM reader;
GRANT SELECT ON rich TO PUBLIC;
\dp
\c - reader
SELECT * FROM accounts;
SELECT * FROM rich;

-- USAGE on a schema is needed to name anything in it; ALTER SCHEMA
-- OWNER; information_schema's view of the grants.
\c - postgres
CREATE SCHEMA vault;
CREATE TABLE vault.gold (n int);
INSERT INTO vault.gold VALUES (24);
GRANT SELECT ON vault.gold TO member1;
\c - member1
SELECT * FROM vault.gold;
SET search_path = vault, public;
SELECT * FROM gold;
\c - postgres
GRANT USAGE ON SCHEMA vault TO member1;
ALTER SCHEMA vault OWNER TO team;
\dn+ vault
ALTER DEFAULT PRIVILEGES FOR ROLE member1 IN SCHEMA vault GRANT SELECT, DELETE ON TABLES TO reader;
ALTER DEFAULT PRIVILEGES FOR ROLE member1 REVOKE TRUNCATE ON TABLES FROM member1;
\ddp
\c - member1
SELECT * FROM vault.gold;
CREATE TABLE vault.silver (n int);
\dp vault.silver
GRANT SELECT ON vault.silver TO reader WITH GRANT OPTION;
SELECT grantor, grantee, table_schema, table_name, privilege_type, is_grantable
  FROM information_schema.role_table_grants WHERE table_schema IN ('vault', 'public') ORDER BY 3, 4, 2, 5;
SELECT grantor, grantee, table_name, privilege_type, is_grantable, with_hierarchy
  FROM information_schema.table_privileges
 WHERE grantee IN ('reader', 'PUBLIC') AND table_schema NOT IN ('pg_catalog', 'information_schema') ORDER BY 3, 2, 4;

-- A SET ROLE in a transaction that rolls back is undone; SET LOCAL ends
-- with the transaction.
BEGIN;
SET ROLE team;
SELECT current_user;
ROLLBACK;
SELECT current_user;
BEGIN;
SET LOCAL ROLE team;
SELECT current_user;
COMMIT;
SELECT current_user;
SET LOCAL ROLE team;

-- Databases: CREATEDB, ALTER DATABASE OWNER, CONNECT.
\c - postgres
ALTER ROLE owner1 CREATEDB;
\c - owner1
CREATE DATABASE owned;
ALTER DATABASE owned OWNER TO reader;
REVOKE CONNECT ON DATABASE owned FROM PUBLIC;
GRANT CONNECT ON DATABASE owned TO member1;
SELECT datname, pg_get_userbyid(datdba) AS owner, datacl FROM pg_database WHERE datname = 'owned';
SELECT has_database_privilege('reader', 'owned', 'CONNECT') AS reader,
       has_database_privilege('member1', 'owned', 'CONNECT') AS member1;
\c - reader
ALTER DATABASE owned OWNER TO reader;
\c - postgres
ALTER DATABASE owned OWNER TO reader;
SELECT datname, pg_get_userbyid(datdba) AS owner, datacl FROM pg_database WHERE datname = 'owned';
DROP ROLE reader;
ALTER DATABASE owned OWNER TO owner1;
DROP DATABASE owned;
ALTER ROLE owner1 NOCREATEDB;

-- Ownership moves with ALTER TABLE OWNER, and owners cannot be dropped.
\c - postgres
DROP ROLE owner1;
DROP ROLE team;
DROP ROLE intruder;
ALTER TABLE accounts OWNER TO reader;
SELECT tableowner FROM pg_tables WHERE tablename = 'accounts';
\c - owner1
ALTER TABLE accounts ADD COLUMN note text;
\c - reader
ALTER TABLE accounts ADD COLUMN note text;
SELECT * FROM accounts ORDER BY id;
ALTER TABLE accounts OWNER TO owner1;
\c - postgres
DROP ROLE reader;
CREATE ROLE pg_mine;
ALTER ROLE pg_monitor LOGIN;
DROP ROLE pg_monitor;
GRANT pg_read_all_stats TO member1;
\dn public
ALTER TABLE accounts OWNER TO owner1;
DROP SCHEMA vault CASCADE;
DROP TABLE accounts CASCADE;
DROP SEQUENCE ids;
REVOKE ALL ON SCHEMA public FROM owner1;
DROP ROLE reader;
DROP ROLE owner1;
ALTER DEFAULT PRIVILEGES FOR ROLE member1 GRANT TRUNCATE ON TABLES TO member1;
DROP ROLE member1;
DROP ROLE team;
SELECT rolname FROM pg_roles WHERE rolname !~ '^pg_' ORDER BY 1;
