-- 017_answer_files.sql - an answer's files reach the citizen with the answer.
-- Before, an answer file was shown to the author once any answer had been
-- approved (answer_round > 0): after a rework, the next draft's files were
-- visible before a manager had approved them. Now a file attached to a draft
-- is published when the answer it belongs to is approved (a draft sent back
-- keeps its files for the next draft, and they are published with it).
ALTER TABLE attachments ADD COLUMN published boolean NOT NULL DEFAULT false;

-- Files already out: every answer file of a message whose answer was approved
-- and that has no draft waiting (one waiting may hold files not yet approved;
-- they stay hidden until its approval).
UPDATE attachments a SET published = true
FROM messages m
WHERE a.message_id = m.id AND a.purpose = 'answer' AND m.answer_round > 0
  AND m.status NOT IN ('approval', 'in_progress', 'returned');
