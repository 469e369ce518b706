-- sqlite3 building and indexing a 200 000-row table in memory: run as `sqlite3 :memory: < sqlite_table.sql`.
CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT, value REAL, grp INTEGER);
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200000)
INSERT INTO t SELECT i, printf('name-%08d', (i * 7919) % 200000), i * 0.25, i % 100 FROM n;
CREATE INDEX t_name ON t(name);
CREATE INDEX t_grp ON t(grp, value);
SELECT count(*), sum(value) FROM t WHERE grp = 7;
