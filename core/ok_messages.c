/*
 * ok_messages.c - the message catalogue: every sentence the platform answers
 * with, in English (the key, as written in the code) and in Russian. Grouped
 * by the file that says it; tests/static/messages.test.mjs checks that each
 * sentence in core/ and modules/ is here with the same printf conversions,
 * and that nothing here is left unused. See ok_i18n.h.
 */
#include "ok_i18n.h"

const ok_message ok_messages[] = {
    /* titles: ok_http_reason */
    {"Bad Request", "Неверный запрос"},
    {"Unauthorized", "Нужен вход"},
    {"Forbidden", "Доступ запрещён"},
    {"Not Found", "Не найдено"},
    {"Method Not Allowed", "Метод не поддерживается"},
    {"Conflict", "Конфликт"},
    {"Length Required", "Нужна длина"},
    {"Content Too Large", "Слишком большой запрос"},
    {"Unsupported Media Type", "Неподдерживаемый тип содержимого"},
    {"Unprocessable Content", "Данные не приняты"},
    {"Too Many Requests", "Слишком много запросов"},
    {"Internal Server Error", "Внутренняя ошибка сервера"},
    {"Bad Gateway", "Ошибка шлюза"},
    {"Service Unavailable", "Сервис недоступен"},
    {"Unknown", "Неизвестная ошибка"},
    /* core/ok_auth.c */
    {"Log in first: this action needs a bearer token.",
     "Сначала войдите: для этого действия нужен токен доступа."},
    {"A cookie session cannot be used from another site.",
     "Сеанс по cookie нельзя использовать с другого сайта."},
    {"The session has ended; please log in again.", "Сеанс завершён; войдите ещё раз."},
    {"This token was issued to a widget and may only send messages and follow them; log in on the "
     "platform for anything else.",
     "Этот токен выдан виджету: с ним можно только отправлять сообщения и следить за ними; для "
     "остального войдите на платформе."},
    /* core/ok_server.c */
    {"The request could not be completed.", "Запрос не удалось выполнить."},
    /* core/ok_db.c */
    {"The database is unavailable; please try again shortly.",
     "База данных недоступна; повторите попытку чуть позже."},
    {"The request conflicted with a concurrent one; please retry.",
     "Запрос столкнулся с одновременным другим; повторите его."},
    /* core/ok_http.c */
    {"The request needs a Content-Length header.", "В запросе нужен заголовок Content-Length."},
    {"The Content-Length header is not a number.", "Заголовок Content-Length — не число."},
    {"The body may not exceed %zu bytes.", "Тело запроса не может быть больше %zu байт."},
    {"The body is shorter than its Content-Length.",
     "Тело запроса короче, чем указано в Content-Length."},
    {"The query string has a broken %-escape.",
     "В строке запроса испорченная %-последовательность."},
    {"The query parameter %s is not valid UTF-8 text.", "Параметр запроса %s — не текст в UTF-8."},
    {"A query parameter's name is not valid UTF-8 text.",
     "Имя параметра запроса — не текст в UTF-8."},
    {"The address is not valid UTF-8 text.", "Адрес — не текст в UTF-8."},
    {"The %s header is not valid UTF-8 text.", "Заголовок %s — не текст в UTF-8."},
    {"The response could not be encoded.", "Ответ не удалось закодировать."},
    /* core/ok_json.c */
    {"The body must be JSON (Content-Type: application/json).",
     "Тело запроса должно быть JSON (Content-Type: application/json)."},
    {"The body is not valid JSON: %s.", "Тело запроса — не корректный JSON: %s."},
    {"The body must be a JSON object.", "Тело запроса должно быть объектом JSON."},
    /* modules/cabinet/counts.c */
    {"There is no such organisation among yours.", "Среди ваших организаций такой нет."},
    /* core/ok_org.c */
    {"Your role in this organisation does not allow this.",
     "Ваша роль в этой организации этого не позволяет."},
    /* core/ok_page.c */
    {"limit must be 1 to %ld and cursor a value from next_cursor.",
     "limit — от 1 до %ld, а cursor — значение из next_cursor."},
    /* core/ok_problem.c */
    {"Some fields are missing or invalid.", "Некоторые поля не заполнены или заполнены неверно."},
    /* core/ok_server.c */
    {"The database does not answer.", "База данных не отвечает."},
    {"This origin may not call the API.", "С этого сайта нельзя обращаться к API."},
    {"This method is not allowed here.", "Этот метод здесь не поддерживается."},
    {"There is nothing at this address.", "По этому адресу ничего нет."},
    /* core/ok_token.c */
    {"The token is malformed or its signature is wrong.",
     "Токен испорчен или его подпись неверна."},
    {"The token is signed with an algorithm that is not accepted.",
     "Токен подписан недопустимым алгоритмом."},
    {"The token was issued by someone else.", "Токен выдан кем-то другим."},
    {"The token has expired.", "Срок действия токена истёк."},
    {"The token is not valid yet.", "Токен ещё не действует."},
    {"The token lacks required claims.", "В токене нет обязательных сведений."},
    /* modules/widget/messages.c */
    {"The token names a user who does not exist.",
     "Токен указывает на несуществующего пользователя."},
    /* modules/widget/attachments.c */
    {"At most %ld files a minute; please wait a little.",
     "Не больше %ld файлов в минуту; подождите немного."},
    {"At most %ld files (%ld bytes) may wait to be sent with a message; send yours first, or try "
     "again later.",
     "Не больше %ld файлов (%ld байт) могут ждать отправки с сообщением; сначала отправьте своё "
     "сообщение или повторите попытку позже."},
    {"Attach a JPEG or PNG photo or a PDF document.",
     "Приложите фотографию JPEG или PNG либо документ PDF."},
    {"The file is empty.", "Файл пустой."},
    {"The file's content does not match its declared type.",
     "Содержимое файла не соответствует указанному типу."},
    /* modules/widget/messages.c */
    {"The Idempotency-Key header must be 1 to 128 visible ASCII characters.",
     "Заголовок Idempotency-Key должен содержать от 1 до 128 видимых символов ASCII."},
    {"The same attachment is listed twice.", "Одно и то же вложение указано дважды."},
    {"The text is empty.", "Текст пустой."},
    {"This widget may not be used from this site.",
     "Этот виджет нельзя использовать на этом сайте."},
    {"This Idempotency-Key was already used for a different message.",
     "Этот Idempotency-Key уже использован для другого сообщения."},
    {"An attachment does not exist, is not yours or is already sent.",
     "Вложение не существует, не ваше или уже отправлено."},
    /* modules/widget/widgets_admin.c */
    {"The server is out of memory; please try again shortly.",
     "Серверу не хватает памяти; повторите попытку чуть позже."},
    /* modules/widget/widgets.c */
    {"There is no widget with this key.", "Виджета с таким ключом нет."},
    {"The widget is not built on this server.", "Виджет не собран на этом сервере."},
    /* modules/widget/widgets_admin.c */
    {"There is no widget with this key among your organisation's.",
     "Среди виджетов вашей организации нет виджета с таким ключом."},
    {"No random key could be made; please try again shortly.",
     "Не удалось создать случайный ключ; повторите попытку чуть позже."},
    /* modules/esia/login.c */
    {"return_to must be a page of this platform or of a site that embeds one of its widgets.",
     "return_to должен быть страницей этой платформы или сайта, на котором размещён один из её "
     "виджетов."},
    {"The login is unavailable; please try again shortly.",
     "Вход временно недоступен; повторите попытку чуть позже."},
    {"mode must be popup or page.", "mode — popup или page."},
    {"The login cannot be signed now; please try again later.",
     "Запрос на вход сейчас нельзя подписать; повторите попытку позже."},
    {"The login request has no state; start the login again.",
     "В запросе на вход нет state; начните вход заново."},
    {"This login is unknown, expired, already used or was started in another browser; start the "
     "login again.",
     "Этот вход неизвестен, просрочен, уже использован или начат в другом браузере; начните вход "
     "заново."},
    {"The identity provider did not let you in.", "Поставщик идентификации не пустил вас."},
    {"The identity provider refused the login code.",
     "Поставщик идентификации отклонил код входа."},
    {"The identity provider does not answer; please try again later.",
     "Поставщик идентификации не отвечает; повторите попытку позже."},
    {"The login was refused: %s.", "Вход отклонён: %s."},
    /* modules/cabinet/attachments.c */
    {"This attachment has no thumbnail: it is a document, or not an image that could be read.",
     "У этого вложения нет миниатюры: это документ или изображение, которое не удалось прочитать."},
    {"There is no such attachment among yours.", "Среди ваших вложений такого нет."},
    /* modules/cabinet/counts.c */
    {"These counts are for the staff of organisations.",
     "Эти счётчики — для сотрудников организаций."},
    {"org must name one of your organisations.", "org должен указывать одну из ваших организаций."},
    /* modules/cabinet/lists.c */
    {"overdue must be true or false, and assignee me or a person's id.",
     "overdue — true или false, а assignee — me или id человека."},
    {"status must be one of the message statuses of the SPEC.",
     "status должен быть одним из статусов сообщения."},
    {"This list is for the staff of organisations.", "Этот список — для сотрудников организаций."},
    /* modules/cabinet/notifications.c */
    {"These notifications are for the staff of organisations.",
     "Эти уведомления — для сотрудников организаций."},
    {"There is no such notification among yours.", "Среди ваших уведомлений такого нет."},
    /* modules/cabinet/staff.c */
    {"role must be moderator, coordinator, executor, manager, curator, admin or intake_operator.",
     "role — moderator, coordinator, executor, manager, curator, admin или intake_operator."},
    {"There is no such user.", "Такого пользователя нет."},
    {"The user already holds this role here.", "У пользователя уже есть эта роль здесь."},
    {"The user does not hold this role here.", "У пользователя нет этой роли здесь."},
    {"The organisation must keep at least one admin.",
     "В организации должен остаться хотя бы один администратор."},
    /* modules/cabinet/transitions.c */
    {"There is no organisation with this code.", "Организации с таким кодом нет."},
    {"There is no such rubric.", "Такой рубрики нет."},
    {"Choose the organisation to answer.", "Выберите организацию, которая будет отвечать."},
    {"decision must be accept or reject.", "decision — accept или reject."},
    {"This person is not an executor of the message's organisation.",
     "Этот человек не исполнитель организации, которой принадлежит сообщение."},
    {"Only the executor the message is assigned to may answer it.",
     "Отвечать может только исполнитель, которому сообщение назначено."},
    {"An attachment does not exist, is not yours or is already used.",
     "Вложение не существует, не ваше или уже использовано."},
    {"Only the executor the message is assigned to may propose this.",
     "Предложить это может только исполнитель, которому сообщение назначено."},
    {"The message is already in this organisation.", "Сообщение уже в этой организации."},
    {"You wrote this answer: another manager must approve it.",
     "Этот ответ написали вы: утвердить его должен другой руководитель."},
    {"You proposed this redirect: another manager must approve it.",
     "Это перенаправление предложили вы: утвердить его должен другой руководитель."},
    {"Say why it goes back.", "Укажите, почему сообщение возвращается."},
    {"This answer has already been rated.", "Этот ответ уже оценён."},
    /* modules/cabinet/users.c */
    {"q must be 2 to 100 characters.", "q — от 2 до 100 символов."},
    {"Only an organisation's admin may look people up.",
     "Искать людей может только администратор организации."},
    {"Only staff may search organisations.", "Искать организации могут только сотрудники."},
    /* modules/cabinet/workflow.c */
    {"There is no such message among yours.", "Среди ваших сообщений такого нет."},
    {"Your role does not allow this action on this message.",
     "Ваша роль не позволяет это действие с этим сообщением."},
    {"The message is %s; it cannot be sent to %s now.",
     "Сообщение в статусе %s; действие %s сейчас невозможно."},
    /* modules/voting/votings.c */
    {"Attach only photos you uploaded.", "Прикладывайте только загруженные вами фотографии."},
    {"Only an organisation's admin or manager may do this.",
     "Это может только администратор или руководитель организации."},
    {"The period ends after it begins.", "Период заканчивается после начала."},
    {"state is open, upcoming or finished.", "state — open, upcoming или finished."},
    {"There is no such voting.", "Такого голосования нет."},
    /* modules/voting/ballots.c */
    {"Only residents of the voting's territory may vote: choose your territory in your profile "
     "first (PATCH /api/v1/me {territory}).",
     "Голосовать могут только жители территории голосования: сначала укажите свою территорию в "
     "профиле (PATCH /api/v1/me {territory})."},
    {"The voting has not opened yet.", "Голосование ещё не началось."},
    {"The voting has closed.", "Голосование завершено."},
    {"Only residents of the voting's territory may vote.",
     "Голосовать могут только жители территории голосования."},
    {"Choose at most %s projects.", "Выберите не больше %s проектов."},
    {"A project is not part of this voting.", "Проект не входит в это голосование."},
    {"The chosen projects cost more than the voting's budget.",
     "Выбранные проекты стоят больше бюджета голосования."},
    {"You have already voted in this voting.", "Вы уже проголосовали в этом голосовании."},
    {"A project is chosen twice.", "Проект выбран дважды."},
    {"You have not voted in this voting.", "Вы не голосовали в этом голосовании."},
    /* modules/voting/votings.c */
    {"There is no such voting among yours.", "Среди ваших голосований такого нет."},
    /* modules/voting/ballots.c */
    {"The results will be published when the voting closes.",
     "Результаты опубликуют, когда голосование завершится."},
    /* modules/voting/discussions.c */
    {"There is no such discussion.", "Такого обсуждения нет."},
    {"status is published, moderation or rejected.",
     "status — published, moderation или rejected."},
    {"Only the discussion's staff and moderators see unpublished comments.",
     "Неопубликованные комментарии видят только сотрудники обсуждения и модераторы."},
    {"The discussion is not open for comments.", "Обсуждение закрыто для комментариев."},
    {"Only a moderator of the territory may do this.",
     "Это может сделать только модератор территории."},
    {"There is no such discussion among yours.", "Среди ваших обсуждений такого нет."},
    {"The comment has already been moderated.", "Комментарий уже прошёл модерацию."},
    {"There is no such comment in this discussion.", "В этом обсуждении нет такого комментария."},
    {"decision is publish or reject.", "decision — publish или reject."},
    {"A rejection needs a reason code.", "Для отклонения нужен код причины."},
    {"Only the organisation's admin or manager may publish the report.",
     "Опубликовать итоги может только администратор или руководитель организации."},
    {"The report is already published.", "Итоги уже опубликованы."},
    {"The report comes after the comment period.",
     "Итоги публикуются после окончания приёма комментариев."},
    /* modules/voting/polls.c */
    {"The results will be published when the poll ends.",
     "Результаты опубликуют, когда опрос завершится."},
    {"There is no such poll.", "Такого опроса нет."},
    {"The poll is not open.", "Опрос не идёт."},
    {"You have already answered this poll.", "Вы уже ответили на этот опрос."},
    /* modules/voting/votings.c */
    {"Dates are RFC 3339, e.g. 2026-12-01T09:00:00Z.",
     "Даты — в формате RFC 3339, например 2026-12-01T09:00:00Z."},
    {"This date does not exist.", "Такой даты не существует."},
    {"results is live or after_close.", "results — live или after_close."},
    {"There is no territory with this code.", "Территории с таким кодом нет."},
    {"Only the organisation's admin or manager may change its votings.",
     "Менять голосования может только администратор или руководитель организации."},
    {"The voting has opened: its rules and projects can no longer change.",
     "Голосование началось: его правила и проекты больше нельзя менять."},
    {"There is no such project in this voting.", "В этом голосовании нет такого проекта."},
    /* modules/esia/session.c */
    {"Choose a municipality or a settlement, not a region.",
     "Выберите муниципалитет или населённый пункт, а не регион."},
    /* modules/voting/discussions_setup.c */
    {"Attach only files you uploaded.", "Прикладывайте только загруженные вами файлы."},
    {"A file is given twice.", "Файл указан дважды."},
    {"The discussion has opened: its document, period and territory can no longer change.",
     "Обсуждение началось: его документ, сроки и территорию больше нельзя менять."},
    {"Only the organisation's admin or manager may change its discussions.",
     "Менять обсуждения может только администратор или руководитель организации."},
    /* modules/voting/polls_setup.c */
    {"The poll has opened: its period, territory, results and questions can no longer change.",
     "Опрос начался: его сроки, территорию, показ результатов и вопросы больше нельзя менять."},
    {"Only the organisation's admin or manager may change its polls.",
     "Менять опросы может только администратор или руководитель организации."},
    {"There is no such poll among yours.", "Среди ваших опросов такого нет."},
    /* modules/admin/access.c */
    {"Only the platform's operators may set it up.",
     "Настраивать платформу могут только её операторы."},
    /* modules/admin/import.c */
    {"The body must be a CSV file (Content-Type: text/csv).",
     "Тело запроса должно быть файлом CSV (Content-Type: text/csv)."},
    {"Objects changed during the import; please try again.",
     "Во время импорта данные изменились; повторите попытку."},
    /* modules/admin/orgs.c */
    {"The organisation still has open messages: redirect them before deactivating it.",
     "У организации есть незакрытые сообщения: перенаправьте их, прежде чем отключать её."},
    {"An organisation with this code exists.", "Организация с таким кодом уже есть."},
    {"Only staff may read organisations' settings.",
     "Настройки организаций могут читать только сотрудники."},
    /* modules/admin/routing.c */
    {"There is no such routing rule among yours.", "Среди ваших правил маршрутизации такого нет."},
    {"This rubric has a rule in this territory already.",
     "Для этой рубрики на этой территории правило уже есть."},
    {"rubric_id must be a rubric's id.", "rubric_id должен быть id рубрики."},
    /* modules/admin/rubrics.c */
    {"A rubric with this code exists.", "Рубрика с таким кодом уже есть."},
    {"all must be true or false.", "all может быть только true или false."},
    {"The parent must be an existing top-level rubric.",
     "Родителем может быть только существующая рубрика верхнего уровня."},
    /* modules/admin/territories.c */
    {"A territory cannot move under itself or its own descendants.",
     "Территорию нельзя перенести внутрь неё самой или её потомков."},
    {"Only a root operator may create a region.", "Создать регион может только главный оператор."},
    {"A territory with this code exists.", "Территория с таким кодом уже есть."},
    {"There is no such territory among yours.", "Среди ваших территорий такой нет."},
};
const size_t ok_messages_count = sizeof(ok_messages) / sizeof(ok_messages[0]);
