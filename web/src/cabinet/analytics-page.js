// analytics-page.js - the lazily loaded "Аналитика" page (analytics.js): the
// filters (kept in the address), the period's figures
// (GET /api/v1/analytics/summary), received and answered by day on a uPlot
// chart (/series; its numbers also as a table) and the heat map of the
// messages with a location (/heatmap) over the territories' boundaries
// (/boundaries) on a Leaflet map (map.js), over the tiles of
// OTKLIK_MAP_TILES_URL if set (/api/v1/public/map), else boundaries only.
import uPlot from 'uplot';
import { useEffect, useRef, useState } from 'preact/hooks';
import { useFigures } from './analytics-data.js';
import { api, withQuery } from '../shared/api.js';
import { ProblemNotice } from '../shared/form.js';
import { html } from '../shared/html.js';
import { t } from '../shared/i18n.js';
import { HeatMap } from './map.js';
import { useRubrics } from './rubrics.js';

const FILTERS = ['from', 'to', 'org', 'territory', 'rubric'];
const pick = (filters) => Object.fromEntries(FILTERS.filter((k) => filters[k]).map((k) => [k, filters[k]]));

let sheet = null;
/** uPlot's style sheet (analytics.css, built beside the page), once. */
const loadSheet = () => {
  sheet ??= new Promise((resolve) => {
    const link = Object.assign(document.createElement('link'), { rel: 'stylesheet', href: new URL('analytics.css', document.baseURI).href });
    link.onload = resolve;
    link.onerror = resolve;
    document.head.append(link);
  });
  return sheet;
};

function Filters({ orgs, filters, onFilters }) {
  const rubrics = useRubrics();
  const submit = (e) => {
    e.preventDefault();
    onFilters(pick(Object.fromEntries(new FormData(e.currentTarget))));
  };
  return html`<form class="filters analytics-filters" onSubmit=${submit} aria-labelledby="analytics-filters">
    <h3 id="analytics-filters" class="visually-hidden">${t('analytics.filters')}</h3>
    <label for="an-from">${t('analytics.from')}</label><input id="an-from" name="from" type="date" value=${filters.from ?? ''} />
    <label for="an-to">${t('analytics.to')}</label><input id="an-to" name="to" type="date" value=${filters.to ?? ''} />
    <label for="an-org">${t('analytics.org')}</label>
    <select id="an-org" name="org" value=${filters.org ?? ''}>
      <option value="">${t('analytics.org.all')}</option>
      ${orgs.map((o) => html`<option value=${o}>${o}</option>`)}
    </select>
    <label for="an-territory">${t('analytics.territory')}</label>
    <input id="an-territory" name="territory" value=${filters.territory ?? ''} autocomplete="off" />
    <label for="an-rubric">${t('analytics.rubric')}</label>
    <select id="an-rubric" name="rubric" value=${filters.rubric ?? ''}>
      <option value="">${t('analytics.rubric.all')}</option>
      ${rubrics.map((r) => html`<option value=${r.id}>${r.title}</option>`)}
    </select>
    <button type="submit">${t('analytics.apply')}</button>
  </form>`;
}

const share = (x) => (x === null || x === undefined ? t('analytics.none') : `${(x * 100).toFixed(1)} %`);
const minutes = (x) => (x === null || x === undefined ? t('analytics.none') : t('analytics.minutes', { n: Math.round(x) }));

function Summary({ query }) {
  const { data, error } = useFigures('/api/v1/analytics/summary', query);
  if (error) return html`<${ProblemNotice} error=${error} />`;
  if (!data) return html`<p role="status">${t('app.loading')}</p>`;
  const items = [
    ['received', data.received], ['open', data.open],
    ['overdue', `${data.overdue.count} (${share(data.overdue.share)})`], ['answered', data.answered],
    ['on_time', `${data.answered_on_time} (${share(data.on_time_share)})`],
    ['median', minutes(data.time_to_answer.median_minutes)],
    ['rating', data.satisfaction.median ?? t('analytics.none')],
  ];
  return html`<dl class="figures">${items.map(([k, v]) => html`<div><dt>${t(`analytics.${k}`)}</dt><dd>${v}</dd></div>`)}</dl>`;
}

