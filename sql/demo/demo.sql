-- demo.sql - the SPEC's demo data (stable: tests rely on it). Loaded by
-- `otklikctl seed-demo`; every statement is idempotent, so it can run again.

INSERT INTO territories (code, name, kind) VALUES ('99', 'Демо-область', 'region')
ON CONFLICT (code) DO NOTHING;
INSERT INTO territories (code, name, kind, parent_id)
SELECT '99-demograd', 'г. Демоград', 'municipality', id FROM territories WHERE code = '99'
ON CONFLICT (code) DO NOTHING;

INSERT INTO organisations (code, name, territory_id, is_moderation)
SELECT o.code, o.name, t.id, o.is_moderation
FROM (VALUES
    ('demo-admin',  'Администрация г. Демоград',                         '99-demograd', false),
    ('demo-roads',  'Управление дорожного хозяйства г. Демоград',        '99-demograd', false),
    ('demo-health', 'Министерство здравоохранения Демо-области',         '99',          false),
    ('demo-cur',    'Центр управления регионом Демо-области',            '99',          true)
) AS o (code, name, territory, is_moderation)
JOIN territories t ON t.code = o.territory
ON CONFLICT (code) DO NOTHING;

INSERT INTO users (esia_oid, name, territory_id)
SELECT u.oid, u.name, (SELECT id FROM territories WHERE code = '99-demograd')
FROM (VALUES
    ('citizen1',     'Иванов Иван Иванович'),
    ('citizen2',     'Петрова Мария Сергеевна'),
    ('citizen3',     'Сидоров Алексей Петрович'),
    ('coordinator1', 'Кузнецова Ольга Викторовна'),
    ('executor1',    'Смирнов Дмитрий Андреевич'),
    ('manager1',     'Волков Сергей Николаевич'),
    ('curator1',     'Морозова Елена Александровна'),
    ('admin1',       'Новиков Андрей Олегович'),
    ('executor2',    'Фёдоров Павел Игоревич'),
    ('manager2',     'Лебедева Анна Михайловна'),
    ('moderator1',   'Козлов Илья Романович'),
    -- the second stage
    ('coordinator2', 'Егорова Наталья Павловна'),
    ('admin2',       'Орлов Виктор Степанович'),
    ('coordinator3', 'Николаева Татьяна Игоревна'),
    ('executor3',    'Захаров Максим Денисович'),
    ('manager3',     'Белова Светлана Юрьевна'),
    ('admin3',       'Григорьев Артём Валерьевич'),
    ('operator1',    'Соколова Дарья Андреевна'),
    ('callcenter1',  'Тихонов Роман Ильич'),
    ('root',         'Корнеев Глеб Аркадьевич')
) AS u (oid, name)
ON CONFLICT (esia_oid) DO NOTHING;

INSERT INTO staff_roles (user_id, organisation_id, role)
SELECT u.id, o.id, r.role
FROM (VALUES
    ('coordinator1', 'demo-admin', 'coordinator'),
    ('executor1',    'demo-admin', 'executor'),
    ('manager1',     'demo-admin', 'manager'),
    ('curator1',     'demo-admin', 'curator'),
    ('admin1',       'demo-admin', 'admin'),
    ('executor2',    'demo-roads', 'executor'),
    ('manager2',     'demo-roads', 'manager'),
    ('moderator1',   'demo-cur',   'moderator'),
    ('coordinator2', 'demo-roads', 'coordinator'),
    ('admin2',       'demo-roads', 'admin'),
    ('coordinator3', 'demo-health', 'coordinator'),
    ('executor3',    'demo-health', 'executor'),
    ('manager3',     'demo-health', 'manager'),
    ('admin3',       'demo-health', 'admin'),
    ('operator1',    'demo-cur',   'operator'),
    ('callcenter1',  'demo-cur',   'intake_operator'),
    ('root',         'demo-cur',   'root_operator')
) AS r (oid, org, role)
JOIN users u ON u.esia_oid = r.oid
JOIN organisations o ON o.code = r.org
ON CONFLICT DO NOTHING;

-- The rubricator, from the topics the seeds name; 10 days where the platform
-- answers faster (safety, heating, water, medicine, emergencies).
INSERT INTO rubrics (code, title, deadline_days, position) VALUES
    ('roads',      'Дороги',                       30, 1),
    ('transport',  'Общественный транспорт',       30, 2),
    ('lighting',   'Уличное освещение',            10, 3),
    ('waste',      'Вывоз мусора',                 10, 4),
    ('yards',      'Благоустройство дворов',       30, 5),
    ('utilities',  'ЖКХ и отопление',              30, 6),
    ('health',     'Здравоохранение',              30, 7),
    ('education',  'Образование',                  30, 8),
    ('social',     'Социальная поддержка',         30, 9),
    ('emergency',  'Экстренные службы',            10, 10)
