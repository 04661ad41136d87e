-- 020_admin.sql - setting the platform up without SQL (modules/admin): the
-- operator roles, the territory tree with boundaries, organisations' kind and
-- activity, and the append-only audit of every administrative change.

-- Boundaries are PostGIS geometries (Debian's postgresql-15-postgis-3).
CREATE EXTENSION IF NOT EXISTS postgis;

-- operator: sets the platform up within its (moderation) organisation's
-- territory and below; root_operator: the whole installation (every region:
-- regions are the tops of the tree, so no territory stands for "everything");
-- intake_operator: enters messages taken by phone or in person.
ALTER TABLE staff_roles DROP CONSTRAINT staff_roles_role_check;
ALTER TABLE staff_roles ADD CONSTRAINT staff_roles_role_check CHECK (role IN
    ('moderator', 'coordinator', 'executor', 'manager', 'curator', 'admin',
     'operator', 'root_operator', 'intake_operator'));

-- region -> municipality -> settlement; the boundary is an optional polygon
-- (WGS 84), given as GeoJSON.
ALTER TABLE territories DROP CONSTRAINT territories_kind_check;
ALTER TABLE territories ADD CONSTRAINT territories_kind_check
    CHECK (kind IN ('region', 'municipality', 'settlement'));
ALTER TABLE territories
    ADD CONSTRAINT territories_code_form CHECK (code ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
    ADD CONSTRAINT territories_not_own_parent CHECK (parent_id IS DISTINCT FROM id),
    ADD COLUMN boundary geometry(Geometry, 4326)
        CHECK (boundary IS NULL OR GeometryType(boundary) IN ('POLYGON', 'MULTIPOLYGON'));
CREATE INDEX territories_parent ON territories (parent_id);

ALTER TABLE organisations
    ADD COLUMN kind text NOT NULL DEFAULT 'authority' CHECK (kind IN
        ('authority', 'municipality', 'school', 'hospital', 'employment_centre',
         'management_company', 'other')),
    -- a deactivated organisation keeps its history but is offered nowhere
    ADD COLUMN is_active boolean NOT NULL DEFAULT true;
CREATE INDEX organisations_territory ON organisations (territory_id);

-- Whether user_id may set up territory_id: a root operator anywhere, an
-- operator of an active moderation organisation whose territory holds it.
CREATE FUNCTION operator_covers(p_user bigint, p_territory bigint) RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT EXISTS (
        SELECT 1 FROM staff_roles r JOIN organisations o ON o.id = r.organisation_id
        WHERE r.user_id = p_user AND o.is_active
          AND (r.role = 'root_operator'
               OR (r.role = 'operator' AND o.is_moderation
                   AND territory_within(p_territory, o.territory_id))))
$$;

-- Whether user_id is a root operator.
CREATE FUNCTION operator_is_root(p_user bigint) RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT EXISTS (SELECT 1 FROM staff_roles r JOIN organisations o ON o.id = r.organisation_id
                   WHERE r.user_id = p_user AND r.role = 'root_operator' AND o.is_active)
$$;

-- The territories user_id may set up, for statements over many rows (an
-- import) where operator_covers per row would walk the tree each time.
CREATE FUNCTION operator_territories(p_user bigint) RETURNS SETOF bigint
LANGUAGE sql STABLE AS $$
    WITH RECURSIVE tops AS (
        SELECT t.id FROM territories t
        WHERE (t.parent_id IS NULL AND operator_is_root(p_user))
           OR t.id IN (SELECT o.territory_id FROM staff_roles r
                       JOIN organisations o ON o.id = r.organisation_id
                       WHERE r.user_id = p_user AND r.role = 'operator'
                         AND o.is_moderation AND o.is_active)
    ), tree (id, depth) AS (
        SELECT id, 0 FROM tops
        UNION ALL
        SELECT c.id, tr.depth + 1 FROM territories c JOIN tree tr ON c.parent_id = tr.id
        WHERE tr.depth < 16
    )
    SELECT DISTINCT id FROM tree
$$;

-- The audit of administrative changes: one row per inserted, changed or
-- deleted row of the tables below, written by their triggers in the same
-- transaction as the change. The actor is the session setting otklik.actor_id
-- (the admin worker sets it in each transaction; NULL: the console).
CREATE TABLE admin_events (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- no foreign keys: the audit outlives what it names
    actor_id      bigint,
    object_kind   text NOT NULL,          -- territory, organisation, rubric, ...
    object_id     text NOT NULL,          -- its code, or id when it has none
    action        text NOT NULL CHECK (action IN ('create', 'update', 'delete')),
    before        jsonb,
    after         jsonb,
    -- whose operators may read it (NULL: root operators only)
    territory_id  bigint,
    created_at    timestamptz NOT NULL DEFAULT otklik_now()
);
CREATE INDEX admin_events_object ON admin_events (object_kind, object_id, id);

CREATE FUNCTION admin_events_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'admin_events is append-only';
END
$$;
CREATE TRIGGER admin_events_append_only BEFORE UPDATE OR DELETE ON admin_events
    FOR EACH ROW EXECUTE FUNCTION admin_events_append_only();

-- A row as the audit shows it: a boundary as GeoJSON, not as binary.
CREATE FUNCTION admin_events_row(r jsonb, boundary geometry) RETURNS jsonb
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN r ? 'boundary'
        THEN jsonb_set(r, '{boundary}', coalesce(ST_AsGeoJSON(boundary)::jsonb, 'null'))
        ELSE r END
$$;

CREATE FUNCTION admin_events_record() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    old_row jsonb;
    new_row jsonb;
    subject jsonb;
    territory bigint;
BEGIN
    IF TG_OP <> 'INSERT' THEN old_row := to_jsonb(OLD); END IF;
    IF TG_OP <> 'DELETE' THEN new_row := to_jsonb(NEW); END IF;
    IF TG_OP = 'UPDATE' AND old_row = new_row THEN RETURN NULL; END IF;
    subject := coalesce(new_row, old_row);
    IF TG_TABLE_NAME = 'territories' THEN
        old_row := admin_events_row(old_row, CASE WHEN TG_OP <> 'INSERT' THEN OLD.boundary END);
        new_row := admin_events_row(new_row, CASE WHEN TG_OP <> 'DELETE' THEN NEW.boundary END);
        territory := (subject->>'id')::bigint;
    ELSIF subject ? 'territory_id' THEN
        territory := (subject->>'territory_id')::bigint;
    ELSIF subject ? 'organisation_id' THEN
        territory := (SELECT territory_id FROM organisations
                      WHERE id = (subject->>'organisation_id')::bigint);
    END IF;
    INSERT INTO admin_events (actor_id, object_kind, object_id, action, before, after, territory_id)
    VALUES (nullif(current_setting('otklik.actor_id', true), '')::bigint,
            TG_ARGV[0], coalesce(subject->>'code', subject->>'key', subject->>'id',
                                 concat_ws(':', subject->>'user_id', subject->>'organisation_id',
                                           subject->>'role')),
            CASE TG_OP WHEN 'INSERT' THEN 'create' WHEN 'UPDATE' THEN 'update' ELSE 'delete' END,
            old_row, new_row, territory);
    RETURN NULL;
END
$$;

CREATE TRIGGER territories_audit AFTER INSERT OR UPDATE OR DELETE ON territories
    FOR EACH ROW EXECUTE FUNCTION admin_events_record('territory');
CREATE TRIGGER organisations_audit AFTER INSERT OR UPDATE OR DELETE ON organisations
    FOR EACH ROW EXECUTE FUNCTION admin_events_record('organisation');
CREATE TRIGGER rubrics_audit AFTER INSERT OR UPDATE OR DELETE ON rubrics
    FOR EACH ROW EXECUTE FUNCTION admin_events_record('rubric');
CREATE TRIGGER routing_rules_audit AFTER INSERT OR UPDATE OR DELETE ON routing_rules
    FOR EACH ROW EXECUTE FUNCTION admin_events_record('routing_rule');
CREATE TRIGGER staff_roles_audit AFTER INSERT OR UPDATE OR DELETE ON staff_roles
    FOR EACH ROW EXECUTE FUNCTION admin_events_record('staff_role');
CREATE TRIGGER widgets_audit AFTER INSERT OR UPDATE OR DELETE ON widgets
    FOR EACH ROW EXECUTE FUNCTION admin_events_record('widget');

-- Deactivated organisations are never a routing rule's answer.
CREATE OR REPLACE FUNCTION routing_rule_for(p_rubric_id bigint, p_territory_id bigint)
RETURNS routing_rules LANGUAGE sql STABLE AS $$
    WITH RECURSIVE up_territory(id, depth) AS (
        SELECT p_territory_id, 0
        UNION ALL
        SELECT t.parent_id, u.depth + 1 FROM up_territory u JOIN territories t ON t.id = u.id
        WHERE t.parent_id IS NOT NULL AND u.depth < 16
    ), up_rubric(id, depth) AS (
        SELECT p_rubric_id, 0
        UNION ALL
        SELECT r.parent_id, u.depth + 1 FROM up_rubric u JOIN rubrics r ON r.id = u.id
        WHERE r.parent_id IS NOT NULL AND u.depth < 16
    )
    SELECT rr.* FROM routing_rules rr
    JOIN up_territory ut ON ut.id = rr.territory_id
    JOIN up_rubric ur ON ur.id = rr.rubric_id
    JOIN organisations o ON o.id = rr.organisation_id AND o.is_active
    ORDER BY ut.depth, ur.depth
    LIMIT 1
$$;

-- A GeoJSON text as a geometry (WGS 84), or NULL when PostGIS cannot read it:
-- the admin worker checks a boundary before its transaction, where an error
-- would end the transaction instead of becoming a field error.
CREATE FUNCTION otklik_try_geojson(p text) RETURNS geometry
LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
    RETURN ST_SetSRID(ST_GeomFromGeoJSON(p), 4326);
EXCEPTION WHEN others THEN
    RETURN NULL;
END
$$;
