-- 012_staff_notifications.sql - what the staff are told, the titles of the
-- rejection reasons, and comments the citizen does not see.

-- The SPEC's ten rejection reasons with the titles people read: the one place
-- they are written (the message JSON, its events and the moderators' forms
-- read them from here).
CREATE TABLE rejection_reasons (
    code   smallint PRIMARY KEY CHECK (code BETWEEN 1 AND 10),
    title  text NOT NULL
);
INSERT INTO rejection_reasons (code, title) VALUES
    (1, 'Оскорбления, нецензурная лексика, угрозы'),
    (2, 'Разжигание ненависти или дискриминация'),
    (3, 'Вредный контент или призыв к вреду'),
    (4, 'Персональные данные третьих лиц'),
    (5, 'Реклама, спам, ссылки, не по теме'),
    (6, 'Несколько проблем в одном сообщении'),
    (7, 'Текст нечитаем или неясен'),
    (8, 'Государственная тайна'),
    (9, 'Уже был дан ответ, новых фактов нет'),
    (10, 'Техническая поддержка портала');

-- An event the citizen sees whose comment is for the staff only: the
-- coordinator's note to the executor on an assignment (the citizen still sees
-- that the message went to work).
ALTER TABLE message_events ADD COLUMN comment_is_internal boolean NOT NULL DEFAULT false;

-- The staff's notifications. Written in the transaction of the transition
-- that causes them (assigned, approval, returned: event_id set) or by the
-- scheduler, `otklikctl tick` (due_soon, overdue: due_at is the deadline they
-- are about, so a message returned with a new deadline is told again).
CREATE TABLE staff_notifications (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id     bigint NOT NULL REFERENCES users,
    message_id  bigint NOT NULL REFERENCES messages,
    event_id    bigint REFERENCES message_events,
    kind        text NOT NULL
                CHECK (kind IN ('assigned', 'approval', 'returned', 'due_soon', 'overdue')),
    due_at      timestamptz,
    created_at  timestamptz NOT NULL DEFAULT otklik_now(),
    read_at     timestamptz
);
-- a person's feed, newest first
CREATE INDEX staff_notifications_user ON staff_notifications (user_id, id DESC);
-- the unread count
CREATE INDEX staff_notifications_unread ON staff_notifications (user_id) WHERE read_at IS NULL;
-- the scheduler's: once per person, message, kind and deadline
CREATE UNIQUE INDEX staff_notifications_deadline
    ON staff_notifications (message_id, kind, user_id, due_at)
    WHERE kind IN ('due_soon', 'overdue');
-- the scheduler reads the messages an executor works on by deadline
CREATE INDEX messages_in_work_due ON messages (due_at) WHERE status IN ('in_progress', 'returned');

-- The title a staff notification is shown with.
CREATE FUNCTION staff_notification_title(kind text, message_id bigint) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE kind
        WHEN 'assigned' THEN 'Вам назначено сообщение № ' || message_id
        WHEN 'approval' THEN 'Сообщение № ' || message_id || ' ждёт вашего утверждения'
        WHEN 'returned' THEN 'Сообщение № ' || message_id || ' возвращено на доработку'
        WHEN 'due_soon' THEN 'Срок ответа на сообщение № ' || message_id || ' истекает в течение суток'
        WHEN 'overdue' THEN 'Сообщение № ' || message_id || ' просрочено'
    END
$$;

-- The citizen's unread count
CREATE INDEX notifications_unread ON notifications (user_id) WHERE read_at IS NULL;
