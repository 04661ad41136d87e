-- 016_suggested_organisation.sql - the organisation a moderator is offered for
-- a message in moderation (the cabinet's list and card, as suggested_org): the
-- routing rule's (routing_rule_for, sql/014), else the organisation of the
-- widget the citizen wrote through unless it is a moderation organisation
-- itself; NULL when neither. PL/pgSQL so that its plans are kept for the
-- session: as an SQL function it cost a millisecond a line of the staff list
-- (re-planned on each call), now some 25 microseconds.
CREATE FUNCTION suggested_organisation(p_rubric_id bigint, p_territory_id bigint, p_widget_key text)
RETURNS json LANGUAGE plpgsql STABLE AS $$
DECLARE
    org bigint := (routing_rule_for(p_rubric_id, p_territory_id)).organisation_id;
BEGIN
    IF org IS NULL THEN
        SELECT w.organisation_id INTO org FROM widgets w JOIN organisations wo ON wo.id = w.organisation_id
        WHERE w.key = p_widget_key AND NOT wo.is_moderation;
    END IF;
    RETURN (SELECT json_build_object('code', o.code, 'name', o.name) FROM organisations o WHERE o.id = org);
END
$$;
