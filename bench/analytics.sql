-- analytics.sql - the analytics benchmark's data set (make bench-analytics),
-- on top of the demo data: :messages messages spread over the last year, ten
-- municipalities of region 99 with three organisations each, the demo
-- rubricator's leaf rubrics, every status (older messages mostly closed,
-- recent ones open, some overdue), answers with times from minutes to two
-- weeks, ratings, reworks and locations; then the aggregates (sql/040) are
-- rebuilt once. Triggers are off during the load (session_replication_role:
-- the cluster's owner runs it), as a bulk import would have them.
-- psql -v messages=10000000 -f bench/analytics.sql
\set ON_ERROR_STOP on
\timing on
SET session_replication_role = replica;
SET maintenance_work_mem = '256MB';
SET work_mem = '64MB';

INSERT INTO territories (code, name, kind, parent_id)
SELECT 'bench-t' || g, 'Бенчгород ' || g, 'municipality', (SELECT id FROM territories WHERE code = '99')
FROM generate_series(1, 10) g ON CONFLICT (code) DO NOTHING;
INSERT INTO organisations (code, name, territory_id)
SELECT 'bench-o' || t || '-' || k, 'Организация ' || t || '-' || k, (SELECT id FROM territories WHERE code = 'bench-t' || t)
FROM generate_series(1, 10) t, generate_series(1, 3) k ON CONFLICT (code) DO NOTHING;
INSERT INTO users (esia_oid, name, territory_id)
SELECT 'bench-a' || g, 'Житель ' || g, (SELECT id FROM territories WHERE code = '99-demograd')
FROM generate_series(1, 1000) g ON CONFLICT (esia_oid) DO NOTHING;
-- curator1 reads every bench organisation (the export's rows, the one
-- organisation's figures); moderator1 (demo-cur) the whole region
INSERT INTO staff_roles (user_id, organisation_id, role)
SELECT u.id, o.id, 'curator' FROM users u, organisations o WHERE u.esia_oid = 'curator1' AND o.code LIKE 'bench-o%'
ON CONFLICT DO NOTHING;

CREATE TEMP TABLE b_orgs AS
SELECT row_number() OVER (ORDER BY id) - 1 AS n, id, territory_id FROM organisations WHERE code LIKE 'bench-o%';
CREATE TEMP TABLE b_rubrics AS
SELECT row_number() OVER (ORDER BY id) - 1 AS n, id, deadline_days FROM rubrics WHERE parent_id IS NOT NULL;
CREATE TEMP TABLE b_users AS
SELECT row_number() OVER (ORDER BY id) - 1 AS n, id FROM users WHERE esia_oid LIKE 'bench-a%';

-- g's shape: its age in the year, its status (by age), its time to answer
CREATE TEMP TABLE b_messages AS
SELECT g, now() - make_interval(secs => (g * 7919) % 31536000) AS created_at,
       (((g * 7919) % 31536000) / 86400)::integer AS age_days,
       (g * 104729) % 100 AS dice,
       ((g * 15485863) % 20160)::integer AS tta_minutes
FROM generate_series(1::bigint, :messages) g;

INSERT INTO messages (author_id, rubric_id, text, status, territory_id, organisation_id, created_at,
                      due_at, answered_at, answer, answer_round, closed_at, latitude, longitude)
SELECT u.id, r.id, 'Сообщение ' || b.g || ': проблема во дворе дома ' || (b.g % 300),
       s.status, o.territory_id,
       CASE WHEN s.status = 'moderation' THEN NULL ELSE o.id END,
       b.created_at,
       CASE WHEN s.status IN ('moderation', 'rejected') THEN NULL
            ELSE b.created_at + make_interval(days => r.deadline_days) END,
       CASE WHEN s.answered THEN b.created_at + make_interval(mins => b.tta_minutes) END,
       CASE WHEN s.answered THEN 'Ответ' END,
       CASE WHEN s.answered THEN 1 ELSE 0 END,
       CASE WHEN s.status IN ('closed', 'rejected') THEN b.created_at + interval '20 days' END,
       55.0 + (b.g % 1000) / 2000.0, 37.0 + (b.g % 997) / 2000.0
FROM b_messages b
JOIN b_users u ON u.n = b.g % 1000
JOIN b_orgs o ON o.n = b.g % 30
JOIN b_rubrics r ON r.n = (b.g / 30) % (SELECT count(*) FROM b_rubrics),
LATERAL (SELECT CASE
    WHEN b.age_days < 2 AND b.dice < 50 THEN 'moderation'
    WHEN b.dice < 8 THEN 'rejected'
    WHEN b.age_days < 30 AND b.dice < 40 THEN 'in_progress'
    WHEN b.dice < 11 THEN 'returned'
    WHEN b.dice < 13 THEN 'registered'
    WHEN b.age_days < 30 AND b.dice < 60 THEN 'answered'
    ELSE 'closed' END AS status) st,
LATERAL (SELECT st.status, st.status IN ('answered', 'closed', 'returned') AS answered) s;

-- the events the statistics read: answers, reworks, closings; and ratings
INSERT INTO message_events (message_id, actor_role, from_status, to_status, created_at)
SELECT id, 'manager', 'approval', 'answered', answered_at FROM messages
WHERE answered_at IS NOT NULL AND organisation_id IN (SELECT id FROM b_orgs);
INSERT INTO message_events (message_id, actor_role, from_status, to_status, created_at)
SELECT id, 'citizen', 'answered', 'returned', answered_at + interval '1 day' FROM messages
WHERE status = 'returned' AND organisation_id IN (SELECT id FROM b_orgs);
INSERT INTO message_events (message_id, actor_role, from_status, to_status, created_at)
SELECT id, 'citizen', 'answered', 'closed', closed_at FROM messages
WHERE status = 'closed' AND organisation_id IN (SELECT id FROM b_orgs);
INSERT INTO message_ratings (message_id, answer_round, author_id, score, created_at)
SELECT id, 1, author_id, 1 + (id * 31) % 5, closed_at FROM messages
WHERE status = 'closed' AND id % 5 < 3 AND organisation_id IN (SELECT id FROM b_orgs);

SET session_replication_role = origin;
SELECT analytics_rebuild();
VACUUM ANALYZE analytics_facts;
VACUUM ANALYZE heatmap_staff_cells;
VACUUM ANALYZE heatmap_public_cells;
VACUUM ANALYZE heatmap_area_cells;
VACUUM ANALYZE analytics_area_facts;
ANALYZE;
