-- 070_channels.sql - where messages come from (their channel), incidents found
-- in social networks and by monitoring systems, the organisations' official
-- accounts (госпаблики) with their content plan, and the outbox of everything
-- sent out to the networks (tools/notifier delivers it).

-- Every message's channel: set at intake, never changed.
ALTER TABLE messages ADD COLUMN channel text NOT NULL DEFAULT 'api' CHECK (channel IN
    ('widget', 'portal', 'api', 'vk', 'telegram', 'monitoring', 'phone', 'visit', 'email'));
UPDATE messages SET channel = 'widget' WHERE widget_key IS NOT NULL;

-- An organisation's official account in a social network or messenger. Its
-- secrets are files named after it (README: OTKLIK_CHANNELS_SECRETS_DIR), never
-- columns: <network>-<id>.secret (VK's callback secret, Telegram's webhook
-- secret token) and <network>-<id>.token (the access token of the API).
CREATE TABLE social_accounts (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id  bigint NOT NULL REFERENCES organisations,
    network          text NOT NULL CHECK (network IN ('vk', 'telegram')),
    -- the public address (https://vk.com/demograd, https://t.me/demograd)
    address          text NOT NULL,
    -- VK: the community's id (group_id, positive); Telegram: the chat's id
    external_id      text NOT NULL CHECK (external_id ~ '^-?[0-9]{1,20}$'),
    verified         boolean NOT NULL DEFAULT false,
    -- VK's confirmation code, answered to its handshake (not a secret: VK shows
    -- it to whoever sets up the server)
    confirmation     text,
    created_by       bigint REFERENCES users,
    created_at       timestamptz NOT NULL DEFAULT otklik_now(),
    UNIQUE (network, external_id)
);
CREATE INDEX social_accounts_organisation ON social_accounts (organisation_id, id);

-- An account's activity for the organisation's staff, analytics and the
-- region's rating: its posts published in the last 7 days, and of the
-- incidents (comments, messages) it brought in the last 30 days, how many,
-- the share answered, and the median hours from the post to the answer.
-- (Defined after incidents and account_posts below.)

-- Keywords that suggest a rubric for an incident (lower case; a keyword is
-- found anywhere in the text).
CREATE TABLE rubric_keywords (
    rubric_id  bigint NOT NULL REFERENCES rubrics,
    keyword    text NOT NULL CHECK (keyword = lower(keyword) AND length(keyword) BETWEEN 2 AND 60),
    PRIMARY KEY (rubric_id, keyword)
);

-- The active rubric whose keywords occur most often in text, or NULL.
CREATE FUNCTION suggested_rubric(text text) RETURNS bigint
LANGUAGE sql STABLE AS $$
    SELECT k.rubric_id FROM rubric_keywords k JOIN rubrics r ON r.id = k.rubric_id AND r.is_active
    WHERE strpos(lower(text), k.keyword) > 0
    GROUP BY k.rubric_id ORDER BY count(*) DESC, k.rubric_id LIMIT 1
$$;

-- A post found in a social network or by a monitoring system. It waits in the
-- moderation queue of its territory until a moderator accepts it (it becomes a
-- message) or dismisses it.
CREATE TABLE incidents (
    id                   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- vk, telegram, or the monitoring system's own name for where it found it
    source               text NOT NULL CHECK (source ~ '^[a-z0-9][a-z0-9_.-]{0,39}$'),
    external_id          text NOT NULL CHECK (length(external_id) BETWEEN 1 AND 200),
    channel              text NOT NULL CHECK (channel IN ('vk', 'telegram', 'monitoring')),
    account_id           bigint REFERENCES social_accounts,
    -- wall_post_new, wall_reply_new, message_new, telegram_message, monitoring
    kind                 text NOT NULL,
    url                  text,
    -- the author's id in the network (vk: user id) and name, as given
    author_external_id   text,
    author_name          text,
    text                 text NOT NULL,
    published_at         timestamptz,
    latitude             double precision CHECK (latitude BETWEEN -90 AND 90),
    longitude            double precision CHECK (longitude BETWEEN -180 AND 180),
    -- what an answer needs to go back where the post came from ({} when it cannot)
    reply_to             jsonb NOT NULL DEFAULT '{}',
    flags                jsonb NOT NULL DEFAULT '[]',
    suggested_rubric_id  bigint REFERENCES rubrics,
    territory_id         bigint NOT NULL REFERENCES territories,
    status               text NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'accepted', 'dismissed')),
    dismiss_reason       smallint CHECK (dismiss_reason BETWEEN 1 AND 10),
    dismiss_comment      text,
    message_id           bigint UNIQUE REFERENCES messages,
    decided_by           bigint REFERENCES users,
    decided_at           timestamptz,
    created_at           timestamptz NOT NULL DEFAULT otklik_now(),
    UNIQUE (source, external_id)
);
CREATE INDEX incidents_queue ON incidents (territory_id, id DESC) WHERE status = 'new';
CREATE INDEX incidents_territory ON incidents (territory_id, id DESC);

