// rating.js - the cabinet's "Рейтинг" page (#/<org>/rating?period=&region=&territory=):
// the region rating as the scheduler computed it (GET /api/v1/rating): the
// regions' ranking, a region's municipalities, and one territory's
// indicators with their scores and change (GET /api/v1/rating/{territory}).
// The filters are kept in the address, as the analytics page's.
import { html } from '../shared/html.js';
import { addWords, t } from '../shared/i18n.js';
import { ProblemNotice } from '../shared/form.js';
import { useFigures } from './analytics-data.js';

const INDICATORS = {
  messages_per_10k: ['Сообщений на 10 000 жителей', 'Messages per 10,000 residents'],
  orgs_connected_share: ['Доля подключённых организаций', 'Organisations connected'],
  moderated_within_day_share: ['Доля промодерированных за сутки', 'Moderated within a day'],
  rejected_share: ['Доля отклонённых', 'Rejected'],
  resolved_share: ['Доля с ответом', 'Answered or closed'],
  answered_on_time_share: ['Доля ответов в срок', 'Answered on time'],
  answer_median_minutes: ['Медиана времени ответа, мин', 'Median time to answer, min'],
  answer_p90_minutes: ['90-й процентиль времени ответа, мин', '90th percentile time to answer, min'],
  satisfaction_median: ['Медиана оценки', 'Median rating'],
  satisfied_share: ['Доля оценок 4–5', 'Ratings of 4–5'],
  ratings_per_answer: ['Оценок на ответ', 'Ratings per answer'],
  rework_share: ['Доля возвратов на доработку', 'Rework'],
  returned_twice_share: ['Доля возвращённых повторно', 'Returned more than once'],
  overdue_share: ['Доля просроченных', 'Overdue'],
  redirect_share: ['Доля переадресаций', 'Redirected'],
  votings_held: ['Голосований', 'Votings held'],
  voters_per_10k: ['Проголосовавших на 10 000 жителей', 'Voters per 10,000 residents'],
  polls_held: ['Опросов', 'Polls held'],
  poll_responses: ['Ответов на опросы', 'Poll responses'],
  discussions_held: ['Обсуждений', 'Discussions held'],
  discussion_comments: ['Комментариев в обсуждениях', 'Discussion comments'],
  active_widget_share: ['Доля организаций с виджетом на сайте', 'Organisations with a widget on a site'],
  official_accounts_share: ['Доля организаций с госпабликом', 'Organisations with an official account'],
  posts_published: ['Публикаций в госпабликах', 'Official accounts\' posts'],
};
const words = (i) => Object.fromEntries(Object.entries(INDICATORS).map(([k, v]) => [`rating.i.${k}`, v[i]]));

addWords({
  ru: {
    'nav.rating': 'Рейтинг', 'rating.title': 'Рейтинг регионов и муниципалитетов', 'rating.filters': 'Отбор',
    'rating.period': 'Месяц', 'rating.region': 'Регион', 'rating.region.all': 'Все регионы', 'rating.apply': 'Показать',
    'rating.regions': 'Регионы', 'rating.municipalities': 'Муниципалитеты: {region}', 'rating.rank': 'Место',
    'rating.territory': 'Территория', 'rating.score': 'Балл (0–100)', 'rating.change': 'Изменение за месяц',
    'rating.up': '↑ {n}', 'rating.down': '↓ {n}', 'rating.same': 'без изменений', 'rating.new': 'нет данных за прошлый месяц',
    'rating.computed': 'Пересчитано: {at}. Баллы — среднее нормированных показателей среди соседей (0 — худший, 1 — лучший).',
    'rating.not_computed': 'Рейтинг за этот месяц ещё не рассчитан.', 'rating.indicators': 'Показатели: {name}',
    'rating.indicator': 'Показатель', 'rating.value': 'Значение', 'rating.norm': 'Оценка (0–1)', 'rating.previous': 'Прошлый месяц',
    'rating.better.higher': 'лучше больше', 'rating.better.lower': 'лучше меньше', 'rating.show': 'Показатели',
    'rating.none': '—', 'rating.close': 'Закрыть',
    ...words(0),
  },
  en: {
    'nav.rating': 'Rating', 'rating.title': 'Rating of regions and municipalities', 'rating.filters': 'Filters',
    'rating.period': 'Month', 'rating.region': 'Region', 'rating.region.all': 'All regions', 'rating.apply': 'Show',
    'rating.regions': 'Regions', 'rating.municipalities': 'Municipalities: {region}', 'rating.rank': 'Rank',
    'rating.territory': 'Territory', 'rating.score': 'Score (0–100)', 'rating.change': 'Change in a month',
    'rating.up': '↑ {n}', 'rating.down': '↓ {n}', 'rating.same': 'no change', 'rating.new': 'no figures for the month before',
    'rating.computed': 'Computed: {at}. Scores are the mean of the indicators normalised among peers (0 the worst, 1 the best).',
    'rating.not_computed': 'The rating of this month is not computed yet.', 'rating.indicators': 'Indicators: {name}',
    'rating.indicator': 'Indicator', 'rating.value': 'Value', 'rating.norm': 'Score (0–1)', 'rating.previous': 'Month before',
    'rating.better.higher': 'higher is better', 'rating.better.lower': 'lower is better', 'rating.show': 'Indicators',
    'rating.none': '—', 'rating.close': 'Close',
    ...words(1),
  },
});

