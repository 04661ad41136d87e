// html.js - Preact with htm: components written as tagged templates, no JSX
// build step. The one UI library of the platform's own pages (the widget has
// none: its 15 KB budget).
import { h } from 'preact';
import htm from 'htm';

export const html = htm.bind(h);