function Chart({ days }) {
  const canvas = useRef(null);
  useEffect(() => {
    let chart = null;
    let live = true;
    loadSheet().then(() => {
      if (!live || !canvas.current) return;
      const xs = days.map((d) => Date.parse(`${d.day}T00:00:00Z`) / 1000);
      chart = new uPlot({
        width: Math.max(320, canvas.current.clientWidth || 640), height: 240, legend: { show: false },
        series: [{}, { label: t('analytics.received'), stroke: '#1d4ed8', width: 2 }, { label: t('analytics.answered'), stroke: '#15803d', width: 2 }],
      }, [xs, days.map((d) => d.received), days.map((d) => d.answered)], canvas.current);
    });
    return () => { live = false; chart?.destroy(); };
  }, [days]);
  return html`<div class="chart" ref=${canvas} role="img"
    aria-label=${t('analytics.chart.label', { from: days[0]?.day ?? '', to: days.at(-1)?.day ?? '' })}></div>
    <p class="chart-legend"><span class="swatch swatch--received"></span> ${t('analytics.received')}
      <span class="swatch swatch--answered"></span> ${t('analytics.answered')}</p>`;
}

function Series({ query }) {
  const { data, error } = useFigures('/api/v1/analytics/series', query);
  if (error) return html`<${ProblemNotice} error=${error} />`;
  if (!data) return html`<p role="status">${t('app.loading')}</p>`;
  return html`<${Chart} days=${data.days} />
    <details><summary>${t('analytics.chart.table')}</summary>
      <table><thead><tr><th scope="col">${t('analytics.day')}</th><th scope="col">${t('analytics.received')}</th>
        <th scope="col">${t('analytics.answered')}</th></tr></thead>
      <tbody>${data.days.map((d) => html`<tr><th scope="row">${d.day}</th><td>${d.received}</td><td>${d.answered}</td></tr>`)}</tbody></table>
    </details>`;
}

function Heat({ query }) {
  const boundaries = useFigures('/api/v1/analytics/boundaries', {});
  const setting = useFigures('/api/v1/public/map', {}); /* the tile layer, if any */
  const [shown, setShown] = useState(null);
  if (boundaries.error) return html`<${ProblemNotice} error=${boundaries.error} />`;
  if (!boundaries.data || (!setting.data && !setting.error)) return html`<p role="status">${t('app.loading')}</p>`;
  const load = (bbox, zoom) => api('GET', withQuery('/api/v1/analytics/heatmap', { ...query, bbox, zoom }));
  return html`<p>${t('analytics.map.legend')}</p>
    <${HeatMap} boundaries=${boundaries.data} load=${load} key=${JSON.stringify(query)} tiles=${setting.data?.tiles_url}
      label=${t('analytics.map.label')} onCells=${setShown} />
    ${shown && html`<p role="status">${t('analytics.map.cells', shown)}</p>`}`;
}

/** The page's filters as files: the report as a workbook
 * (GET /api/v1/analytics/report.xlsx) and the messages as CSV
 * (GET /api/v1/staff/messages.csv); plain links, the session cookie goes along. */
function Files({ query }) {
  return html`<ul class="analytics-files">
    <li><a href=${withQuery('/api/v1/analytics/report.xlsx', query)} download="report.xlsx">${t('analytics.xlsx')}</a>
      ${' '}<span class="hint">(${t('analytics.xlsx.hint')})</span></li>
    <li><a href=${withQuery('/api/v1/staff/messages.csv', query)} download="messages.csv">${t('analytics.csv')}</a>
      ${' '}<span class="hint">(${t('analytics.csv.hint')})</span></li>
  </ul>`;
}

export function AnalyticsPageOf({ orgs, filters, onFilters }) {
  const query = pick(filters);
  return html`<section class="analytics" aria-labelledby="analytics-title">
    <h2 id="analytics-title">${t('analytics.title')}</h2>
    <${Filters} orgs=${orgs} filters=${filters} onFilters=${onFilters} />
    <h3>${t('analytics.summary')}</h3>
    <${Summary} query=${query} />
    <h3>${t('analytics.files')}</h3>
    <${Files} query=${query} />
    <h3>${t('analytics.chart')}</h3>
    <${Series} query=${query} />
    <h3>${t('analytics.map')}</h3>
    <${Heat} query=${query} />
  </section>`;
}
