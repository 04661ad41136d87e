// i18n.js - the words of the platform's own pages, Russian by default and
// English on request (remembered in localStorage). t('key', {name}) fills
// {name} placeholders; a key missing in English falls back to Russian. Only
// the words every page uses live here (messages' statuses, field errors);
// each page adds its own with addWords from its words.js, so that a page's
// bundle carries no other page's words.
const catalogue = {
  ru: {
    'app.loading': 'Загрузка…',
    'app.language': 'English',
    'app.language.label': 'Switch to English',
    'app.offline': 'Сервер не отвечает. Проверьте соединение и попробуйте ещё раз.',
    'errors.summary': 'Исправьте ошибки',
    'errors.fields': 'Проверьте отмеченные поля.',
    'errors.item': 'строка {n}',
    'errors.required': 'Заполните это поле.',
    'errors.too_long': 'Слишком длинно.',
    'errors.too_short': 'Слишком коротко.',
    'errors.unknown': 'Такого значения нет.',
    'errors.type': 'Неверный формат.',
    'errors.duplicate': 'Повторяется.',
    'errors.userinfo': 'Без имени и пароля в адресе.',
    'errors.port': 'Неверный порт.',
    'errors.host': 'Неверное имя сайта.',
    'errors.path': 'Без пути, параметров и «#».',
    'errors.scheme': 'Только http:// или https://.',
    'errors.out_of_range': 'Значение вне допустимых пределов.',
    'errors.other': 'Неверное значение ({code}).',
    'status.moderation': 'На модерации',
    'status.registered': 'Зарегистрировано',
    'status.in_progress': 'В работе',
    'status.approval': 'На согласовании',
    'status.redirect_approval': 'Перенаправление на согласовании',
    'status.answered': 'Дан ответ',
    'status.returned': 'Возвращено на доработку',
    'status.closed': 'Закрыто',
    'status.rejected': 'Отклонено',
  },
  en: {
    'app.loading': 'Loading…',
    'app.language': 'Русский',
    'app.language.label': 'Переключить на русский',
    'app.offline': 'The server does not answer. Check the connection and try again.',
    'errors.summary': 'There is a problem',
    'errors.fields': 'Check the fields marked below.',
    'errors.item': 'line {n}',
    'errors.required': 'Fill this in.',
    'errors.too_long': 'Too long.',
    'errors.too_short': 'Too short.',
    'errors.unknown': 'No such value.',
    'errors.type': 'Wrong format.',
    'errors.duplicate': 'Listed twice.',
    'errors.userinfo': 'No user or password in the address.',
    'errors.port': 'Not a valid port.',
    'errors.host': 'Not a valid host.',
    'errors.path': 'No path, query or "#".',
    'errors.scheme': 'Only http:// or https://.',
    'errors.out_of_range': 'Out of range.',
    'errors.other': 'Invalid value ({code}).',
    'status.moderation': 'Moderation',
    'status.registered': 'Registered',
    'status.in_progress': 'In progress',
    'status.approval': 'Approval',
    'status.redirect_approval': 'Redirect approval',
    'status.answered': 'Answered',
    'status.returned': 'Returned for rework',
    'status.closed': 'Closed',
    'status.rejected': 'Rejected',
  },
};

const STORAGE_KEY = 'otklik.lang';
let current = 'ru';
try { if (localStorage.getItem(STORAGE_KEY) === 'en') current = 'en'; } catch { /* storage blocked */ }

export const language = () => current;

export function setLanguage(lang) {
  current = lang === 'en' ? 'en' : 'ru';
  try { localStorage.setItem(STORAGE_KEY, current); } catch { /* storage blocked */ }
  document.documentElement.lang = current;
}

export function t(key, values = {}) {
  const text = catalogue[current][key] ?? catalogue.ru[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => String(values[name] ?? ''));
}

/** A field error code as words. */
export const errorText = (code) => (catalogue.ru[`errors.${code}`] ? t(`errors.${code}`) : t('errors.other', { code }));

/** A date and time as people read it here (Moscow time is the citizens' usual, but the browser's zone is the reader's). */
export const when = (iso) => (iso ? new Date(iso).toLocaleString(current === 'en' ? 'en-GB' : 'ru-RU', { dateStyle: 'medium', timeStyle: 'short' }) : '');

/** Adds a page's own words ({ru: {...}, en: {...}}) to the catalogue. */
export function addWords(words) {
  for (const lang of Object.keys(catalogue)) Object.assign(catalogue[lang], words[lang]);
}

/** The form of a count's words for n in the current language (Intl.PluralRules):
 * forms holds one, few, many (Russian) or one, other (English); {n} is filled. */
export function plural(n, forms) {
  const category = new Intl.PluralRules(current === 'en' ? 'en' : 'ru').select(n);
  const text = forms[category] ?? forms.other ?? forms.many;
  return text.replace(/\{n\}/g, n.toLocaleString(current === 'en' ? 'en-GB' : 'ru-RU'));
}