const FILTERS = ['period', 'region', 'territory'];
const pick = (filters) => Object.fromEntries(FILTERS.filter((k) => filters[k]).map((k) => [k, filters[k]]));
const none = (x) => x === null || x === undefined;
const shown = (key, x) => {
  if (none(x)) return t('rating.none');
  if (key.endsWith('_share')) return `${(x * 100).toFixed(1)} %`;
  return Number.isInteger(x) ? String(x) : x.toFixed(2);
};
const rankChange = (item) => {
  if (none(item.rank_change)) return t('rating.new');
  if (item.rank_change === 0) return t('rating.same');
  return item.rank_change > 0 ? t('rating.up', { n: item.rank_change }) : t('rating.down', { n: -item.rank_change });
};

/** period: the month shown (the address's, else the one the API chose: the current). */
function Filters({ regions, filters, period, onFilters }) {
  const submit = (e) => {
    e.preventDefault();
    onFilters(pick(Object.fromEntries(new FormData(e.currentTarget))));
  };
  return html`<form class="filters analytics-filters" onSubmit=${submit} aria-labelledby="rating-filters">
    <h3 id="rating-filters" class="visually-hidden">${t('rating.filters')}</h3>
    <label for="rt-period">${t('rating.period')}</label>
    <input id="rt-period" name="period" type="month" pattern="[0-9]{4}-[0-9]{2}" placeholder="2026-01" value=${period ?? ''} />
    <label for="rt-region">${t('rating.region')}</label>
    <select id="rt-region" name="region" value=${filters.region ?? ''}>
      <option value="">${t('rating.region.all')}</option>
      ${regions.map((r) => html`<option value=${r.territory}>${r.name}</option>`)}
    </select>
    <button type="submit">${t('rating.apply')}</button>
  </form>`;
}

function Ranking({ caption, items, filters, onFilters }) {
  return html`<table class="rating">
    <caption>${caption}</caption>
    <thead><tr><th scope="col">${t('rating.rank')}</th><th scope="col">${t('rating.territory')}</th>
      <th scope="col">${t('rating.score')}</th><th scope="col">${t('rating.change')}</th><th scope="col">${t('rating.show')}</th></tr></thead>
    <tbody>${items.map((i) => html`<tr aria-current=${filters.territory === i.territory ? 'true' : undefined}>
      <td>${i.rank}</td><th scope="row">${i.name}</th><td>${none(i.score) ? t('rating.none') : i.score.toFixed(2)}</td>
      <td>${rankChange(i)}</td>
      <td><button type="button" class="link" aria-label=${`${t('rating.show')}: ${i.name}`}
        onClick=${() => onFilters({ ...pick(filters), territory: i.territory })}>${t('rating.show')}</button></td>
    </tr>`)}</tbody>
  </table>`;
}

function Indicators({ code, period, onClose }) {
  const { data, error } = useFigures(`/api/v1/rating/${encodeURIComponent(code)}`, period ? { period } : {});
  if (error) return html`<${ProblemNotice} error=${error} />`;
  if (!data) return html`<p role="status">${t('app.loading')}</p>`;
  return html`<section class="rating-indicators" aria-labelledby="rating-indicators">
    <h3 id="rating-indicators">${t('rating.indicators', { name: data.name })}</h3>
    <table class="rating">
      <thead><tr><th scope="col">${t('rating.indicator')}</th><th scope="col">${t('rating.value')}</th>
        <th scope="col">${t('rating.norm')}</th><th scope="col">${t('rating.previous')}</th></tr></thead>
      <tbody>${data.indicators.map((i) => html`<tr>
        <th scope="row">${t(`rating.i.${i.key}`)} <small>(${t(`rating.better.${i.better}`)})</small></th>
        <td>${shown(i.key, i.value)}</td><td>${none(i.score) ? t('rating.none') : i.score.toFixed(2)}</td>
        <td>${shown(i.key, i.previous_value)}</td></tr>`)}</tbody>
    </table>
    <button type="button" class="secondary" onClick=${onClose}>${t('rating.close')}</button>
  </section>`;
}

export function RatingPage({ filters, onFilters }) {
  const query = pick(filters);
  const list = useFigures('/api/v1/rating', { ...(query.period ? { period: query.period } : {}), ...(query.region ? { region: query.region } : {}) });
  const regionsOnly = useFigures('/api/v1/rating', { kind: 'region', ...(query.period ? { period: query.period } : {}) });
  const regions = regionsOnly.data?.items ?? [];
  let body;
  if (list.error) body = html`<${ProblemNotice} error=${list.error} />`;
  else if (!list.data) body = html`<p role="status">${t('app.loading')}</p>`;
  else if (!list.data.computed_at) body = html`<p>${t('rating.not_computed')}</p>`;
  else {
    const tops = list.data.items.filter((i) => i.kind === 'region');
    const byRegion = (code) => list.data.items.filter((i) => i.kind === 'municipality' && i.region === code);
    body = html`<p>${t('rating.computed', { at: new Date(list.data.computed_at).toLocaleString() })}</p>
      <${Ranking} caption=${t('rating.regions')} items=${tops} filters=${filters} onFilters=${onFilters} />
      ${tops.filter((r) => query.region === r.territory || tops.length === 1).map((r) => html`<${Ranking}
        caption=${t('rating.municipalities', { region: r.name })} items=${byRegion(r.territory)} filters=${filters} onFilters=${onFilters} />`)}`;
  }
  return html`<section class="analytics" aria-labelledby="rating-title">
    <h2 id="rating-title">${t('rating.title')}</h2>
    <${Filters} regions=${regions} filters=${filters} period=${query.period ?? list.data?.period} onFilters=${onFilters} />
    ${body}
    ${query.territory && html`<${Indicators} code=${query.territory} period=${query.period}
      onClose=${() => { const { territory, ...rest } = query; onFilters(rest); }} />`}
  </section>`;
}
