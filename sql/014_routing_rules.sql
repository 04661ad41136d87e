-- 014_routing_rules.sql - rubric x territory -> the organisation responsible
-- (the SPEC's routing rules). A rule pre-fills the moderator's choice of
-- organisation; where auto_route is on, a message whose pre-checks found
-- nothing is registered in that organisation without a moderator (intake does
-- it in the same transaction as the send).

CREATE TABLE routing_rules (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    rubric_id        bigint NOT NULL REFERENCES rubrics,
    territory_id     bigint NOT NULL REFERENCES territories,
    organisation_id  bigint NOT NULL REFERENCES organisations,
    auto_route       boolean NOT NULL DEFAULT false,
    CONSTRAINT routing_rules_one UNIQUE (rubric_id, territory_id)
);

-- The rule for a message of rubric_id in territory_id: the rubric's own rule,
-- else its parent's, at the territory itself or the nearest territory above it
-- (a rule for the region covers its municipalities unless one has its own).
-- The territory tree and the rubric tree are shallow; depth is capped at 16 so
-- that a cycle written by hand cannot loop.
CREATE FUNCTION routing_rule_for(p_rubric_id bigint, p_territory_id bigint)
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
    JOIN organisations o ON o.id = rr.organisation_id
    ORDER BY ut.depth, ur.depth
    LIMIT 1
$$;