-- A content-plan post of an official account: written by the organisation's
-- staff, approved by its manager, published at publish_at by the outbox.
CREATE TABLE account_posts (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_id   bigint NOT NULL REFERENCES social_accounts,
    text         text NOT NULL,
    publish_at   timestamptz NOT NULL,
    status       text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'approved', 'published')),
    created_by   bigint NOT NULL REFERENCES users,
    approved_by  bigint REFERENCES users,
    approved_at  timestamptz,
    published_at timestamptz,
    -- the network's id of the published post
    external_id  text,
    created_at   timestamptz NOT NULL DEFAULT otklik_now()
);
CREATE INDEX account_posts_account ON account_posts (account_id, id DESC);

-- The outbox of everything sent to the networks: a row is delivered at least
-- once, in id order per ordering_key (message:<id>, post:<id>), by tools/notifier's sender for its
-- channel; method and params are the network API's (never a token: the
-- sender reads the account's token file).
CREATE TABLE deliveries (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    channel          text NOT NULL CHECK (channel IN ('vk', 'telegram', 'email')),
    -- the sending account (vk, telegram); NULL for e-mail
    account_id       bigint REFERENCES social_accounts,
    ordering_key     text NOT NULL,
    method           text NOT NULL,
    params           jsonb NOT NULL,
    message_id       bigint REFERENCES messages,
    post_id          bigint REFERENCES account_posts,
    created_at       timestamptz NOT NULL DEFAULT otklik_now(),
    delivered_at     timestamptz,
    attempts         integer NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz NOT NULL DEFAULT otklik_now(),
    last_error       text,
    -- the network's answer (the comment's, message's or post's id)
    result           jsonb
);
CREATE INDEX deliveries_undelivered ON deliveries (next_attempt_at, id) WHERE delivered_at IS NULL;
CREATE INDEX deliveries_key_undelivered ON deliveries (ordering_key, id) WHERE delivered_at IS NULL;

-- The answer goes back where the post came from: when a message accepted
-- from an incident becomes answered, in the same transaction, the outbox gets
-- the reply (a VK comment or private message, a Telegram reply).
CREATE FUNCTION incidents_answer_back() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO deliveries (channel, account_id, ordering_key, method, params, message_id)
    SELECT i.channel, i.account_id, 'message:' || NEW.id, i.reply_to ->> 'method',
           (i.reply_to -> 'params') || jsonb_build_object(i.reply_to ->> 'text_param', NEW.answer),
           NEW.id
    FROM incidents i
    WHERE i.message_id = NEW.id AND i.account_id IS NOT NULL AND i.reply_to ? 'method';
    RETURN NEW;
END
$$;
CREATE TRIGGER incidents_answer_back AFTER UPDATE OF status ON messages
    FOR EACH ROW WHEN (NEW.status = 'answered' AND OLD.status IS DISTINCT FROM 'answered')
    EXECUTE FUNCTION incidents_answer_back();

