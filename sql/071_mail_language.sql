-- The language of a person's e-mail: ru (the default) or en. Citizens and
-- staff choose it through PATCH /api/v1/me {language}; an intake operator
-- enters it for a citizen who called (POST /api/v1/intake/messages
-- citizen.language). The citizens' notification e-mails (the trigger below)
-- and the staff digests (otklikctl tick) are written in it.
ALTER TABLE users ADD COLUMN language text NOT NULL DEFAULT 'ru' CHECK (language IN ('ru', 'en'));

-- What a status change tells the citizen, in English (the notifications'
-- Russian titles are written by the workers).
CREATE FUNCTION message_status_title_en(status text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE status
        WHEN 'moderation' THEN 'Your message is being checked'
        WHEN 'registered' THEN 'Your message is registered'
        WHEN 'in_progress' THEN 'Your message is being worked on'
        WHEN 'approval' THEN 'The answer to your message is being approved'
        WHEN 'redirect_approval' THEN 'Your message is being passed to another organisation'
        WHEN 'answered' THEN 'Your message is answered'
        WHEN 'returned' THEN 'Your message is back in work'
        WHEN 'closed' THEN 'Your message is closed'
        WHEN 'rejected' THEN 'Your message was rejected'
        ELSE 'Your message has a new status'
    END
$$;

-- staff_notification_title (sql/012) in English.
CREATE FUNCTION staff_notification_title_en(kind text, message_id bigint) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE kind
        WHEN 'assigned' THEN 'Message ' || message_id || ' is assigned to you'
        WHEN 'approval' THEN 'Message ' || message_id || ' waits for your approval'
        WHEN 'returned' THEN 'Message ' || message_id || ' was returned for rework'
        WHEN 'due_soon' THEN 'The answer to message ' || message_id || ' is due within a day'
        WHEN 'overdue' THEN 'Message ' || message_id || ' is overdue'
    END
$$;

-- sql/070's e-mail to a citizen who asked for it, in the author's language.
CREATE OR REPLACE FUNCTION message_contacts_mail() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO deliveries (channel, ordering_key, method, params, message_id)
    SELECT 'email', 'message:' || NEW.message_id, 'notification',
           CASE WHEN u.language = 'en' THEN jsonb_build_object('to', c.email,
               'subject', 'Otklik: message ' || NEW.message_id || ' - '
                   || message_status_title_en(NEW.status),
               'text', 'Hello, ' || c.name || E'!\n\n' || message_status_title_en(NEW.status) || '.'
                   || CASE WHEN NEW.status = 'answered' THEN E'\n\nThe answer:\n' || coalesce(m.answer, '')
                      ELSE '' END
                   || E'\n\nMessage ' || NEW.message_id || '.',
               'unsubscribe_key', c.unsubscribe_key, 'language', 'en')
           ELSE jsonb_build_object('to', c.email,
               'subject', 'Отклик: сообщение № ' || NEW.message_id || ' - ' || NEW.title,
               'text', 'Здравствуйте, ' || c.name || E'!\n\n' || NEW.title || '.'
                   || CASE WHEN NEW.status = 'answered' THEN E'\n\nОтвет:\n' || coalesce(m.answer, '')
                      ELSE '' END
                   || E'\n\nСообщение № ' || NEW.message_id || '.',
               'unsubscribe_key', c.unsubscribe_key) END,
           NEW.message_id
    FROM message_contacts c JOIN messages m ON m.id = c.message_id JOIN users u ON u.id = m.author_id
    WHERE c.message_id = NEW.message_id AND c.notify_by_email AND c.email IS NOT NULL;
    RETURN NEW;
END
$$;
