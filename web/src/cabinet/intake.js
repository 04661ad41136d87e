// intake.js - the cabinet's "Принять обращение" page (#/<org>/intake) for an
// intake operator (call centre, reception): a message entered for a citizen
// who called or came in, with the citizen's name and contact instead of an
// ESIA account (POST /api/v1/intake/messages). It then goes through
// moderation like any other. After each message the form is empty again for
// the next caller, with the number of the one just entered kept in view for
// the caller to note down.
import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../shared/api.js';
import { described, ErrorSummary, Field, ProblemNotice } from '../shared/form.js';
import { html } from '../shared/html.js';
import { addWords, t } from '../shared/i18n.js';
import { useRubrics } from './rubrics.js';

addWords({
  ru: {
    'nav.intake': 'Принять обращение',
    'intake.title': 'Принять обращение гражданина',
    'intake.lead': 'Для обращений по телефону и на личном приёме. Обращение пройдёт модерацию, как любое другое.',
    'intake.channel': 'Как обратился гражданин', 'intake.channel.phone': 'По телефону',
    'intake.channel.visit': 'На личном приёме', 'intake.channel.email': 'По электронной почте',
    'intake.name': 'Фамилия, имя, отчество', 'intake.phone': 'Телефон', 'intake.phone.hint': 'Например, +7 912 345-67-89',
    'intake.email': 'Электронная почта', 'intake.notify': 'Сообщать гражданину о ходе рассмотрения и ответе по электронной почте',
    'intake.rubric': 'Рубрика', 'intake.rubric.choose': 'Выберите…', 'intake.text': 'Суть обращения',
    'intake.address': 'Адрес проблемы', 'intake.send': 'Зарегистрировать обращение',
    'intake.sent': 'Обращение № {id} зарегистрировано и передано на модерацию. Сообщите номер гражданину.',
  },
  en: {
    'nav.intake': 'Take a message',
    'intake.title': "Take a citizen's message",
    'intake.lead': 'For messages by phone and in person. The message is moderated like any other.',
    'intake.channel': 'How the citizen came', 'intake.channel.phone': 'By phone',
    'intake.channel.visit': 'In person', 'intake.channel.email': 'By e-mail',
    'intake.name': 'Full name', 'intake.phone': 'Phone', 'intake.phone.hint': 'For example, +7 912 345-67-89',
    'intake.email': 'E-mail', 'intake.notify': 'Tell the citizen of the progress and the answer by e-mail',
    'intake.rubric': 'Rubric', 'intake.rubric.choose': 'Choose…', 'intake.text': 'The message',
    'intake.address': 'Address of the problem', 'intake.send': 'Register the message',
    'intake.sent': 'Message No. {id} is registered and sent to moderation. Tell the citizen its number.',
  },
});

const FORM = 'intake';
const CHANNELS = ['phone', 'visit', 'email'];
const EMPTY = { channel: 'phone', name: '', phone: '', email: '', notify: false, rubric_id: '', text: '', address: '' };
const labels = () => ({ channel: t('intake.channel'), 'citizen.name': t('intake.name'), 'citizen.phone': t('intake.phone'),
  'citizen.email': t('intake.email'), rubric_id: t('intake.rubric'), text: t('intake.text'), address: t('intake.address') });

/** Whether the person takes messages for citizens in org (role intake_operator). */
export const takesIntake = (roles) => roles.includes('intake_operator');

export function IntakePage() {
  const rubrics = useRubrics();
  const [form, setForm] = useState(EMPTY);
  const [state, setState] = useState({ busy: false, error: null, sent: null });
  const done = useRef(null);
  const set = (name) => (e) => setForm({ ...form, [name]: e.currentTarget.type === 'checkbox' ? e.currentTarget.checked : e.currentTarget.value });
  useEffect(() => {
    if (state.sent) done.current?.focus();
    else if (state.error) document.querySelector('.error-summary, .notice--error')?.focus();
  }, [state]);

  const submit = async (event) => {
    event.preventDefault();
    if (state.busy) return;
    setState({ busy: true, error: null, sent: null });
    const citizen = { name: form.name.trim(), phone: form.phone.trim() || undefined, email: form.email.trim() || undefined,
      notify_by_email: form.notify || undefined };
    try {
      const sent = await api('POST', '/api/v1/intake/messages', { channel: form.channel, citizen,
        rubric_id: form.rubric_id ? Number(form.rubric_id) : undefined, text: form.text, address: form.address.trim() || undefined });
      setForm(EMPTY);
      setState({ busy: false, error: null, sent });
    } catch (error) {
      setState({ busy: false, error, sent: null });
    }
  };

  const fields = state.error?.fields ?? {};
  const input = (name, key, type, extra = {}) => html`<${Field} form=${FORM} name=${name} label=${t(`intake.${key}`)}
      hint=${extra.hint} error=${fields[name]}>
      <input type=${type} ...${described(FORM, name, Boolean(extra.hint), fields[name])} autocomplete=${extra.autocomplete ?? 'off'}
        value=${form[key]} onInput=${set(key)} />
    </${Field}>`;
  return html`<section aria-labelledby="intake-title">
    <h2 id="intake-title">${t('intake.title')}</h2>
    <p>${t('intake.lead')}</p>
    ${state.sent && html`<p class="notice" role="status" tabindex="-1" ref=${done}>${t('intake.sent', { id: state.sent.id })}</p>`}
    <form class="intake" novalidate onSubmit=${submit}>
      <${ErrorSummary} form=${FORM} error=${Object.keys(fields).length ? state.error : null} labels=${labels()} />
      ${!Object.keys(fields).length && html`<${ProblemNotice} error=${state.error} />`}
      <fieldset id=${`${FORM}-channel`}>
        <legend>${t('intake.channel')}</legend>
        ${CHANNELS.map((c) => html`<label class="choice"><input type="radio" name="channel" value=${c}
          checked=${form.channel === c} onChange=${set('channel')} /> ${t(`intake.channel.${c}`)}</label>`)}
      </fieldset>
      ${input('citizen.name', 'name', 'text', { autocomplete: 'off' })}
      ${input('citizen.phone', 'phone', 'tel', { hint: t('intake.phone.hint') })}
      ${input('citizen.email', 'email', 'email')}
      <label class="choice"><input type="checkbox" checked=${form.notify} onChange=${set('notify')} /> ${t('intake.notify')}</label>
      <${Field} form=${FORM} name="rubric_id" label=${t('intake.rubric')} error=${fields.rubric_id}>
        <select ...${described(FORM, 'rubric_id', false, fields.rubric_id)} value=${form.rubric_id} onChange=${set('rubric_id')}>
          <option value="">${t('intake.rubric.choose')}</option>
          ${rubrics.map((r) => html`<option value=${r.id}>${r.title}</option>`)}
        </select>
      </${Field}>
      <${Field} form=${FORM} name="text" label=${t('intake.text')} error=${fields.text}>
        <textarea rows="6" maxlength="5000" ...${described(FORM, 'text', false, fields.text)} value=${form.text} onInput=${set('text')}></textarea>
      </${Field}>
      ${input('address', 'address', 'text')}
      <button type="submit" disabled=${state.busy}>${t('intake.send')}</button>
    </form>
  </section>`;
}