ON CONFLICT (code) DO NOTHING;

INSERT INTO rubrics (code, parent_id, title, deadline_days, position)
SELECT c.code, p.id, c.title, c.deadline_days, c.position
FROM (VALUES
    ('roads-potholes',       'roads',     'Ямы и выбоины на дорогах',            10, 1),
    ('roads-snow',           'roads',     'Уборка снега и наледи',               10, 2),
    ('roads-signs',          'roads',     'Светофоры и дорожные знаки',          10, 3),
    ('transport-routes',     'transport', 'Маршруты и расписание',               30, 1),
    ('transport-stops',      'transport', 'Остановки общественного транспорта',  30, 2),
    ('lighting-streets',     'lighting',  'Не горят уличные фонари',             10, 1),
    ('waste-containers',     'waste',     'Переполненные контейнеры',            10, 1),
    ('waste-dumps',          'waste',     'Несанкционированные свалки',          30, 2),
    ('yards-playgrounds',    'yards',     'Детские и спортивные площадки',       30, 1),
    ('yards-greenery',       'yards',     'Озеленение и уборка дворов',          30, 2),
    ('utilities-heating',    'utilities', 'Отопление',                           10, 1),
    ('utilities-water',      'utilities', 'Водоснабжение',                       10, 2),
    ('utilities-management', 'utilities', 'Работа управляющих компаний',         30, 3),
    ('health-appointments',  'health',    'Запись к врачу',                      10, 1),
    ('health-medicines',     'health',    'Лекарственное обеспечение',           10, 2),
    ('education-meals',      'education', 'Школьное питание',                    30, 1),
    ('social-child',         'social',    'Детские выплаты и пособия',           30, 1),
    ('emergency-112',        'emergency', 'Работа экстренных служб',             10, 1)
) AS c (code, parent, title, deadline_days, position)
JOIN rubrics p ON p.code = c.parent
ON CONFLICT (code) DO NOTHING;

INSERT INTO widgets (key, organisation_id, allowed_origins, title, texts)
SELECT 'demo-widget', id, ARRAY['http://127.0.0.1:8081'], 'Сообщить о проблеме',
       '{"button": "Сообщить о проблеме",
         "intro": "Администрация г. Демоград ответит на ваше сообщение в установленный срок.",
         "sent": "Сообщение отправлено"}'::jsonb
FROM organisations WHERE code = 'demo-admin'
ON CONFLICT (key) DO NOTHING;

-- One active budget voting in the region: up to 2 projects, results live.
INSERT INTO votings (organisation_id, territory_id, title, description, opens_at, closes_at,
                     max_choices, budget_rubles, results_visibility)
SELECT o.id, t.id, 'Народный бюджет г. Демоград',
       'Выберите до двух проектов благоустройства, которые город выполнит в следующем году.',
       otklik_now() - interval '1 day', otklik_now() + interval '90 days', 2, 9000000, 'live'
FROM organisations o, territories t
WHERE o.code = 'demo-admin' AND t.code = '99'
  AND NOT EXISTS (SELECT 1 FROM votings WHERE title = 'Народный бюджет г. Демоград');

INSERT INTO voting_projects (voting_id, title, description, cost_rubles, address, position)
SELECT v.id, p.title, p.description, p.cost, p.address, p.position
FROM votings v, (VALUES
    ('Детская площадка во дворе на ул. Ленина', 'Горки, качели и мягкое покрытие.', 3500000, 'ул. Ленина, 12', 1),
    ('Освещение набережной', 'Сорок новых фонарей вдоль реки.', 4200000, 'Набережная', 2),
    ('Ремонт тротуара на ул. Мира', 'Новый асфальт и бордюры на 600 метрах.', 5100000, 'ул. Мира', 3),
    ('Сквер у школы № 3', 'Скамейки, деревья и цветники.', 2800000, 'ул. Школьная, 3', 4)
) AS p (title, description, cost, address, position)
WHERE v.title = 'Народный бюджет г. Демоград'
  AND NOT EXISTS (SELECT 1 FROM voting_projects x WHERE x.voting_id = v.id AND x.title = p.title);

-- One active poll.
INSERT INTO polls (organisation_id, territory_id, title, description, opens_at, closes_at)
SELECT o.id, t.id, 'Общественный транспорт Демограда', 'Помогите сделать маршруты удобнее.',
       otklik_now() - interval '1 day', otklik_now() + interval '90 days'
FROM organisations o, territories t
WHERE o.code = 'demo-admin' AND t.code = '99'
  AND NOT EXISTS (SELECT 1 FROM polls WHERE title = 'Общественный транспорт Демограда');

