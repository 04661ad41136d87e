// analytics.js - the cabinet's "Аналитика" page (#/<org>/analytics?filters)
// for those who may read statistics (curators, managers, moderators,
// operators: core/ok_authz.c's analytics.read; the API decides in the end).
// The page itself (analytics-page.js with its chart library) is a chunk of
// its own, loaded when the page is first opened, as the administration's.
import { addWords } from '../shared/i18n.js';
import { lazyPage } from './chunk.js';

addWords({
  ru: {
    'nav.analytics': 'Аналитика',
    'analytics.title': 'Аналитика', 'analytics.filters': 'Отбор', 'analytics.from': 'С', 'analytics.to': 'По',
    'analytics.org': 'Организация', 'analytics.org.all': 'Все доступные', 'analytics.territory': 'Код территории',
    'analytics.rubric': 'Рубрика', 'analytics.rubric.all': 'Все рубрики', 'analytics.apply': 'Показать',
    'analytics.summary': 'Итоги за период', 'analytics.received': 'Поступило', 'analytics.open': 'В работе',
    'analytics.overdue': 'Просрочено', 'analytics.answered': 'Дано ответов', 'analytics.on_time': 'Ответов в срок',
    'analytics.median': 'Медиана времени ответа', 'analytics.minutes': '{n} мин', 'analytics.rating': 'Медиана оценки',
    'analytics.none': '—', 'analytics.chart': 'По дням', 'analytics.chart.label': 'График по дням: поступило и дано ответов с {from} по {to}',
    'analytics.chart.table': 'Таблица по дням', 'analytics.day': 'День',
    'analytics.map': 'Тепловая карта', 'analytics.map.label': 'Тепловая карта сообщений с координатами; перемещайте карту клавишами со стрелками, масштаб — клавишами плюс и минус',
    'analytics.map.legend': 'Цвет ячейки — число сообщений в ней: от светлого (мало) к тёмному (много). Контуры — границы территорий.',
    'analytics.map.cells': 'Ячеек на карте: {cells}, больше всего сообщений в одной: {max}.',
    'analytics.files': 'Файлы', 'analytics.xlsx': 'Скачать XLSX', 'analytics.xlsx.hint': 'отчёт за период: итоги, организации, дни',
    'analytics.csv': 'Скачать CSV', 'analytics.csv.hint': 'сообщения за период с этим отбором',
  },
  en: {
    'nav.analytics': 'Analytics',
    'analytics.title': 'Analytics', 'analytics.filters': 'Filters', 'analytics.from': 'From', 'analytics.to': 'To',
    'analytics.org': 'Organisation', 'analytics.org.all': 'All of yours', 'analytics.territory': 'Territory code',
    'analytics.rubric': 'Rubric', 'analytics.rubric.all': 'All rubrics', 'analytics.apply': 'Show',
    'analytics.summary': 'The period in figures', 'analytics.received': 'Received', 'analytics.open': 'Open',
    'analytics.overdue': 'Overdue', 'analytics.answered': 'Answered', 'analytics.on_time': 'Answered on time',
    'analytics.median': 'Median time to answer', 'analytics.minutes': '{n} min', 'analytics.rating': 'Median rating',
    'analytics.none': '—', 'analytics.chart': 'By day', 'analytics.chart.label': 'Chart by day: received and answered from {from} to {to}',
    'analytics.chart.table': 'Table by day', 'analytics.day': 'Day',
    'analytics.map': 'Heat map', 'analytics.map.label': 'Heat map of the messages with a location; move the map with the arrow keys, zoom with plus and minus',
    'analytics.map.legend': 'A cell\'s colour is its number of messages: from light (few) to dark (many). Outlines are territories\' boundaries.',
    'analytics.map.cells': 'Cells on the map: {cells}; the most messages in one: {max}.',
    'analytics.files': 'Files', 'analytics.xlsx': 'Download XLSX', 'analytics.xlsx.hint': 'the period\'s report: figures, organisations, days',
    'analytics.csv': 'Download CSV', 'analytics.csv.hint': 'the period\'s messages with these filters',
  },
});

const READS = ['curator', 'manager', 'moderator', 'operator', 'root_operator'];

/** Whether the person may open the page (holds a role reading statistics anywhere). */
export const readsAnalytics = (me) => (me.roles ?? []).some((r) => READS.includes(r.role));

export const AnalyticsPage = lazyPage(() => import('./analytics-page.js'), 'AnalyticsPageOf');