-- A content-plan post is published once its delivery is: the network's id of
-- the post (VK: response.post_id; Telegram: result.message_id) is kept.
CREATE FUNCTION account_posts_published() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE account_posts SET status = 'published', published_at = NEW.delivered_at,
        external_id = coalesce(NEW.result #>> '{response,post_id}', NEW.result #>> '{result,message_id}')
    WHERE id = NEW.post_id;
    RETURN NEW;
END
$$;
CREATE TRIGGER account_posts_published AFTER UPDATE OF delivered_at ON deliveries
    FOR EACH ROW WHEN (NEW.post_id IS NOT NULL AND NEW.delivered_at IS NOT NULL
                       AND OLD.delivered_at IS NULL)
    EXECUTE FUNCTION account_posts_published();

-- Intake by operators: the role (the admin branch adds `operator` too; both
-- are listed so that either migration may run first), and the contact of a
-- citizen who called or came in instead of an ESIA account.
ALTER TABLE staff_roles DROP CONSTRAINT IF EXISTS staff_roles_role_check;
ALTER TABLE staff_roles ADD CONSTRAINT staff_roles_role_check CHECK (role IN
    ('moderator', 'coordinator', 'executor', 'manager', 'curator', 'admin', 'operator',
     'root_operator', 'intake_operator'));

CREATE TABLE message_contacts (
    message_id  bigint PRIMARY KEY REFERENCES messages,
    name        text NOT NULL,
    phone       text,
    email       text CHECK (email !~ '[[:space:][:cntrl:]]'),
    -- the citizen asked for the answer by e-mail
    notify_by_email boolean NOT NULL DEFAULT false,
    -- the key of the e-mails' unsubscribe link (stops every e-mail to this address)
    unsubscribe_key text NOT NULL DEFAULT replace(gen_random_uuid()::text, '-', '')
);
CREATE INDEX message_contacts_unsubscribe ON message_contacts (unsubscribe_key);

-- A citizen who asked for e-mail gets each notification (status changes, the
-- answer with its text) by e-mail too, through the deliveries outbox, in the
-- notification's transaction. Russian, as the notifications' titles.
CREATE FUNCTION message_contacts_mail() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO deliveries (channel, ordering_key, method, params, message_id)
    SELECT 'email', 'message:' || NEW.message_id, 'notification',
           jsonb_build_object('to', c.email,
               'subject', 'Отклик: сообщение № ' || NEW.message_id || ' - ' || NEW.title,
               'text', 'Здравствуйте, ' || c.name || E'!\n\n' || NEW.title || '.'
                   || CASE WHEN NEW.status = 'answered' THEN E'\n\nОтвет:\n' || coalesce(m.answer, '')
                      ELSE '' END
                   || E'\n\nСообщение № ' || NEW.message_id || '.',
               'unsubscribe_key', c.unsubscribe_key),
           NEW.message_id
    FROM message_contacts c JOIN messages m ON m.id = c.message_id
    WHERE c.message_id = NEW.message_id AND c.notify_by_email AND c.email IS NOT NULL;
    RETURN NEW;
END
$$;
CREATE TRIGGER message_contacts_mail AFTER INSERT ON notifications
    FOR EACH ROW EXECUTE FUNCTION message_contacts_mail();

CREATE FUNCTION account_activity(account bigint) RETURNS json
LANGUAGE sql STABLE AS $$
    SELECT json_build_object(
        'posts_week', (SELECT count(*) FROM account_posts p WHERE p.account_id = account
            AND p.status = 'published' AND p.published_at > otklik_now() - interval '7 days'),
        'incidents_month', count(i.id),
        'answered_share', CASE WHEN count(i.id) > 0
            THEN round(count(m.answered_at)::numeric / count(i.id), 3) END,
        'median_answer_hours', round((percentile_cont(0.5) WITHIN GROUP (ORDER BY
            extract(epoch FROM m.answered_at - i.created_at) / 3600))::numeric, 1))
    FROM incidents i LEFT JOIN messages m ON m.id = i.message_id
    WHERE i.account_id = account AND i.created_at > otklik_now() - interval '30 days'
$$;

-- Staff e-mail: a person's address for digests of his staff notifications
-- (assigned to me, waiting for my approval, returned, due soon, overdue), at
-- most one an hour (`otklikctl tick` writes them to the deliveries outbox).
CREATE TABLE staff_contacts (
    user_id         bigint PRIMARY KEY REFERENCES users,
    email           text NOT NULL CHECK (email ~ '^[^[:space:][:cntrl:]<>]+@[^[:space:][:cntrl:]<>]+$'),
    digest          boolean NOT NULL DEFAULT true,
    last_digest_at  timestamptz
);
ALTER TABLE staff_notifications ADD COLUMN mailed_at timestamptz;
CREATE INDEX staff_notifications_unmailed ON staff_notifications (user_id)
    WHERE mailed_at IS NULL AND read_at IS NULL;