INSERT INTO poll_questions (poll_id, position, text, kind, required)
SELECT p.id, q.position, q.text, q.kind, q.required
FROM polls p, (VALUES
    (1, 'Как часто вы ездите на автобусе?', 'single', true),
    (2, 'Что нужно улучшить в первую очередь?', 'multiple', true),
    (3, 'Ваши предложения', 'text', false)
) AS q (position, text, kind, required)
WHERE p.title = 'Общественный транспорт Демограда'
  AND NOT EXISTS (SELECT 1 FROM poll_questions x WHERE x.poll_id = p.id AND x.position = q.position);

INSERT INTO poll_options (question_id, position, text)
SELECT q.id, o.position, o.text
FROM polls p JOIN poll_questions q ON q.poll_id = p.id
JOIN (VALUES
    (1, 1, 'Каждый день'), (1, 2, 'Несколько раз в неделю'), (1, 3, 'Редко'),
    (2, 1, 'Расписание'), (2, 2, 'Остановки'), (2, 3, 'Новые маршруты'), (2, 4, 'Чистота в салонах')
) AS o (question, position, text) ON o.question = q.position
WHERE p.title = 'Общественный транспорт Демограда'
  AND NOT EXISTS (SELECT 1 FROM poll_options x WHERE x.question_id = q.id AND x.position = o.position);

-- One public discussion open for comments.
INSERT INTO discussions (organisation_id, territory_id, title, document, opens_at, closes_at)
SELECT o.id, t.id, 'Проект правил благоустройства г. Демоград',
       'Глава 1. Общие положения. 1.1. Правила устанавливают требования к содержанию дворов, '
       'тротуаров и зелёных насаждений. 1.2. Собственники обязаны убирать прилегающую территорию.',
       otklik_now() - interval '1 day', otklik_now() + interval '30 days'
FROM organisations o, territories t
WHERE o.code = 'demo-admin' AND t.code = '99'
  AND NOT EXISTS (SELECT 1 FROM discussions WHERE title = 'Проект правил благоустройства г. Демоград');

-- The second stage: simple boundaries (WGS 84) of the region and its
-- municipality (demo messages with a location lie inside the municipality's
-- square), and the organisations' kinds.
UPDATE territories SET boundary = ST_GeomFromGeoJSON(b.geojson)
FROM (VALUES
    ('99',          '{"type":"Polygon","coordinates":[[[36.5,54.5],[39.5,54.5],[39.5,56.5],[36.5,56.5],[36.5,54.5]]]}'),
    ('99-demograd', '{"type":"Polygon","coordinates":[[[37.4,55.6],[37.8,55.6],[37.8,55.9],[37.4,55.9],[37.4,55.6]]]}')
) AS b (code, geojson)
WHERE territories.code = b.code AND territories.boundary IS NULL;
UPDATE organisations SET kind = 'municipality' WHERE code = 'demo-admin' AND kind <> 'municipality';
UPDATE rubrics SET is_accelerated = true WHERE deadline_days = 10 AND NOT is_accelerated;

-- Keywords that suggest a rubric for incidents found in social networks (sql/070).
INSERT INTO rubric_keywords (rubric_id, keyword)
SELECT r.id, k.keyword
FROM (VALUES
    ('roads-potholes', 'яма'), ('roads-potholes', 'ямы'), ('roads-potholes', 'выбоин'),
    ('roads-potholes', 'асфальт'), ('roads-snow', 'снег'), ('roads-snow', 'гололёд'),
    ('roads-snow', 'наледь'), ('lighting-streets', 'фонар'), ('lighting-streets', 'освещени'),
    ('waste-containers', 'мусор'), ('waste-containers', 'контейнер'), ('waste-dumps', 'свалк'),
    ('utilities-heating', 'отоплени'), ('utilities-heating', 'батаре'),
    ('utilities-water', 'вод'), ('transport-routes', 'автобус'), ('transport-routes', 'маршрут'),
    ('yards-playgrounds', 'площадк'), ('health-appointments', 'врач')
) AS k (rubric, keyword)
JOIN rubrics r ON r.code = k.rubric
ON CONFLICT DO NOTHING;

-- The demo intake operator of the call centre (second stage).
INSERT INTO users (esia_oid, name, territory_id)
SELECT 'callcenter1', 'Орлова Наталья Викторовна', id FROM territories WHERE code = '99-demograd'
ON CONFLICT (esia_oid) DO NOTHING;
INSERT INTO staff_roles (user_id, organisation_id, role)
SELECT u.id, o.id, 'intake_operator' FROM users u, organisations o
WHERE u.esia_oid = 'callcenter1' AND o.code = 'demo-cur'
ON CONFLICT DO NOTHING;

-- The demo staff's e-mail addresses for their hourly digests (sql/070).
INSERT INTO staff_contacts (user_id, email)
SELECT DISTINCT s.user_id, u.esia_oid || '@demo.example' FROM staff_roles s JOIN users u ON u.id = s.user_id
ON CONFLICT DO NOTHING;
