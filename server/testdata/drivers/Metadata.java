// Drives PgJDBC against a server: types, prepared statements, transactions,
// errors and the DatabaseMetaData calls tools such as DBeaver make. It prints
// one line per observation; server/drivers_test.go compares the output with
// Metadata.expected, which is what PostgreSQL 15 prints.
//
// Usage: java -cp postgresql.jar:DIR Metadata 'jdbc:postgresql://host:port/db?user=u'
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

public class Metadata {
    static void out(String key, Object value) {
        System.out.println(key + ": " + value);
    }

    /** Prints the named columns of every row of rs, one line per row. */
    interface Call {
        ResultSet run() throws SQLException;
    }

    static void dump(String key, Call call, String... columns) throws SQLException {
        ResultSet rs;
        try {
            rs = call.run();
        } catch (SQLException e) {
            out(key + " failed", e.getSQLState() + " " + e.getMessage());
            return;
        }
        int n = 0;
        while (rs.next()) {
            List<String> vals = new ArrayList<>();
            for (String c : columns) {
                vals.add(c + "=" + rs.getString(c));
            }
            out(key, String.join(" ", vals));
            n++;
        }
        rs.close();
        out(key + " rows", n);
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: Metadata JDBC-URL");
            System.exit(2);
        }
        try (Connection c = DriverManager.getConnection(args[0])) {
            Statement st = c.createStatement();
            st.execute("DROP TABLE IF EXISTS jdbc_child");
            st.execute("DROP TABLE IF EXISTS jdbc_items");
            st.execute("CREATE TABLE jdbc_items (id int PRIMARY KEY, big bigint, price numeric(10,2), name text NOT NULL,"
                    + " code varchar(8), ok boolean, made date, at timestamptz, tag uuid, doc jsonb, raw bytea, serial_no serial)");
            st.execute("CREATE UNIQUE INDEX jdbc_items_code_idx ON jdbc_items (code)");
            st.execute("CREATE INDEX jdbc_items_name_made_idx ON jdbc_items (name, made DESC)");
            st.execute("CREATE TABLE jdbc_child (id int PRIMARY KEY, item_id int NOT NULL REFERENCES jdbc_items (id) ON DELETE CASCADE)");

            roundTrip(c);
            transactions(c);
            errors(c);
            metadata(c);
        }
    }

    static void roundTrip(Connection c) throws SQLException {
        UUID tag = UUID.fromString("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
        OffsetDateTime at = OffsetDateTime.of(2024, 5, 6, 7, 8, 9, 123456000, ZoneOffset.UTC);
        // Seven executions: PgJDBC switches to a named server-side statement
        // after prepareThreshold (5) uses, so both paths run.
        try (PreparedStatement ins = c.prepareStatement(
                "INSERT INTO jdbc_items (id, big, price, name, code, ok, made, at, tag, doc, raw) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?)")) {
            for (int i = 1; i <= 7; i++) {
                ins.setInt(1, i);
                ins.setLong(2, 9000000000L + i);
                ins.setBigDecimal(3, new BigDecimal("12.5").add(BigDecimal.valueOf(i)));
                ins.setString(4, "item " + i);
                ins.setString(5, "c" + i);
                ins.setBoolean(6, i % 2 == 0);
                ins.setObject(7, LocalDate.of(2024, 5, i));
                ins.setObject(8, at.plusDays(i));
                ins.setObject(9, tag);
                ins.setString(10, "{\"k\": " + i + ", \"s\": \"é\"}");
                ins.setBytes(11, new byte[] {1, 2, (byte) (250 + i)});
                ins.executeUpdate();
            }
        }
        try (PreparedStatement sel = c.prepareStatement(
                "SELECT id, big, price, name, code, ok, made, at, tag, doc, raw, serial_no FROM jdbc_items WHERE id = ?")) {
            for (int i = 1; i <= 7; i++) {
                sel.setInt(1, i);
                try (ResultSet rs = sel.executeQuery()) {
                    if (!rs.next()) {
                        throw new IllegalStateException("row " + i + " missing");
                    }
                    boolean same = rs.getInt("id") == i
                            && rs.getLong("big") == 9000000000L + i
                            && rs.getBigDecimal("price").equals(new BigDecimal("12.50").add(BigDecimal.valueOf(i)))
                            && rs.getString("name").equals("item " + i)
                            && rs.getBoolean("ok") == (i % 2 == 0)
                            && rs.getObject("made", LocalDate.class).equals(LocalDate.of(2024, 5, i))
                            && rs.getObject("at", OffsetDateTime.class).toInstant().equals(at.plusDays(i).toInstant())
                            && rs.getObject("tag", UUID.class).equals(tag)
                            && rs.getObject("tag") instanceof UUID
                            && rs.getBytes("raw")[2] == (byte) (250 + i)
                            && rs.getInt("serial_no") == i;
                    if (i == 7) {
                        out("row", rs.getInt(1) + " " + rs.getLong(2) + " " + rs.getBigDecimal(3) + " " + rs.getString(4) + " "
                                + rs.getString(5) + " " + rs.getBoolean(6) + " " + rs.getDate(7) + " "
                                + rs.getObject(8, OffsetDateTime.class).toInstant() + " " + rs.getObject(9) + " " + rs.getString(10) + " "
                                + hex(rs.getBytes(11)) + " " + rs.getInt(12));
                        out("doc class", rs.getObject(10).getClass().getName());
                        ResultSetMetaData md = rs.getMetaData();
                        for (int col = 1; col <= md.getColumnCount(); col++) {
                            out("rsmd", md.getColumnName(col) + " type=" + md.getColumnType(col) + " typename=" + md.getColumnTypeName(col)
                                    + " precision=" + md.getPrecision(col) + " scale=" + md.getScale(col) + " nullable=" + md.isNullable(col)
                                    + " autoinc=" + md.isAutoIncrement(col) + " table=" + md.getTableName(col)
                                    + " class=" + md.getColumnClassName(col) + " display=" + md.getColumnDisplaySize(col));
                        }
                    }
                    if (!same) {
                        throw new IllegalStateException("row " + i + " did not round-trip");
                    }
                }
            }
            out("round trip", "7 rows");
        }
        // Null parameters of each kind and a NULL result.
        try (PreparedStatement p = c.prepareStatement("SELECT ?::int IS NULL, ?::text IS NULL, CAST(NULL AS numeric)")) {
            p.setNull(1, java.sql.Types.INTEGER);
            p.setNull(2, java.sql.Types.VARCHAR);
            try (ResultSet rs = p.executeQuery()) {
                rs.next();
                out("nulls", rs.getBoolean(1) + " " + rs.getBoolean(2) + " " + rs.getBigDecimal(3));
            }
        }
        // Batched inserts with generated keys.
        try (PreparedStatement p = c.prepareStatement("INSERT INTO jdbc_items (id, name) VALUES (?, ?)", Statement.RETURN_GENERATED_KEYS)) {
            for (int i = 100; i < 103; i++) {
                p.setInt(1, i);
                p.setString(2, "batch " + i);
                p.addBatch();
            }
            int[] counts = p.executeBatch();
            out("batch", counts.length + " " + counts[0]);
            try (ResultSet keys = p.getGeneratedKeys()) {
                StringBuilder sb = new StringBuilder();
                while (keys.next()) {
                    sb.append(keys.getInt("id")).append('/').append(keys.getInt("serial_no")).append(' ');
                }
                out("generated keys", sb.toString().trim());
            }
        }
    }

    static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (byte x : b) {
            sb.append(String.format("%02x", x));
        }
        return sb.toString();
    }

    static long count(Connection c, String table) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static void transactions(Connection c) throws SQLException {
        c.setAutoCommit(false);
        try (Statement st = c.createStatement()) {
            st.executeUpdate("INSERT INTO jdbc_child VALUES (1, 1)");
            c.rollback();
            out("after rollback", count(c, "jdbc_child"));
            st.executeUpdate("INSERT INTO jdbc_child VALUES (2, 2)");
            java.sql.Savepoint sp = c.setSavepoint("sp1");
            st.executeUpdate("INSERT INTO jdbc_child VALUES (3, 3)");
            c.rollback(sp);
            c.commit();
            out("after commit", count(c, "jdbc_child"));
        } finally {
            c.setAutoCommit(true);
        }
        c.setReadOnly(true);
        c.setReadOnly(false);
    }

    static void errors(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            try {
                st.executeUpdate("INSERT INTO jdbc_items (id, name) VALUES (1, 'dup')");
                out("duplicate", "no error");
            } catch (SQLException e) {
                out("duplicate", e.getSQLState());
            }
            try {
                st.executeUpdate("INSERT INTO jdbc_child VALUES (9, 999)");
                out("foreign key", "no error");
            } catch (SQLException e) {
                out("foreign key", e.getSQLState());
            }
            try {
                st.executeQuery("SELECT no_such_column FROM jdbc_items");
                out("undefined column", "no error");
            } catch (SQLException e) {
                out("undefined column", e.getSQLState());
            }
            // An error inside a transaction aborts it until rollback.
            c.setAutoCommit(false);
            try {
                st.executeQuery("SELECT 1/0");
            } catch (SQLException e) {
                out("division", e.getSQLState());
            }
            try {
                st.executeQuery("SELECT 1");
                out("aborted", "no error");
            } catch (SQLException e) {
                out("aborted", e.getSQLState());
            }
            c.rollback();
            c.setAutoCommit(true);
            out("session continues", count(c, "jdbc_items"));
        }
    }

    static void metadata(Connection c) throws SQLException {
        DatabaseMetaData md = c.getMetaData();
        out("product", md.getDatabaseProductName());
        out("user", md.getUserName());
        out("catalog is current", md.getConnection().getCatalog().equals(c.getCatalog()));
        out("identifier quote", md.getIdentifierQuoteString());
        out("supports transactions", md.supportsTransactions());
        dump("tables", () -> md.getTables(null, "public", "jdbc_%", new String[] {"TABLE"}), "TABLE_SCHEM", "TABLE_NAME", "TABLE_TYPE");
        dump("all tables", () -> md.getTables(null, null, "jdbc_items", null), "TABLE_SCHEM", "TABLE_NAME", "TABLE_TYPE");
        dump("columns", () -> md.getColumns(null, "public", "jdbc_items", null),
                "COLUMN_NAME", "DATA_TYPE", "TYPE_NAME", "COLUMN_SIZE", "DECIMAL_DIGITS", "NULLABLE", "COLUMN_DEF", "ORDINAL_POSITION",
                "IS_NULLABLE", "IS_AUTOINCREMENT");
        // PgJDBC's getPrimaryKeys and getIndexInfo expand pg_index.indkey
        // with information_schema._pg_expandarray in the select list and
        // select fields of the records it returns.
        dump("primary keys", () -> md.getPrimaryKeys(null, "public", "jdbc_items"), "TABLE_NAME", "COLUMN_NAME", "KEY_SEQ", "PK_NAME");
        dump("child primary keys", () -> md.getPrimaryKeys(null, "public", "jdbc_child"), "TABLE_NAME", "COLUMN_NAME", "KEY_SEQ", "PK_NAME");
        dump("index info", () -> md.getIndexInfo(null, "public", "jdbc_items", false, false),
                "TABLE_NAME", "NON_UNIQUE", "INDEX_NAME", "TYPE", "ORDINAL_POSITION", "COLUMN_NAME", "ASC_OR_DESC", "FILTER_CONDITION");
        dump("unique index info", () -> md.getIndexInfo(null, "public", "jdbc_items", true, false), "INDEX_NAME", "ORDINAL_POSITION", "COLUMN_NAME");
        dump("imported keys", () -> md.getImportedKeys(null, "public", "jdbc_child"),
                "PKTABLE_NAME", "PKCOLUMN_NAME", "FKTABLE_NAME", "FKCOLUMN_NAME", "KEY_SEQ", "UPDATE_RULE", "DELETE_RULE", "FK_NAME", "PK_NAME",
                "DEFERRABILITY");
        dump("exported keys", () -> md.getExportedKeys(null, "public", "jdbc_items"), "FKTABLE_NAME", "FKCOLUMN_NAME", "FK_NAME");
        // getTypeInfo lists every type; print the ones applications map.
        int types = 0;
        StringBuilder seen = new StringBuilder();
        try (ResultSet rs = md.getTypeInfo()) {
            while (rs.next()) {
                types++;
                String name = rs.getString("TYPE_NAME");
                switch (name) {
                    case "int4": case "int8": case "numeric": case "text": case "varchar": case "bool": case "date":
                    case "timestamptz": case "uuid": case "jsonb": case "bytea":
                        out("type info", name + " DATA_TYPE=" + rs.getInt("DATA_TYPE") + " PRECISION=" + rs.getInt("PRECISION")
                                + " NULLABLE=" + rs.getInt("NULLABLE") + " SEARCHABLE=" + rs.getInt("SEARCHABLE")
                                + " UNSIGNED=" + rs.getBoolean("UNSIGNED_ATTRIBUTE") + " AUTO_INCREMENT=" + rs.getBoolean("AUTO_INCREMENT"));
                        seen.append(name).append(' ');
                        break;
                    default:
                }
            }
        }
        out("type info has many", types > 40);
        List<String> schemas = new ArrayList<>();
        try (ResultSet rs = md.getSchemas()) {
            while (rs.next()) {
                String s = rs.getString("TABLE_SCHEM");
                // pg_toast and pg_temp_N depend on PostgreSQL's storage;
                // quorumdb has its operator tables in schema quorumdb.
                if (!s.startsWith("pg_toast") && !s.startsWith("pg_temp") && !s.equals("quorumdb")) {
                    schemas.add(s);
                }
            }
        }
        out("schemas", String.join(",", schemas));
        List<String> catalogs = new ArrayList<>();
        try (ResultSet rs = md.getCatalogs()) {
            while (rs.next()) {
                catalogs.add(rs.getString("TABLE_CAT"));
            }
        }
        out("catalogs include current", catalogs.contains(c.getCatalog()));
        dump("table types", () -> md.getTableTypes(), "TABLE_TYPE");
    }
}
